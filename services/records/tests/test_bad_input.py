"""Bad input gets a clear 4xx with the error shape, and writes nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from petshots_testkit.api import Owner

Rows = Callable[[Owner], Awaitable[dict[str, int]]]


GOOD_DOC = {
    "label": "Rabies",
    "filename": "x.pdf",
    "content_type": "application/pdf",
    "size_bytes": 10,
}


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": ""},
        {"name": 42},
        {"name": None},
        {"name": "x" * 61},
        {"name": "a\x00b"},
        {"name": "Line\nbreak"},
        {"name": "Ollie", "species": "dragon"},
        {"name": "Ollie", "birth_date": "2026-02-30"},
        {"name": "Ollie", "birth_date": "yesterday"},
        {"name": "Ollie", "owner_id": "00000000-0000-0000-0000-000000000000"},
        {"name": "Ollie", "id": "00000000-0000-0000-0000-000000000000"},
        {"name": "Ollie", "plan": "pro"},
        ["not", "an", "object"],
    ],
)
async def test_bad_pet_bodies(owner: Owner, rows: Rows, body: Any) -> None:
    r = await owner.call("POST", "/api/pets", json=body)
    assert 400 <= r.status_code < 500, r.text
    assert set(r.json()) >= {"error", "detail"}
    assert (await rows(owner))["pets"] == 0


@pytest.mark.parametrize(
    "raw",
    [b"{", b"not json", b'{"name": "Ollie",}', b"\xff\xfe", b'{"name": "' + b"x" * 100_000 + b'"}'],
)
async def test_malformed_json(owner: Owner, rows: Rows, raw: bytes) -> None:
    r = await owner.call(
        "POST", "/api/pets", content=raw, headers={"Content-Type": "application/json"}
    )
    assert 400 <= r.status_code < 500
    assert (await rows(owner))["pets"] == 0


@pytest.mark.parametrize(
    "override",
    [
        {"label": "x" * 10_000},
        {"label": ""},
        {"label": "\x07bell"},
        {"expires_on": "2026-02-30"},
        {"expires_on": "2026-13-01"},
        {"expires_on": "0001-01-01"},
        {"expires_on": "9999-12-31"},
        {"given_on": "2999-01-01"},
        {"given_on": "2027-01-01", "expires_on": "2026-01-01"},
        {"filename": "../../etc/passwd"},
        {"filename": "a/b.pdf"},
        {"filename": "a\\b.pdf"},
        {"filename": "evil\r\n.pdf"},
        {"filename": "nul\x00.pdf"},
        {"filename": ".."},
        {"filename": ""},
        {"filename": "x" * 256},
        {"content_type": "text/html"},
        {"content_type": "application/pdf; charset=utf-8"},
        {"size_bytes": 0},
        {"size_bytes": -1},
        {"size_bytes": "10"},
        {"size_bytes": 20971521},
        {"state": "ready"},
        {"owner_id": "00000000-0000-0000-0000-000000000000"},
        {"pinned": True},
    ],
)
async def test_bad_doc_bodies(owner: Owner, rows: Rows, override: dict[str, Any]) -> None:
    pet = await owner.new_pet()
    r = await owner.call("POST", f"/api/pets/{pet['id']}/docs", json={**GOOD_DOC, **override})
    assert 400 <= r.status_code < 500, (override, r.text)
    assert set(r.json()) >= {"error", "detail"}
    assert (await rows(owner))["documents"] == 0


@pytest.mark.parametrize(
    "body",
    [
        {"label": ""},
        {"expires_on": "2026-02-30"},
        {"pinned": "yes"},
        {"state": "ready"},
        {"owner_id": "00000000-0000-0000-0000-000000000000"},
        {"pet_id": "00000000-0000-0000-0000-000000000000"},
        {"object_key": "users/other/docs/x"},
    ],
)
async def test_bad_doc_updates_change_nothing(owner: Owner, body: dict[str, Any]) -> None:
    pet = await owner.new_pet()
    doc = await owner.new_doc(pet["id"])
    before = (await owner.call("GET", f"/api/docs/{doc['id']}")).json()
    r = await owner.call("PATCH", f"/api/docs/{doc['id']}", json=body)
    assert 400 <= r.status_code < 500
    after = (await owner.call("GET", f"/api/docs/{doc['id']}")).json()
    before.pop("file_url"), after.pop("file_url")
    assert after == before


@pytest.mark.parametrize("path", ["/api/pets/not-a-uuid", "/api/docs/1", "/api/pets/%00"])
async def test_bad_ids(owner: Owner, path: str) -> None:
    r = await owner.call("GET", path)
    assert r.status_code in (400, 404)


async def test_pinning_a_pending_record_is_refused(owner: Owner) -> None:
    pet = await owner.new_pet()
    doc = await owner.new_doc(pet["id"], complete=False)
    r = await owner.call("PATCH", f"/api/docs/{doc['id']}", json={"pinned": True})
    assert r.status_code == 409
