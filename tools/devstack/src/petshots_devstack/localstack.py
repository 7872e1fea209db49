"""LocalStack (S3, SES, Secrets Manager) on 127.0.0.1:4566, run from its own venv.

``running()`` is what test suites use from their conftest: it reuses a LocalStack that already
answers (``make dev`` or another suite) and stops only one it started itself.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from petshots_devstack import localstack_venv
from petshots_devstack.addresses import LOCALSTACK_PORT, LOOPBACK
from petshots_devstack.errors import DevstackError
from petshots_devstack.paths import StateLayout
from petshots_devstack.processes import Child, spawn, stop
from petshots_devstack.waiting import port_open

READY_TIMEOUT_S = 60.0
HEALTH_PATH = "/_localstack/health"


class LocalStackError(DevstackError):
    pass


def endpoint_url(port: int = LOCALSTACK_PORT) -> str:
    return f"http://{LOOPBACK}:{port}"


def environment(state: StateLayout, port: int = LOCALSTACK_PORT) -> dict[str, str]:
    base = state.localstack.resolve()
    return {
        "GATEWAY_LISTEN": f"{LOOPBACK}:{port}",
        # The default (twisted) server ignores the host in GATEWAY_LISTEN and listens on every
        # interface; hypercorn binds loopback only. Both pass the same S3/SES/Secrets checks.
        "GATEWAY_SERVER": "hypercorn",
        "SERVICES": "s3,ses,secretsmanager,sqs",  # sqs: the SES feedback queue
        # Presigned URLs must be checked as AWS checks them, or tests prove nothing.
        "S3_SKIP_SIGNATURE_VALIDATION": "0",
        # The stay-offline switches: no analytics, no DNS server, no certificate download.
        "DISABLE_EVENTS": "1",
        "DNS_ADDRESS": "0",
        "SKIP_SSL_CERT_DOWNLOAD": "1",
        "LOCALSTACK_VOLUME_DIR": str(base / "volume"),
        "TMPDIR": str(base / "tmp"),
        "CONFIG_DIR": str(base / "config"),
    }


def is_ready(port: int = LOCALSTACK_PORT) -> bool:
    try:
        response = httpx.get(endpoint_url(port) + HEALTH_PATH, timeout=1.0)
    except httpx.HTTPError:
        return False
    if response.status_code != 200:
        return False
    services = response.json().get("services", {})
    return services.get("s3") in ("available", "running")


def start(state: StateLayout, port: int = LOCALSTACK_PORT) -> Child:
    """Start LocalStack (installing its venv first if needed); returns at once, not ready yet."""
    python = localstack_venv.VENV.ensure()
    env = environment(state, port)
    for key in ("LOCALSTACK_VOLUME_DIR", "TMPDIR", "CONFIG_DIR"):
        Path(env[key]).mkdir(parents=True, exist_ok=True)
    return spawn(
        "localstack",
        [str(python), "-m", "localstack.runtime.main"],
        env={**os.environ, **env},
        log=state.localstack / "localstack.log",
        isolate_python=True,
    )


def wait_ready(
    child: Child | None, timeout_s: float = READY_TIMEOUT_S, port: int = LOCALSTACK_PORT
) -> None:
    deadline = time.monotonic() + timeout_s
    while not is_ready(port):
        if child is not None and child.exited() is not None:
            raise LocalStackError(f"LocalStack exited with {child.exited()}; see its log")
        if time.monotonic() >= deadline:
            raise LocalStackError(
                f"LocalStack not ready at {endpoint_url(port)} after {timeout_s:.0f} s"
            )
        time.sleep(0.2)


@contextmanager
def running(
    state: StateLayout | None = None,
    *,
    port: int = LOCALSTACK_PORT,
    timeout_s: float = READY_TIMEOUT_S,
) -> Iterator[str]:
    """Yield LocalStack's endpoint URL, starting LocalStack only if nothing answers on ``port``.

    ``state`` holds its volume and temp dirs (default: the repository's ``.petshots/``).
    """
    if port_open(LOOPBACK, port):
        # Someone else's LocalStack, maybe still starting: wait for it, never stop it.
        wait_ready(None, timeout_s, port)
        yield endpoint_url(port)
        return
    child = start(state or StateLayout.for_repo(), port)
    try:
        wait_ready(child, timeout_s, port)
        yield endpoint_url(port)
    finally:
        stop([child])
