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
        """``petshots-serve`` (petshots_core.serve): the uvicorn options of the images."""
        script = _script(SERVE_SCRIPT)
        if script is None:
            raise RuntimeError(f"{SERVE_SCRIPT} is not installed beside {sys.executable}")
        return [script, self.upstream.value, "--host", LOOPBACK, "--port", str(self.port)]


HTTP_SERVICES: tuple[HttpService, ...] = (
    HttpService(Upstream.AUTH, "petshots_auth.app:create_app", 8101),
    HttpService(Upstream.RECORDS, "petshots_records.app:create_app", 8102),
    HttpService(Upstream.PASSPORT, "petshots_passport.app:create_app", 8103),
)

UPSTREAM_ADDRESSES: dict[Upstream, str] = {s.upstream: s.address for s in HTTP_SERVICES}

SERVE_SCRIPT = "petshots-serve"
REMINDERS_SCRIPT = "petshots-reminders"


def installed_http_services() -> list[HttpService]:
    return [service for service in HTTP_SERVICES if service.is_installed()]


def reminders_worker_command() -> list[str] | None:
    """``petshots-reminders worker`` when the reminders package and its script are installed."""
    if not _importable("petshots_reminders"):
        return None
    script = _script(REMINDERS_SCRIPT)
    return [script, "worker"] if script else None


def _script(name: str) -> str | None:
    # Prefer the script beside this interpreter: `uv run` puts it there, PATH may not.
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def _importable(module: str) -> bool:
    # find_spec locates a module without running it (only a dotted name's parents are imported).
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False
