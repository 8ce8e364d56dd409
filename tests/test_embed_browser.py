"""The embed in a newspaper's article on another site (another port of this machine),
in chromium: the snippet our timeline page offers, pasted as it is."""

import lxml.html
import requests
from playwright.sync_api import expect

from .browser import DESKTOP, PHONE, axe_violations, other_site, shoot

SEED = "/timelines/nordkorea-soldaten-russland/"
ARTICLE = """<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Artikel</title>
</head><body><h1>Nordkoreas Soldaten: was wir wissen</h1><p>Vorspann des Artikels.</p>
%s
<p id="after">Weiter im Text des Artikels.</p></body></html>"""


def offered_snippet(live_server):
    page = lxml.html.fromstring(requests.get(live_server.url + SEED, timeout=10).text)
    return page.get_element_by_id("embed-snippet").text


def test_the_embed_fits_its_frame_and_opens_events_in_a_new_tab(browser, site, live_server):
    article = (ARTICLE % offered_snippet(live_server)).encode()
    with other_site(lambda path: (article, "text/html") if path == "/" else None) as host:
        for viewport in (DESKTOP, PHONE):
            context = browser.new_context(viewport=viewport, locale="de-DE")
            page = context.new_page()
            page.goto(host + "/")
            frame = page.frame_locator("iframe[data-newsroom-embed]")
            expect(frame.locator("h1")).to_have_text("Nordkoreanische Soldaten in Russland")
            iframe = page.locator("iframe[data-newsroom-embed]")
            # The host's script sets the height the embed reports: no scrollbar inside.
            expect(iframe).not_to_have_attribute("style", "border:0;max-width:100%")
            inner = frame.locator("html").evaluate(
                "html => [html.scrollHeight, html.clientHeight, html.scrollWidth, html.clientWidth]"
            )
            assert inner[0] <= inner[1] + 1, f"the frame scrolls: {inner}"
            assert inner[2] <= inner[3], f"the frame scrolls sideways: {inner}"
            assert iframe.bounding_box()["height"] > 600  # five events need more than 600 px
            shoot(page, f"embed-in-article-{viewport['width']}")
            with context.expect_page() as opened:
                frame.get_by_role("link", name="Lloyd Austin: Beweise für nordkoreanische "
                                  "Soldaten in Russland", exact=True).click()  # fmt: skip
            event_page = opened.value
            event_page.wait_for_load_state()
            assert event_page.url == live_server.url + SEED + "austin-rom/"
            assert page.url == host + "/"  # the article stays where it was
            context.close()


def test_the_embed_page_is_accessible(browser, site):
    for viewport in (DESKTOP, PHONE):
        context = browser.new_context(viewport=viewport, locale="de-DE")
        page = context.new_page()
        page.goto(site + SEED + "embed/")
        assert axe_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        context.close()
