"""Children run in process groups of their own; stopping one stops everything it spawned."""

from __future__ import annotations

import os
import time
from pathlib import Path

from petshots_devstack.paths import StateLayout
from petshots_devstack.processes import spawn, stop
from petshots_devstack.stack import Stack
from petshots_devstack.waiting import wait_until


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_stop_reaches_grandchildren(tmp_path: Path) -> None:
    pid_file = tmp_path / "grandchild.pid"
    child = spawn("shell", ["bash", "-c", f"sleep 300 & echo $! > {pid_file}; wait"])
    wait_until(
        lambda: pid_file.exists() and pid_file.read_text().strip() != "", timeout_s=5, what="pid"
    )
    grandchild = int(pid_file.read_text())
    assert os.getpgid(child.pid) == child.pid != os.getpgid(0)

    started = time.monotonic()
    stop([child], timeout_s=5)
    assert child.exited() is not None
    wait_until(lambda: not _alive(grandchild), timeout_s=5, what="grandchild exit")
    assert time.monotonic() - started < 5


def test_stop_kills_what_ignores_sigterm(tmp_path: Path) -> None:
    child = spawn("stubborn", ["bash", "-c", "trap '' TERM; sleep 300"])
    time.sleep(0.2)
    stop([child], timeout_s=1)
    assert child.exited() is not None


def test_supervisor_reports_a_child_that_exits(tmp_path: Path) -> None:
    stack = Stack(tmp_path, StateLayout(tmp_path / ".petshots"))
    stack.children.append(spawn("long", ["sleep", "300"]))
    stack.children.append(spawn("short-lived", ["bash", "-c", "exit 3"]))
    try:
        assert stack._supervise() == 1
    finally:
        stop(stack.children, timeout_s=5)
