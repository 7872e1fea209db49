"""No user enumeration: an existing e-mail and an unknown one get identical answers."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient


async def test_sign_up_of_an_existing_email_answers_the_same_and_tells_the_owner(
    client: AsyncTestClient[Litestar], kit: Any
) -> None:
    existing = await kit.sign_up_and_confirm()
    fresh = kit.new_email()
    a = await client.post("/auth/signup", json={"email": existing, "password": "Other-Horse-7"})
    b = await client.post("/auth/signup", json={"email": fresh, "password": "Other-Horse-7"})
    assert (a.status_code, a.content) == (b.status_code, b.content) == (201, a.content)
    notice = await kit.mail(existing, "already have a Petshots account")
    assert "Forgot password" in notice.get_body(preferencelist=("plain",)).get_content()
    await kit.mail(fresh, "confirmation code")
    # The existing owner's password did not change.
    assert (await kit.login(existing)).status_code == 200
    assert (await kit.login(existing, "Other-Horse-7")).status_code == 401


async def test_forgot_password_is_always_202_and_identical(
    client: AsyncTestClient[Litestar], kit: Any
) -> None:
    existing = await kit.sign_up_and_confirm()
    answers = [
        await client.post("/auth/forgot-password", json={"email": email})
        for email in (existing, kit.new_email(), "not an address")
    ]
    assert {(r.status_code, r.content) for r in answers} == {(202, b'{"status":"accepted"}')}
    await kit.mail(existing, "Reset your Petshots password")


async def test_reset_password_with_the_mailed_code(
    client: AsyncTestClient[Litestar], kit: Any
) -> None:
    email = await kit.sign_up_and_confirm()
    old = (await kit.login(email)).json()
    assert (await client.post("/auth/forgot-password", json={"email": email})).status_code == 202
    code = kit.code_in(await kit.mail(email, "Reset your Petshots password"))
    weak = await client.post(
        "/auth/reset-password", json={"email": email, "code": code, "password": "short"}
    )
    assert weak.status_code == 422
    bad = "000000" if code != "000000" else "111111"
    wrong = await client.post(
        "/auth/reset-password", json={"email": email, "code": bad, "password": "New-Horse-42"}
    )
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_code"
    r = await client.post(
        "/auth/reset-password", json={"email": email, "code": code, "password": "New-Horse-42"}
    )
    assert r.status_code == 200, r.text
    assert (await kit.login(email)).status_code == 401
    assert (await kit.login(email, "New-Horse-42")).status_code == 200
    # Every session of the old password ended.
    refresh = await client.post("/auth/refresh", json={"refresh_token": old["refresh_token"]})
    assert refresh.status_code == 401


async def test_codes_are_attempt_limited(client: AsyncTestClient[Litestar], kit: Any) -> None:
    email = kit.new_email()
    await client.post("/auth/signup", json={"email": email, "password": kit.password})
    code = kit.code_in(await kit.mail(email, "confirmation code"))
    wrong = [c for c in ("000000", "111111", "222222", "333333", "444444", "555555") if c != code]
    for guess in wrong[:5]:
        r = await client.post("/auth/confirm", json={"email": email, "code": guess})
        assert r.status_code == 400
    # Five wrong guesses used the code up: even the right one fails now.
    r = await client.post("/auth/confirm", json={"email": email, "code": code})
    assert r.status_code == 400
    # A new code (resend) works.
    assert (await client.post("/auth/confirm/resend", json={"email": email})).status_code == 202
    fresh = kit.code_in(await kit.mail(email, "confirmation code", count=2))
    assert (
        await client.post("/auth/confirm", json={"email": email, "code": fresh})
    ).status_code == 200


async def test_confirm_of_an_unknown_email_is_like_a_wrong_code(
    client: AsyncTestClient[Litestar], kit: Any
) -> None:
    r = await client.post("/auth/confirm", json={"email": kit.new_email(), "code": "123456"})
    assert r.status_code == 400 and r.json()["error"] == "invalid_code"


async def test_unconfirmed_sign_up_again_gets_a_new_code(
    client: AsyncTestClient[Litestar], kit: Any
) -> None:
    email = kit.new_email()
    await client.post("/auth/signup", json={"email": email, "password": kit.password})
    first = kit.code_in(await kit.mail(email, "confirmation code"))
    r = await client.post("/auth/signup", json={"email": email, "password": "Second-Horse-8"})
    assert r.status_code == 201
    second = kit.code_in(await kit.mail(email, "confirmation code", count=2))
    if first != second:
        assert (
            await client.post("/auth/confirm", json={"email": email, "code": first})
        ).status_code == 400
    assert (
        await client.post("/auth/confirm", json={"email": email, "code": second})
    ).status_code == 200
    assert (await kit.login(email, "Second-Horse-8")).status_code == 200
