"""The passport over real HTTP: headless Chromium with JavaScript off, and the client
address as the edge reports it. A screenshot is kept under test-artifacts/."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, async_playwright

from petshots_passport.app import create_app
from petshots_passport.settings import PassportSettings
from petshots_testkit.api import PNG, post_to_storage
from petshots_testkit.chromium import chromium_launch_options
from petshots_testkit.live import LiveServer

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def days(n: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=n)).isoformat()


async def _look_at_the_page(browser: Browser, url: str, base: str) -> None:
    context = await browser.new_context(
        java_script_enabled=False,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
    )
    page = await context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    failed: list[str] = []
    page.on("requestfailed", lambda req: failed.append(req.url))

    response = await page.goto(url, wait_until="load")
    assert response is not None and response.status == 200
    body = await page.inner_text("body")
    for text in (
        "Ollie",
        "Beagle",
        "Rabies",
        "DHPP",
        "Bordetella",
        "Leptospirosis",
        "Current",
        "Due soon",
        "Expired",
        "No expiry",
        "Checked at",
        "Requirements for the stay",
        "Does not meet",
    ):
        assert text in body, text
    assert body.index("Requirements for the stay") < body.index("Vaccination records")
    # The inline stylesheet is allowed by its hash: colours are really applied.
    pill = page.locator("li.green .st").first
    colour = await pill.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(213, 245, 221)"
    # The photo came from storage under the CSP.
    assert await page.locator(".pet img").evaluate("e => e.complete && e.naturalWidth") == 1
    assert not [m for m in console if "Content Security Policy" in m], console
    assert failed == []
    await page.screenshot(path=str(ARTIFACTS / "passport-page.png"), full_page=True)

    # The facility form works without JavaScript: a plain GET.
    await page.fill("#requires", "rabies")
    await page.fill("#through", days(30))
    await page.click("button")
    await page.wait_for_load_state("load")
    assert "Meets every requirement" in await page.inner_text("#check")

    gone = await page.goto(base + "/p/" + "A" * 32)
    assert gone is not None and gone.status == 404
    assert "Passport not found" in await page.inner_text("body")
    await page.screenshot(path=str(ARTIFACTS / "passport-not-found.png"))
    await context.close()


@pytest.mark.browser
async def test_the_page_renders_in_chromium_without_javascript(
    make_settings: Callable[..., PassportSettings], person: Any
) -> None:
    pet = await person.records.new_pet("Ollie", breed="Beagle")
    r = await person.records.call(
        "POST",
        f"/api/pets/{pet['id']}/photo",
        json={"content_type": "image/png", "size_bytes": len(PNG)},
    )
    post_to_storage(r.json()["upload"], PNG)
    assert (
        await person.records.call("POST", f"/api/pets/{pet['id']}/photo/complete")
    ).status_code == 200
    await person.records.new_doc(pet["id"], label="Rabies", expires_on=days(300))
    await person.records.new_doc(pet["id"], label="DHPP", expires_on=days(12))
    await person.records.new_doc(pet["id"], label="Bordetella", expires_on=days(-5))
    await person.records.new_doc(pet["id"], label="Leptospirosis", expires_on=None)
    passport = await person.new_passport(pet["id"])
    path = person.public_path(passport)
    query = f"?requires=rabies,dhpp,bordetella&through={days(20)}"

    ARTIFACTS.mkdir(exist_ok=True)
    with LiveServer(create_app(make_settings())) as server:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(**chromium_launch_options())
            try:
                await _look_at_the_page(browser, server.url + path + query, server.url)
            finally:
                await browser.close()
    assert (ARTIFACTS / "passport-page.png").stat().st_size > 10_000


async def test_client_network_comes_from_the_edge_only_when_trusted(
    make_settings: Callable[..., PassportSettings], person: Any
) -> None:
    pet = await person.records.new_pet("Ollie")
    passport = await person.new_passport(pet["id"])
    path = person.public_path(passport)
    spoof = {"X-Forwarded-For": "198.51.100.1, 203.0.113.77", "User-Agent": "curl/8"}
    trusting = make_settings(trusted_proxy_addresses=["127.0.0.1/32"])
    with LiveServer(create_app(trusting)) as server:
        assert httpx.get(server.url + path, headers=spoof, timeout=10).status_code == 200
    distrusting = make_settings(trusted_proxy_addresses=["10.99.0.0/16"])
    with LiveServer(create_app(distrusting)) as server:
        assert httpx.get(server.url + path, headers=spoof, timeout=10).status_code == 200
    views = (await person.call("GET", f"/api/passports/{passport['id']}/views")).json()["views"]
    # Newest first: the untrusting app saw the socket's peer; the trusting one, the edge's word
    # (the address the edge appended, not the one the client claimed).
    assert [v["network"] for v in views] == ["127.0.0.0/24", "203.0.113.0/24"]


async def test_rate_limit_buckets_are_per_client_behind_the_edge(
    make_settings: Callable[..., PassportSettings], person: Any
) -> None:
    pet = await person.records.new_pet("Ollie")
    passport = await person.new_passport(pet["id"])
    url_path = person.public_path(passport)
    settings = make_settings(passport_rate_limit=3, passport_rate_limit_window_s=60)
    with (
        LiveServer(create_app(settings)) as server,
        httpx.Client(base_url=server.url, timeout=10) as http,
    ):
        first = [http.get(url_path, headers={"X-Forwarded-For": "203.0.113.5"}) for _ in range(4)]
        assert [r.status_code for r in first] == [200, 200, 200, 429]
        # Another facility behind the same edge is unaffected.
        other = http.get(url_path, headers={"X-Forwarded-For": "203.0.113.6"})
        assert other.status_code == 200
