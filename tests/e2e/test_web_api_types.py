"""The SPA's API types (web/src/lib/api-types/*.ts) match the services' OpenAPI documents.

They are generated (``make web-types``); this fails when a service changed its API and the
types were not regenerated, so the SPA cannot drift from the contract unnoticed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

from .support import REPO, WEB


def test_generated_api_types_are_current() -> None:
    node = shutil.which("node")
    assert node, "node is required (Node 20) to check the SPA's API types"
    assert (WEB / "node_modules" / "openapi-typescript").exists(), "run `make web-install`"
    dump = subprocess.run(
        [sys.executable, str(WEB / "scripts" / "dump_openapi.py")],
        cwd=REPO,
        capture_output=True,
        check=True,
        timeout=180,
    )
    check = subprocess.run(
        [node, str(WEB / "scripts" / "generate-api-types.mjs"), "--check"],
        cwd=REPO,
        input=dump.stdout,
        capture_output=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stderr.decode() + check.stdout.decode()
