"""Plumbing for the browser suite: the local stack, the mail sink, test files, axe-core and
screenshots (Chromium itself is launched as petshots_testkit.chromium says)."""

from __future__ import annotations

import email
import email.policy
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from petshots_devstack.waiting import port_open

REPO = Path(__file__).resolve().parents[2]
WEB = REPO / "web"
DIST = WEB / "dist"
MAIL_DIR = REPO / ".petshots" / "mail"
ARTIFACTS = REPO / "test-artifacts"
BASE_URL = "http://localhost:8000"
EDGE = ("127.0.0.1", 8000)

STACK_START_TIMEOUT_S = 240.0


def http_status(url: str, timeout: float = 5.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as res:
            return int(res.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except (urllib.error.URLError, OSError):
        return 0


def stack_ready() -> bool:
    """The edge answers and every service behind it is up (auth, records, passport)."""
    return (
        port_open(*EDGE)
        and http_status(f"{BASE_URL}/auth/config") == 200
        and http_status(f"{BASE_URL}/api/records/openapi.json") == 200
        and http_status(f"{BASE_URL}/api/passports/openapi.json") == 200
    )


@dataclass
class RunningStack:
    base_url: str
    process: subprocess.Popen[bytes] | None
    """Set when this test session started the stack (and so stops it)."""


def _devstack_command() -> list[str]:
    script = Path(sys.executable).parent / "petshots-dev"
    if script.exists():
        return [str(script), "up"]
    return ["uv", "run", "petshots-dev", "up"]


@contextmanager
def local_stack(log_path: Path) -> Iterator[RunningStack]:
    """Use the running `make dev` stack, or start `petshots-dev up` for the session."""
    if stack_ready():
        yield RunningStack(BASE_URL, None)
        return
    if port_open(*EDGE):
        raise RuntimeError(
            "something listens on :8000 but it is not a complete Petshots stack "
            "(auth, records and passport must all answer)"
        )
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            _devstack_command(),
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + STACK_START_TIMEOUT_S
        while not stack_ready():
            if proc.poll() is not None:
                raise RuntimeError(
                    f"petshots-dev up exited with {proc.returncode}; see {log_path}:\n"
                    + log_path.read_text(errors="replace")[-3000:]
                )
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"stack not ready after {STACK_START_TIMEOUT_S:.0f} s; see {log_path}"
                )
            time.sleep(1.0)
        yield RunningStack(BASE_URL, proc)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def require_spa_build() -> None:
    index = DIST / "index.html"
    if not index.exists() or not (DIST / "sw.js").exists():
        raise RuntimeError(
            f"{index} (and sw.js) missing: build the SPA first with `make web-build`"
        )


# --- mail ------------------------------------------------------------------------------------


def _text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    content = part.get_content() if part is not None else message.get_content()
    return str(content)


def wait_for_mail(
    to: str, subject_contains: str, *, after: float, timeout_s: float = 30.0
) -> EmailMessage:
    """The newest .eml to ``to`` whose subject matches, written after ``after`` (epoch s)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if MAIL_DIR.exists():
            for path in sorted(
                MAIL_DIR.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True
            ):
                if path.stat().st_mtime < after - 1:
                    break
                msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                assert isinstance(msg, EmailMessage)
                if (
                    to.lower() in str(msg["To"]).lower()
                    and subject_contains.lower() in str(msg["Subject"]).lower()
                ):
                    return msg
        time.sleep(0.3)
    raise AssertionError(f"no e-mail to {to} with {subject_contains!r} in {MAIL_DIR}")


def six_digit_code(message: EmailMessage) -> str:
    match = re.search(r"\b(\d{6})\b", _text_of(message))
    if not match:
        raise AssertionError(f"no 6-digit code in: {_text_of(message)[:400]}")
    return match.group(1)


# --- axe-core --------------------------------------------------------------------------------

AXE_JS = WEB / "node_modules" / "axe-core" / "axe.min.js"


def axe_source() -> str:
    if not AXE_JS.exists():
        raise RuntimeError(f"{AXE_JS} missing: run `make web-install`")
    return AXE_JS.read_text()


def serious_violations(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [v for v in result.get("violations", []) if v.get("impact") in ("serious", "critical")]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = [", ".join(n.get("target", [])) for n in v.get("nodes", [])[:4]]
        lines.append(f"{v['impact']}: {v['id']} — {v['help']} at {targets}")
    return "\n".join(lines)


def dump_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=str))
