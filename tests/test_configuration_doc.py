"""docs/configuration.md lists every setting of every settings class, so it cannot drift."""

from __future__ import annotations

from pathlib import Path

from petshots_testkit.configuration import setting_names

DOC = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"


def test_every_setting_is_documented() -> None:
    text = DOC.read_text()
    missing = sorted(name for name in setting_names() if f"`{name}`" not in text)
    assert missing == []
