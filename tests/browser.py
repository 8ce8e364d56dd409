"""What the browser tests share: Debian's chromium under Playwright, logging in to the
desk, and the two checks every screen gets — axe-core's accessibility rules and no
sideways scrolling."""

import contextlib
import shutil
from pathlib import Path
from urllib.parse import urlsplit

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


@contextlib.contextmanager
def other_site(answer):
    """Another origin on this machine (its own port): `answer(path)` gives the body and
    content type of each page it serves, or None for a 404. Yields its address."""
    import http.server
    import threading

    class Site(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            found = answer(urlsplit(self.path).path)
            if found is None:
                self.send_response(204 if self.path == "/favicon.ico" else 404)
                self.end_headers()
                return
            body, kind = found
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
