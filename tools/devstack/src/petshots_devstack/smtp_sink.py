"""SMTP sink for local mode and tests: accepts every message and keeps it as an ``.eml`` file.

Each message is written exactly as received (RFC 5322, headers included), led by aiosmtpd's
envelope headers ``X-Peer``, ``X-MailFrom`` and ``X-RcptTo`` so Bcc recipients stay visible.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from petshots_devstack.addresses import LOOPBACK, SMTP_PORT


class MailDirWriter:
    """aiosmtpd handler writing ``<mail_dir>/<UTC timestamp>-<n>.eml`` per message."""

    def __init__(self, mail_dir: Path) -> None:
        self.mail_dir = mail_dir
        self._counter = itertools.count(1)
        self._lock = threading.Lock()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        peer = session.peer
        peer_text = f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else str(peer)
        envelope_headers = (
            f"X-Peer: {peer_text}\r\n"
            f"X-MailFrom: {envelope.mail_from}\r\n"
            f"X-RcptTo: {', '.join(envelope.rcpt_tos)}\r\n"
        ).encode()
        self.write(envelope_headers + content)
        return "250 Message accepted for delivery"

    def write(self, message: bytes) -> Path:
        with self._lock:
            number = next(self._counter)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        path = self.mail_dir / f"{stamp}-{number}.eml"
        # Written aside and renamed, so a script polling the directory never reads half a file.
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(message)
        tmp.replace(path)
        return path


@contextmanager
def running(mail_dir: Path, host: str = LOOPBACK, port: int = SMTP_PORT) -> Iterator[Controller]:
    """Serve SMTP on ``host:port`` in a background thread for the duration of the block."""
    mail_dir.mkdir(parents=True, exist_ok=True)
    controller = Controller(
        MailDirWriter(mail_dir),
        hostname=host,
        port=port,
        ready_timeout=10.0,
        enable_SMTPUTF8=True,
    )
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()
