"""Fixtures of the browser suite (this package's conftest: module name e2e.conftest)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

from petshots_testkit.chromium import chromium_launch_options
from petshots_testkit.local_stack import RunningStack, local_stack

from .support import ARTIFACTS, require_spa_build

CERTIFICATE_HTML = """<!doctype html><html><head><meta charset="utf-8"><style>
body{{font-family:serif;margin:0;padding:48px;background:#fffdf7;color:#111;width:1100px}}
h1{{font-size:46px;margin:0 0 8px}} .clinic{{font-size:22px;color:#444}}
table{{margin-top:36px;font-size:26px;border-collapse:collapse;width:100%}}
td{{border:2px solid #333;padding:14px}} .sig{{margin-top:60px;font-size:24px}}
</style></head><body><h1>{title}</h1><div class="clinic">Riverside Veterinary Clinic · Licence 4471</div>
<table><tr><td>Patient</td><td>{pet}</td></tr><tr><td>Vaccine</td><td>{vaccine}</td></tr>
<tr><td>Valid until</td><td>{expiry}</td></tr><tr><td>Lot</td><td>RV-2231-A</td></tr></table>
<p class="sig">Dr. A. Example, DVM</p></body></html>"""


@dataclass(frozen=True)
class Certificates:
    pdf: Path
    photo: Path
    photo2: Path


# Package scope: Playwright's sync API keeps an event loop running in the main thread until
# it stops, and later suites call asyncio.run(); the stack's ports are freed for them too.
@pytest.fixture(scope="package")
def stack() -> Iterator[RunningStack]:
    require_spa_build()
    with local_stack(ARTIFACTS / "e2e" / "devstack.log") as running:
        yield running


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    b = playwright.chromium.launch(**chromium_launch_options())
    yield b
    b.close()


@pytest.fixture(scope="package")
def certificates(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    """A PDF and two JPEG photos of vaccination certificates, made by the browser itself."""
    out = tmp_path_factory.mktemp("certificates")
    page = browser.new_page(viewport={"width": 1196, "height": 900})
    page.set_content(
        CERTIFICATE_HTML.format(
            title="Rabies Vaccination Certificate",
            pet="Rex",
            vaccine="Rabies (3 year)",
            expiry="one year from today",
        )
    )
    page.pdf(path=str(out / "rabies-certificate.pdf"), format="A4", print_background=True)
    page.set_content(
        CERTIFICATE_HTML.format(
            title="DHPP Vaccination Record", pet="Rex", vaccine="DHPP", expiry="expired"
        )
    )
    page.screenshot(path=str(out / "dhpp-photo.jpg"), type="jpeg", quality=80, full_page=True)
    page.set_content(
        CERTIFICATE_HTML.format(
            title="Bordetella Certificate", pet="Mia", vaccine="Bordetella", expiry="in ten days"
        )
    )
    page.screenshot(path=str(out / "bordetella-photo.jpg"), type="jpeg", quality=80, full_page=True)
    page.close()
    return Certificates(
        pdf=out / "rabies-certificate.pdf",
        photo=out / "dhpp-photo.jpg",
        photo2=out / "bordetella-photo.jpg",
    )


@pytest.fixture(scope="session")
def artifacts() -> Path:
    path = ARTIFACTS / "screens"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keep each phase's report on the item, so fixtures can tell a failed test."""
    report = yield
    setattr(item, f"report_{call.when}", report)
    return report
