"""The cyclic garbage collector, paused while a server process starts.

Start-up creates ~200,000 objects that live as long as the process (modules, classes, table
metadata, the app), and the collector walks them again and again while they pile up: ~15 % of
a service's start-up CPU (docs/performance.md). In a server process — uvicorn serving a
service, the reminders worker — it is paused from the first import of ``petshots_core`` until
``create_service_app`` has built the app (:func:`resume_gc`). What exists then is frozen:
later collections skip it, as they would have kept it anyway (the few hundred kB of start-up
garbage the paused collector did not free stay with it). Every other process (tests,
migrations, the CLIs) is left alone.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence
from pathlib import PurePath

_paused = False


def is_server(argv: Sequence[str]) -> bool:
    """``uvicorn …``, ``python -m uvicorn …`` or ``petshots-reminders worker``."""
    if not argv:
        return False
    program = PurePath(argv[0])
    if program.name == "uvicorn" or (
        program.name == "__main__.py" and program.parent.name == "uvicorn"
    ):
        return True
    return program.name == "petshots-reminders" and list(argv[1:2]) == ["worker"]


def pause_gc_in_servers(argv: Sequence[str] | None = None) -> None:
    global _paused
    if is_server(sys.argv if argv is None else argv) and gc.isenabled():
        gc.disable()
        _paused = True


def resume_gc() -> None:
    """Once the app is built: freeze what exists and collect again (only if paused here)."""
    global _paused
    if _paused:
        gc.freeze()
        gc.enable()
        _paused = False
