"""docs/passport.md publishes the JSON schema and the settings; they cannot drift."""

from __future__ import annotations

import json
import re
from pathlib import Path

import msgspec

from petshots_core.settings import Settings
from petshots_passport.domain.public.schemas import PublicPassport
from petshots_passport.settings import PassportSettings

DOC = Path(__file__).resolve().parents[3] / "docs" / "passport.md"


def test_json_schema_in_the_docs_matches_the_code() -> None:
    text = DOC.read_text()
    block = re.search(
        r"<!-- passport-json-schema:start -->\n```json\n(.*?)\n```\n<!-- passport-json-schema:end -->",
        text,
        re.DOTALL,
    )
    assert block, "schema block missing from docs/passport.md"
    assert json.loads(block.group(1)) == msgspec.json.schema(PublicPassport)


def test_every_passport_setting_is_documented() -> None:
    text = DOC.read_text()
    own = set(PassportSettings.model_fields) - set(Settings.model_fields)
    missing = sorted(f"PETSHOTS_{f.upper()}" for f in own if f"`PETSHOTS_{f.upper()}`" not in text)
    assert own and missing == []
