"""The SES feedback queue over real HTTP: LocalStack's SQS, the worker's own client."""

from __future__ import annotations

import json
import uuid

import boto3
import pytest
from sqlalchemy import text

from petshots_reminders.bounces import SqsBounceQueue, ingest_bounces
from petshots_testkit.plugin import S3_REGION
from petshots_testkit.seed import Seed


async def test_permanent_bounces_from_sqs_are_recorded_and_every_message_deleted(
    seed: Seed, s3_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The worker's client takes the default credential chain (IRSA in production).
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    sqs = boto3.client("sqs", endpoint_url=s3_endpoint, region_name=S3_REGION)
    url = sqs.create_queue(QueueName=f"petshots-feedback-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    _, bounced = await seed.owner()
    bounce = {
        "eventType": "Bounce",
        "bounce": {"bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": bounced}]},
    }
    for body in (json.dumps({"Type": "Notification", "Message": json.dumps(bounce)}), "garbage"):
        sqs.send_message(QueueUrl=url, MessageBody=body)

    queue = SqsBounceQueue(url, region=S3_REGION, endpoint_url=s3_endpoint)
    assert await ingest_bounces(seed.engine, queue) == 1

    async with seed.engine.connect() as conn:
        rows = (await conn.execute(text("SELECT email, reason FROM email_suppressions"))).all()
    assert [(r.email, r.reason) for r in rows] == [(bounced.lower(), "bounce")]
    left = sqs.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    assert left == {
        "ApproximateNumberOfMessages": "0",
        "ApproximateNumberOfMessagesNotVisible": "0",
    }
