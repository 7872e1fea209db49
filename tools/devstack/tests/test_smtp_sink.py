"""The SMTP sink keeps every message as a parseable RFC 5322 ``.eml`` file, headers included."""

from __future__ import annotations

import re
import smtplib
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from petshots_devstack.smtp_sink import running
from petshots_devstack.waiting import free_port


def _message(subject: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Petshots <no-reply@petshots.test>"
    message["To"] = "owner@example.com"
    message["Subject"] = subject
    message["List-Unsubscribe"] = "<http://localhost:8000/auth/unsubscribe?t=abc>"
    message.set_content("Rabies expires in 7 days.")
    message.add_alternative("<p>Rabies expires in <b>7</b> days.</p>", subtype="html")
    return message


def test_each_message_becomes_an_eml_file(tmp_path: Path) -> None:
    port = free_port()
    with running(tmp_path, port=port), smtplib.SMTP("127.0.0.1", port, timeout=5) as smtp:
        smtp.send_message(
            _message("Reminder: Rex — Rabies"),
            to_addrs=["owner@example.com", "hidden@example.com"],
        )
        smtp.send_message(_message("Second"))

    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 2
    assert all(re.fullmatch(r"\d{8}T\d{6}\.\d{6}Z-\d+\.eml", f.name) for f in files)
    assert not list(tmp_path.glob(".*"))  # no temporary files left behind

    first = BytesParser(policy=policy.default).parsebytes(files[0].read_bytes())
    assert first["Subject"] == "Reminder: Rex — Rabies"
    assert first["From"] == "Petshots <no-reply@petshots.test>"
    assert first["To"] == "owner@example.com"
    assert first["List-Unsubscribe"] == "<http://localhost:8000/auth/unsubscribe?t=abc>"
    assert first["X-MailFrom"] == "no-reply@petshots.test"
    assert first["X-RcptTo"] == "owner@example.com, hidden@example.com"
    assert first.is_multipart()
    plain = first.get_body(preferencelist=("plain",))
    assert plain is not None
    assert "Rabies expires in 7 days." in plain.get_content()

    second = BytesParser(policy=policy.default).parsebytes(files[1].read_bytes())
    assert second["Subject"] == "Second"
