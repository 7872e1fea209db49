"""The worker's health server listens where it is told: loopback unless the deployment opts in."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from petshots_reminders.settings import RemindersSettings
from petshots_testkit.processes import Service, worker_service

TCP_LISTEN = "0A"


def listening_addresses(port: int) -> set[str]:
    """IPv4 addresses with a socket listening on ``port``, read from the kernel's table."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, port_hex = local.split(":")
        if state == TCP_LISTEN and int(port_hex, 16) == port:
            octets = bytes.fromhex(address)[::-1]  # little-endian on the hosts we run on
            found.add(".".join(str(b) for b in octets))
    return found


def worker_env(rsettings: RemindersSettings, **extra: str) -> dict[str, str]:
    return {
        "PETSHOTS_ENV": "test",
        "PETSHOTS_DATABASE_URL": rsettings.database_url,
        "PETSHOTS_REDIS_URL": rsettings.redis_url,
        "PETSHOTS_SMTP_HOST": rsettings.smtp_host,
        "PETSHOTS_SMTP_PORT": str(rsettings.smtp_port),
        "PETSHOTS_STATE_DIR": str(rsettings.state_dir),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(rsettings.state_dir),
        **extra,
    }


@pytest.mark.parametrize(
    ("extra", "expected"),
    [({}, {"127.0.0.1"}), ({"PETSHOTS_REMINDERS_HEALTH_HOST": "0.0.0.0"}, {"0.0.0.0"})],
    ids=["default-loopback", "container-all-interfaces"],
)
def test_health_server_binds_the_configured_address(
    rsettings: RemindersSettings,
    tmp_path: Path,
    extra: dict[str, str],
    expected: set[str],
) -> None:
    worker: Service = worker_service(worker_env(rsettings, **extra), tmp_path, name="health-bind")
    worker.start()
    try:
        worker.wait_healthy()
        assert worker.port is not None
        assert httpx.get(f"http://127.0.0.1:{worker.port}/healthz", timeout=5).status_code == 200
        assert listening_addresses(worker.port) == expected
    finally:
        worker.stop()
