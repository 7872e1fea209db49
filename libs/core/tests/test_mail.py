"""Mail: message building, SMTP against a real aiosmtpd server, SES v2 against LocalStack."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

import boto3
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from moto.server import ThreadedMotoServer

from petshots_core.aws import ClientOnFirstCall
from petshots_core.mail import (
    Email,
    MailSendError,
    SesSender,
    SmtpSender,
    build_message,
    create_sender,
)
from petshots_core.settings import Settings
from petshots_devstack.waiting import free_port

FROM = "Petshots <no-reply@petshots.test>"
UNSUB = "https://petshots.test/auth/unsubscribe?t=v1.abc.def"


def digest(to: str, **kw: Any) -> Email:
    return Email(
        to=to,
        subject="Ollie's Rabies expires in 7 days",
        text="Ollie's Rabies expires on 2026-06-01.",
        html="<p>Ollie&#x27;s <b>Rabies</b> expires on 2026-06-01.</p>",
        unsubscribe_url=UNSUB,
        **kw,
    )


def parse(raw: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(raw)


def test_message_has_both_parts_and_the_rfc8058_headers() -> None:
    msg = parse(build_message(digest("owner@example.com"), mail_from=FROM).as_bytes())
    assert msg["From"] == FROM
    assert msg["To"] == "owner@example.com"
    assert msg["List-Unsubscribe"] == f"<{UNSUB}>"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert msg["Message-ID"].endswith("@petshots.test>")
    assert msg["Date"]
    assert msg.get_content_type() == "multipart/alternative"
    plain = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    assert plain is not None and "2026-06-01" in plain.get_content()
    assert html is not None and "<b>Rabies</b>" in html.get_content()


def test_text_only_and_no_unsubscribe_headers() -> None:
    msg = build_message(Email(to="a@example.com", subject="Code", text="123456"), mail_from=FROM)
    assert msg.get_content_type() == "text/plain"
    assert msg["List-Unsubscribe"] is None and msg["List-Unsubscribe-Post"] is None


def test_deterministic_message_id() -> None:
    msg = build_message(
        digest("a@example.com", message_id="<digest-1@petshots.test>"), mail_from=FROM
    )
    assert msg["Message-ID"] == "<digest-1@petshots.test>"


@pytest.mark.parametrize(
    "email",
    [
        Email(to="a@example.com", subject="Hi\r\nBcc: victim@example.com", text="x"),
        Email(to="a@example.com\r\nBcc: victim@example.com", subject="Hi", text="x"),
        Email(to="a@example.com, b@example.com", subject="Hi", text="x"),
        Email(to="a@example.com", subject="Hi", text="x", unsubscribe_url="javascript:alert(1)"),
        Email(
            to="a@example.com", subject="Hi", text="x", unsubscribe_url="https://x/>, <https://evil"
        ),
        Email(to="a@example.com", subject="Hi", text="x", headers={"List-Unsubscribe": "<x>"}),
        Email(to="a@example.com", subject="Hi", text="x", headers={"X-Tag": "a\nb"}),
    ],
)
def test_header_injection_is_refused(email: Email) -> None:
    with pytest.raises(ValueError):
        build_message(email, mail_from=FROM)


class Recorder:
    """aiosmtpd handler keeping every accepted message; refuses recipients at refused.test."""

    def __init__(self) -> None:
        self.messages: list[tuple[Envelope, EmailMessage]] = []

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address.endswith("@refused.test"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.messages.append((envelope, parse(envelope.original_content or b"")))
        return "250 Message accepted for delivery"


@pytest.fixture(scope="module")
def smtp_server() -> Iterator[tuple[Recorder, int]]:
    recorder = Recorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    yield recorder, port
    controller.stop()


def smtp_settings(port: int) -> Settings:
    return Settings(
        env="test",
        mail_transport="smtp",
        mail_from=FROM,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_timeout_s=3,
    )


async def test_smtp_sends_the_exact_message(smtp_server: tuple[Recorder, int]) -> None:
    recorder, port = smtp_server
    sender = create_sender(smtp_settings(port))
    assert isinstance(sender, SmtpSender)
    to = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    sent = await sender.send(digest(to))
    assert sent.provider_id is None
    envelope, msg = next((e, m) for e, m in recorder.messages if m["To"] == to)
    assert envelope.mail_from == "no-reply@petshots.test"
    assert envelope.rcpt_tos == [to]
    assert msg["Message-ID"] == sent.message_id
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert msg.get_body(preferencelist=("html",)) is not None


async def test_smtp_commit_hook_runs_before_the_end_of_data_mark(
    smtp_server: tuple[Recorder, int],
) -> None:
    """The hook sees the message with the server but not yet delivered; if it raises, the
    transaction is left unterminated and the server delivers nothing."""
    recorder, port = smtp_server
    sender = SmtpSender(smtp_settings(port))
    delivered_before_hook: list[bool] = []
    to = f"owner-{uuid.uuid4().hex[:8]}@example.com"

    async def hook() -> None:
        delivered_before_hook.append(any(m["To"] == to for _, m in recorder.messages))

    await sender.send(digest(to), commit=hook)
    assert delivered_before_hook == [False]
    assert [m for _, m in recorder.messages if m["To"] == to]

    class Refuse(Exception):
        pass

    async def refuse() -> None:
        raise Refuse

    kept = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    with pytest.raises(Refuse):
        await sender.send(digest(kept), commit=refuse)
    await asyncio.sleep(0.2)  # the server had everything but the mark
    assert not [m for _, m in recorder.messages if m["To"] == kept]


async def test_smtp_refused_recipient_is_permanent(smtp_server: tuple[Recorder, int]) -> None:
    _, port = smtp_server
    with pytest.raises(MailSendError) as caught:
        await SmtpSender(smtp_settings(port)).send(digest("nobody@refused.test"))
    assert caught.value.permanent


async def test_smtp_unreachable_is_transient() -> None:
    with pytest.raises(MailSendError) as caught:
        await SmtpSender(smtp_settings(free_port())).send(digest("a@example.com"))
    assert not caught.value.permanent


@pytest.fixture(scope="module")
def ses_endpoint() -> Iterator[str]:
    """moto's server over real HTTP: LocalStack's community build here has no SES v2 API."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AWS_ACCESS_KEY_ID", "test")
        mp.setenv("AWS_SECRET_ACCESS_KEY", "test")
        mp.setenv("AWS_EC2_METADATA_DISABLED", "true")
        port = free_port()
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()
        yield f"http://127.0.0.1:{port}"
        server.stop()


