"""A live passport → the public facts, with statuses computed in the owner's time zone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from petshots_core.status import attention_sort_key, days_to_expiry, owner_zone, record_status
from petshots_core.vaccines import canonical
from petshots_passport.domain.public.facility import CheckedRecord, Requirement, evaluate
from petshots_passport.domain.public.schemas import (
    FORMAT,
    PublicPassport,
    PublicPet,
    PublicRecord,
)
from petshots_passport.domain.public.services import LivePassport


def present(
    passport: LivePassport,
    *,
    token: str,
    now: datetime,
    base_url: str,
    photo_url: str | None,
    requirements: Sequence[Requirement],
    through: date | None,
) -> PublicPassport:
    zone = owner_zone(passport.time_zone)
    today = now.astimezone(zone).date()
    due = passport.due_soon_days
    records: list[PublicRecord] = []
    for record in passport.records:
        status = record_status(record.expires_on, today, due)
        records.append(
            PublicRecord(
                id=record.id,
                label=record.label,
                vaccine=canonical(record.label),
                expires_on=record.expires_on,
                given_on=record.given_on,
                status=status.value,
                colour=status.colour,  # type: ignore[arg-type]
                status_text=status.word,
                days_to_expiry=days_to_expiry(record.expires_on, today),
                certificate_url=f"{base_url}/p/{token}/docs/{record.id}",
            )
        )
    records.sort(
        key=lambda r: (
            attention_sort_key(record_status(r.expires_on, today, due), r.expires_on),
            r.label.lower(),
        )
    )
    check = (
        evaluate(
            requirements,
            [CheckedRecord(r.id, r.label, r.expires_on) for r in passport.records],
            today=today,
            through=through,
        )
        if requirements
        else None
    )
    return PublicPassport(
        format=FORMAT,
        checked_at=now,
        today=today,
        time_zone=zone.key,
        due_soon_days=due,
        passport_expires_at=passport.expires_at,
        pet=PublicPet(
            name=passport.pet_name,
            species=passport.species,  # type: ignore[arg-type]  # constrained by a CHECK
            breed=passport.breed,
            photo_url=photo_url,
        ),
        records=records,
        check=check,
    )
