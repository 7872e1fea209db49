"""The facility check as a pure rule: met / missing / expires during the stay / no expiry."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from petshots_passport.domain.public.facility import (
    MAX_REQUIREMENTS,
    CheckedRecord,
    FacilityQueryError,
    evaluate,
    parse_requirements,
    parse_through,
)

TODAY = date(2026, 11, 20)
THROUGH = date(2026, 12, 24)


def rec(label: str, expires_on: date | None) -> CheckedRecord:
    return CheckedRecord(uuid.uuid4(), label, expires_on)


def results(
    records: list[CheckedRecord], asked: str, through: date | None = THROUGH
) -> dict[str, str]:
    check = evaluate(parse_requirements([asked]), records, today=TODAY, through=through)
    return {item.requirement: item.result for item in check.requirements}


def test_each_outcome() -> None:
    records = [
        rec("Rabies (3 year)", date(2028, 1, 1)),  # met
        rec("DA2PP", date(2026, 12, 10)),  # valid today, ends during the stay
        rec("Kennel cough", None),  # no expiry date on file
        rec("Leptospirosis", date(2026, 1, 5)),  # expired
    ]
    assert results(records, "rabies,dhpp,bordetella,lepto,lyme") == {
        "rabies": "met",
        "dhpp": "expires_during_stay",
        "bordetella": "no_expiry_date",
        "lepto": "expired",
        "lyme": "missing",
    }


def test_the_best_record_decides_and_the_last_day_counts() -> None:
    older, newer = rec("DHPP", date(2026, 12, 1)), rec("Distemper/Parvo", THROUGH)
    check = evaluate(parse_requirements(["DHPP"]), [older, newer], today=TODAY, through=THROUGH)
    item = check.requirements[0]
    # Valid through its expiry date: a record expiring on the last day covers the stay.
    assert (item.result, item.record_id, item.expires_on) == ("met", newer.id, THROUGH)
    assert check.outcome == "met" and check.colour == "green"
    one_day_short = rec("DHPP", THROUGH - timedelta(days=1))
    assert results([one_day_short], "dhpp") == {"dhpp": "expires_during_stay"}


def test_overall_outcome() -> None:
    met = [rec("Rabies", date(2030, 1, 1))]
    assert (
        evaluate(parse_requirements(["rabies"]), met, today=TODAY, through=THROUGH).outcome == "met"
    )
    undated = [*met, rec("Bordetella", None)]
    check = evaluate(
        parse_requirements(["rabies,bordetella"]), undated, today=TODAY, through=THROUGH
    )
    assert (check.outcome, check.colour) == ("check_certificates", "grey")
    failing = [*undated, rec("DHPP", date(2026, 12, 1))]
    check = evaluate(
        parse_requirements(["rabies,bordetella,dhpp"]), failing, today=TODAY, through=THROUGH
    )
    assert (check.outcome, check.colour) == ("not_met", "red")


def test_without_a_last_day_the_check_is_for_today() -> None:
    records = [rec("Rabies", TODAY), rec("FVRCP", TODAY - timedelta(days=1))]
    check = evaluate(parse_requirements(["rabies,fvrcp"]), records, today=TODAY, through=None)
    assert check.through == TODAY
    assert [i.result for i in check.requirements] == ["met", "expired"]


def test_a_last_day_in_the_past_still_needs_a_record_valid_today() -> None:
    records = [rec("Rabies", TODAY - timedelta(days=3))]
    assert results(records, "rabies", TODAY - timedelta(days=10)) == {"rabies": "expired"}


@pytest.mark.parametrize(
    ("asked", "label"),
    [
        ("rabies", "RABIES - 3yr"),
        ("DHPP", "DAPP"),
        ("dhpp", "D.A.2.P.P."),
        ("bordetella", "Kennel Cough (intranasal)"),
        ("Kennel cough", "Bordetella"),
        ("FVRCP", "fvrcp booster"),
        ("giardia", "Giardia"),  # not a known vaccine: matched on its normalised name
    ],
)
def test_labels_match_case_punctuation_and_synonyms(asked: str, label: str) -> None:
    assert results([rec(label, date(2030, 1, 1))], asked)[asked] == "met"


def test_unrelated_labels_do_not_match() -> None:
    assert results([rec("Rabies", date(2030, 1, 1))], "dhpp") == {"dhpp": "missing"}
    assert results([rec("Giardia", date(2030, 1, 1))], "lyme") == {"lyme": "missing"}


def test_requirement_parsing() -> None:
    reqs = parse_requirements(["rabies, DHPP,,da2pp", "kennel cough"])
    assert [(r.asked, r.vaccine, r.name) for r in reqs] == [
        ("rabies", "rabies", "Rabies"),
        ("DHPP", "dhpp", "DHPP"),  # da2pp is the same vaccine: asked once
        ("kennel cough", "bordetella", "Bordetella"),
    ]
    assert parse_requirements([]) == [] and parse_requirements([" , "]) == []
    with pytest.raises(FacilityQueryError):
        parse_requirements([",".join(f"v{i}" for i in range(MAX_REQUIREMENTS + 1))])
    with pytest.raises(FacilityQueryError):
        parse_requirements(["x" * 41])
    with pytest.raises(FacilityQueryError):
        parse_requirements(["!!!"])


@pytest.mark.parametrize("bad", ["2026-13-01", "2026-02-30", "24/12/2026", "20261224", "tomorrow"])
def test_bad_last_days_are_rejected(bad: str) -> None:
    with pytest.raises(FacilityQueryError):
        parse_through(bad)


def test_last_day_parsing() -> None:
    assert parse_through("2026-12-24") == THROUGH
    assert parse_through(None) is None and parse_through("") is None
