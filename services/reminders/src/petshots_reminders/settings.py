"""Settings of the reminders worker (``PETSHOTS_`` prefix, on top of the shared ones)."""

from __future__ import annotations

import functools

from pydantic import Field, PositiveInt

from petshots_core.settings import Settings


class RemindersSettings(Settings):
    reminders_cron_hour: int = Field(default=9, ge=0, le=23)
    reminders_cron_minute: int = Field(default=0, ge=0, le=59)
    reminders_max_attempts: PositiveInt = 5
    reminders_retry_base_s: float = Field(default=30.0, gt=0)
    reminders_enqueue_concurrency: PositiveInt = 64
    reminders_job_timeout_s: PositiveInt = 120
    # arq waits this long for running jobs on SIGTERM; the chart's grace period exceeds it.
    reminders_drain_timeout_s: PositiveInt = 60
    # Loopback unless told otherwise: a developer's worker should not answer the whole LAN.
    # The image sets 0.0.0.0 so the kubelet can probe the pod.
    reminders_health_host: str = "127.0.0.1"
    reminders_health_port: int = Field(default=8104, gt=0, lt=65536)
    # SES bounce/complaint events (SNS → SQS); None = no queue to poll (local runs).
    bounce_queue_url: str | None = None
    sqs_endpoint_url: str | None = None
    view_log_retention_days: PositiveInt = 180


@functools.cache
def get_settings() -> RemindersSettings:
    return RemindersSettings(service_name="petshots-reminders")
