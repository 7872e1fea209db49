"""Dashboard and Quick Show, with statuses in the owner's own time zone."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from petshots_core.settings import Settings
from petshots_core.status import today_in
from petshots_records.app import create_app
from petshots_testkit.api import Owner
from petshots_testkit.tokens import TokenIssuer


def days(n: int, zone: str = "UTC") -> str:
    return (today_in(zone) + timedelta(days=n)).isoformat()


async def set_zone(db: AsyncEngine, owner: Owner, zone: str, due_soon: int = 30) -> None:
    async with db.begin() as conn:
        await conn.execute(
            text("UPDATE owners SET timezone = :z, due_soon_days = :d WHERE id = :o"),
            {"z": zone, "d": due_soon, "o": owner.sub},
        )


async def test_dashboard_statuses_and_attention_order(owner: Owner) -> None:
    ollie = await owner.new_pet("Ollie")
    mia = await owner.new_pet("Mia", species="cat")
    rex = await owner.new_pet("Rex")
    await owner.new_doc(ollie["id"], label="Rabies", expires_on=days(365))
    await owner.new_doc(ollie["id"], label="DHPP", expires_on=days(10))
    await owner.new_doc(mia["id"], label="FVRCP", expires_on=days(-3))
    await owner.new_doc(mia["id"], label="Rabies", expires_on=days(0))
    await owner.new_doc(mia["id"], label="FeLV", expires_on=days(-40))
    await owner.new_doc(rex["id"], label="Other", expires_on=None)
    await owner.new_doc(rex["id"], label="Pending", complete=False)  # never counted
    board = (await owner.call("GET", "/api/dashboard")).json()
    assert [(p["name"], p["status"]) for p in board["pets"]] == [
        ("Ollie", "due_soon"),
        ("Mia", "expired"),
        ("Rex", "no_expiry"),
    ]
    assert [(a["pet_name"], a["label"], a["status"]) for a in board["attention"]] == [
        ("Mia", "FeLV", "expired"),
        ("Mia", "FVRCP", "expired"),
        ("Mia", "Rabies", "due_soon"),
        ("Ollie", "DHPP", "due_soon"),
    ]
    assert board["attention"][0]["days_to_expiry"] == -40
    assert board["pet_limit"] == 3
    assert [p["record_count"] for p in board["pets"]] == [2, 3, 1]


async def test_due_soon_window_is_the_owners(owner: Owner, db: AsyncEngine) -> None:
    pet = await owner.new_pet()
    doc = await owner.new_doc(pet["id"], expires_on=days(20))
    assert doc["status"] == "due_soon"
    await set_zone(db, owner, "UTC", due_soon=14)
    assert (await owner.call("GET", f"/api/docs/{doc['id']}")).json()["status"] == "current"


async def test_status_uses_the_owners_time_zone(
    settings: Settings, token_issuer: TokenIssuer, db: AsyncEngine
) -> None:
    """At 12:00 UTC on 27 Nov it is already the 28th in Auckland and still the 27th in LA."""
    instant = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    app = create_app(settings, clock=lambda: instant)
    async with AsyncTestClient(app=app) as client:
        results = {}
        for zone in ("Pacific/Auckland", "America/Los_Angeles"):
            sub = uuid.uuid4()
            owner = Owner(sub=sub, client=client, token=token_issuer.token(sub))
            pet = await owner.new_pet()
            await set_zone(db, owner, zone)
            await owner.new_doc(pet["id"], expires_on="2026-11-27")
            board = (await owner.call("GET", "/api/dashboard")).json()
            item = board["attention"][0]
            results[zone] = (item["status"], item["days_to_expiry"], board["pets"][0]["status"])
    assert results["Pacific/Auckland"] == ("expired", -1, "expired")
    assert results["America/Los_Angeles"] == ("due_soon", 0, "due_soon")


async def test_quick_show_pick_rule(owner: Owner) -> None:
    pet = await owner.new_pet()
    assert (await owner.call("GET", "/api/quick-show")).status_code == 404
    older = await owner.new_doc(pet["id"], label="DHPP", expires_on=days(100))
    newest = await owner.new_doc(pet["id"], label="Bordetella", expires_on=days(50))
    qs = (await owner.call("GET", "/api/quick-show")).json()
    assert qs["doc"]["id"] == newest["id"]  # no rabies, nothing pinned: most recent
    rabies_old = await owner.new_doc(pet["id"], label="Rabies", expires_on=days(30))
    rabies_new = await owner.new_doc(pet["id"], label="rabies (3 yr)", expires_on=days(900))
    await owner.new_doc(pet["id"], label="DA2PP", expires_on=days(5))
    qs = (await owner.call("GET", "/api/quick-show")).json()
    assert qs["doc"]["id"] == rabies_new["id"]  # the Rabies record with the latest expiry
    assert rabies_old["id"] != qs["doc"]["id"]
    assert qs["file_url"].startswith("http")
    await owner.call("PATCH", f"/api/docs/{older['id']}", json={"pinned": True})
    qs = (await owner.call("GET", f"/api/quick-show?pet_id={pet['id']}")).json()
    assert qs["doc"]["id"] == older["id"]  # pinned wins
    assert qs["pet"]["id"] == pet["id"]


async def test_quick_show_for_a_pet_without_records(owner: Owner) -> None:
    first = await owner.new_pet("First")
    second = await owner.new_pet("Second")
    doc = await owner.new_doc(second["id"])
    assert (await owner.call("GET", f"/api/quick-show?pet_id={first['id']}")).status_code == 404
    # without pet_id: the first pet that has something to show
    assert (await owner.call("GET", "/api/quick-show")).json()["doc"]["id"] == doc["id"]


def test_days_helper() -> None:
    assert date.fromisoformat(days(1)) - date.fromisoformat(days(0)) == timedelta(days=1)
