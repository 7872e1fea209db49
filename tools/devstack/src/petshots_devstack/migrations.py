"""Apply the shared Alembic history (root ``alembic.ini``) to the database."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from petshots_devstack.errors import DevstackError

MIGRATION_TIMEOUT_S = 300


class MigrationError(DevstackError):
    pass


def upgrade_head(repo: Path, env: Mapping[str, str]) -> None:
    if not (repo / "alembic.ini").is_file():
        raise MigrationError(f"no alembic.ini in {repo}; nothing to migrate with")
    # The interpreter running petshots-dev is already the workspace venv's: same as
    # `uv run alembic`, without a nested uv run re-syncing the venv under running services.
    result = subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=repo,
        env=dict(env),
        timeout=MIGRATION_TIMEOUT_S,
        check=False,
    )
    if result.returncode != 0:
        raise MigrationError(f"alembic upgrade head failed with exit code {result.returncode}")
