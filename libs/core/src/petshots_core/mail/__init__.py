"""Outgoing e-mail: one message builder and one sender interface, SMTP or Amazon SES v2.

``create_sender(settings)`` picks the transport from ``settings.mail_transport``: local runs and
tests send by SMTP to a sink (``make dev`` writes every message to ``.petshots/mail/``),
production sends through SES v2 with a configuration set.
"""

from petshots_core.mail.message import Email, build_message, sender_domain
from petshots_core.mail.senders import (
    MailSender,
    MailSendError,
    MailSendUncertain,
    SentMail,
    SesSender,
    SmtpSender,
    create_sender,
)

__all__ = [
    "Email",
    "MailSendError",
    "MailSendUncertain",
    "MailSender",
    "SentMail",
    "SesSender",
    "SmtpSender",
    "build_message",
    "create_sender",
    "sender_domain",
]
