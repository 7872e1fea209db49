"""RFC 5322 messages: text and HTML alternatives, From, and RFC 8058 unsubscribe headers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, getaddresses, make_msgid

# Header values we set ourselves must never smuggle a second header in.
_HEADER_UNSAFE = re.compile(r"[\r\n\x00]")
_RESERVED_HEADERS = frozenset(
    {
        "from",
        "to",
        "subject",
        "date",
        "message-id",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
        "list-unsubscribe",
        "list-unsubscribe-post",
    }
)


@dataclass(frozen=True)
class Email:
    """What to send; ``build_message`` turns it into MIME.

    ``unsubscribe_url`` adds ``List-Unsubscribe: <url>`` and, because the URL accepts a POST
    with no cookies, ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058).
    ``message_id`` lets a caller make the Message-ID deterministic (e.g. from an idempotency
    key) so a resent duplicate can be recognised downstream.
    """

    to: str
    subject: str
    text: str
    html: str | None = None
    unsubscribe_url: str | None = None
    message_id: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


def sender_domain(mail_from: str) -> str:
    """The domain of a ``Name <local@domain>`` (or bare) address, for Message-IDs."""
    addresses = getaddresses([mail_from])
    if not addresses or "@" not in addresses[0][1]:
        raise ValueError(f"not an e-mail address: {mail_from!r}")
    return addresses[0][1].rsplit("@", 1)[1]


def _check_header(name: str, value: str) -> str:
    if _HEADER_UNSAFE.search(value) or _HEADER_UNSAFE.search(name):
        raise ValueError(f"header {name!r} contains a line break or NUL")
    return value


def _address(text: str) -> Address:
    pairs = getaddresses([_check_header("address", text)])
    if len(pairs) != 1 or "@" not in pairs[0][1]:
        raise ValueError("exactly one e-mail address expected")
    name, addr = pairs[0]
    local, _, domain = addr.rpartition("@")
    return Address(display_name=name, username=local, domain=domain)


def build_message(email: Email, *, mail_from: str) -> EmailMessage:
    """A complete message: text part first, HTML alternative second (clients show the last
    alternative they understand), with From, To, Date and a Message-ID."""
    msg = EmailMessage(policy=SMTP)
    msg["From"] = _address(mail_from)
    msg["To"] = _address(email.to)
    msg["Subject"] = _check_header("Subject", email.subject)
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = _check_header(
        "Message-ID", email.message_id or make_msgid(domain=sender_domain(mail_from))
    )
    if email.unsubscribe_url is not None:
        url = _check_header("List-Unsubscribe", email.unsubscribe_url)
        if not url.startswith(("https://", "http://")) or any(c in url for c in "<> "):
            raise ValueError("the unsubscribe URL must be an absolute http(s) URL")
        msg["List-Unsubscribe"] = f"<{url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    for name, value in email.headers.items():
        if name.lower() in _RESERVED_HEADERS:
            raise ValueError(f"header {name!r} is set by build_message")
        msg[name] = _check_header(name, value)
    msg.set_content(email.text, subtype="plain", charset="utf-8")
    if email.html is not None:
        msg.add_alternative(email.html, subtype="html", charset="utf-8")
    return msg
