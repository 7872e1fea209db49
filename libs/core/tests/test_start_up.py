"""The collector is paused only while a server process starts, and frozen + resumed after."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from petshots_core import start_up


@pytest.mark.parametrize(
    ("argv", "server"),
    [
        (["/opt/venv/bin/uvicorn", "petshots_records.app:create_app", "--factory"], True),
        (["/x/site-packages/uvicorn/__main__.py", "petshots_auth.app:create_app"], True),
        (["/opt/venv/bin/petshots-reminders", "worker"], True),
        (["/opt/venv/bin/petshots-reminders", "run-once"], False),
        (["/opt/venv/bin/alembic", "upgrade", "head"], False),
        (["/x/bin/pytest", "-q"], False),
        (["/x/site-packages/other/__main__.py"], False),
        ([], False),
    ],
)
def test_only_servers_pause(argv: list[str], server: bool) -> None:
    assert start_up.is_server(argv) is server


@pytest.fixture
def collector() -> Iterator[None]:
    was = gc.isenabled()
    yield
    start_up._paused = False
    if was:
        gc.enable()


def test_paused_in_a_server_then_frozen_and_resumed(collector: None) -> None:
    start_up.pause_gc_in_servers(["/opt/venv/bin/uvicorn", "app:create"])
    assert not gc.isenabled()
    frozen = gc.get_freeze_count()
    start_up.resume_gc()
    assert gc.isenabled()
    assert gc.get_freeze_count() > frozen
    gc.unfreeze()


def test_left_alone_elsewhere(collector: None) -> None:
    start_up.pause_gc_in_servers(["/x/bin/pytest"])
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    start_up.resume_gc()  # nothing was paused here: nothing to freeze
    assert gc.get_freeze_count() == frozen


def test_a_served_app_resumes_the_collector_once_built() -> None:
    """As uvicorn runs it: the import pauses, building the app resumes (a real process)."""
    code = (
        "import gc, sys\n"
        "sys.argv[0] = '/opt/venv/bin/uvicorn'\n"
        "import petshots_core.web.app as web\n"
        "assert not gc.isenabled()\n"
        "from petshots_core.settings import Settings\n"
        "web.create_service_app(settings=Settings(env='test'), title='t', openapi_path='/s',"
        " route_handlers=[], authenticated=False)\n"
        "assert gc.isenabled() and gc.get_freeze_count() > 0\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=os.environ, timeout=60)
