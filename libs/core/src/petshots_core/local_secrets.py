"""Secrets a local run may generate for itself; production must supply them.

Local runs and tests should not need a secrets manager, but must not share a hard-coded
secret either: a random one is created once under the state directory (0600) and reused.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from pydantic import SecretStr

from petshots_core.settings import Settings


class MissingSecret(RuntimeError):
    pass


def resolve_secret(settings: Settings, value: SecretStr | None, name: str) -> bytes:
    """The configured secret, or (outside production) one persisted under ``state_dir``."""
    if value is not None and value.get_secret_value():
        return value.get_secret_value().encode()
    if settings.env == "production":
        raise MissingSecret(f"PETSHOTS_{name.upper()} must be set in production")
    path = Path(settings.state_dir) / "secrets" / name
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(48))
    return path.read_bytes().strip()