def ses_settings(endpoint: str, config_set: str | None = "petshots-mail") -> Settings:
    return Settings(
        env="test",
        mail_transport="ses",
        mail_from=FROM,
        ses_endpoint_url=endpoint,
        ses_region="us-east-1",
        ses_configuration_set=config_set,
    )


def sent_raw(message_id: str) -> bytes:
    """The raw message moto's SES backend recorded (the server runs in this process)."""
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    [message] = [m for m in backend.sent_messages if m.id == message_id]
    raw = message.raw_data
    return raw.encode() if isinstance(raw, str) else raw


async def test_ses_v2_sends_raw_mime_with_the_configuration_set(ses_endpoint: str) -> None:
    ses = boto3.client("sesv2", endpoint_url=ses_endpoint, region_name="us-east-1")
    ses.create_email_identity(EmailIdentity="no-reply@petshots.test")
    sender = create_sender(ses_settings(ses_endpoint))
    assert isinstance(sender, SesSender)
    requests: list[dict[str, Any]] = []

    def capture(request: Any, **_: Any) -> None:
        requests.append(json.loads(request.body))

    stand_in = sender._client  # the client is made on the first send (petshots_core.aws)
    assert isinstance(stand_in, ClientOnFirstCall)
    stand_in.client().meta.events.register("before-send.sesv2.SendEmail", capture)
    to = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    sent = await sender.send(digest(to))
    assert sent.provider_id

    [request] = requests
    assert request["ConfigurationSetName"] == "petshots-mail"
    assert request["FromEmailAddress"] == "no-reply@petshots.test"
    assert request["Destination"] == {"ToAddresses": [to]}
    msg = parse(sent_raw(sent.provider_id))
    assert msg["To"] == to
    assert msg["Message-ID"] == sent.message_id
    assert msg["List-Unsubscribe"] == f"<{UNSUB}>"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert msg.get_body(preferencelist=("plain",)) is not None
    assert msg.get_body(preferencelist=("html",)) is not None


async def test_ses_rejection_is_permanent(ses_endpoint: str) -> None:
    settings = ses_settings(ses_endpoint).model_copy(
        update={"mail_from": "Petshots <unverified@elsewhere.test>"}
    )
    with pytest.raises(MailSendError) as caught:
        await SesSender(settings).send(digest("a@example.com"))
    assert caught.value.permanent
    assert caught.value.reason == "SES MessageRejected"


async def test_ses_unreachable_is_transient() -> None:
    settings = ses_settings(f"http://127.0.0.1:{free_port()}")
    with pytest.raises(MailSendError) as caught:
        await SesSender(settings).send(digest("a@example.com"))
    assert not caught.value.permanent
