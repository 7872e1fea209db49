"""The public passport: page, JSON, certificate links, revocation, expiry, view log."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from petshots_core.status import today_in
from petshots_passport.tokens import new_token
from petshots_testkit.api import PDF, PNG
from petshots_testkit.logscan import LogTap

BROWSER = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
REQUIRED = {
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-robots-tag": "noindex, nofollow",
    "x-content-type-options": "nosniff",
}


def assert_public_headers(r: httpx.Response, storage: str) -> None:
    for name, value in REQUIRED.items():
        assert r.headers.get(name) == value, (r.status_code, name, r.headers.get(name))
    csp = r.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert re.fullmatch(r"'sha256-[A-Za-z0-9+/]+=*'", directives["style-src"])
    assert directives["img-src"] == storage  # storage only, from settings
    assert "unsafe-inline" not in csp and "script-src" not in csp


def days(n: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=n)).isoformat()


async def view_rows(db: AsyncEngine, passport_id: str) -> list[Any]:
    async with db.connect() as conn:
        return list(
            (
                await conn.execute(
                    text("SELECT * FROM passport_views WHERE passport_id = :p ORDER BY id"),
                    {"p": uuid.UUID(passport_id)},
                )
            ).all()
        )


async def test_create_view_revoke_then_404_on_the_very_next_request(
    person: Any, client: AsyncTestClient[Litestar]
) -> None:
    pet = await person.records.new_pet("Ollie")
    doc = await person.records.new_doc(pet["id"], label="Rabies", expires_on=days(200))
    passport = await person.new_passport(pet["id"])
    page = person.public_path(passport)

    r = await client.get(page, headers={"User-Agent": BROWSER})
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert "Ollie" in r.text and "Rabies" in r.text
    assert (await client.get(page + ".json")).status_code == 200
    assert (await client.get(f"{page}/docs/{doc['id']}", follow_redirects=False)).status_code == 302

    assert (await person.call("DELETE", f"/api/passports/{passport['id']}")).status_code == 204
    gone = await client.get(page, headers={"User-Agent": BROWSER})
    assert gone.status_code == 404
    assert "Ollie" not in gone.text and "Rabies" not in gone.text
    assert (await client.get(page + ".json")).status_code == 404
    assert (await client.get(f"{page}/docs/{doc['id']}")).status_code == 404


async def test_expired_passport_is_410_everywhere(
    s3_endpoint: str,
    person: Any,
    client: AsyncTestClient[Litestar],
    expire_passport: Any,
    db: AsyncEngine,
) -> None:
    pet = await person.records.new_pet("Ollie")
    doc = await person.records.new_doc(pet["id"])
    passport = await person.new_passport(pet["id"], expires_in_days=1)
    await expire_passport(passport["id"])
    page = person.public_path(passport)

    r = await client.get(page)
    assert r.status_code == 410
    assert "expired" in r.text.lower() and "Ollie" not in r.text
    assert_public_headers(r, s3_endpoint)
    j = await client.get(page + ".json")
    assert j.status_code == 410 and j.json()["error"] == "expired"
    assert (await client.get(f"{page}/docs/{doc['id']}")).status_code == 410
    assert await view_rows(db, passport["id"]) == []  # nothing was shown, nothing is logged


async def test_revoked_and_never_existed_are_the_same_bytes(
    person: Any, client: AsyncTestClient[Litestar]
) -> None:
    pet = await person.records.new_pet("Ollie")
    doc = await person.records.new_doc(pet["id"])
    passport = await person.new_passport(pet["id"])
    await person.call("DELETE", f"/api/passports/{passport['id']}")
    revoked, never = person.token_of(passport), new_token()

    for suffix in ("", ".json", f"/docs/{doc['id']}"):
        a = await client.get(f"/p/{revoked}{suffix}")
        b = await client.get(f"/p/{never}{suffix}")
        assert a.status_code == b.status_code == 404, suffix
        assert a.content == b.content, suffix
        strip = {"x-request-id"}
        assert {k: v for k, v in a.headers.items() if k not in strip} == {
            k: v for k, v in b.headers.items() if k not in strip
        }
    # Malformed tokens and odd paths get the very same page too.
    reference = (await client.get(f"/p/{never}")).content
    for odd in ("/p/short", "/p/" + "A" * 33, f"/p/{never}/docs/not-a-uuid", f"/p/{never}/x"):
        r = await client.get(odd)
        assert r.status_code == 404 and r.content == reference, odd


async def test_headers_on_every_kind_of_answer(
    s3_endpoint: str, person: Any, client: AsyncTestClient[Litestar], expire_passport: Any
) -> None:
    pet = await person.records.new_pet("Ollie")
    doc = await person.records.new_doc(pet["id"])
    live = await person.new_passport(pet["id"])
    old = await person.new_passport(pet["id"])
    await expire_passport(old["id"])
    answers = {
        "200": await client.get(person.public_path(live)),
        "200 json": await client.get(person.public_path(live, ".json")),
        "302": await client.get(
            person.public_path(live, f"/docs/{doc['id']}"), follow_redirects=False
        ),
        "400": await client.get(person.public_path(live) + "?through=someday&requires=rabies"),
        "404": await client.get(f"/p/{new_token()}"),
        "404 json": await client.get(f"/p/{new_token()}.json"),
        "410": await client.get(person.public_path(old)),
        "405": await client.post(person.public_path(live)),
        "bare": await client.get("/p"),
    }
    expected = {
        "200": 200,
        "200 json": 200,
        "302": 302,
        "400": 400,
        "404": 404,
        "404 json": 404,
        "410": 410,
        "405": 405,
        "bare": 404,
    }
    for name, r in answers.items():
        assert r.status_code == expected[name], (name, r.status_code)
        assert_public_headers(r, s3_endpoint)
    # 429 is covered with its own app in test_rate_limit.py.


async def test_page_shows_only_this_pet_and_never_the_owner(
    person: Any, client: AsyncTestClient[Litestar], set_owner: Any
) -> None:
    ollie = await person.records.new_pet("Ollie", breed="Beagle")
    biscuit = await person.records.new_pet("Biscuit", species="cat")
    await person.records.new_doc(ollie["id"], label="Rabies", expires_on=days(100))
    await person.records.new_doc(ollie["id"], label="Pending-Lepto", complete=False)
    await person.records.new_doc(biscuit["id"], label="FVRCP-of-Biscuit", expires_on=days(100))
    email = f"owner-{uuid.uuid4().hex[:6]}@example.com"
    await set_owner(person.sub, email=email)
    passport = await person.new_passport(ollie["id"], "Happy Paws Daycare")

    html = (await client.get(person.public_path(passport), headers={"User-Agent": BROWSER})).text
    body = (await client.get(person.public_path(passport, ".json"))).text
    for text_ in (html, body):
        assert "Ollie" in text_ and "Rabies" in text_
        assert email not in text_ and "example.com" not in text_
        assert "Biscuit" not in text_ and "FVRCP-of-Biscuit" not in text_
        assert "Pending-Lepto" not in text_
        assert str(person.sub) not in text_ and ollie["id"] not in text_
        assert "Happy Paws" not in text_  # the owner's label for the link is private too
    assert "Beagle" in html
    # No link-preview metadata, and the title names no pet.
    assert "og:" not in html and "twitter:" not in html
    assert "<title>Pet passport</title>" in html
    assert "<script" not in html


async def test_json_carries_the_same_facts(
    person: Any, client: AsyncTestClient[Litestar], passport_settings: Any
) -> None:
    pet = await person.records.new_pet("Ollie")
    rabies = await person.records.new_doc(pet["id"], label="Rabies", expires_on=days(200))
    dhpp = await person.records.new_doc(pet["id"], label="DA2PP", expires_on=days(10))
    lepto = await person.records.new_doc(pet["id"], label="Lepto", expires_on=days(-3))
    kc = await person.records.new_doc(pet["id"], label="Kennel cough", expires_on=None)
    passport = await person.new_passport(pet["id"])
    r = await client.get(person.public_path(passport, ".json"))
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    data = r.json()
    assert data["format"] == "petshots.passport.v1"
    assert data["pet"] == {"name": "Ollie", "species": "dog", "breed": None, "photo_url": None}
    assert data["time_zone"] == "UTC" and data["due_soon_days"] == 30
    assert data["passport_expires_at"] == passport["expires_at"]
    assert data["check"] is None
    got = {rec["id"]: (rec["status"], rec["colour"], rec["status_text"]) for rec in data["records"]}
    assert got == {
        lepto["id"]: ("expired", "red", "Expired"),
        dhpp["id"]: ("due_soon", "amber", "Due soon"),
        rabies["id"]: ("current", "green", "Current"),
        kc["id"]: ("no_expiry", "grey", "No expiry"),
    }
    # Most urgent first, like the dashboard.
    assert [rec["id"] for rec in data["records"]] == [
        lepto["id"],
        dhpp["id"],
        rabies["id"],
        kc["id"],
    ]
    first = data["records"][0]
    assert first["vaccine"] == "leptospirosis" and first["days_to_expiry"] == -3
    base = passport_settings.public_base_url
    assert first["certificate_url"] == f"{base}{person.public_path(passport)}/docs/{lepto['id']}"
    # The HTML page shows each status as colour and word.
    html = (await client.get(person.public_path(passport))).text
    for colour, word in (
        ("red", "Expired"),
        ("amber", "Due soon"),
        ("green", "Current"),
        ("grey", "No expiry"),
    ):
        assert re.search(rf'<li class="{colour}">.*?<span class="st">{word}</span>', html), word
    assert "Checked at <time" in html


async def test_statuses_follow_the_owners_time_zone_and_window(
    person: Any, client: AsyncTestClient[Litestar], set_owner: Any
) -> None:
    pet = await person.records.new_pet("Ollie")
    # UTC-11 and UTC+14 are never on the same calendar day.
    samoa_today = today_in("Pacific/Pago_Pago")
    await person.records.new_doc(pet["id"], label="Rabies", expires_on=samoa_today.isoformat())
    in_45 = (datetime.now(UTC).date() + timedelta(days=45)).isoformat()
    await person.records.new_doc(pet["id"], label="DHPP", expires_on=in_45)
    passport = await person.new_passport(pet["id"])

    async def statuses() -> dict[str, str]:
        data = (await client.get(person.public_path(passport, ".json"))).json()
        return {rec["label"]: rec["status"] for rec in data["records"]}

    await set_owner(person.sub, timezone="Pacific/Pago_Pago")
    assert (await statuses())["Rabies"] == "due_soon"  # expires today, there
    await set_owner(person.sub, timezone="Pacific/Kiritimati")
    assert (await statuses())["Rabies"] == "expired"  # already tomorrow, there
    data = (await client.get(person.public_path(passport, ".json"))).json()
    assert data["time_zone"] == "Pacific/Kiritimati"
    assert data["today"] == today_in("Pacific/Kiritimati").isoformat()

    await set_owner(person.sub, timezone="UTC", due_soon_days=30)
    assert (await statuses())["DHPP"] == "current"
    await set_owner(person.sub, due_soon_days=60)
    assert (await statuses())["DHPP"] == "due_soon"


async def test_certificate_link_redirects_to_a_short_lived_download(
    s3_endpoint: str, person: Any, client: AsyncTestClient[Litestar], db: AsyncEngine
) -> None:
    pet = await person.records.new_pet("Ollie")
    doc = await person.records.new_doc(pet["id"], label="Rabies", expires_on=days(100))
    other_pet = await person.records.new_pet("Biscuit")
    foreign_doc = await person.records.new_doc(other_pet["id"], label="Rabies")
    pending = await person.records.new_doc(pet["id"], label="Lepto", complete=False)
    passport = await person.new_passport(pet["id"])
    page = person.public_path(passport)

    r = await client.get(f"{page}/docs/{doc['id']}", follow_redirects=False)
    assert r.status_code == 302 and r.content == b""
    assert_public_headers(r, s3_endpoint)
    location = r.headers["location"]
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}" == s3_endpoint
    query = parse_qs(parts.query)
    assert int(query["X-Amz-Expires"][0]) <= 300
    # The object's path names no owner and no database id.
    for secret in (str(person.sub), pet["id"], doc["id"], person.token_of(passport)):
        assert secret not in location
    assert re.fullmatch(r"/[^/]+/users/[0-9a-f]{32}/docs/[A-Za-z0-9_-]+", parts.path), parts.path
    disposition = query["response-content-disposition"][0]
    assert "Rabies certificate.pdf" in disposition and "cert.pdf" not in disposition

    fetched = httpx.get(location, timeout=10)
    assert fetched.status_code == 200 and fetched.content == PDF

    for not_here in (foreign_doc["id"], pending["id"], str(uuid.uuid4())):
        miss = await client.get(f"{page}/docs/{not_here}")
        assert miss.status_code == 404, not_here


async def test_view_log_classes_and_no_token(
    person: Any, client: AsyncTestClient[Litestar], db: AsyncEngine
) -> None:
    pet = await person.records.new_pet("Ollie")
    await person.records.new_doc(pet["id"])
    passport = await person.new_passport(pet["id"])
    page = person.public_path(passport)
    agents = {
        "browser": BROWSER,
        "slack": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "whatsapp": "WhatsApp/2.23.20.0 A",
        "facebook": "facebookexternalhit/1.1",
        "curl": "curl/8.5.0",
    }
    for ua in agents.values():
        r = await client.get(page, headers={"User-Agent": ua})
        assert r.status_code == 200
    await client.get(page + ".json", headers={"User-Agent": "HappyPawsFrontDesk/3.1"})

    log = (await person.call("GET", f"/api/passports/{passport['id']}/views")).json()
    assert log["facility_views"] == 3  # the browser, curl and the facility software
    assert log["link_previews"] == 3
    assert [(v["agent_class"], v["device"]) for v in log["views"]] == [
        ("other", "unknown"),
        ("other", "unknown"),
        ("link_preview", "bot"),
        ("link_preview", "bot"),
        ("link_preview", "bot"),
        ("browser", "mobile"),
    ]
    listed = (await person.call("GET", f"/api/passports/{passport['id']}")).json()
    assert listed["facility_views"] == 3 and listed["link_previews"] == 3
    assert listed["last_viewed_at"] == log["views"][0]["viewed_at"]
    limited = (await person.call("GET", f"/api/passports/{passport['id']}/views?limit=2")).json()
    assert len(limited["views"]) == 2 and limited["facility_views"] == 3

    token = person.token_of(passport)
    for row in await view_rows(db, passport["id"]):
        assert token not in repr(tuple(row))


async def test_link_previews_get_a_page_without_the_pet(
    s3_endpoint: str, person: Any, client: AsyncTestClient[Litestar]
) -> None:
    pet = await person.records.new_pet("Ollie")
    await person.records.new_doc(pet["id"], label="Rabies")
    passport = await person.new_passport(pet["id"])
    for ua in (
        "Slackbot-LinkExpanding 1.0",
        "WhatsApp/2.23.20.0 A",
        "Twitterbot/1.0",
        "TelegramBot (like TwitterBot)",
        "Mozilla/5.0 (compatible; Discordbot/2.0)",
    ):
        r = await client.get(person.public_path(passport), headers={"User-Agent": ua})
        assert r.status_code == 200
        assert_public_headers(r, s3_endpoint)
        assert "Ollie" not in r.text and "Rabies" not in r.text and "<img" not in r.text
        assert "og:" not in r.text


async def test_the_page_stays_small(
    person: Any, client: AsyncTestClient[Litestar], set_owner: Any
) -> None:
    pet = await person.records.new_pet("N" * 60, breed="B" * 80)
    for i in range(20):  # the per-pet limit
        await person.records.new_doc(pet["id"], label=f"{i:02d} " + "L" * 77, expires_on=days(i))
    passport = await person.new_passport(pet["id"])
    r = await client.get(
        person.public_path(passport) + "?requires=rabies,dhpp,bordetella,fvrcp&through=" + days(9)
    )
    assert r.status_code == 200
    assert r.text.count('class="lbl"') == 20 + 4
    assert len(r.content) < 30 * 1024, len(r.content)


async def test_photo_comes_from_a_short_lived_storage_url(
    s3_endpoint: str, person: Any, client: AsyncTestClient[Litestar]
) -> None:
    from petshots_testkit.api import post_to_storage

    pet = await person.records.new_pet("Ollie")
    r = await person.records.call(
        "POST",
        f"/api/pets/{pet['id']}/photo",
        json={"content_type": "image/png", "size_bytes": len(PNG)},
    )
    assert r.status_code == 200, r.text
    post_to_storage(r.json()["upload"], PNG)
    done = await person.records.call("POST", f"/api/pets/{pet['id']}/photo/complete")
    assert done.status_code == 200, done.text
    passport = await person.new_passport(pet["id"])

    data = (await client.get(person.public_path(passport, ".json"))).json()
    photo = data["pet"]["photo_url"]
    assert photo.startswith(f"{s3_endpoint}/")
    assert int(parse_qs(urlsplit(photo).query)["X-Amz-Expires"][0]) <= 300
    assert str(person.sub) not in photo and pet["id"] not in photo
    assert httpx.get(photo, timeout=10).content == PNG
    html = (await client.get(person.public_path(passport), headers={"User-Agent": BROWSER})).text
    assert f'<img src="{s3_endpoint}/' in html


async def test_facility_check_over_http(
    person: Any, client: AsyncTestClient[Litestar], db: AsyncEngine
) -> None:
    pet = await person.records.new_pet("Ollie")
    through = days(30)
    rabies = await person.records.new_doc(pet["id"], label="Rabies 3yr", expires_on=days(400))
    await person.records.new_doc(pet["id"], label="DAPP", expires_on=days(12))
    await person.records.new_doc(pet["id"], label="Kennel Cough", expires_on=None)
    await person.records.new_doc(pet["id"], label="Lepto", expires_on=days(-1))
    passport = await person.new_passport(pet["id"])
    query = f"?requires=rabies,dhpp,bordetella,lepto,lyme&through={through}"

    data = (await client.get(person.public_path(passport, ".json") + query)).json()
    check = data["check"]
    assert check["through"] == through
    assert check["outcome"] == "not_met" and check["colour"] == "red"
    assert [(c["requirement"], c["result"], c["colour"]) for c in check["requirements"]] == [
        ("rabies", "met", "green"),
        ("dhpp", "expires_during_stay", "amber"),
        ("bordetella", "no_expiry_date", "grey"),
        ("lepto", "expired", "red"),
        ("lyme", "missing", "red"),
    ]
    assert check["requirements"][0]["record_id"] == rabies["id"]

    html = (await client.get(person.public_path(passport) + query)).text
    assert html.index("Requirements for the stay") < html.index("Vaccination records")
    assert "Does not meet the requirements through" in html
    for word in ("Met", "Expires during stay", "No expiry date", "Expired", "Missing"):
        assert f'<span class="st">{word}</span>' in html, word
    # The form keeps what was asked, so the clerk can adjust the dates.
    assert 'value="rabies,dhpp,bordetella,lepto,lyme"' in html
    assert f'value="{through}"' in html

    good = (await client.get(person.public_path(passport, ".json") + "?requires=rabies")).json()
    assert good["check"]["outcome"] == "met" and good["check"]["through"] == data["today"]


@pytest.mark.parametrize(
    "query",
    [
        "?requires=rabies&through=2026-13-40",
        "?requires=rabies&through=next+week",
        "?requires=" + ",".join(f"v{i}" for i in range(13)),
        "?requires=" + "x" * 41,
    ],
)
async def test_unreadable_facility_checks_are_400_and_log_nothing(
    s3_endpoint: str, person: Any, client: AsyncTestClient[Litestar], db: AsyncEngine, query: str
) -> None:
    pet = await person.records.new_pet("Ollie")
    passport = await person.new_passport(pet["id"])
    r = await client.get(person.public_path(passport) + query)
    assert r.status_code == 400
    assert_public_headers(r, s3_endpoint)
    assert "Ollie" not in r.text and "<script" not in r.text
    j = await client.get(person.public_path(passport, ".json") + query)
    assert j.status_code == 400 and j.json()["error"] == "invalid_request"
    assert await view_rows(db, passport["id"]) == []


async def test_no_log_line_carries_the_token(
    person: Any, client: AsyncTestClient[Litestar], captured_logs: LogTap
) -> None:
    pet = await person.records.new_pet("Ollie")
    doc = await person.records.new_doc(pet["id"])
    passport = await person.new_passport(pet["id"])
    token = person.token_of(passport)
    start = len(captured_logs.lines)
    await client.get(f"/p/{token}?requires=rabies")
    await client.get(f"/p/{token}.json")
    await client.get(f"/p/{token}/docs/{doc['id']}")
    await person.call("GET", "/api/passports")
    await person.call("GET", f"/api/passports/{passport['id']}/qr.svg")
    await person.call("DELETE", f"/api/passports/{passport['id']}")
    await client.get(f"/p/{token}")
    logged = "\n".join(captured_logs.lines[start:])
    assert logged.count('"path": "/p/<token>') == 4, logged
    assert token not in logged
