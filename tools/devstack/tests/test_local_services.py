"""The machine's PostgreSQL and Redis, and what ``up`` derives from them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from petshots_devstack import system_services
from petshots_devstack.environment import local_environment
from petshots_devstack.paths import StateLayout, repo_root
from petshots_devstack.waiting import free_port, port_open


def test_services_check_command_succeeds_when_both_answer() -> None:
    script = Path(sys.executable).parent / "petshots-dev"
    result = subprocess.run(
        [str(script), "services-check"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "PostgreSQL: " in result.stdout
    assert "Redis: " in result.stdout


def test_ensure_database_is_idempotent() -> None:
    name = f"devstack_test_{uuid.uuid4().hex[:8]}"
    try:
        assert system_services.ensure_database(name) is True
        assert system_services.ensure_database(name) is False
    finally:
        with psycopg.connect(
            host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_local_environment_is_absolute_and_complete(tmp_path: Path) -> None:
    env = local_environment(StateLayout(tmp_path / ".petshots"))
    assert env["PETSHOTS_ENV"] == "local"
    assert env["PETSHOTS_STATE_DIR"] == str(tmp_path / ".petshots")
    assert env["PETSHOTS_MAIL_DIR"] == str(tmp_path / ".petshots" / "mail")
    assert env["PETSHOTS_JWKS_URL"] == "http://127.0.0.1:8000/auth/.well-known/jwks.json"
    assert env["PETSHOTS_TOKEN_ISSUER"] == "http://localhost:8000/auth"
    assert all(value for value in env.values())


def test_repo_root_is_found_from_a_subdirectory() -> None:
    root = repo_root()
    assert repo_root(root / "tools" / "devstack" / "src") == root
    assert (root / "pyproject.toml").is_file()


@dataclass(frozen=True)
class _StandIn(system_services.SystemService):
    """A throwaway HTTP server playing a stopped machine service."""

    port: int = 0
    installed: bool = True

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def is_up(self) -> bool:
        return port_open("127.0.0.1", self.port)

    def is_installed(self) -> bool:
        return self.installed


def test_a_stopped_service_is_started_and_waited_for(tmp_path: Path) -> None:
    port = free_port()
    pid_file = tmp_path / "pid"
    start = (
        f"{sys.executable} -m http.server {port} --bind 127.0.0.1 >/dev/null 2>&1 & "
        f"echo $! > {pid_file}"
    )
    service = _StandIn("Stand-in", start, port=port)
    try:
        assert service.ensure_up(timeout_s=10) == "Stand-in: started"
        assert service.ensure_up(timeout_s=10) == "Stand-in: up"
    finally:
        if pid_file.exists():
            os.kill(int(pid_file.read_text()), signal.SIGTERM)


def test_a_missing_service_is_reported_not_started() -> None:
    service = _StandIn("Stand-in", "false", port=free_port(), installed=False)
    with pytest.raises(system_services.ServiceUnavailable, match="not installed"):
        service.ensure_up(timeout_s=1)


def test_a_start_command_that_fails_is_reported() -> None:
    service = _StandIn("Stand-in", "echo cannot start >&2; exit 1", port=free_port())
    with pytest.raises(system_services.ServiceUnavailable, match="cannot start"):
        service.ensure_up(timeout_s=1)


def test_migrate_outside_a_migratable_repo_fails_with_a_message(tmp_path: Path) -> None:
    (tmp_path / "uv.lock").touch()
    script = Path(sys.executable).parent / "petshots-dev"
    result = subprocess.run(
        [str(script), "migrate"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "no alembic.ini" in result.stderr
    assert "Traceback" not in result.stderr
