"""No token, password, SRP value, e-mail code, signed link or presigned URL signature in any
log line (petshots_testkit.logscan). The identity flows below put every kind of secret
through the services — on the happy path and the failing ones, where logging is likeliest —
and the last test of the suite scans every line logged so far in the session."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

import structlog
from litestar import Litestar
from litestar.testing import AsyncTestClient

from petshots_testkit.logscan import Kind, LogTap, SecretRegistry
from petshots_testkit.mail import MailSink, code_in
from petshots_testkit.srp import srp_login
from petshots_testkit.tenants import Tenant, passport_token

PASSWORD = "Security-Suite-9"
NEW_PASSWORD = "Another-Secret-7"


async def login(
    auth: AsyncTestClient[Litestar], email: str, password: str, *, tamper: bool = False
) -> Any:
    return await srp_login(auth, email, password, tamper=tamper, require_challenge=True)


async def wait_for_mail(sink: MailSink, address: str, subject: str) -> EmailMessage:
    return await asyncio.to_thread(sink.wait_for, address, subject)


async def test_identity_flows_put_every_kind_of_secret_through_the_services(
    clients: dict[str, AsyncTestClient[Litestar]],
    session_smtp_sink: MailSink,
    secrets_seen: SecretRegistry,
) -> None:
    auth = clients["auth"]
    email = f"logs-{uuid.uuid4().hex[:10]}@example.com"
    assert (
        await auth.post("/auth/signup", json={"email": email, "password": PASSWORD})
    ).status_code == 201
    # A wrong code first (failures are where secrets end up in logs), then the right one.
    wrong = await auth.post("/auth/confirm", json={"email": email, "code": "999999"})
    assert wrong.status_code == 400
    code = code_in(await wait_for_mail(session_smtp_sink, email, "confirmation code"))
    assert Kind.CODE in {secrets_seen.secrets.get(code)}, "the sink tap registers codes"
    r = await auth.post("/auth/confirm", json={"email": email, "code": code})
    assert r.status_code == 200, r.text

    assert (await login(auth, email, PASSWORD, tamper=True)).status_code == 401
    assert (await login(auth, email, "Wrong-Password-1")).status_code == 401
    tokens = (await login(auth, email, PASSWORD)).json()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert (await auth.get("/auth/me", headers=bearer)).status_code == 200
    refreshed = await auth.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 200
    r = await auth.post(
        "/auth/logout", headers=bearer, json={"refresh_token": tokens["refresh_token"]}
    )
    assert r.status_code == 204
    revoked = await auth.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert revoked.status_code == 401

    assert (await auth.post("/auth/forgot-password", json={"email": email})).status_code == 202
    reset_code = code_in(await wait_for_mail(session_smtp_sink, email, "Reset"))
    bad = {"email": email, "code": "000001", "password": NEW_PASSWORD}
    assert (await auth.post("/auth/reset-password", json=bad)).status_code == 400
    good = {"email": email, "code": reset_code, "password": NEW_PASSWORD}
    assert (await auth.post("/auth/reset-password", json=good)).status_code == 200
    assert (await login(auth, email, NEW_PASSWORD)).status_code == 200

    for kind in (Kind.TOKEN, Kind.PASSWORD, Kind.SRP, Kind.CODE):
        assert kind in secrets_seen.by_kind(), f"no {kind} registered"


async def test_passport_links_and_storage_urls_go_through_the_services(
    new_tenant: Callable[[], Tenant], secrets_seen: SecretRegistry
) -> None:
    owner = new_tenant()
    pet = await owner.on("records").new_pet("Ollie")
    doc = await owner.on("records").new_doc(pet["id"])
    token = passport_token(await owner.new_passport(pet["id"]))
    for path in (f"/p/{token}", f"/p/{token}.json", f"/p/{token}/docs/{doc['id']}"):
        r = await owner.call("passport", "GET", path, token=None, follow_redirects=False)
        assert r.status_code in (200, 302)
    assert (await owner.call("records", "GET", f"/api/docs/{doc['id']}")).status_code == 200
    assert secrets_seen.secrets.get(token) is Kind.PASSPORT
    assert Kind.SIGNATURE in secrets_seen.by_kind()


def test_the_tap_sees_both_log_paths_and_the_scan_spots_a_planted_secret(
    apps: dict[str, Litestar], captured_logs: LogTap
) -> None:
    """The canary: a secret written on purpose through structlog and through stdlib logging
    (the services' two paths) is captured and found; then it is taken out of the tap."""
    canary = f"canary-{uuid.uuid4().hex}{uuid.uuid4().hex}"
    own = SecretRegistry()
    own.add(Kind.TOKEN, canary)
    with captured_logs.excluded() as taken:
        structlog.get_logger("petshots.canary").warning("canary", value=canary)
        logging.getLogger("petshots.canary.stdlib").warning("canary %s", canary)
    assert len([line for line in taken if canary in line]) == 2, taken
    leaks = own.scan(taken)
    assert [leak.secret for leak in leaks] == [canary]
    assert not any(canary in line for line in captured_logs.lines)


def test_no_secret_in_any_log_line(captured_logs: LogTap, secrets_seen: SecretRegistry) -> None:
    """Runs last in this suite (see conftest): every line logged so far in the session."""
    assert captured_logs.sources.get("structlog", 0) > 0, "the tap captured nothing"
    kinds = secrets_seen.by_kind()
    for kind in (Kind.TOKEN, Kind.PASSWORD, Kind.SRP, Kind.CODE, Kind.SIGNATURE, Kind.PASSPORT):
        assert kinds.get(kind, 0) > 0, f"no {kind} was registered: the scan would prove nothing"
    leaks = secrets_seen.scan(captured_logs.lines)
    assert not leaks, "\n".join(leak.describe() for leak in leaks)
