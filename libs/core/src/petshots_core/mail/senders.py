"""Mail transports behind one interface: SMTP (local, tests, self-hosting) and SES v2 (AWS).

Both send the exact MIME message ``build_message`` produced, so the headers (unsubscribe,
Message-ID) are the same whichever transport carries them. Failures raise
:class:`MailSendError` — known not delivered; ``permanent`` tells a retrying caller that
retrying cannot help (the address or the message was refused), as opposed to a provider that
is unreachable — or :class:`MailSendUncertain` when the provider may have accepted the message
(the connection died after the hand-over, before the answer).

``send(email, commit=hook)``: the hook is awaited once the provider holds everything but the
hand-over itself, and nothing is delivered if it raises. With SMTP that is the whole DATA
phase except the end-of-data mark (RFC 5321: a transaction whose data is not terminated is
not delivered), so a caller can record durably that the point of no return is being passed
and know that a crash before the record means "not sent". SES's API has no such split: its
hook runs just before the request.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses
from typing import TYPE_CHECKING, Any, Protocol

import aiosmtplib
import anyio.to_thread
import structlog
from aiosmtplib.protocol import PERIOD_REGEX, normalize_message_line_endings
from botocore.exceptions import (  # light: no boto3, no HTTP stack
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
)

from petshots_core.aws import client_on_first_call
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


class MailSendUncertain(Exception):
    """The message was handed over but no answer came back: it may have been delivered."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


CommitHook = Callable[[], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class SentMail:
    message_id: str  # the RFC 5322 Message-ID we set
    provider_id: str | None  # SES MessageId; None for SMTP


class MailSender(Protocol):
    async def send(self, email: Email, *, commit: CommitHook | None = None) -> SentMail: ...


def _recipient(msg: EmailMessage) -> str:
    return getaddresses([str(msg["To"])])[0][1]


def _sender(msg: EmailMessage) -> str:
    return getaddresses([str(msg["From"])])[0][1]


class SmtpSender:
    """SMTP with aiosmtplib (STARTTLS when offered), every step bounded by a timeout, the
    end-of-data mark held back until the ``commit`` hook has run."""

    def __init__(self, settings: Settings) -> None:
        self.mail_from = settings.mail_from
        self.host = settings.smtp_host
        self.port = settings.smtp_port
        self.timeout = settings.smtp_timeout_s

    async def send(self, email: Email, *, commit: CommitHook | None = None) -> SentMail:
        msg = build_message(email, mail_from=self.mail_from)
        sender, recipient = _sender(msg), _recipient(msg)
        utf8 = not (sender + recipient).isascii()
        options = ["SMTPUTF8"] if utf8 else []
        encoding = "utf-8" if utf8 else "ascii"
        data = PERIOD_REGEX.sub(b"..", normalize_message_line_endings(msg.as_bytes()))
        if not data.endswith(b"\r\n"):
            data += b"\r\n"
        smtp = aiosmtplib.SMTP(hostname=self.host, port=self.port, timeout=self.timeout)
        try:
            try:
                await smtp.connect()
                await smtp.mail(sender, options=options, encoding=encoding)
                await smtp.rcpt(recipient, encoding=encoding)
                start = await smtp.execute_command(b"DATA")
                if start.code != 354:
                    raise aiosmtplib.SMTPDataError(start.code, start.message)
                if smtp.protocol is None:
                    raise aiosmtplib.SMTPServerDisconnected("connection lost")
                smtp.protocol.write(data)  # everything but the end-of-data mark
            except aiosmtplib.SMTPRecipientRefused as exc:
                # 550 "no such mailbox" is final; 450/451 greylisting or a full queue is not.
                raise MailSendError("recipient refused", permanent=exc.code >= 500) from exc
            except aiosmtplib.SMTPResponseException as exc:
                raise MailSendError(f"SMTP {exc.code}", permanent=500 <= exc.code < 600) from exc
            except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
                raise MailSendError(type(exc).__name__, permanent=False) from exc
            if commit is not None:
                await commit()  # if this raises, the connection closes unterminated
            # The point of no return: once the mark is written the server may deliver.
            try:
                smtp.protocol.write(b".\r\n")
                reply = await smtp.protocol.read_response(timeout=self.timeout)
            except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
                raise MailSendUncertain(type(exc).__name__) from exc
            if reply.code != 250:
                raise MailSendError(f"SMTP {reply.code}", permanent=500 <= reply.code < 600)
            with contextlib.suppress(aiosmtplib.SMTPException, OSError, TimeoutError):
                await smtp.quit()
        finally:
            smtp.close()
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


class SesSender:
    """Amazon SES v2 ``SendEmail`` with the raw MIME message and the configuration set."""

    def __init__(self, settings: Settings, client: SESV2Client | None = None) -> None:
        self.mail_from = settings.mail_from
        self.configuration_set = settings.ses_configuration_set
        # Made by the first send, in its worker thread (petshots_core.aws).
        self._client: SESV2Client = client or client_on_first_call(
            "sesv2",
            region=settings.ses_region,
            endpoint_url=settings.ses_endpoint_url,
            connect_timeout=settings.smtp_timeout_s,
            read_timeout=settings.smtp_timeout_s,
            # No automatic retry: SendEmail has no idempotency key, so a retried request
            # after a lost answer could deliver twice. The digest protocol retries instead.
            retries={"max_attempts": 0, "mode": "standard"},
        )
        self._limiter = _RateLimiter(settings.ses_max_send_rate_per_s)

    async def send(self, email: Email, *, commit: CommitHook | None = None) -> SentMail:
        msg = build_message(email, mail_from=self.mail_from)
        kwargs: dict[str, Any] = {
            "FromEmailAddress": _sender(msg),
            "Destination": {"ToAddresses": [_recipient(msg)]},
            "Content": {"Raw": {"Data": msg.as_bytes()}},
        }
        if self.configuration_set:
            kwargs["ConfigurationSetName"] = self.configuration_set
        await self._limiter.wait()
        if commit is not None:
            await commit()
        try:
            response = await anyio.to_thread.run_sync(lambda: self._client.send_email(**kwargs))
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            raise MailSendError(f"SES {code}", permanent=code in _SES_PERMANENT) from exc
        except (EndpointConnectionError, ConnectTimeoutError) as exc:
            raise MailSendError(type(exc).__name__, permanent=False) from exc  # never sent
        except BotoCoreError as exc:  # sent, but the answer was lost (read timeout, reset)
            raise MailSendUncertain(type(exc).__name__) from exc
        return SentMail(message_id=str(msg["Message-ID"]), provider_id=response.get("MessageId"))


def create_sender(settings: Settings) -> MailSender:
    """The transport ``settings.mail_transport`` names."""
    if settings.mail_transport == "ses":
        return SesSender(settings)
    return SmtpSender(settings)
