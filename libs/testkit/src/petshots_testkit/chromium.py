"""Debian's Chromium under Playwright, kept offline: the browser tests, the browser benchmarks
and the icon renderer launch it the same way, from here.

``playwright install`` is no option on these machines (it downloads a browser from a host that
is not a package registry), so Playwright is always pointed at the distribution's build.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TypedDict

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")

# Only loopback traffic is allowed here: these switch off Chromium's own calls home (component
# updates, sync, first-run pages, background fetches), and without the resolver rule it still
# looks up Google hosts. No sandbox: the tests may run as root in a container.
CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost",
)


class ChromiumMissing(RuntimeError):
    pass


class LaunchOptions(TypedDict):
    """Keyword arguments of Playwright's ``chromium.launch`` (sync and async alike)."""

    executable_path: str
    args: list[str]


def chromium_executable() -> str:
    """Debian's Chromium, or another ``chromium`` on PATH."""
    if DEBIAN_CHROMIUM.is_file():
        return str(DEBIAN_CHROMIUM)
    found = shutil.which("chromium")
    if found is None:
        raise ChromiumMissing(
            f"no Chromium at {DEBIAN_CHROMIUM} or on PATH: install the distribution's "
            "(Debian: apt-get install chromium), not `playwright install`"
        )
    return found


def chromium_launch_options() -> LaunchOptions:
    """``browser_type.launch(**chromium_launch_options())`` starts the offline headless Chromium."""
    return {"executable_path": chromium_executable(), "args": list(CHROMIUM_ARGS)}
