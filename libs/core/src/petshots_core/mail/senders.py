"""Mail transports behind one interface: SMTP (local, tests, self-hosting) and SES v2 (AWS).

Both send the exact MIME message ``build_message`` produced, so the headers (unsubscribe,
Message-ID) are the same whichever transport carries them. Failures raise
:class:`MailSendError`; ``permanent`` tells a retrying caller that retrying cannot help
(the address or the message was refused), as opposed to a provider that is unreachable.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses
from typing import TYPE_CHECKING, Any, Protocol

import aiosmtplib
import anyio.to_thread
import boto3
import structlog
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from petshots_core.mail.message import Email, build_message
from petshots_core.settings import Settings

if TYPE_CHECKING:
    from mypy_boto3_sesv2 import SESV2Client

log = structlog.get_logger(__name__)

# SES error codes after which the same message would be refused again.
_SES_PERMANENT = frozenset(
    {
        "MessageRejected",
        "MailFromDomainNotVerifiedException",
        "AccountSuspendedException",
        "SendingPausedException",
        "BadRequestException",
        "NotFoundException",
    }
)


class MailSendError(Exception):
    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


@dataclass(frozen=True, slots=True)
class SentMail:
    message_id: str  # the RFC 5322 Message-ID we set
    provider_id: str | None  # SES MessageId; None for SMTP


class MailSender(Protocol):
    async def send(self, email: Email) -> SentMail: ...


def _recipient(msg: EmailMessage) -> str:
    return getaddresses([str(msg["To"])])[0][1]


def _sender(msg: EmailMessage) -> str:
    return getaddresses([str(msg["From"])])[0][1]


class SmtpSender:
    """SMTP with aiosmtplib: STARTTLS when the server offers it, bounded by a timeout."""

    def __init__(self, settings: Settings) -> None:
        self.mail_from = settings.mail_from
        self.host = settings.smtp_host
        self.port = settings.smtp_port
        self.timeout = settings.smtp_timeout_s

    async def send(self, email: Email) -> SentMail:
        msg = build_message(email, mail_from=self.mail_from)
        try:
            await aiosmtplib.send(
                msg,
                sender=_sender(msg),
                recipients=[_recipient(msg)],
                hostname=self.host,
                port=self.port,
                timeout=self.timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            # 550 "no such mailbox" is final; 450/451 greylisting or a full queue is not.
            permanent = all(r.code >= 500 for r in exc.recipients)
            raise MailSendError("recipient refused", permanent=permanent) from exc
        except aiosmtplib.SMTPResponseException as exc:
            raise MailSendError(f"SMTP {exc.code}", permanent=500 <= exc.code < 600) from exc
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            raise MailSendError(type(exc).__name__, permanent=False) from exc
        return SentMail(message_id=str(msg["Message-ID"]), provider_id=None)


class _RateLimiter:
    """At most ``rate`` sends per second from this process (SES's account-wide send rate
    divided by the number of senders is the operator's business; this keeps one sender
    within its share)."""

    def __init__(self, rate_per_s: float) -> None:
        self._interval = 1.0 / rate_per_s
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            now = time.monotonic()
            delay = self._next - now
            self._next = max(now, self._next) + self._interval
        if delay > 0:
            await asyncio.sleep(delay)


def ses_client(settings: Settings) -> SESV2Client:
    client: SESV2Client = boto3.session.Session().client(
        "sesv2",
        region_name=settings.ses_region,
        endpoint_url=settings.ses_endpoint_url,
        config=Config(
            connect_timeout=settings.smtp_timeout_s,
            read_timeout=settings.smtp_timeout_s,
            retries={"max_attempts": 2, "mode": "standard"},
        ),
    )
    return client


class SesSender:
    """Amazon SES v2 ``SendEmail`` with the raw MIME message and the configuration set."""

    def __init__(self, settings: Settings, client: SESV2Client | None = None) -> None:
        self.mail_from = settings.mail_from
        self.configuration_set = settings.ses_configuration_set
        self._client = client or ses_client(settings)
        self._limiter = _RateLimiter(settings.ses_max_send_rate_per_s)

    async def send(self, email: Email) -> SentMail:
        msg = build_message(email, mail_from=self.mail_from)
        kwargs: dict[str, Any] = {
            "FromEmailAddress": _sender(msg),
            "Destination": {"ToAddresses": [_recipient(msg)]},
            "Content": {"Raw": {"Data": msg.as_bytes()}},
        }
        if self.configuration_set:
            kwargs["ConfigurationSetName"] = self.configuration_set
        await self._limiter.wait()
        try:
            response = await anyio.to_thread.run_sync(lambda: self._client.send_email(**kwargs))
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            raise MailSendError(f"SES {code}", permanent=code in _SES_PERMANENT) from exc
        except BotoCoreError as exc:
            raise MailSendError(type(exc).__name__, permanent=False) from exc
        return SentMail(message_id=str(msg["Message-ID"]), provider_id=response.get("MessageId"))


def create_sender(settings: Settings) -> MailSender:
    """The transport ``settings.mail_transport`` names."""
    if settings.mail_transport == "ses":
        return SesSender(settings)
    return SmtpSender(settings)
