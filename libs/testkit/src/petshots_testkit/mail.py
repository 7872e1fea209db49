"""A real SMTP sink (the one ``make dev`` runs) on a free loopback port, read back as messages."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import Path

from petshots_devstack.smtp_sink import running
from petshots_devstack.waiting import free_port


@dataclass
class MailSink:
    host: str
    port: int
    directory: Path

    def messages(self) -> list[EmailMessage]:
        parser = BytesParser(policy=policy.default)
        return [
            parser.parsebytes(path.read_bytes()) for path in sorted(self.directory.glob("*.eml"))
        ]

    def to(self, address: str) -> list[EmailMessage]:
        """The messages whose To header names ``address`` (display names aside)."""
        return [
            m for m in self.messages() if address in (a for _, a in getaddresses([str(m["To"])]))
        ]

    def wait_for(
        self, address: str, subject: str, *, count: int = 1, timeout_s: float = 10.0
    ) -> EmailMessage:
        """The ``count``-th message to ``address`` whose subject contains ``subject``, waiting
        for it: the sink may receive it a moment after the request that caused it."""
        deadline = time.monotonic() + timeout_s
        while True:
            found = [m for m in self.to(address) if subject in str(m["Subject"])]
            if len(found) >= count:
                return found[count - 1]
            if time.monotonic() > deadline:
                raise AssertionError(f"no mail {subject!r} for {address} after {timeout_s} s")
            time.sleep(0.05)


def code_in(message: EmailMessage) -> str:
    """The 6-digit code of a confirmation or reset e-mail."""
    body = message.get_body(preferencelist=("plain",))
    assert body is not None, "no plain-text part in the e-mail"
    match = re.search(r"\b(\d{6})\b", body.get_content())
    assert match, "no 6-digit code in the e-mail"
    return match.group(1)


@contextmanager
def mail_sink(directory: Path) -> Iterator[MailSink]:
    port = free_port()
    with running(directory, host="127.0.0.1", port=port):
        yield MailSink("127.0.0.1", port, directory)
