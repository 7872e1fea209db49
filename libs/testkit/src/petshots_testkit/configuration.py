"""Every setting the services read: what docs/configuration.md and the Terraform stack's Helm
values are checked against."""

from __future__ import annotations

import importlib
import pkgutil

from petshots_core.settings import Settings

SERVICE_PACKAGES = ("petshots_auth", "petshots_passport", "petshots_records", "petshots_reminders")


def settings_classes() -> list[type[Settings]]:
    """``Settings`` and every subclass of it in the services' ``*settings`` modules (a service
    missing from this environment is skipped)."""
    for name in SERVICE_PACKAGES:
        try:
            package = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        for module in pkgutil.walk_packages(package.__path__, f"{name}."):
            if module.name.endswith("settings"):
                importlib.import_module(module.name)
    found: list[type[Settings]] = []
    stack: list[type[Settings]] = [Settings]
    while stack:
        cls = stack.pop()
        found.append(cls)
        stack.extend(cls.__subclasses__())
    return found


def setting_names() -> set[str]:
    """The environment name (``PETSHOTS_<FIELD>``) of every setting of every class."""
    return {f"PETSHOTS_{field.upper()}" for cls in settings_classes() for field in cls.model_fields}
