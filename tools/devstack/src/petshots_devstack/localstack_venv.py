"""LocalStack's own virtualenv, kept in the per-user cache and shared by every clone.

LocalStack needs Python >= 3.13 (the workspace runs 3.11) and pins that clash with ours, so it
lives in a venv of its own, built once per set of pins.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from petshots_devstack.errors import DevstackError
from petshots_devstack.paths import cache_dir

LOCALSTACK_VERSION = "2026.3.0"
# localstack-core 2026.3 breaks with newer cryptography/pyOpenSSL/cbor2 releases.
REQUIREMENTS = (
    f"localstack-core[runtime]=={LOCALSTACK_VERSION}",
    "cryptography==44.0.3",
    "pyopenssl==24.3.0",
    "cbor2<6",
    "service_identity",
)
MIN_PYTHON = "3.13"
INSTALL_TIMEOUT_S = 600
_MARKER = ".petshots-complete"


class LocalStackInstallError(DevstackError):
    pass


def venv_dir() -> Path:
    # Keyed by the pins too, so changing any of them builds a fresh venv beside the old one.
    digest = hashlib.sha256("\n".join(REQUIREMENTS).encode()).hexdigest()[:8]
    return cache_dir() / f"localstack-{LOCALSTACK_VERSION}-{digest}"


def venv_python() -> Path:
    return venv_dir() / "bin" / "python"


def is_installed() -> bool:
    return (venv_dir() / _MARKER).exists() and venv_python().exists()


def ensure_installed() -> Path:
    """The venv's python, building the venv first if needed. Fast when already built."""
    if is_installed():
        return venv_python()
    with _install_lock():
        if is_installed():  # built by another process while we waited for the lock
            return venv_python()
        _build()
    return venv_python()


def find_python313() -> Path:
    candidates = [*_pyenv_pythons(), *filter(None, [shutil.which(f"python{MIN_PYTHON}")])]
    for candidate in candidates:
        if _runs(Path(candidate)):
            return Path(candidate)
    raise LocalStackInstallError(
        f"LocalStack needs Python >= {MIN_PYTHON} and none was found (looked in "
        f"`pyenv root`/versions/{MIN_PYTHON}* and for python{MIN_PYTHON} on PATH). "
        f"Install one, e.g. `pyenv install {MIN_PYTHON}`."
    )


def _build() -> None:
    python = find_python313()
    target = venv_dir()
    uv = os.environ.get("UV") or shutil.which("uv")
    if uv is None:
        raise LocalStackInstallError("uv is not on PATH (pip install uv)")
    # A venv without its marker is a half-finished earlier attempt: start over.
    shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    steps = [
        [uv, "venv", "--quiet", "--no-python-downloads", "-p", str(python), str(target)],
        [uv, "pip", "install", "--quiet", "--python", str(venv_python()), *REQUIREMENTS],
    ]
    for step in steps:
        result = subprocess.run(step, timeout=INSTALL_TIMEOUT_S, check=False)
        if result.returncode != 0:
            raise LocalStackInstallError(f"failed ({result.returncode}): {' '.join(step)}")
    (target / _MARKER).write_text("\n".join(REQUIREMENTS) + "\n")


@contextmanager
def _install_lock() -> Iterator[None]:
    lock_path = venv_dir().with_suffix(".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + INSTALL_TIMEOUT_S
    with lock_path.open("w") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LocalStackInstallError(f"{lock_path} stayed locked") from None
                time.sleep(0.5)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _pyenv_pythons() -> list[str]:
    pyenv = shutil.which("pyenv")
    root: str | None = os.environ.get("PYENV_ROOT")
    if root is None and pyenv is not None:
        result = subprocess.run(
            [pyenv, "root"], capture_output=True, text=True, timeout=10, check=False
        )
        root = result.stdout.strip() or None
    if root is None:
        return []
    found = Path(root, "versions").glob(f"{MIN_PYTHON}*/bin/python")
    return [str(path) for path in sorted(found, key=_version_key, reverse=True)]


def _version_key(python: Path) -> tuple[int, ...]:
    # versions/3.13.10/bin/python sorts after versions/3.13.9/bin/python
    name = python.parent.parent.name
    return tuple(int(part) if part.isdigit() else -1 for part in name.split("."))


def _runs(python: Path) -> bool:
    # A pyenv shim exists even when its version is not selected, and then fails when run.
    try:
        result = subprocess.run(
            [str(python), "-c", "import sys; print(sys.version_info >= (3, 13))"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except OSError:
        return False
    return result.returncode == 0 and result.stdout.strip() == "True"
