"""Server-rendered passport pages: no JavaScript, one inline stylesheet, mobile first.

The stylesheet is a constant, so the Content-Security-Policy allows it by its SHA-256 hash
(no nonce to generate, no 'unsafe-inline'). The <title> never names the pet and there are no
Open Graph or Twitter tags: chat apps build link previews from exactly those.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from petshots_core.status import owner_zone
from petshots_passport.domain.public.facility import human_date
from petshots_passport.domain.public.schemas import FacilityCheck, PublicPassport, PublicRecord

STYLE = (
    ":root{color-scheme:light;font:16px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
    "color:#1d232b;background:#f3f4f6}"
    "body{margin:0}main{max-width:40rem;margin:0 auto;padding:1rem}"
    "h1{font-size:1.6rem;line-height:1.2;margin:0}h2{font-size:1.05rem;margin:0 0 .5rem}"
    ".pet{display:flex;gap:1rem;align-items:center}"
    ".pet img{width:5rem;height:5rem;border-radius:50%;object-fit:cover;background:#dde1e6}"
    ".sub,.meta,footer{color:#4a5560}.sub{margin:.15rem 0 0}.meta{font-size:.9rem;margin:.75rem 0}"
    ".card{background:#fff;border-radius:.75rem;padding:1rem;margin:0 0 1rem;"
    "box-shadow:0 1px 2px #0002}"
    "ul{list-style:none;margin:0;padding:0}"
    "li{display:flex;flex-wrap:wrap;align-items:center;gap:.2rem .75rem;padding:.65rem 0;"
    "border-top:1px solid #e6e8eb}li:first-child{border-top:0}"
    ".lbl{font-weight:600;flex:1 1 9rem}.when{flex-basis:100%;font-size:.95rem;color:#4a5560}"
    ".st{font-weight:700;padding:.1rem .65rem;border-radius:1rem;white-space:nowrap}"
    ".green .st,.v.green{background:#d5f5dd;color:#0a5a20}"
    ".amber .st,.v.amber{background:#fdebc4;color:#744700}"
    ".red .st,.v.red{background:#fde0de;color:#9a1b1b}"
    ".grey .st,.v.grey{background:#e6e8eb;color:#37404a}"
    ".v{font-weight:700;padding:.55rem .75rem;border-radius:.5rem;margin:0 0 .5rem}"
    "a{color:#0b57d0}"
    "label{display:block;margin:.6rem 0 .2rem}"
    "input{font:inherit;padding:.45rem;width:100%;box-sizing:border-box;border:1px solid #9aa3ad;"
    "border-radius:.4rem}"
    "button{font:inherit;margin-top:.75rem;padding:.5rem 1.2rem;border:0;border-radius:.4rem;"
    "background:#1d232b;color:#fff}"
    "summary{font-weight:600;cursor:pointer}footer{font-size:.85rem}"
)
STYLE_HASH = "sha256-" + base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()

_HEAD = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width,initial-scale=1">'
    '<meta name="robots" content="noindex,nofollow"><meta name="referrer" content="no-referrer">'
    f"<title>Pet passport</title><style>{STYLE}</style></head><body><main>"
)
_TAIL = "</main></body></html>"
_SPECIES = {"dog": "Dog", "cat": "Cat", "other": "Pet"}
_RESULT_WORDS = {
    "met": "Met",
    "expires_during_stay": "Expires during stay",
    "no_expiry_date": "No expiry date",
    "expired": "Expired",
    "missing": "Missing",
}


def _page(body: str) -> bytes:
    return (_HEAD + body + _TAIL).encode()


def _message(title: str, text: str) -> bytes:
    return _page(f'<div class="card"><h1>{escape(title)}</h1><p>{escape(text)}</p></div>')


# Constant bodies: a revoked token and one that never existed get these very bytes.
NOT_FOUND_PAGE = _message(
    "Passport not found",
    "This passport link does not open any records. Check the link, or ask the pet's owner "
    "for a new one.",
)
EXPIRED_PAGE = _message(
    "Passport expired",
    "This passport link has expired. Ask the pet's owner for a new one.",
)
RATE_LIMITED_PAGE = _message(
    "Too many requests",
    "Too many passport requests came from this network. Wait a minute and try again.",
)
LINK_PREVIEW_PAGE = _message(
    "Pet passport",
    "A pet's vaccination records, shared through Petshots. Open the link in a browser to see them.",
)


def bad_request_page(detail: str) -> bytes:
    return _message("That check could not be read", detail)


def _checked_at(instant: datetime, zone: ZoneInfo) -> str:
    local = instant.astimezone(zone)
    return f"{human_date(local.date())}, {local:%H:%M} {local.tzname() or zone.key}"


def _expiry_text(record: PublicRecord) -> str:
    if record.expires_on is None:
        return "No expiry date"
    days = record.days_to_expiry or 0
    when = human_date(record.expires_on)
    if days < 0:
        ago = -days
        return f"Expired {when} ({ago} day{'s' if ago != 1 else ''} ago)"
    if days == 0:
        return f"Expires {when} (today)"
    return f"Expires {when} (in {days} day{'s' if days != 1 else ''})"


def _record(record: PublicRecord, token: str) -> str:
    return (
        f'<li class="{record.colour}"><span class="lbl">{escape(record.label)}</span>'
        f'<span class="st">{escape(record.status_text)}</span>'
        f'<span class="when">{escape(_expiry_text(record))} · '
        f'<a href="/p/{token}/docs/{record.id}">Certificate</a></span></li>'
    )


def _check(check: FacilityCheck) -> str:
    items = "".join(
        f'<li class="{item.colour}"><span class="lbl">{escape(item.name)}</span>'
        f'<span class="st">{_RESULT_WORDS[item.result]}</span>'
        f'<span class="when">{escape(item.text)}</span></li>'
        for item in check.requirements
    )
    return (
        '<section class="card" id="check"><h2>Requirements for the stay</h2>'
        f'<p class="v {check.colour}">{escape(check.text)}</p><ul>{items}</ul></section>'
    )


def _form(token: str, requires: str, through: str) -> str:
    return (
        f'<details class="card"{" open" if requires else ""}><summary>Check requirements for a stay'
        f'</summary><form method="get" action="/p/{token}">'
        '<label for="requires">Required vaccines (comma-separated)</label>'
        f'<input id="requires" name="requires" value="{escape(requires)}" '
        'placeholder="rabies, dhpp, bordetella" maxlength="200" autocomplete="off">'
        '<label for="through">Last day of the stay</label>'
        f'<input id="through" name="through" type="date" value="{escape(through)}">'
        "<button>Check</button></form></details>"
    )


def passport_page(view: PublicPassport, *, token: str, requires: str, through: str) -> bytes:
    """``token`` must be token-shaped (URL-safe alphabet only): it is placed in links as is."""
    zone = owner_zone(view.time_zone)
    pet = view.pet
    photo = (
        f'<img src="{escape(pet.photo_url)}" alt="" width="80" height="80">'
        if pet.photo_url
        else ""
    )
    kind = _SPECIES.get(pet.species, "Pet") + (f" · {escape(pet.breed)}" if pet.breed else "")
    records = (
        "<ul>" + "".join(_record(r, token) for r in view.records) + "</ul>"
        if view.records
        else "<p>No vaccination records have been shared yet.</p>"
    )
    expiry = "The owner can withdraw this link at any time."
    if view.passport_expires_at:
        last = human_date(view.passport_expires_at.astimezone(zone).date())
        expiry = f"This link stops working on {last}."
    body = (
        f'<header class="pet">{photo}<div><h1>{escape(pet.name)}</h1>'
        f'<p class="sub">{kind}</p></div></header>'
        f'<p class="meta">Checked at <time datetime="{view.checked_at.isoformat()}">'
        f"{escape(_checked_at(view.checked_at, zone))}</time>. Statuses as of "
        f"{human_date(view.today)}.</p>"
        + (_check(view.check) if view.check else "")
        + f'<section class="card"><h2>Vaccination records</h2>{records}</section>'
        + _form(token, requires, through)
        + f"<footer><p>Shared by the pet's owner through Petshots. {expiry}</p></footer>"
    )
    return _page(body)
