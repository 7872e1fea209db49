"""Every records operation, enumerated from the OpenAPI document so a new route is covered
(or fails here) the day it is added."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from petshots_testkit.api import Owner
from petshots_testkit.tokens import TokenIssuer

BODIES: dict[str, dict[str, Any]] = {
    "updatePet": {"name": "Hijacked"},
    "createPetPhotoUpload": {"content_type": "image/png", "size_bytes": 10},
    "createDoc": {
        "label": "X",
        "filename": "x.pdf",
        "content_type": "application/pdf",
        "size_bytes": 10,
    },
    "updateDoc": {"label": "Hijacked", "pinned": True},
    "createPet": {"name": "Intruder"},
}


def operations(app: Litestar) -> list[tuple[str, str, str]]:
    schema = app.openapi_schema.to_schema()
    ops = []
    for path, item in schema["paths"].items():
        for method, op in item.items():
            ops.append((method.upper(), path, op["operationId"]))
    return sorted(ops)


def test_every_operation_is_classified(app: Litestar) -> None:
    ids = {op_id for _, _, op_id in operations(app)}
    scoped = {op for op in ids if "{" in next(p for _, p, o in operations(app) if o == op)}
    unscoped = ids - scoped
    assert unscoped == {"listPets", "createPet", "getDashboard", "getQuickShow"}
    assert scoped == {
        "getPet",
        "updatePet",
        "deletePet",
        "createPetPhotoUpload",
        "completePetPhoto",
        "createDoc",
        "completeDoc",
        "getDoc",
        "updateDoc",
        "deleteDoc",
    }


async def test_another_owner_gets_404_and_changes_nothing(
    app: Litestar, owner: Owner, new_owner: Any
) -> None:
    pet = await owner.new_pet("Ollie")
    doc = await owner.new_doc(pet["id"])
    before = (await owner.call("GET", f"/api/pets/{pet['id']}")).json()
    intruder: Owner = new_owner()
    ids = {"pet_id": pet["id"], "doc_id": doc["id"]}
    for method, path, op_id in operations(app):
        if "{" not in path:
            continue
        body = BODIES.get(op_id)
        foreign = await intruder.call(method, path.format(**ids), json=body)
        random_ids = {k: str(uuid.uuid4()) for k in ids}
        missing = await intruder.call(method, path.format(**random_ids), json=body)
        assert foreign.status_code == 404, (op_id, foreign.text)
        # byte-identical to a random id: nothing tells "exists but not yours" from "missing"
        assert foreign.content == missing.content, op_id
    after = (await owner.call("GET", f"/api/pets/{pet['id']}")).json()
    assert after == before
    assert (await intruder.call("GET", "/api/pets")).json() == []
    assert (await intruder.call("GET", "/api/dashboard")).json()["pets"] == []
    assert (await intruder.call("GET", "/api/quick-show")).status_code == 404
    assert (await intruder.call("GET", f"/api/quick-show?pet_id={pet['id']}")).status_code == 404


@pytest.mark.parametrize("kind", ["anonymous", "forged"])
async def test_every_operation_needs_a_valid_token(
    app: Litestar,
    client: AsyncTestClient[Litestar],
    token_issuer: TokenIssuer,
    owner: Owner,
    kind: str,
) -> None:
    pet = await owner.new_pet()
    ids = {"pet_id": pet["id"], "doc_id": str(uuid.uuid4())}
    tokens: dict[str, str | None] = (
        {"none": None} if kind == "anonymous" else dict(token_issuer.forged(owner.sub))
    )
    for method, path, op_id in operations(app):
        for name, token in tokens.items():
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            r = await client.request(
                method, path.format(**ids), headers=headers, json=BODIES.get(op_id)
            )
            assert r.status_code == 401, (op_id, name, r.status_code)
            assert r.json()["error"] == "unauthorized"
    assert (await owner.call("GET", f"/api/pets/{pet['id']}")).json()["name"] == pet["name"]


@pytest.mark.parametrize(
    "header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "bearer", "Token abc", "Bearer a b c"]
)
async def test_malformed_authorization_headers(
    client: AsyncTestClient[Litestar], header: str
) -> None:
    r = await client.get("/api/pets", headers={"Authorization": header})
    assert r.status_code == 401
