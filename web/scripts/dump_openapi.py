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
import tempfile
from pathlib import Path
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
    # point only at loopback, and no app opens a connection while it is being built. They
    # live in a throwaway state directory with its own dev key (the auth app loads it): the
    # dump must not depend on `make dev` having run, nor write into the repository.
    from petshots_devstack.dev_keys import ensure_dev_key
    from petshots_devstack.environment import local_environment
    from petshots_devstack.paths import StateLayout

    with tempfile.TemporaryDirectory(prefix="petshots-openapi-") as tmp:
        state = StateLayout(Path(tmp))
        ensure_dev_key(state.dev_keys)
        for key, value in local_environment(state).items():
            os.environ.setdefault(key, value)
        out = {name: dump(module) for name, module in SERVICES.items()}
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
