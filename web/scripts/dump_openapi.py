"""Print the OpenAPI documents of the Petshots services the SPA talks to, as one JSON object.

Run from the repository root with ``uv run python web/scripts/dump_openapi.py``. The apps are
built in-process (no server, no network): each service's ``create_app`` only wires routes.
A service that is not installed yet is reported as null so the caller can keep its last
committed types rather than fail.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from typing import Any

SERVICES = {
    "records": "petshots_records.app",
    "auth": "petshots_auth.app",
    "passport": "petshots_passport.app",
}


def dump(module_name: str) -> dict[str, Any] | None:
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError:
        return None
    app = module.create_app()
    schema: dict[str, Any] = app.openapi_schema.to_schema()
    return schema


def main() -> int:
    # The apps read their settings at build time; the local stack's settings are complete and
    # point only at loopback, and no app opens a connection while it is being built.
    from petshots_devstack.environment import local_environment

    for key, value in local_environment().items():
        os.environ.setdefault(key, value)
    out = {name: dump(module) for name, module in SERVICES.items()}
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
