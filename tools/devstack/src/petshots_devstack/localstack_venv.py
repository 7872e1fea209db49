"""LocalStack's own virtualenv, kept in the per-user cache and shared by every clone.

LocalStack needs Python >= 3.13 (the workspace runs 3.11) and pins that clash with ours, so it
lives in a venv of its own, built once per set of pins.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from petshots_devstack.cached_tools import CachedToolError, PinnedVenv

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


class LocalStackInstallError(CachedToolError):
    pass


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


VENV = PinnedVenv("localstack", LOCALSTACK_VERSION, REQUIREMENTS, base_python=find_python313)


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
