"""docs/configuration.md lists every setting of every settings class, so it cannot drift."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from pydantic_settings import BaseSettings

from petshots_core.settings import Settings

DOC = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"
SERVICES = ("petshots_auth", "petshots_passport", "petshots_records", "petshots_reminders")


def settings_classes() -> list[type[BaseSettings]]:
    for name in SERVICES:
        try:
            package = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        for module in pkgutil.walk_packages(package.__path__, f"{name}."):
            if module.name.endswith("settings"):
                importlib.import_module(module.name)
    found: list[type[BaseSettings]] = [Settings]
    stack = list(Settings.__subclasses__())
    while stack:
        cls = stack.pop()
        found.append(cls)
        stack.extend(cls.__subclasses__())
    return found


def test_every_setting_is_documented() -> None:
    text = DOC.read_text()
    missing = sorted(
        f"PETSHOTS_{field.upper()}"
        for cls in settings_classes()
        for field in cls.model_fields
        if f"`PETSHOTS_{field.upper()}`" not in text
    )
    assert missing == []
