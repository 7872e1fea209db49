"""Each service image's virtualenv, built here with the Dockerfile's own ``uv sync`` commands,
installs from the lock alone, then imports every module of its service with only that
service's dependencies (no phantom imports) and carries the commands the image runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dockerfiles import REPO, SERVICE_IMAGES, Image
from image_venv import build_venv

IMPORT_TIMEOUT_S = 120
IMPORT_ALL = """
import importlib, pkgutil, sys
package = importlib.import_module(sys.argv[1])
names = [m.name for m in pkgutil.walk_packages(package.__path__, sys.argv[1] + ".")]
for name in names:
    importlib.import_module(name)
print(len(names))
"""


@pytest.mark.parametrize("image", SERVICE_IMAGES, ids=[i.service for i in SERVICE_IMAGES])
def test_image_virtualenv_installs_and_imports_with_only_its_own_dependencies(
    image: Image, tmp_path: Path
) -> None:
    venv = build_venv(image.dockerfile, tmp_path, compile_bytecode=False)
    package = image.package
    module = package.replace("-", "_")
    python = venv / "bin" / "python"
    result = subprocess.run(
        [str(python), "-c", IMPORT_ALL, module],
        capture_output=True,
        text=True,
        timeout=IMPORT_TIMEOUT_S,
        check=False,
        cwd=tmp_path,
        env={"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "PETSHOTS_ENV": "production"},
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split()[-1]) > 0
    # The workspace members are installed, not linked to the source tree.
    site = next((venv / "lib").glob("python3.*/site-packages"))
    assert (site / module).is_dir() and not (site / f"_{module}.pth").exists()
    assert not list(site.glob("*.pth")) or all(
        str(REPO) not in p.read_text() for p in site.glob("*.pth")
    )
    # The commands the image and the chart run exist in the virtualenv.
    commands = {"petshots-serve"} if package != "petshots-reminders" else {"petshots-reminders"}
    if package == "petshots-records":
        commands |= {"alembic", "petshots-records"}
    for command in commands:
        assert (venv / "bin" / command).exists(), command
    # Test-only and development packages stay out of the image.
    for absent in ("pytest", "petshots_testkit", "petshots_devstack", "mypy", "moto"):
        assert not (site / absent).exists(), absent
