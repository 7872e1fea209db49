"""The whole local stack of ``make dev`` (edge on :8000) for the browser suite and the browser
benchmarks: the one already running, or ``petshots-dev up`` started for the while; the mail it
sends is read back from its mail directory."""

from __future__ import annotations

import email
import email.policy
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from petshots_devstack.addresses import EDGE_PORT, LOOPBACK, PUBLIC_BASE_URL
from petshots_devstack.paths import StateLayout, repo_root
from petshots_devstack.waiting import http_status, port_open

REPO = repo_root(Path(__file__).parent)
MAIL_DIR = StateLayout.for_repo(REPO).mail
STACK_START_TIMEOUT_S = 240.0
# One page of each HTTP service behind the edge: all three answer, or the stack is not whole.
READY_PATHS = ("/auth/config", "/api/records/openapi.json", "/api/passports/openapi.json")


def stack_ready() -> bool:
    """The edge answers and every service behind it is up (auth, records, passport)."""
    return port_open(LOOPBACK, EDGE_PORT) and all(
        http_status(f"{PUBLIC_BASE_URL}{path}") == 200 for path in READY_PATHS
    )


@dataclass
class RunningStack:
    base_url: str
    process: subprocess.Popen[bytes] | None
    """Set when this run started the stack (and so stops it)."""


def _devstack_command() -> list[str]:
    script = Path(sys.executable).parent / "petshots-dev"
    if script.exists():
        return [str(script), "up"]
    return ["uv", "run", "petshots-dev", "up"]


@contextmanager
def local_stack(log_path: Path) -> Iterator[RunningStack]:
    """Use the running `make dev` stack, or start `petshots-dev up` (logging to ``log_path``)
    for the duration of the block."""
    if stack_ready():
        yield RunningStack(PUBLIC_BASE_URL, None)
        return
    if port_open(LOOPBACK, EDGE_PORT):
        raise RuntimeError(
            f"something listens on :{EDGE_PORT} but it is not a complete Petshots stack "
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
        yield RunningStack(PUBLIC_BASE_URL, proc)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def wait_for_mail(
    to: str, subject_contains: str, *, after: float, timeout_s: float = 30.0
) -> EmailMessage:
    """The newest message the stack sent to ``to`` whose subject contains ``subject_contains``
    (both without regard to case), written after ``after`` (epoch seconds)."""
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
