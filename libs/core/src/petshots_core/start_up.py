"""The cyclic garbage collector, paused while a server process starts.

Start-up creates ~200,000 objects that live as long as the process (modules, classes, table
metadata, the app), and the collector walks them again and again while they pile up: ~15 % of
a service's start-up CPU (docs/performance.md). A server's entry point pauses it before the
service's modules are imported — ``petshots-serve`` in the factory uvicorn calls in each
serving process (``petshots_core.serve``), ``petshots-reminders worker`` in its command — and
``create_service_app`` resumes it once the app is built (:func:`resume_gc`). What exists then
is frozen: later collections skip it, as they would have kept it anyway (the few hundred kB of
start-up garbage the paused collector did not free stay with it). Every other process (tests,
migrations, the CLIs, a service started with plain ``uvicorn``) is left alone.
"""

from __future__ import annotations

import gc

_paused = False


def pause_gc() -> None:
    """Before a server imports its service; a no-op where the collector is already off."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_gc() -> None:
    """Once the app is built: freeze what exists and collect again (only if paused here)."""
    global _paused
    if _paused:
        gc.freeze()
        gc.enable()
        _paused = False
