"""Who may call what: the three OpenAPI documents against the suite's classification table.

Every operation that names a pet, record or passport is tried by its owner, by a second
owner, anonymously and with an expired token. Nobody but the owner gets a 2xx that touches
the owner's objects, and the second owner's answer is byte-identical to the answer for an id
that does not exist. Bodies carrying ``owner_id``, ``user_id``, ``plan``, ``state`` or ``id``
change nothing.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from petshots_testkit.operations import (
    Access,
    Classified,
    Operation,
    openapi_operations,
    unlisted_routes,
)
from petshots_testkit.tenants import Tenant
from petshots_testkit.tokens import TokenIssuer

OPENAPI_PATHS = {
    "records": "/api/records/openapi.json",
    "passport": "/api/passports/openapi.json",
    "auth": "/auth/openapi.json",
}
ID_PARAMS = {"pet_id", "doc_id", "passport_id"}
FORBIDDEN_FIELDS = ("owner_id", "user_id", "plan", "state", "id")

Ids = dict[str, str]


def documents(apps: dict[str, Litestar]) -> dict[str, dict[str, Any]]:
    return {service: app.openapi_schema.to_schema() for service, app in apps.items()}


def all_operations(apps: dict[str, Litestar]) -> list[Operation]:
    return [op for s, doc in documents(apps).items() for op in openapi_operations(s, doc)]


def fill(template: Any, values: dict[str, str]) -> Any:
    """``{pet_id}``-style placeholders replaced, recursively."""
    if isinstance(template, str):
        for name, value in values.items():
            template = template.replace("{" + name + "}", value)
        return template
    if isinstance(template, dict):
        return {k: fill(v, values) for k, v in template.items()}
    if isinstance(template, list):
        return [fill(v, values) for v in template]
    return template


def takes_an_id(op: Operation) -> bool:
    body = op.raw.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = str(body.get("schema", {}).get("$ref", ""))
    return bool(
        ID_PARAMS & set(op.path_params)
        or ID_PARAMS & set(op.query_params)
        or ref.endswith("/PassportCreate")  # {"pet_id": ...}
    )


async def request(
    tenant: Tenant,
    op: Operation,
    entry: Classified,
    ids: Ids,
    *,
    token: str | None = "",
) -> httpx.Response:
    return await tenant.call(
        op.service,
        op.method,
        op.url(**ids),
        token=token,
        params=fill(entry.query, ids) if entry.query else None,
        json=fill(entry.body, ids) if entry.body is not None else None,
    )


async def snapshot(db: AsyncEngine, sub: uuid.UUID) -> dict[str, list[str]]:
    """Every row that belongs to ``sub``, as JSON text."""
    queries = {
        "owners": "SELECT row_to_json(t)::text FROM owners t WHERE id = :s",
        "pets": "SELECT row_to_json(t)::text FROM pets t WHERE owner_id = :s",
        "documents": "SELECT row_to_json(t)::text FROM documents t WHERE owner_id = :s",
        "passports": "SELECT row_to_json(t)::text FROM passports t WHERE owner_id = :s",
        "identities": "SELECT row_to_json(t)::text FROM local_identities t WHERE sub = :s",
        "refresh_tokens": "SELECT row_to_json(t)::text FROM refresh_tokens t WHERE sub = :s",
    }
    async with db.connect() as conn:
        return {
            name: sorted((await conn.execute(text(sql), {"s": sub})).scalars())
            for name, sql in queries.items()
        }


# -- the documents and the table ----------------------------------------------------------------


async def test_each_service_publishes_its_document(
    apps: dict[str, Litestar], clients: dict[str, AsyncTestClient[Litestar]]
) -> None:
    for service, path in OPENAPI_PATHS.items():
        r = await clients[service].get(path)  # no token: the documents are public
        assert r.status_code == 200, (service, r.status_code)
        assert r.json() == apps[service].openapi_schema.to_schema(), service


def test_every_operation_is_classified(
    apps: dict[str, Litestar], classification: dict[tuple[str, str], Classified]
) -> None:
    ops = {op.key: op for op in all_operations(apps)}
    unclassified = sorted(set(ops) - set(classification))
    stale = sorted(set(classification) - set(ops))
    assert not unclassified, (
        f"classify these operations in tests/security/conftest.py: {unclassified}"
    )
    assert not stale, f"classified but no longer in any OpenAPI document: {stale}"
    wrong = []
    for key, op in ops.items():
        entry = classification[key]
        if op.secured != (entry.access is not Access.PUBLIC):
            wrong.append(
                (
                    key,
                    entry.access.value,
                    "bearer auth declared" if op.secured else "no security requirement",
                )
            )
        if (entry.access is Access.OWNER_ID) != takes_an_id(op):
            wrong.append((key, entry.access.value, "takes an id" if takes_an_id(op) else "no id"))
        if op.has_body and entry.body is None:
            wrong.append((key, entry.access.value, "needs a valid body in the table"))
    assert not wrong, wrong


async def test_every_unlisted_route_is_classified(
    apps: dict[str, Litestar],
    clients: dict[str, AsyncTestClient[Litestar]],
    unlisted: dict[str, dict[tuple[str, str], Access]],
) -> None:
    """Routes outside the documents (health, metrics, schema plumbing, /p pages) too."""
    for service, app in apps.items():
        served = {(r.method, r.path): r for r in unlisted_routes(app)}
        assert set(served) == set(unlisted[service]), (service, sorted(served))
        for (method, path), access in unlisted[service].items():
            url = path.replace("{path}", "x").replace("{rest}", "x" * 32)
            r = await clients[service].request(method, url)
            if access is Access.PUBLIC:
                assert r.status_code != 401, (service, path)
            else:
                assert r.status_code == 401, (service, path, r.status_code)


# -- the matrix ---------------------------------------------------------------------------------


async def test_only_the_owner_reaches_their_objects(
    apps: dict[str, Litestar],
    classification: dict[tuple[str, str], Classified],
    new_tenant: Callable[[], Tenant],
    issuer: TokenIssuer,
    db: AsyncEngine,
) -> None:
    owner, intruder = new_tenant(), new_tenant()
    pet = await owner.on("records").new_pet("Ollie")
    doc = await owner.on("records").new_doc(pet["id"])
    passport = await owner.new_passport(pet["id"])
    mine: Ids = {"pet_id": pet["id"], "doc_id": doc["id"], "passport_id": passport["id"]}
    now = int(time.time())
    expired = issuer.token(owner.sub, iat=now - 7200, exp=now - 3600)
    before = await snapshot(db, owner.sub)

    ops = [op for op in all_operations(apps) if classification[op.key].access is not Access.PUBLIC]
    unexpected: list[str] = []
    for op in ops:
        entry = classification[op.key]
        for who, token in (("anonymous", None), ("expired", expired)):
            r = await request(owner, op, entry, mine, token=token)
            if r.status_code != 401 or r.json().get("error") != "unauthorized":
                unexpected.append(f"{op.operation_id} {who}: {r.status_code} {r.text[:80]}")
        if entry.access is not Access.OWNER_ID:
            continue
        theirs = await request(intruder, op, entry, mine)
        random_ids = {name: str(uuid.uuid4()) for name in mine}
        missing = await request(intruder, op, entry, random_ids)
        if theirs.is_success and not entry.foreign_2xx:
            unexpected.append(f"{op.operation_id} second owner: {theirs.status_code}")
        if not entry.foreign_2xx and theirs.status_code != 404:
            unexpected.append(f"{op.operation_id} second owner: {theirs.status_code}, not 404")
        if (theirs.status_code, theirs.content) != (missing.status_code, missing.content):
            unexpected.append(
                f"{op.operation_id}: another owner's id answers {theirs.status_code} "
                f"{theirs.content[:60]!r}, a random id {missing.status_code} {missing.content[:60]!r}"
            )
        if theirs.headers.get("content-type") != missing.headers.get("content-type"):
            unexpected.append(f"{op.operation_id}: content types differ")
    assert not unexpected, "\n".join(unexpected)
    assert await snapshot(db, owner.sub) == before, "a non-owner changed the owner's rows"

    # The owner's own calls are well formed (so the 404s above are about ownership alone):
    # read and write first, then the deletions, the pet (with everything it holds) last.
    owned = [op for op in ops if classification[op.key].access is Access.OWNER_ID]
    owned.sort(key=lambda op: (classification[op.key].destructive, op.operation_id == "deletePet"))
    owner_answers = {}
    for op in owned:
        r = await request(owner, op, classification[op.key], mine)
        owner_answers[op.operation_id] = r.status_code
    expected = {op.operation_id: classification[op.key].owner_status for op in owned}
    assert owner_answers == expected


# -- mass assignment ----------------------------------------------------------------------------


async def test_bodies_cannot_assign_protected_fields(
    apps: dict[str, Litestar],
    classification: dict[tuple[str, str], Classified],
    new_tenant: Callable[[], Tenant],
    db: AsyncEngine,
) -> None:
    victim, attacker = new_tenant(), new_tenant()
    pet = await attacker.on("records").new_pet("Rex")
    doc = await attacker.on("records").new_doc(pet["id"])
    await victim.on("records").new_pet("Victim's")
    ids: Ids = {"pet_id": pet["id"], "doc_id": doc["id"], "passport_id": str(uuid.uuid4())}
    values: dict[str, object] = {
        "owner_id": str(victim.sub),
        "user_id": str(victim.sub),
        "plan": "unlimited",
        "state": "ready",
        "id": str(uuid.uuid4()),
    }
    attacker_before = await snapshot(db, attacker.sub)
    victim_before = await snapshot(db, victim.sub)
    accepted = []
    for op in all_operations(apps):
        if op.method not in ("POST", "PUT", "PATCH") or not op.has_body:
            continue
        entry = classification[op.key]
        assert entry.body is not None, op.key
        for field in FORBIDDEN_FIELDS:
            email = f"mass-{uuid.uuid4().hex[:10]}@example.com"
            body = {**fill(entry.body, {**ids, "email": email}), field: values[field]}
            r = await attacker.call(op.service, op.method, op.url(**ids), json=body)
            if not 400 <= r.status_code < 500:
                accepted.append(f"{op.operation_id} + {field}: {r.status_code}")
            async with db.connect() as conn:
                created = (
                    await conn.execute(
                        text("SELECT count(*) FROM local_identities WHERE email = :e"),
                        {"e": email},
                    )
                ).scalar_one()
            assert created == 0, (op.operation_id, field)
    assert not accepted, accepted
    assert await snapshot(db, attacker.sub) == attacker_before
    assert await snapshot(db, victim.sub) == victim_before
