"""What the browser tests share: Debian's chromium under Playwright, logging in to the
desk, and the two checks every screen gets — axe-core's accessibility rules and no
sideways scrolling."""

import shutil
from pathlib import Path

from django.conf import settings

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


def shoot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def log_in(page, site, username, password, next_path):
    page.goto(f"{site}/admin/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_load_state("load")


def axe_violations(page):
    """axe-core's violations on the page as it stands, one line each ("rule (impact):
    selectors"). The script goes in through the debugging protocol, which the page's
    CSP does not govern; nothing of the page is changed for it."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]}))
             .violations.map(v => v.id + " (" + v.impact + "): "
                             + v.nodes.map(n => n.target.join(" ")).join(", "))"""
    )
    return found


def overflow(page):
    """How many pixels the page is wider than its window (0: no sideways scrolling)."""
    return page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")
