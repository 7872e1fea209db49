"""The collector is paused only where a server's entry point asks, and frozen + resumed once
the app is built; petshots-serve's factory asks before the service's modules are imported."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from petshots_core import start_up


@pytest.fixture
def collector() -> Iterator[None]:
    was = gc.isenabled()
    yield
    start_up._paused = False
    if was:
        gc.enable()


def test_paused_then_frozen_and_resumed(collector: None) -> None:
    start_up.pause_gc()
    assert not gc.isenabled()
    frozen = gc.get_freeze_count()
    start_up.resume_gc()
    assert gc.isenabled()
    assert gc.get_freeze_count() > frozen
    gc.unfreeze()


def test_left_alone_where_nothing_paused_it(collector: None) -> None:
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    start_up.resume_gc()  # nothing was paused here: nothing to freeze
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_a_collector_switched_off_elsewhere_stays_off(collector: None) -> None:
    gc.disable()
    start_up.pause_gc()
    start_up.resume_gc()  # not ours to turn back on
    assert not gc.isenabled()


def test_importing_the_library_leaves_the_collector_alone() -> None:
    """No guess from sys.argv any more: a plain ``uvicorn …`` process is not paused."""
    code = (
        "import gc, sys\n"
        "sys.argv[0] = '/opt/venv/bin/uvicorn'\n"
        "import petshots_core.web.app\n"
        "assert gc.isenabled()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=os.environ, timeout=60)


def test_the_served_factory_pauses_before_the_import_and_the_built_app_resumes(
    tmp_path: Path,
) -> None:
    """As petshots-serve runs it: uvicorn calls the entry's create_app (a real process)."""
    (tmp_path / "served_probe.py").write_text(
        "import gc\n"
        "assert not gc.isenabled(), 'imported before the pause'\n"
        "from petshots_core.settings import Settings\n"
        "from petshots_core.web.app import create_service_app\n"
        "def create_app():\n"
        "    return create_service_app(settings=Settings(env='test'), title='t',"
        " openapi_path='/s', route_handlers=[], authenticated=False)\n"
    )
    code = (
        "import gc\n"
        "from petshots_core.serve import WebService\n"
        "assert gc.isenabled()\n"
        "WebService('probe', 'served_probe', 1).create_app()\n"
        "assert gc.isenabled() and gc.get_freeze_count() > 0\n"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=60)
