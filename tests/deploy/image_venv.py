"""Build a service image's virtualenv here, the way its Dockerfile does, without Docker.

The two ``uv sync`` commands are taken from the Dockerfile itself (its build arguments
substituted, as the image's build does) and run in a scratch copy of
the build context: first with only ``uv.lock`` and the root ``pyproject.toml`` (the cached
dependency layer), then with the workspace members the Dockerfile copies (only the files
``.dockerignore`` lets through). What comes out is the image's ``/opt/venv`` for this machine's
CPython 3.11 on x86_64: the same wheels the image installs.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

from dockerfiles import REPO, Dockerfile, context_files, dockerignore_rules

UV_TIMEOUT_S = 300


def uv_sync_commands(dockerfile: Dockerfile) -> list[list[str]]:
    commands = []
    for instruction in dockerfile.build.of("RUN"):
        if "uv sync" in instruction.arguments:
            rest = instruction.arguments.split("uv sync", 1)[1]
            commands.append(["uv", "sync", *shlex.split(rest)])
    return commands


def build_venv(dockerfile: Dockerfile, workdir: Path, *, compile_bytecode: bool) -> Path:
    """The image's virtualenv, built under ``workdir``; returns its directory."""
    uv = os.environ.get("UV") or shutil.which("uv")
    assert uv, "uv is not on PATH"
    src, venv = workdir / "src", workdir / "venv"
    src.mkdir(parents=True)
    for name in ("uv.lock", "pyproject.toml"):
        shutil.copy2(REPO / name, src / name)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT") and not key.startswith("UV_")
    }
    env |= {
        "UV_PROJECT_ENVIRONMENT": str(venv),
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_COMPILE_BYTECODE": "1" if compile_bytecode else "0",
        # A measurement copies like the image build; a check may hardlink from uv's cache.
        "UV_LINK_MODE": "copy" if compile_bytecode else "hardlink",
    }
    dependency_layer, members_layer = uv_sync_commands(dockerfile)
    _run([uv, *dependency_layer[1:]], src, env)
    rules = dockerignore_rules()
    for source in dockerfile.context_sources():
        if source.startswith(("libs/", "services/")):
            for relative in context_files(source, rules):
                target = src / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(REPO / relative, target)
    _run([uv, *members_layer[1:]], src, env)
    return venv


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> None:
    result = subprocess.run(
        [*command, "--quiet"], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=UV_TIMEOUT_S, check=False,
    )  # fmt: skip
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stderr}"


def tree_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())
