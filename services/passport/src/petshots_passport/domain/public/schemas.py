"""``GET /p/{token}.json``: the passport's facts for facility software.

This is a public contract, published as JSON Schema in docs/passport.md (a test keeps the
two equal): add fields, never rename or remove them without a new ``format``.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from petshots_core.wire import Species, StatusName

FORMAT: Literal["petshots.passport.v1"] = "petshots.passport.v1"

Colour = Literal["red", "amber", "green", "grey"]
RequirementResult = Literal["met", "expires_during_stay", "no_expiry_date", "expired", "missing"]
Outcome = Literal["met", "not_met", "check_certificates"]


def _d(text: str) -> msgspec.Meta:
    return msgspec.Meta(description=text)


class PublicPet(msgspec.Struct, kw_only=True):
    name: str
    species: Species
    breed: str | None
    photo_url: Annotated[
        str | None, _d("Presigned link to the pet's photo, valid for a few minutes; null: none")
    ]


class PublicRecord(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    label: Annotated[str, _d("The vaccine as the owner labelled it")]
    vaccine: Annotated[
        str | None,
        _d("Canonical vaccine key (rabies, dhpp, bordetella, ...) or null if not recognised"),
    ]
    expires_on: Annotated[date | None, _d("Last day the vaccination is valid; null: no date")]
    given_on: date | None
    status: Annotated[StatusName, _d("Status on `today` in the owner's time zone")]
    colour: Colour
    status_text: Annotated[str, _d("The status in words: Current, Due soon, Expired, No expiry")]
    days_to_expiry: Annotated[int | None, _d("Days from `today` to expiry; negative once expired")]
    certificate_url: Annotated[
        str, _d("Redirects (302) to a download of the certificate valid for at most 5 minutes")
    ]


class RequirementCheck(msgspec.Struct, kw_only=True):
    requirement: Annotated[str, _d("The requirement as asked in `requires`")]
    vaccine: Annotated[str | None, _d("Canonical vaccine key; null when not a known vaccine")]
    name: Annotated[str, _d("Display name of the requirement")]
    result: RequirementResult
    colour: Colour
    text: Annotated[str, _d("The result in plain words")]
    record_id: Annotated[uuid.UUID | None, _d("The record that decided the result")]
    expires_on: date | None


class FacilityCheck(msgspec.Struct, kw_only=True):
    through: Annotated[date, _d("Last day of the stay checked (today when not asked)")]
    outcome: Annotated[
        Outcome,
        _d(
            "met: every requirement met; not_met: one is missing, expired or ends during the "
            "stay; check_certificates: otherwise (records without an expiry date)"
        ),
    ]
    colour: Colour
    text: str
    requirements: list[RequirementCheck]


class PublicPassport(msgspec.Struct, kw_only=True):
    """A pet passport as facility software sees it (``GET /p/{token}.json``)."""

    format: Annotated[Literal["petshots.passport.v1"], _d("Schema identifier")]
    checked_at: Annotated[
        datetime, msgspec.Meta(tz=True, description="The instant of this answer (UTC, RFC 3339)")
    ]
    today: Annotated[date, _d("The owner's calendar date the statuses are computed for")]
    time_zone: Annotated[str, _d("The owner's IANA time zone")]
    due_soon_days: Annotated[int, _d("Records expiring within this many days are due_soon")]
    passport_expires_at: (
        Annotated[
            datetime,
            msgspec.Meta(tz=True, description="When this link stops working; null: until revoked"),
        ]
        | None
    )
    pet: PublicPet
    records: Annotated[list[PublicRecord], _d("Every ready record, most urgent first")]
    check: Annotated[
        FacilityCheck | None, _d("The facility check when `requires` was given, else null")
    ]


class PublicError(msgspec.Struct, kw_only=True):
    error: Literal["not_found", "expired", "rate_limited", "invalid_request"]
    detail: str
