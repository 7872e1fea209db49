"""Render the PWA's PNG icons from the SVGs in web/public/icons with headless Chromium.

Run ``uv run python web/scripts/make_icons.py`` after changing an SVG; the PNGs are committed.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

from petshots_testkit.chromium import chromium_launch_options

ICONS = Path(__file__).resolve().parent.parent / "public" / "icons"
TARGETS = [("icon.svg", "icon-192.png", 192), ("icon.svg", "icon-512.png", 512),
           ("maskable.svg", "maskable-512.png", 512)]


def main() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(**chromium_launch_options())
        for source, target, size in TARGETS:
            page = browser.new_page(viewport={"width": size, "height": size})
            svg = (ICONS / source).read_text()
            page.set_content(
                "<style>html,body{margin:0;background:transparent}svg{display:block;"
                f"width:{size}px;height:{size}px}}</style>{svg}"
            )
            page.screenshot(path=str(ICONS / target), omit_background=True)
            page.close()
            print(f"wrote {ICONS / target}")
        browser.close()


if __name__ == "__main__":
    main()
