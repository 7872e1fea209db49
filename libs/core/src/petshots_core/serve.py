"""``petshots-serve <service>``: one HTTP service under uvicorn, as its container runs it.

The one place that says how a web service is served — the images' command, the local stack
(``petshots-dev up``), and the test and benchmark processes (``petshots_testkit.processes``)
all start it through here. Options, and why:

- one worker by default (``PETSHOTS_WEB_CONCURRENCY``): scale with replicas, and ``/metrics``
  stays per process;
- ``PETSHOTS_GRACEFUL_SHUTDOWN_S`` for in-flight requests on SIGTERM (unset: no bound);
- keep-alive 75 s, above the ALB's 60 s idle timeout, so the ALB never reuses a connection
  uvicorn has just closed (502s);
- no proxy headers: the services judge X-Forwarded-For themselves against their trusted
  proxies; no ``server`` header; no uvicorn access log (the services log each request).

uvicorn calls :meth:`WebService.create_app` in every process that serves (each worker, with
``PETSHOTS_WEB_CONCURRENCY`` > 1): it pauses the cyclic collector before the service's modules
are imported (``petshots_core.start_up``). ``uvicorn petshots_records.app:create_app --factory``
still works, without that pause.
"""

from __future__ import annotations

import argparse
import importlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import uvicorn

from petshots_core.start_up import pause_gc

if TYPE_CHECKING:
    from litestar.types import ASGIApp

# Every interface: the port is only reachable where the container's network publishes it.
CONTAINER_HOST = "0.0.0.0"  # noqa: S104
KEEP_ALIVE_S = 75


@dataclass(frozen=True)
class WebService:
    name: str
    app_module: str
    port: int

    @property
    def app_factory(self) -> str:
        """The service's own factory, as plain ``uvicorn --factory`` takes it."""
        return f"{self.app_module}:create_app"

    @property
    def served_factory(self) -> str:
        """What petshots-serve gives uvicorn: :meth:`create_app` of this entry."""
        return f"{__name__}:SERVICES.{self.name}.create_app"

    def create_app(self) -> ASGIApp:
        pause_gc()  # create_service_app resumes it once the app is built
        module = importlib.import_module(self.app_module)
        return cast("ASGIApp", module.create_app())


class Services(NamedTuple):
    """By attribute, so that uvicorn's import string can name one (``SERVICES.auth``)."""

    auth: WebService
    records: WebService
    passport: WebService


SERVICES = Services(
    auth=WebService("auth", "petshots_auth.app", 8101),
    records=WebService("records", "petshots_records.app", 8102),
    passport=WebService("passport", "petshots_passport.app", 8103),
)


def service_named(name: str) -> WebService:
    if name not in Services._fields:
        raise KeyError(f"no Petshots web service {name!r} (one of {', '.join(Services._fields)})")
    return cast(WebService, getattr(SERVICES, name))


def uvicorn_options(
    app: str, *, host: str, port: int, environ: Mapping[str, str]
) -> dict[str, Any]:
    """``uvicorn.run`` keyword arguments for ``app`` (an import string of a factory)."""
    graceful = environ.get("PETSHOTS_GRACEFUL_SHUTDOWN_S")
    return {
        "app": app,
        "factory": True,
        "host": host,
        "port": port,
        "workers": int(environ.get("PETSHOTS_WEB_CONCURRENCY") or 1),
        "timeout_graceful_shutdown": int(graceful) if graceful else None,
        "timeout_keep_alive": KEEP_ALIVE_S,
        "proxy_headers": False,
        "server_header": False,
        "access_log": False,
    }


def serve(app: str, *, host: str, port: int) -> None:
    uvicorn.run(**uvicorn_options(app, host=host, port=port, environ=os.environ))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="petshots-serve",
        description="Serve one Petshots HTTP service under uvicorn, as its container does. "
        "Workers: PETSHOTS_WEB_CONCURRENCY (default 1); graceful shutdown bound: "
        "PETSHOTS_GRACEFUL_SHUTDOWN_S (default none).",
    )
    parser.add_argument("service", choices=Services._fields)
    parser.add_argument("--host", default=CONTAINER_HOST, help="default: %(default)s")
    parser.add_argument(
        "--port",
        type=int,
        help="default: the service's own ("
        + ", ".join(f"{s.name} {s.port}" for s in SERVICES)
        + ")",
    )
    args = parser.parse_args(argv)
    service = service_named(args.service)
    serve(service.served_factory, host=args.host, port=args.port or service.port)
