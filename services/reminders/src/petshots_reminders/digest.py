"""What one owner's digest says: every due record across their pets, most urgent first."""

from __future__ import annotations

import html
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from petshots_core.mail import Email

DUE_ITEMS = text(
    """
    SELECT d.id, d.pet_id, p.name AS pet_name, d.label, d.expires_on,
           d.expires_on - :today AS days_left, o.reminder_thresholds_days AS thresholds
    FROM documents d
    JOIN pets p ON p.id = d.pet_id
    JOIN owners o ON o.id = d.owner_id
    WHERE d.owner_id = :owner AND d.state = 'ready' AND d.next_remind_on <= :today
    ORDER BY days_left, p.name, d.label, d.id
    """
)

OWNER = text(
    """
    SELECT o.email, o.timezone, o.reminders_enabled,
           (CAST(:instant AS timestamptz) AT TIME ZONE o.timezone)::date AS today,
           NOT EXISTS (SELECT 1 FROM local_identities li
                       WHERE li.sub = o.id AND NOT li.email_verified) AS verified,
           EXISTS (SELECT 1 FROM email_suppressions s WHERE s.email = lower(o.email))
             AS suppressed
    FROM owners o WHERE o.id = :owner
    """
)


@dataclass(frozen=True, slots=True)
class DueItem:
    document_id: uuid.UUID
    pet_id: uuid.UUID
    pet_name: str
    label: str
    expires_on: date
    days_left: int
    crossed: tuple[int, ...]  # every threshold this reminder settles (ledger rows)

    def to_json(self) -> dict[str, Any]:
        return {
            "document_id": str(self.document_id),
            "pet_id": str(self.pet_id),
            "pet_name": self.pet_name,
            "label": self.label,
            "expires_on": self.expires_on.isoformat(),
            "days_left": self.days_left,
            "crossed": list(self.crossed),
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> DueItem:
        return cls(
            document_id=uuid.UUID(raw["document_id"]),
            pet_id=uuid.UUID(raw["pet_id"]),
            pet_name=raw["pet_name"],
            label=raw["label"],
            expires_on=date.fromisoformat(raw["expires_on"]),
            days_left=int(raw["days_left"]),
            crossed=tuple(int(t) for t in raw["crossed"]),
        )


async def due_items(conn: AsyncConnection, owner_id: uuid.UUID, today: date) -> list[DueItem]:
    rows = (await conn.execute(DUE_ITEMS, {"owner": owner_id, "today": today})).all()
    return [
        DueItem(
            document_id=row.id,
            pet_id=row.pet_id,
            pet_name=row.pet_name,
            label=row.label,
            expires_on=row.expires_on,
            days_left=row.days_left,
            # A catch-up after missed days settles every threshold crossed since, in one mail.
            crossed=tuple(sorted({int(t) for t in row.thresholds if t >= row.days_left})),
        )
        for row in rows
    ]


def when(days_left: int) -> str:
    if days_left > 1:
        return f"expires in {days_left} days"
    if days_left == 1:
        return "expires tomorrow"
    if days_left == 0:
        return "expires today"
    if days_left == -1:
        return "expired yesterday"
    return f"expired {-days_left} days ago"


def subject(items: list[DueItem]) -> str:
    if len(items) == 1:
        item = items[0]
        return f"{item.pet_name}'s {item.label} {when(item.days_left)}"
    return f"{len(items)} vaccination records need attention"


def compose(
    items: list[DueItem], *, to: str, base_url: str, unsubscribe_url: str, message_id: str
) -> Email:
    base = base_url.rstrip("/")
    lines = [
        f"- {i.pet_name}: {i.label} {when(i.days_left)} ({i.expires_on:%d %b %Y})"
        f"\n  {base}/pets/{i.pet_id}"
        for i in items
    ]
    text_body = (
        "Hello,\n\nThese vaccination records need your attention:\n\n"
        + "\n".join(lines)
        + "\n\nUpload the new certificate in Petshots once your vet has given it.\n\n"
        f"Stop these reminders: {unsubscribe_url}\n"
    )
    rows = "".join(
        "<tr>"
        f'<td style="padding:6px 12px 6px 0"><strong>{html.escape(i.pet_name)}</strong></td>'
        f'<td style="padding:6px 12px 6px 0">{html.escape(i.label)}</td>'
        f'<td style="padding:6px 12px 6px 0;color:{"#b42318" if i.days_left < 0 else "#b54708"}">'
        f"{html.escape(when(i.days_left))} ({i.expires_on:%d %b %Y})</td>"
        f'<td style="padding:6px 0"><a href="{html.escape(f"{base}/pets/{i.pet_id}")}">'
        "Open</a></td></tr>"
        for i in items
    )
    html_body = (
        '<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1d2939">'
        "<p>Hello,</p><p>These vaccination records need your attention:</p>"
        f'<table role="presentation" style="border-collapse:collapse">{rows}</table>'
        "<p>Upload the new certificate in Petshots once your vet has given it.</p>"
        f'<p style="font-size:12px;color:#667085"><a href="{html.escape(unsubscribe_url)}">'
        "Stop these reminders</a></p></body></html>"
    )
    return Email(
        to=to,
        subject=subject(items),
        text=text_body,
        html=html_body,
        unsubscribe_url=unsubscribe_url,
        message_id=message_id,
    )
