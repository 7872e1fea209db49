"""``petshots-dev``: the local stack's command line (the Makefile's targets call it)."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import click

from petshots_devstack import edge_exports, stack, system_services, tool_install
from petshots_devstack.dev_keys import ensure_dev_key, mint_access_token
from petshots_devstack.environment import local_environment
from petshots_devstack.errors import DevstackError
from petshots_devstack.migrations import upgrade_head
from petshots_devstack.paths import StateLayout, repo_root

P = ParamSpec("P")
R = TypeVar("R")


def _reported(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a DevstackError into click's one-line error and exit status 1, not a traceback."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except DevstackError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Run Petshots locally: tools, services, the whole stack."""


@main.command("install-tools")
@_reported
def install_tools() -> None:
    """Install LocalStack (own venv, shared cache) and nginx; fast when already done."""
    click.echo(tool_install.ensure_localstack())
    click.echo(tool_install.ensure_nginx())


@main.command("services-check")
@_reported
def services_check() -> None:
    """Make sure the local PostgreSQL and Redis answer, starting them if only stopped."""
    for line in system_services.ensure_services():
        click.echo(line)


@main.command()
@_reported
def migrate() -> None:
    """Apply the Alembic history to PETSHOTS_DATABASE_URL (default: the local database)."""
    repo = repo_root()
    # Variables already set win, so the same command serves other databases too.
    upgrade_head(repo, {**local_environment(StateLayout.for_repo(repo)), **os.environ})


@main.command()
@_reported
def up() -> None:
    """Start the whole product on embedded defaults; Ctrl-C stops it."""
    sys.exit(stack.up(repo_root()))


@main.command()
@click.option("--sub", type=click.UUID, default=None, help="Subject (user id); random if absent.")
@_reported
def token(sub: uuid.UUID | None) -> None:
    """Print an RS256 access token signed with the dev key (valid for one hour)."""
    key = ensure_dev_key(StateLayout.for_repo().dev_keys)
    click.echo(mint_access_token(key, sub=sub))


@main.command("render-edge")
@click.option("--check", is_flag=True, help="Exit 1 if a committed file is not what renders.")
@_reported
def render_edge(check: bool) -> None:
    """Render the compose edge's nginx.conf and the chart's routes from the routing table."""
    repo = repo_root()
    if check:
        stale = edge_exports.stale(repo)
        if stale:
            names = ", ".join(str(path) for path in stale)
            raise click.ClickException(f"stale: {names}; run `uv run petshots-dev render-edge`")
        click.echo("the compose edge and the chart's routes match the routing table")
        return
    for path in edge_exports.write_all(repo):
        click.echo(f"wrote {path}")
