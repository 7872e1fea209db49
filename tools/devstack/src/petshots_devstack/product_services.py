"""The Petshots services ``petshots-dev up`` runs, and which of them are installed."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from petshots_devstack.addresses import LOOPBACK


class Upstream(StrEnum):
    """A destination of the edge (the names the edge routing table uses)."""

    AUTH = "auth"
    RECORDS = "records"
    PASSPORT = "passport"


@dataclass(frozen=True)
class HttpService:
    upstream: Upstream
    app_factory: str
    port: int

    @property
    def address(self) -> str:
        return f"{LOOPBACK}:{self.port}"

    def is_installed(self) -> bool:
        # The app module, not just the package: a package still being written has no app yet.
        return _importable(self.app_factory.partition(":")[0])

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "uvicorn",
            self.app_factory,
            "--factory",
            "--host",
            LOOPBACK,
            "--port",
            str(self.port),
        ]


HTTP_SERVICES: tuple[HttpService, ...] = (
    HttpService(Upstream.AUTH, "petshots_auth.app:create_app", 8101),
    HttpService(Upstream.RECORDS, "petshots_records.app:create_app", 8102),
    HttpService(Upstream.PASSPORT, "petshots_passport.app:create_app", 8103),
)

UPSTREAM_ADDRESSES: dict[Upstream, str] = {s.upstream: s.address for s in HTTP_SERVICES}

REMINDERS_SCRIPT = "petshots-reminders"


def installed_http_services() -> list[HttpService]:
    return [service for service in HTTP_SERVICES if service.is_installed()]


def reminders_worker_command() -> list[str] | None:
    """``petshots-reminders worker`` when the reminders package and its script are installed."""
    if not _importable("petshots_reminders"):
        return None
    # Prefer the script beside this interpreter: `uv run` puts it there, PATH may not.
    beside = Path(sys.executable).parent / REMINDERS_SCRIPT
    script = str(beside) if beside.exists() else shutil.which(REMINDERS_SCRIPT)
    return [script, "worker"] if script else None


def _importable(module: str) -> bool:
    # find_spec locates a module without running it (only a dotted name's parents are imported).
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False
