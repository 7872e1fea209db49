"""``petshots-reminders worker`` pauses the cyclic collector before it imports the worker's
modules (petshots_core.start_up); the other commands leave the collector alone."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from petshots_reminders import cli, worker

# Stops the command at the pause and tells whether the worker module was imported by then.
STOP_AT_THE_PAUSE = """
import sys
import petshots_core.start_up as start_up
def pause_gc():
    print("late" if "petshots_reminders.worker" in sys.modules else "paused first")
    raise SystemExit(0)
start_up.pause_gc = pause_gc
from petshots_reminders.cli import main
main(sys.argv[1:])
print("never paused")
"""


def test_the_worker_pauses_before_importing_its_modules() -> None:
    result = subprocess.run(
        [sys.executable, "-c", STOP_AT_THE_PAUSE, "worker"],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
        timeout=60,
    )
    assert result.stdout.strip() == "paused first", result.stderr


def test_other_commands_do_not_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    paused: list[bool] = []

    async def healthy(_settings: object) -> int:
        return 0

    monkeypatch.setattr(cli, "pause_gc", lambda: paused.append(True))
    monkeypatch.setattr(worker, "check", healthy)
    monkeypatch.setattr("petshots_core.web.logging.configure_logging", lambda *_, **__: None)
    with pytest.raises(SystemExit) as exited:
        cli.main(["check"])
    assert exited.value.code == 0 and not paused
