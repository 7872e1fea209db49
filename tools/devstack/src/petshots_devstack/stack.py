"""``petshots-dev up``: the whole product on embedded defaults, supervised until stopped."""

from __future__ import annotations

import functools
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import click

from petshots_devstack import edge, localstack, smtp_sink, system_services
from petshots_devstack.addresses import (
    EDGE_PORT,
    LOCALSTACK_PORT,
    LOOPBACK,
    PUBLIC_BASE_URL,
    SMTP_PORT,
)
from petshots_devstack.dev_keys import ensure_dev_key
from petshots_devstack.environment import local_environment
from petshots_devstack.errors import DevstackError
from petshots_devstack.migrations import upgrade_head
from petshots_devstack.paths import StateLayout
from petshots_devstack.processes import Child, spawn, stop
from petshots_devstack.product_services import (
    UPSTREAM_ADDRESSES,
    Upstream,
    installed_http_services,
    reminders_worker_command,
)
from petshots_devstack.uploads_bucket import ensure_uploads_bucket
from petshots_devstack.waiting import port_open

SERVICE_READY_TIMEOUT_S = 60.0
POLL_S = 0.5


class StackError(DevstackError):
    pass


@dataclass
class _Readiness:
    """A child and how to tell it is serving."""

    child: Child
    ready: Callable[[], bool]


@dataclass
class Stack:
    repo: Path
    state: StateLayout
    children: list[Child] = field(default_factory=list)

    def run(self) -> int:
        code = 0
        with _stop_signals_raise_interrupt(), ExitStack() as cleanup:
            cleanup.callback(self._stop_children)
            try:
                self._start(cleanup)
                click.echo(f"Petshots is running at {PUBLIC_BASE_URL}")
                code = self._supervise()
            except KeyboardInterrupt:
                click.echo("\nStopping Petshots ...", err=True)
        return code

    def _start(self, cleanup: ExitStack) -> None:
        for line in system_services.ensure_services():
            click.echo(line)
        if system_services.ensure_database():
            click.echo("PostgreSQL: created database petshots")
        self._refuse_busy_ports()
        env = {**os.environ, **local_environment(self.state)}
        key = ensure_dev_key(self.state.dev_keys)

        own_localstack = None
        if localstack.is_ready() or port_open(LOOPBACK, LOCALSTACK_PORT):
            click.echo("LocalStack: already running, reusing it")
        else:
            own_localstack = self._add(localstack.start(self.state))
        # Migrations need only PostgreSQL: they run while LocalStack boots.
        upgrade_head(self.repo, env)
        localstack.wait_ready(own_localstack)
        ensure_uploads_bucket()

        cleanup.enter_context(smtp_sink.running(self.state.mail))

        waits: list[_Readiness] = []
        services = installed_http_services()
        for service in services:
            child = self._add(
                spawn(service.upstream.value, service.command(), env=env, cwd=self.repo)
            )
            waits.append(_Readiness(child, functools.partial(port_open, LOOPBACK, service.port)))
        worker = reminders_worker_command()
        if worker is not None:
            self._add(spawn("reminders", worker, env=env, cwd=self.repo))

        auth_running = any(s.upstream is Upstream.AUTH for s in services)
        config = edge.prepare(
            self.state.edge,
            listen=f"{LOOPBACK}:{EDGE_PORT}",
            upstreams=UPSTREAM_ADDRESSES,
            spa_dist=self.repo / "web" / "dist",
            dev_jwks=None if auth_running else key.jwks_path,
        )
        edge.check(config)
        nginx = self._add(spawn("edge (nginx)", edge.command(config)))
        waits.append(_Readiness(nginx, lambda: port_open(LOOPBACK, EDGE_PORT)))
        self._wait_serving(waits)

    def _add(self, child: Child) -> Child:
        self.children.append(child)
        return child

    def _wait_serving(self, waits: list[_Readiness]) -> None:
        deadline = time.monotonic() + SERVICE_READY_TIMEOUT_S
        pending = list(waits)
        while pending:
            self._raise_if_any_exited()
            pending = [w for w in pending if not w.ready()]
            if pending and time.monotonic() >= deadline:
                names = ", ".join(w.child.name for w in pending)
                raise StackError(f"not serving after {SERVICE_READY_TIMEOUT_S:.0f} s: {names}")
            if pending:
                time.sleep(POLL_S)

    def _supervise(self) -> int:
        while True:
            try:
                self._raise_if_any_exited()
            except StackError as exc:
                click.echo(f"Error: {exc}; stopping everything", err=True)
                return 1
            time.sleep(POLL_S)

    def _raise_if_any_exited(self) -> None:
        for child in self.children:
            code = child.exited()
            if code is not None:
                raise StackError(f"{child.name} exited unexpectedly (exit code {code})")

    def _refuse_busy_ports(self) -> None:
        ports = {"edge": EDGE_PORT, "SMTP sink": SMTP_PORT}
        ports |= {s.upstream.value: s.port for s in installed_http_services()}
        busy = [f"{name} :{port}" for name, port in ports.items() if port_open(LOOPBACK, port)]
        if busy:
            raise StackError(
                f"ports already in use ({', '.join(busy)}): is another `petshots-dev up` running?"
            )

    def _stop_children(self) -> None:
        # A second Ctrl-C must not cut the shutdown short and leave children behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stop(list(reversed(self.children)))


@contextmanager
def _stop_signals_raise_interrupt() -> Iterator[None]:
    """SIGTERM stops the stack the way Ctrl-C does."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def up(repo: Path) -> int:
    stack = Stack(repo, StateLayout.for_repo(repo))
    code = stack.run()
    sys.stdout.flush()
    return code
