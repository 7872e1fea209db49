"""The owner's passport API: create (several per pet), list, get, revoke, QR codes, view log."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
import segno
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from petshots_passport.settings import PassportSettings

URL = re.compile(r"^http://localhost:8000/p/[A-Za-z0-9_-]{32}$")


def operations(app: Litestar) -> list[tuple[str, str, str]]:
    schema = app.openapi_schema.to_schema()
    return sorted(
        (method.upper(), path, op["operationId"])
        for path, item in schema["paths"].items()
        for method, op in item.items()
    )


async def passport_rows(db: AsyncEngine, owner: uuid.UUID) -> int:
    async with db.connect() as conn:
        count: int = (
            await conn.execute(
                text("SELECT count(*) FROM passports WHERE owner_id = :o"), {"o": owner}
            )
        ).scalar_one()
    return count


def test_every_operation_is_classified(app: Litestar) -> None:
    ops = operations(app)
    assert {(m, p) for m, p, _ in ops} == {
        ("GET", "/api/passports"),
        ("POST", "/api/passports"),
        ("GET", "/api/passports/{passport_id}"),
        ("DELETE", "/api/passports/{passport_id}"),
        ("GET", "/api/passports/{passport_id}/qr.svg"),
        ("GET", "/api/passports/{passport_id}/qr.png"),
        ("GET", "/api/passports/{passport_id}/views"),
    }
    # The public pages are documented in docs/passport.md, not in the owner API's schema.
    assert not any(p.startswith("/p") for _, p, _ in ops)


async def test_openapi_document_is_published_at_the_spec_address(
    client: AsyncTestClient[Litestar],
) -> None:
    r = await client.get("/api/passports/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["info"]["title"] == "Petshots passport API"
    assert "/api/passports/{passport_id}/qr.svg" in doc["paths"]
    create = doc["paths"]["/api/passports"]["post"]
    assert create["operationId"] == "createPassport"


async def test_create_list_get_and_several_passports_per_pet(person: Any) -> None:
    pet = await person.records.new_pet("Ollie")
    daycare = await person.new_passport(pet["id"], "Happy Paws Daycare", 30)
    groomer = await person.new_passport(pet["id"], "Groomer", None)
    for created in (daycare, groomer):
        assert URL.match(created["url"]), created["url"]
        assert created["state"] == "active"
        assert created["pet_id"] == pet["id"]
        assert created["facility_views"] == 0 and created["last_viewed_at"] is None
    assert daycare["url"] != groomer["url"]
    assert groomer["expires_at"] is None
    made = datetime.fromisoformat(daycare["created_at"])
    assert datetime.fromisoformat(daycare["expires_at"]) - made == timedelta(days=30)

    listed = (await person.call("GET", "/api/passports")).json()
    assert [p["id"] for p in listed] == [groomer["id"], daycare["id"]]  # newest first
    # The same URL (and so the same QR code) every time the owner asks again.
    assert {p["id"]: p["url"] for p in listed} == {
        daycare["id"]: daycare["url"],
        groomer["id"]: groomer["url"],
    }
    one = (await person.call("GET", f"/api/passports/{daycare['id']}")).json()
    assert one == {**daycare}
    other_pet = await person.records.new_pet("Biscuit")
    only = (await person.call("GET", f"/api/passports?pet_id={other_pet['id']}")).json()
    assert only == []
    assert len((await person.call("GET", f"/api/passports?pet_id={pet['id']}")).json()) == 2


async def test_label_defaults_and_expiry_bounds(person: Any) -> None:
    pet = await person.records.new_pet()
    r = await person.call(
        "POST", "/api/passports", json={"pet_id": pet["id"], "expires_in_days": 365}
    )
    assert r.status_code == 201, r.text
    assert r.json()["label"] == "Passport"
    r = await person.call(
        "POST", "/api/passports", json={"pet_id": pet["id"], "expires_in_days": 1, "label": "X"}
    )
    assert r.status_code == 201


@pytest.mark.parametrize(
    "body",
    [
        {"expires_in_days": 0},
        {"expires_in_days": 366},
        {"expires_in_days": -1},
        {"expires_in_days": "30"},
        {"expires_in_days": 1.5},
        {"expires_in_days": True},
        {"drop": "expires_in_days"},
        {"label": ""},
        {"label": "x" * 81},
        {"label": "line\nbreak"},
        {"label": 7},
        {"owner_id": str(uuid.uuid4())},
        {"token": "A" * 32},
        {"pet_id": "not-a-uuid"},
        {"drop": "pet_id"},
    ],
)
async def test_bad_input_is_a_clear_400_and_writes_nothing(
    person: Any, db: AsyncEngine, body: dict[str, Any]
) -> None:
    pet = await person.records.new_pet()
    payload: dict[str, Any] = {"pet_id": pet["id"], "label": "Daycare", "expires_in_days": 30}
    if "drop" in body:
        del payload[body["drop"]]
    else:
        payload.update(body)
    r = await person.call("POST", "/api/passports", json=payload)
    assert r.status_code == 400, (body, r.text)
    assert r.json()["error"] == "invalid_request"
    assert r.json()["detail"]
    assert await passport_rows(db, person.sub) == 0


@pytest.mark.parametrize("raw", [b"", b"not json", b"[]", b'{"pet_id": '])
async def test_unreadable_bodies(person: Any, db: AsyncEngine, raw: bytes) -> None:
    r = await person.call(
        "POST", "/api/passports", content=raw, headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 400
    assert await passport_rows(db, person.sub) == 0


async def test_unknown_pet_is_404(person: Any, db: AsyncEngine) -> None:
    r = await person.call(
        "POST", "/api/passports", json={"pet_id": str(uuid.uuid4()), "expires_in_days": 3}
    )
    assert r.status_code == 404
    assert r.json() == {"error": "not_found", "detail": "No such pet."}
    assert await passport_rows(db, person.sub) == 0


async def test_active_passports_per_pet_are_capped(
    person: Any, passport_settings: PassportSettings
) -> None:
    pet = await person.records.new_pet()
    limit = passport_settings.passport_max_active_per_pet
    made = [await person.new_passport(pet["id"], f"Facility {i}") for i in range(limit)]
    r = await person.call(
        "POST", "/api/passports", json={"pet_id": pet["id"], "expires_in_days": 3}
    )
    assert r.status_code == 409
    assert r.json()["error"] == "passport_limit" and r.json()["limit"] == limit
    assert (await person.call("DELETE", f"/api/passports/{made[0]['id']}")).status_code == 204
    await person.new_passport(pet["id"], "One more")


async def test_revoke_is_idempotent_and_hides_the_link(person: Any) -> None:
    pet = await person.records.new_pet()
    passport = await person.new_passport(pet["id"])
    for _ in range(2):
        r = await person.call("DELETE", f"/api/passports/{passport['id']}")
        assert r.status_code == 204
    after = (await person.call("GET", f"/api/passports/{passport['id']}")).json()
    assert after["state"] == "revoked" and after["url"] is None and after["revoked_at"]
    for kind in ("svg", "png"):
        r = await person.call("GET", f"/api/passports/{passport['id']}/qr.{kind}")
        assert r.status_code == 410 and r.json()["error"] == "revoked"


async def test_expired_passports_show_as_expired(person: Any, expire_passport: Any) -> None:
    pet = await person.records.new_pet()
    passport = await person.new_passport(pet["id"])
    await expire_passport(passport["id"])
    after = (await person.call("GET", f"/api/passports/{passport['id']}")).json()
    assert after["state"] == "expired"
    r = await person.call("GET", f"/api/passports/{passport['id']}/qr.svg")
    assert r.status_code == 410 and r.json()["error"] == "expired"


async def test_qr_codes_encode_the_passport_url(person: Any) -> None:
    pet = await person.records.new_pet()
    passport = await person.new_passport(pet["id"])
    expected = segno.make(passport["url"], error="m", micro=False)

    svg = await person.call("GET", f"/api/passports/{passport['id']}/qr.svg")
    assert svg.status_code == 200
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.headers["cache-control"] == "no-store"
    assert svg.headers["x-content-type-options"] == "nosniff"
    assert svg.content.startswith(b"<svg") and b"<script" not in svg.content
    out = io.BytesIO()
    expected.save(out, kind="svg", scale=8, border=4, xmldecl=False, svgclass=None, lineclass=None)
    assert svg.content == out.getvalue()

    png = await person.call("GET", f"/api/passports/{passport['id']}/qr.png")
    assert png.status_code == 200
    assert png.headers["content-type"] == "image/png"
    assert png.headers["cache-control"] == "no-store"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    out = io.BytesIO()
    expected.save(out, kind="png", scale=8, border=4)
    assert png.content == out.getvalue()
    # Asking again draws the same code: the URL is stable.
    again = await person.call("GET", f"/api/passports/{passport['id']}/qr.png")
    assert again.content == png.content


async def test_view_log_limit_is_validated(person: Any) -> None:
    pet = await person.records.new_pet()
    passport = await person.new_passport(pet["id"])
    for bad in ("0", "501", "ten"):
        r = await person.call("GET", f"/api/passports/{passport['id']}/views?limit={bad}")
        assert r.status_code == 400, bad
    r = await person.call("GET", f"/api/passports/{passport['id']}/views?limit=1")
    assert r.status_code == 200


async def test_another_owner_gets_404_and_changes_nothing(
    app: Litestar, new_person: Callable[[], Any], client: AsyncTestClient[Litestar]
) -> None:
    owner_a, owner_b = new_person(), new_person()
    pet = await owner_a.records.new_pet("Ollie")
    passport = await owner_a.new_passport(pet["id"])
    await client.get(owner_a.public_path(passport))  # one real view
    await owner_b.records.new_pet("Intruder's own pet")  # B is a real owner with data
    before = (await owner_a.call("GET", f"/api/passports/{passport['id']}")).json()

    for method, path, op_id in operations(app):
        if "{passport_id}" not in path:
            continue
        mine = await owner_b.call(method, path.format(passport_id=passport["id"]))
        random = await owner_b.call(method, path.format(passport_id=uuid.uuid4()))
        assert mine.status_code == 404, (op_id, mine.text)
        assert mine.content == random.content, op_id

    # B cannot create a passport for A's pet: the same answer as for a pet that does not exist.
    theirs = await owner_b.call(
        "POST", "/api/passports", json={"pet_id": pet["id"], "expires_in_days": 30}
    )
    nobody = await owner_b.call(
        "POST", "/api/passports", json={"pet_id": str(uuid.uuid4()), "expires_in_days": 30}
    )
    assert theirs.status_code == 404 and theirs.content == nobody.content
    # B's list shows nothing of A's, even when asking for A's pet.
    assert (await owner_b.call("GET", "/api/passports")).json() == []
    assert (await owner_b.call("GET", f"/api/passports?pet_id={pet['id']}")).json() == []

    after = (await owner_a.call("GET", f"/api/passports/{passport['id']}")).json()
    assert after == before and after["state"] == "active"
    assert (await client.get(owner_a.public_path(passport))).status_code == 200


@pytest.mark.parametrize("kind", ["anonymous", "forged"])
async def test_every_operation_needs_a_valid_token(
    app: Litestar,
    client: AsyncTestClient[Litestar],
    token_issuer: Any,
    person: Any,
    kind: str,
) -> None:
    pet = await person.records.new_pet()
    passport = await person.new_passport(pet["id"])
    tokens: dict[str, str | None] = (
        {"none": None} if kind == "anonymous" else dict(token_issuer.forged(person.sub))
    )
    for method, path, op_id in operations(app):
        for name, token in tokens.items():
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            body = {"pet_id": pet["id"], "expires_in_days": 3} if method == "POST" else None
            r = await client.request(
                method, path.format(passport_id=passport["id"]), headers=headers, json=body
            )
            assert r.status_code == 401, (op_id, name, r.status_code)
    assert (await person.call("GET", f"/api/passports/{passport['id']}")).json()[
        "state"
    ] == "active"


async def test_a_replaced_sealing_key_hides_old_links_but_they_keep_working(
    person: Any, make_settings: Callable[..., Any], client: AsyncTestClient[Litestar]
) -> None:
    from pydantic import SecretStr

    from petshots_passport.app import create_app

    pet = await person.records.new_pet("Ollie")
    passport = await person.new_passport(pet["id"])
    rekeyed = create_app(make_settings(passport_sealing_key=SecretStr("n" * 48)))
    async with AsyncTestClient(app=rekeyed) as other:
        headers = person.passports.headers
        response = await other.get("/api/passports", headers=headers)
        assert response.status_code == 200, response.text
        listed = response.json()
        assert [(p["id"], p["url"], p["state"]) for p in listed] == [
            (passport["id"], None, "active")
        ]
        qr = await other.get(f"/api/passports/{passport['id']}/qr.svg", headers=headers)
        assert qr.status_code == 409 and qr.json()["error"] == "link_unavailable"
        # Lookup goes by the hash: the facility's link still opens.
        assert (await other.get(person.public_path(passport))).status_code == 200
