"""Where things live: the repository root and the local state under ``.petshots/``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from petshots_devstack.errors import DevstackError


class RepositoryNotFound(DevstackError):
    pass


def repo_root(start: Path | None = None) -> Path:
    """The workspace root: the nearest directory at or above ``start`` with ``uv.lock`` or ``.git``.

    Either marker will do: ``uv.lock`` is there in an export without ``.git``, and ``.git`` in a
    fresh clone before its first ``uv sync``. Members have neither.
    """
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        if (directory / "uv.lock").exists() or (directory / ".git").exists():
            return directory
    raise RepositoryNotFound(f"no uv.lock or .git at or above {here}; run this inside the repo")


@dataclass(frozen=True)
class StateLayout:
    """The paths under ``.petshots/`` that ``petshots-dev up`` owns."""

    root: Path

    @classmethod
    def for_repo(cls, repo: Path | None = None) -> StateLayout:
        return cls((repo or repo_root()) / ".petshots")

    @property
    def mail(self) -> Path:
        return self.root / "mail"

    @property
    def dev_keys(self) -> Path:
        return self.root / "dev-keys"

    @property
    def edge(self) -> Path:
        return self.root / "edge"

    @property
    def localstack(self) -> Path:
        return self.root / "localstack"


def cache_dir() -> Path:
    """Per-user cache shared by every clone on this machine (XDG base directory spec)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "petshots"
