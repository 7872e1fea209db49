"""The API's literal spellings match the enums the rules and tables use."""

from __future__ import annotations

from typing import get_args

from petshots_core.models import Species as SpeciesColumn
from petshots_core.status import Status
from petshots_core.wire import Species, StatusName


def test_wire_literals_match_the_enums() -> None:
    assert set(get_args(Species)) == {s.value for s in SpeciesColumn}
    assert set(get_args(StatusName)) == {s.value for s in Status}
