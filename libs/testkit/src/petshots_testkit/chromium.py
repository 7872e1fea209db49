"""Debian's Chromium under Playwright, kept offline: the browser tests, the browser benchmarks
and the icon renderer launch it the same way, from here; the benchmarks also emulate the same
slow phone with it.

``playwright install`` is no option on these machines (it downloads a browser from a host that
is not a package registry), so Playwright is always pointed at the distribution's build.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Protocol, TypedDict

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


class CdpSession(Protocol):
    """What a Playwright CDP session (sync API) offers the emulation below."""

    def send(self, method: str, params: dict[str, Any] | None = None) -> Any: ...


# Lighthouse's "Slow 4G" mobile profile, which the performance targets are stated under.
SLOW_PHONE_LATENCY_MS = 150
SLOW_PHONE_DOWN_BPS = 1.6e6 / 8
SLOW_PHONE_UP_BPS = 750e3 / 8
SLOW_PHONE_CPU_SLOWDOWN = 4.0


def emulate_slow_phone(
    cdp: CdpSession,
    *,
    offline: bool = False,
    cache_disabled: bool = False,
    cpu_slowdown: float = SLOW_PHONE_CPU_SLOWDOWN,
) -> None:
    """Throttle the page's network and CPU through the DevTools protocol (Slow 4G)."""
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": offline,
            "latency": SLOW_PHONE_LATENCY_MS,
            "downloadThroughput": SLOW_PHONE_DOWN_BPS,
            "uploadThroughput": SLOW_PHONE_UP_BPS,
        },
    )
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": cache_disabled})
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu_slowdown})
