"""The seed timeline in a real browser: Debian's chromium, driven by Playwright.

Screenshots land in `screenshots/` (git-ignored) for a person to look at.
"""

from .browser import DESKTOP, PHONE, shoot

SEED = "/timelines/nordkorea-soldaten-russland/"


def titles(page):
    return [t.strip() for t in page.locator("ol.events > li h3").all_inner_texts()]


def dates(page):
    return [t.strip() for t in page.locator("ol.events > li .event-date time").all_inner_texts()]


def test_reader_follows_the_story(page, site):
    page.goto(site + SEED)
    assert page.locator("html").get_attribute("lang") == "de"
    assert dates(page) == [
        "Anfang Oktober 2024",
        "Oktober 2024",
        "Mitte Oktober 2024",
        "23. Oktober 2024",
        "23. Oktober 2024",
    ]
    assert titles(page)[0] == "Erste Schiffe bringen nordkoreanische Soldaten nach Wladiwostok"
    assert titles(page)[-1] == "John Kirby: Mindestens 3.000 nordkoreanische Soldaten in Russland"
    shoot(page, "timeline-desktop-de")

    # filter by a tag, then remove the filter again
    page.select_option("#filter-tag", "stellungnahme")
    page.get_by_role("button", name="Anzeigen").click()
    assert len(titles(page)) == 2
    assert "Stellungnahme" in page.locator(".active-filters").inner_text()
    page.get_by_role("link", name="Alle Filter entfernen").click()
    assert len(titles(page)) == 5

    # search
    page.fill("#filter-q", "Kirby")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert titles(page) == ["John Kirby: Mindestens 3.000 nordkoreanische Soldaten in Russland"]

    # open an event
    page.get_by_role(
        "link", name="John Kirby: Mindestens 3.000 nordkoreanische Soldaten in Russland"
    ).click()
    assert (
        page.locator("h1").inner_text()
        == "John Kirby: Mindestens 3.000 nordkoreanische Soldaten in Russland"
    )
    captions = page.locator("figure.quote figcaption").all_inner_texts()
    assert captions[0].startswith("John Kirby, Sprecher des Nationalen Sicherheitsrats")
    assert page.get_by_role("link", name="Karte (OpenStreetMap)").count() == 1
    shoot(page, "event-desktop-de")

    # previous event
    page.locator("a[rel=prev]").click()
    assert page.locator("h1").inner_text().startswith("Lloyd Austin")


def test_reader_switches_to_english(page, site):
    page.goto(site + SEED)
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert dates(page)[:3] == ["early October 2024", "October 2024", "mid-October 2024"]
    page.goto(site + SEED + "austin-rom/")  # the choice is remembered
    assert page.locator(".event-date time").inner_text() == "23 October 2024"
    shoot(page, "event-desktop-en")


def test_browser_language_english_is_honoured(browser, site):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    page.goto(site + SEED)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Subscribe").count() == 1
    context.close()


def test_phone_width_has_no_sideways_scrolling(browser, site):
    context = browser.new_context(viewport=PHONE, locale="de-DE", is_mobile=True)
    page = context.new_page()
    for path, name in (
        (SEED, "timeline-phone-de"),
        (SEED + "kirby-washington/", "event-phone-de"),
    ):
        page.goto(site + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width}px wide"
        shoot(page, name)
    context.close()


def test_keyboard_reaches_content_through_the_skip_link(page, site):
    page.goto(site + SEED)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Zum Inhalt springen"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # visible focus
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_dark_mode_follows_the_system(browser, site):
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport=DESKTOP, color_scheme=scheme, locale="de-DE")
        page = context.new_page()
        page.goto(site + SEED)
        colours[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
        shoot(page, f"timeline-desktop-{scheme}")
        context.close()
    assert colours["light"] != colours["dark"]
    assert colours["dark"] == "rgb(22, 23, 26)"


def test_page_works_without_javascript(browser, site):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    page.goto(site + SEED)
    page.select_option("#filter-person", "lloyd-austin")
    page.get_by_role("button", name="Anzeigen").click()
    assert titles(page) == ["Lloyd Austin: Beweise für nordkoreanische Soldaten in Russland"]
    context.close()
