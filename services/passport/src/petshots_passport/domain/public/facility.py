"""The facility check: does this pet meet each required vaccine for the whole stay?

``?requires=rabies,dhpp,bordetella&through=2026-12-24``. A requirement is met by a ready
record of that vaccine (label matched through ``petshots_core.vaccines``: case, spaces,
punctuation and common synonyms ignored) that is valid today and still valid on ``through``
(a record expiring on ``through`` covers it: it is valid through its expiry date).

Per requirement, the best record decides, in this order:

* ``met`` (green): valid through ``through``.
* ``expires_during_stay`` (amber): valid today, expires before ``through``.
* ``no_expiry_date`` (grey): on file without an expiry date. Not counted as met: nothing
  shows it is valid for the stay, so the clerk is told to look at the certificate.
* ``expired`` (red): only expired records.
* ``missing`` (red): no record of that vaccine.

Overall: ``met`` when every requirement is met; ``not_met`` when any is missing, expired or
expires during the stay; otherwise ``check_certificates``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from petshots_core.vaccines import CANONICAL_LABELS, canonical, normalise
from petshots_passport.domain.public.schemas import (
    Colour,
    FacilityCheck,
    Outcome,
    RequirementCheck,
    RequirementResult,
)

MAX_REQUIREMENTS = 12
MAX_REQUIREMENT_LENGTH = 40
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_RESULT_COLOUR: dict[RequirementResult, Colour] = {
    "met": "green",
    "expires_during_stay": "amber",
    "no_expiry_date": "grey",
    "expired": "red",
    "missing": "red",
}
_OUTCOME_COLOUR: dict[Outcome, Colour] = {
    "met": "green",
    "not_met": "red",
    "check_certificates": "grey",
}


class FacilityQueryError(ValueError):
    """The check's parameters cannot be read; the message is safe to show (no echo of input)."""


@dataclass(frozen=True, slots=True)
class Requirement:
    asked: str
    vaccine: str | None  # canonical key
    normalised: str
    name: str


@dataclass(frozen=True, slots=True)
class CheckedRecord:
    id: uuid.UUID
    label: str
    expires_on: date | None


def parse_requirements(values: Sequence[str]) -> list[Requirement]:
    """``["rabies,dhpp", "bordetella"]`` → requirements, de-duplicated, order kept."""
    seen: set[str] = set()
    result: list[Requirement] = []
    if sum(value.count(",") + 1 for value in values) > 4 * MAX_REQUIREMENTS:
        raise FacilityQueryError(f"Ask for at most {MAX_REQUIREMENTS} vaccines at once.")
    for value in values:
        for part in value.split(","):
            asked = part.strip()
            if not asked:
                continue
            if len(asked) > MAX_REQUIREMENT_LENGTH:
                raise FacilityQueryError(
                    f"Each required vaccine name may be up to {MAX_REQUIREMENT_LENGTH} characters."
                )
            norm = normalise(asked)
            if not norm:
                raise FacilityQueryError("Required vaccines must be names like rabies or dhpp.")
            vaccine = canonical(asked)
            key = vaccine or f"label:{norm}"
            if key in seen:
                continue
            seen.add(key)
            name = CANONICAL_LABELS.get(vaccine, asked) if vaccine else asked
            result.append(Requirement(asked=asked, vaccine=vaccine, normalised=norm, name=name))
    if len(result) > MAX_REQUIREMENTS:
        raise FacilityQueryError(f"Ask for at most {MAX_REQUIREMENTS} vaccines at once.")
    return result


def parse_through(value: str | None) -> date | None:
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not _DATE.fullmatch(text):
        raise FacilityQueryError("The stay's last day must be a date like 2026-12-24.")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise FacilityQueryError("The stay's last day is not a real date.") from exc


def _matches(requirement: Requirement, label: str) -> bool:
    if requirement.vaccine is not None:
        return canonical(label) == requirement.vaccine
    norm = normalise(label)
    return norm == requirement.normalised or (
        len(requirement.normalised) >= 4 and norm.startswith(requirement.normalised)
    )


def _latest(records: list[CheckedRecord]) -> CheckedRecord:
    return max(records, key=lambda r: r.expires_on or date.min)


def _judge(
    requirement: Requirement, records: Sequence[CheckedRecord], today: date, through: date
) -> tuple[RequirementResult, CheckedRecord | None]:
    matching = [r for r in records if _matches(requirement, r.label)]
    dated = [r for r in matching if r.expires_on is not None]
    need = max(today, through)
    covering = [r for r in dated if r.expires_on is not None and r.expires_on >= need]
    if covering:
        return "met", _latest(covering)
    valid_now = [r for r in dated if r.expires_on is not None and r.expires_on >= today]
    if valid_now:
        return "expires_during_stay", _latest(valid_now)
    undated = [r for r in matching if r.expires_on is None]
    if undated:
        return "no_expiry_date", undated[0]
    if dated:
        return "expired", _latest(dated)
    return "missing", None


# English whatever the process locale (strftime's %b follows it), and without strftime, which
# cost more than the rest of a record's line on the passport page.
_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def human_date(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month]} {day.year}"


def _text(result: RequirementResult, record: CheckedRecord | None) -> str:
    expires = human_date(record.expires_on) if record and record.expires_on else ""
    return {
        "met": f"Valid until {expires}",
        "expires_during_stay": f"Expires {expires}, during the stay",
        "no_expiry_date": "No expiry date on file: check the certificate",
        "expired": f"Expired on {expires}",
        "missing": "No record of this vaccine",
    }[result]


def evaluate(
    requirements: Sequence[Requirement],
    records: Sequence[CheckedRecord],
    *,
    today: date,
    through: date | None,
) -> FacilityCheck:
    last_day = through or today
    checks: list[RequirementCheck] = []
    for requirement in requirements:
        result, record = _judge(requirement, records, today, last_day)
        checks.append(
            RequirementCheck(
                requirement=requirement.asked,
                vaccine=requirement.vaccine,
                name=requirement.name,
                result=result,
                colour=_RESULT_COLOUR[result],
                text=_text(result, record),
                record_id=record.id if record else None,
                expires_on=record.expires_on if record else None,
            )
        )
    results = {c.result for c in checks}
    outcome: Outcome
    if results <= {"met"}:
        outcome = "met"
    elif results & {"missing", "expired", "expires_during_stay"}:
        outcome = "not_met"
    else:
        outcome = "check_certificates"
    text = {
        "met": f"Meets every requirement through {human_date(last_day)}",
        "not_met": f"Does not meet the requirements through {human_date(last_day)}",
        "check_certificates": "Check the certificates: some records have no expiry date",
    }[outcome]
    return FacilityCheck(
        through=last_day,
        outcome=outcome,
        colour=_OUTCOME_COLOUR[outcome],
        text=text,
        requirements=checks,
    )
