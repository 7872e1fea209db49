"""A real SMTP sink (the one ``make dev`` runs) on a free loopback port, read back as messages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
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
        return [m for m in self.messages() if address in str(m["To"])]


@contextmanager
def mail_sink(directory: Path) -> Iterator[MailSink]:
    port = free_port()
    with running(directory, host="127.0.0.1", port=port):
        yield MailSink("127.0.0.1", port, directory)
