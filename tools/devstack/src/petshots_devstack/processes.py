"""Child processes in process groups of their own, so stopping one stops all it spawned."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

STOP_TIMEOUT_S = 15.0

# The workspace venv's markers would mislead a child that runs another interpreter.
_FOREIGN_PYTHON_VARS = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]

    @property
    def pid(self) -> int:
        return self.process.pid

    def exited(self) -> int | None:
        return self.process.poll()


def spawn(
    name: str,
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    log: Path | None = None,
    isolate_python: bool = False,
) -> Child:
    """Start ``argv`` as the leader of a new process group (and session).

    A new session also keeps the terminal's Ctrl-C away from the child: the parent decides when
    and in which order children stop.
    """
    child_env = dict(os.environ if env is None else env)
    if isolate_python:
        for var in _FOREIGN_PYTHON_VARS:
            child_env.pop(var, None)
    output: IO[bytes] | None = None
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
        output = log.open("ab")
    try:
        process = subprocess.Popen(
            list(argv),
            env=child_env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT if output is not None else None,
            start_new_session=True,
        )
    finally:
        if output is not None:
            output.close()  # the child holds its own copy of the descriptor
    return Child(name, process)


def stop(children: Sequence[Child], timeout_s: float = STOP_TIMEOUT_S) -> None:
    """SIGTERM every child's group, wait for them all (bounded), then SIGKILL what is left."""
    for child in children:
        _signal_group(child, signal.SIGTERM)
    for child in children:
        try:
            child.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            _signal_group(child, signal.SIGKILL)
            child.process.wait(timeout=5)
        # Grandchildren may outlive a leader that exited on its own.
        _signal_group(child, signal.SIGKILL)


def _signal_group(child: Child, sig: signal.Signals) -> None:
    # ProcessLookupError: the whole group is gone already.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.pid, sig)
