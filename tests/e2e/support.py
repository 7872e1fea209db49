"""Plumbing for the browser suite: the SPA build, axe-core and artifacts (the local stack and
its mail: petshots_testkit.local_stack; Chromium: petshots_testkit.chromium)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
WEB = REPO / "web"
DIST = WEB / "dist"
ARTIFACTS = REPO / "test-artifacts"


def require_spa_build() -> None:
    index = DIST / "index.html"
    if not index.exists() or not (DIST / "sw.js").exists():
        raise RuntimeError(
            f"{index} (and sw.js) missing: build the SPA first with `make web-build`"
        )


# --- axe-core --------------------------------------------------------------------------------

AXE_JS = WEB / "node_modules" / "axe-core" / "axe.min.js"


def axe_source() -> str:
    if not AXE_JS.exists():
        raise RuntimeError(f"{AXE_JS} missing: run `make web-install`")
    return AXE_JS.read_text()


def serious_violations(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [v for v in result.get("violations", []) if v.get("impact") in ("serious", "critical")]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = [", ".join(n.get("target", [])) for n in v.get("nodes", [])[:4]]
        lines.append(f"{v['impact']}: {v['id']} — {v['help']} at {targets}")
    return "\n".join(lines)


def dump_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=str))
