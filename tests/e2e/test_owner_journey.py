"""The owner's whole journey in headless Chromium against the local stack (issue 6):

sign up → confirm from the e-mail file → log in → add 2 pets → upload a PDF and photo records
with expiries in the past, in 10 days and in a year → dashboard rings and banner → Quick Show
opens the pinned record → offline, Quick Show still shows it → passport opened in a fresh
context → every main screen checked with axe-core and captured at 390x844 and 1280x800, light
and dark → revoke → the passport URL answers 404.

The tests run in file order and share one owner (module-scoped): each step builds on the last.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from petshots_testkit.local_stack import RunningStack, wait_for_mail
from petshots_testkit.mail import code_in

from .conftest import Certificates
from .support import (
    ARTIFACTS,
    axe_source,
    describe_violations,
    dump_json,
    serious_violations,
)

pytestmark = pytest.mark.browser

PASSWORD = "Wag-Tail-2026"
TIMEZONE = "Europe/Berlin"
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}


@dataclass
class Journey:
    base: str
    email: str
    context: BrowserContext
    page: Page
    ids: dict[str, str] = field(default_factory=dict)
    console: list[str] = field(default_factory=list)
    passport_url: str | None = None
    done: set[str] = field(default_factory=set)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def need(self, *steps: str) -> None:
        missing = [s for s in steps if s not in self.done]
        if missing:
            pytest.fail(f"an earlier step failed: {', '.join(missing)}")


@pytest.fixture(scope="module")
def journey(stack: RunningStack, browser: Browser) -> Iterator[Journey]:
    context = browser.new_context(
        base_url=stack.base_url,
        viewport=PHONE,
        timezone_id=TIMEZONE,
        locale="en-GB",
        service_workers="allow",
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    owner = f"owner-{uuid.uuid4().hex[:10]}@example.com"
    j = Journey(base=stack.base_url, email=owner, context=context, page=page, console=console)
    yield j
    context.close()


@pytest.fixture(autouse=True)
def evidence_on_failure(request: pytest.FixtureRequest, journey: Journey) -> Iterator[None]:
    """A failed step leaves a screenshot and the browser console under test-artifacts/e2e."""
    yield
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        out = ARTIFACTS / "e2e"
        out.mkdir(parents=True, exist_ok=True)
        journey.page.screenshot(path=str(out / f"failed-{request.node.name}.png"))
        (out / f"failed-{request.node.name}.console.txt").write_text("\n".join(journey.console))


def iso(days_from_today: int) -> str:
    return (date.today() + timedelta(days=days_from_today)).isoformat()


def doc_id_from_row(page: Page, label: str) -> str:
    href = page.locator("a.record-row", has_text=label).first.get_attribute("href")
    assert href and href.startswith("/records/"), href
    return href.removeprefix("/records/")


def add_record(
    j: Journey, pet: str, label: str, expires_on: str, file: Path, *, other: bool = False
) -> str:
    page = j.page
    page.goto(j.url(f"/pets/{j.ids[pet]}"))
    page.get_by_role("link", name="Add record").click()
    expect(page.get_by_role("heading", name="Add a record")).to_be_visible()
    if other:
        page.get_by_label("Other", exact=True).check()
        page.get_by_label("Vaccine name").fill(label)
    else:
        page.get_by_label(label, exact=True).check()
    page.get_by_label("Expiry date", exact=True).fill(expires_on)
    page.locator("[data-testid=record-file]").set_input_files(str(file))
    expect(page.get_by_text(file.name)).to_be_visible()
    page.get_by_role("button", name="Save record").click()
    page.wait_for_url(f"**/pets/{j.ids[pet]}")
    expect(page.locator("a.record-row", has_text=label)).to_be_visible()
    return doc_id_from_row(page, label)


# --- 1. account ------------------------------------------------------------------------------


def test_sign_up_confirm_from_email_and_log_in(journey: Journey) -> None:
    page = journey.page
    page.goto(journey.url("/"))
    page.wait_for_url("**/login?next=%2F")
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("E-mail").fill(journey.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    started = time.time()
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/confirm?email=*")

    code = code_in(wait_for_mail(journey.email, "code", after=started))
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/login?email=*")

    expect(page.get_by_label("E-mail")).to_have_value(journey.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your pets")).to_be_visible()
    assert page.url.rstrip("/") == journey.base
    # The password never left the browser: SRP sends only A and a proof.
    journey.done.add("login")


def test_add_two_pets(journey: Journey) -> None:
    journey.need("login")
    page = journey.page
    for name, species in (("Rex", "dog"), ("Mia", "cat")):
        page.goto(journey.url("/"))
        page.get_by_role("link", name="Add a pet").click()
        page.get_by_label("Name").fill(name)
        page.get_by_label("Species").select_option(species)
        page.get_by_role("button", name="Add pet").click()
        expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()
        journey.ids[name] = page.url.rsplit("/", 1)[1]
    page.goto(journey.url("/"))
    expect(page.locator(".pet-card")).to_have_count(3)  # two pets + the add tile
    expect(page.get_by_text("2 of 3 on the free plan")).to_be_visible()
    journey.done.add("pets")


# --- 2. records ------------------------------------------------------------------------------


def test_upload_pdf_and_photo_records_with_three_expiries(
    journey: Journey, certificates: Certificates
) -> None:
    journey.need("pets")
    journey.ids["rabies"] = add_record(journey, "Rex", "Rabies", iso(365), certificates.pdf)
    journey.ids["dhpp"] = add_record(journey, "Rex", "DHPP", iso(-20), certificates.photo)
    journey.ids["bordetella"] = add_record(
        journey, "Mia", "Bordetella", iso(10), certificates.photo2
    )
    journey.done.add("records")


def test_dashboard_rings_and_banner_show_each_status(journey: Journey) -> None:
    journey.need("records")
    page = journey.page
    page.goto(journey.url("/"))
    rex = page.locator(".pet-card", has_text="Rex")
    mia = page.locator(".pet-card", has_text="Mia")
    # Rings: a pet takes its most urgent record's status; the word is printed beside it.
    expect(rex).to_have_attribute("data-status", "expired")
    expect(rex.locator(".avatar")).to_have_attribute("data-status", "expired")
    expect(rex).to_contain_text("Expired")
    expect(mia).to_have_attribute("data-status", "due_soon")
    expect(mia.locator(".avatar")).to_have_attribute("data-status", "due_soon")
    expect(mia).to_contain_text("Due soon")
    ring = rex.locator(".avatar").evaluate("e => getComputedStyle(e).backgroundColor")
    assert ring != mia.locator(".avatar").evaluate("e => getComputedStyle(e).backgroundColor")

    # Banner: expired first, then due soon; the current record is not in it.
    items = page.locator(".attention__item")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("Rex")
    expect(items.nth(0)).to_contain_text("DHPP")
    expect(items.nth(0)).to_contain_text("Expired")
    expect(items.nth(1)).to_contain_text("Mia")
    expect(items.nth(1)).to_contain_text("Bordetella")
    expect(items.nth(1)).to_contain_text("Due soon")
    expect(page.locator(".attention")).not_to_contain_text("Rabies")

    page.goto(journey.url(f"/pets/{journey.ids['Rex']}"))
    rabies = page.locator("a.record-row", has_text="Rabies")
    expect(rabies).to_have_attribute("data-status", "current")
    expect(rabies).to_contain_text("Current")
    expect(page.locator("a.record-row", has_text="DHPP")).to_have_attribute(
        "data-status", "expired"
    )
    page.goto(journey.url(f"/pets/{journey.ids['Mia']}"))
    bordetella = page.locator("a.record-row", has_text="Bordetella")
    expect(bordetella).to_have_attribute("data-status", "due_soon")
    expect(bordetella).to_contain_text("Due soon")
    journey.done.add("dashboard")


# --- 3. Quick Show and door mode -------------------------------------------------------------


def test_quick_show_opens_the_pinned_record(journey: Journey) -> None:
    journey.need("records")
    page = journey.page
    # Rabies would be the default pick; pinning DHPP must override it.
    page.goto(journey.url(f"/records/{journey.ids['dhpp']}"))
    pin = page.get_by_role("button", name="Pin for Quick Show")
    pin.click()
    expect(page.get_by_role("button", name="Unpin from Quick Show")).to_have_attribute(
        "aria-pressed", "true"
    )

    page.goto(journey.url("/"))
    page.get_by_test_id("quick-show").click()  # one tap from the app
    page.wait_for_url("**/show")
    expect(page.locator("html")).to_have_attribute("data-certificate", journey.ids["dhpp"])
    expect(page.locator(".door__pet")).to_have_text("Rex")
    expect(page.locator(".door__label")).to_contain_text("DHPP")
    expect(page.locator(".door__facts .status")).to_contain_text("Expired")
    painted = page.evaluate(
        "() => performance.getEntriesByName('petshots:certificate-painted').length"
    )
    assert painted == 1
    image = page.get_by_role("img", name="DHPP certificate")
    assert image.evaluate("img => img.naturalWidth") > 300
    journey.done.add("quick-show")


DOOR_SAVED_JS = """async (wanted) => {
  const db = await new Promise((ok, no) => {
    const r = indexedDB.open('petshots-door');
    r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error);
  });
  if (!db.objectStoreNames.contains('files')) { db.close(); return []; }
  const keys = await new Promise((ok, no) => {
    const r = db.transaction('files').objectStore('files').getAllKeys();
    r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error);
  });
  db.close();
  return wanted.filter((k) => keys.includes(k));
}"""


def test_quick_show_works_offline(journey: Journey) -> None:
    journey.need("quick-show")
    page, ids = journey.page, journey.ids
    wanted = [ids["dhpp"], ids["rabies"], ids["bordetella"]]
    deadline = time.monotonic() + 45
    saved: list[str] = []
    while time.monotonic() < deadline:
        saved = page.evaluate(DOOR_SAVED_JS, wanted)
        if len(saved) == len(wanted):
            break
        page.wait_for_timeout(500)
    assert sorted(saved) == sorted(wanted), "door mode did not save every certificate"
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => !!navigator.serviceWorker.controller", timeout=30_000)

    journey.context.set_offline(True)
    try:
        page.goto(journey.url("/show"))
        expect(page.locator("html")).to_have_attribute("data-certificate", ids["dhpp"])
        expect(page.locator(".door__label")).to_contain_text("DHPP")
        expect(page.locator(".door__saved")).to_contain_text("Offline · saved")
        assert (
            page.get_by_role("img", name="DHPP certificate").evaluate("i => i.naturalWidth") > 300
        )

        # Swipe on: the Rabies PDF, kept as page images, shows without network too.
        page.get_by_role("button", name="Next certificate").click()
        expect(page.locator(".door__label")).to_contain_text("Rabies")
        rabies = page.get_by_role("img", name="Rabies certificate")
        expect(rabies).to_be_visible()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 300", arg=rabies.element_handle()
        )

        # The other pet, offline as well.
        page.get_by_role("link", name="Mia").click()
        expect(page.locator(".door__label")).to_contain_text("Bordetella")
        expect(page.locator(".door__facts .status")).to_contain_text("Due soon")
    finally:
        journey.context.set_offline(False)
    journey.done.add("offline")


# --- 4. passports ----------------------------------------------------------------------------


def test_passport_opens_in_a_fresh_context(journey: Journey, browser: Browser) -> None:
    journey.need("records")
    page = journey.page
    page.goto(journey.url(f"/passports?pet={journey.ids['Rex']}"))
    page.get_by_label("For (facility)").fill("Happy Paws Daycare")
    page.get_by_label("Link works for").select_option("30")
    page.get_by_role("button", name="Create passport").click()
    expect(page.get_by_role("heading", name="Happy Paws Daycare")).to_be_visible()
    url = page.get_by_test_id("passport-url").get_attribute("href")
    assert url and "/p/" in url
    journey.ids["passport"] = page.url.rsplit("/", 1)[1]
    journey.passport_url = url
    expect(page.get_by_role("img", name="QR code for the passport link")).to_be_visible()

    facility = browser.new_context(java_script_enabled=False)
    try:
        res = facility.new_page().goto(url)
        assert res is not None and res.status == 200
        body = res.text()
        assert "Rex" in body and "Rabies" in body and "DHPP" in body
        assert journey.email not in body
        assert "Mia" not in body
    finally:
        facility.close()
    journey.done.add("passport")


SCREENS_OWNER = [
    ("dashboard", "/", "h1"),
    ("pet", "/pets/{Rex}", "h1"),
    ("add-record", "/pets/{Rex}/records/new", "h1"),
    ("record", "/records/{rabies}", ".viewer__page"),
    ("quick-show", "/show", "html[data-certificate]"),
    ("passports", "/passports", ".passport-row"),
    ("passport", "/passports/{passport}", "img[alt^='QR code']"),
    ("settings", "/settings", "#reminders-title"),
]
SCREENS_PUBLIC = [
    ("login", "/login", "h1"),
    ("signup", "/signup", "h1"),
    ("confirm", "/confirm", "h1"),
    ("forgot-password", "/forgot", "h1"),
]


def _capture(page: Page, name: str, ready: str, out: Path, findings: dict[str, Any]) -> None:
    expect(page.locator(ready).first).to_be_attached()
    page.add_script_tag(content=axe_source())
    for vp_name, viewport in (("390x844", PHONE), ("1280x800", DESKTOP)):
        page.set_viewport_size(viewport)
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.wait_for_timeout(250)
            page.screenshot(path=str(out / f"{name}-{vp_name}-{scheme}.png"))
            result: dict[str, Any] = page.evaluate(
                "() => axe.run(document, {resultTypes: ['violations']})"
            )
            bad = serious_violations(result)
            if bad:
                findings[f"{name} {vp_name} {scheme}"] = bad
    page.emulate_media(color_scheme="light")
    page.set_viewport_size(PHONE)


def test_every_main_screen_passes_axe_and_is_captured(
    journey: Journey, browser: Browser, artifacts: Path
) -> None:
    journey.need("passport", "records")
    findings: dict[str, Any] = {}
    page = journey.page
    for name, path, ready in SCREENS_OWNER:
        page.goto(journey.url(path.format(**journey.ids)))
        _capture(page, name, ready, artifacts, findings)

    visitor = browser.new_context(base_url=journey.base, viewport=PHONE)
    try:
        public = visitor.new_page()
        for name, path, ready in SCREENS_PUBLIC:
            public.goto(journey.url(path))
            _capture(public, name, ready, artifacts, findings)
    finally:
        visitor.close()

    dump_json(artifacts.parent / "axe" / "serious-and-critical.json", findings)
    shots = sorted(p.name for p in artifacts.glob("*.png"))
    assert len(shots) >= (len(SCREENS_OWNER) + len(SCREENS_PUBLIC)) * 4, shots
    assert not findings, "\n\n".join(f"{k}:\n{describe_violations(v)}" for k, v in findings.items())


def test_revoked_passport_url_answers_404(journey: Journey, browser: Browser) -> None:
    journey.need("passport")
    page = journey.page
    page.goto(journey.url(f"/passports/{journey.ids['passport']}"))
    page.get_by_role("button", name="Revoke").click()
    page.get_by_role("button", name="Revoke link").click()
    expect(page.locator(".passport-state")).to_have_text("Revoked")

    assert journey.passport_url
    fresh = browser.new_context()
    try:
        res = fresh.new_page().goto(journey.passport_url)
        assert res is not None
        assert res.status == 404
    finally:
        fresh.close()
