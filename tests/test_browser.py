"""The seed timeline in a real browser: Debian's chromium, driven by Playwright.

Screenshots land in `screenshots/` (git-ignored) for a person to look at.
"""

from .browser import DESKTOP, PHONE, axe_violations, overflow, shoot

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

    # filter by a tag (behind "Suchen und filtern"), then remove the filter again
    page.get_by_text("Suchen und filtern").click()
    page.select_option("#filter-tag", "stellungnahme")
    page.get_by_role("button", name="Anzeigen").click()
    assert len(titles(page)) == 2
    assert "Stellungnahme" in page.locator(".active-filters").inner_text()
    page.get_by_role("link", name="Alle Filter entfernen").click()
    assert len(titles(page)) == 5

    # search (the disclosure stays open while filters are in use)
    page.get_by_text("Suchen und filtern").click()
    page.fill("#filter-q", "Kirby")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert titles(page) == ["John Kirby: Mindestens 3.000 nordkoreanische Soldaten in Russland"]

    # open an event
    page.get_by_role(
        "link",
        name="John Kirby: Mindestens 3.000 nordkoreanische Soldaten in Russland",
        exact=True,
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
    page.get_by_text("Suchen und filtern").click()  # <details>: no script needed
    page.select_option("#filter-person", "lloyd-austin")
    page.get_by_role("button", name="Anzeigen").click()
    assert titles(page) == ["Lloyd Austin: Beweise für nordkoreanische Soldaten in Russland"]
    context.close()


def test_the_axis_draws_spans_over_their_days_and_days_as_points(page, site):
    """The seed, 1–31 October 2024 to scale: "Oktober 2024" over the whole axis, the
    early and middle thirds over theirs, the two 23 October events at the 23rd; each
    mark a link named by its date and title."""
    from events.models import Event

    Event.objects.get(slug="austin-rom").retract("Falsch zugeordnet.")
    page.goto(site + SEED)
    track = page.locator(".axis-track").bounding_box()
    day = track["width"] / 31

    def box(name):
        link = page.get_by_role("link", name=name, exact=False).and_(page.locator(".axis-mark a"))
        return link.bounding_box()

    month = box("Oktober 2024: Weiterreise zu Ausbildungsstätten")
    assert abs(month["x"] - track["x"]) < 1 and abs(month["width"] - track["width"]) < 1
    early = box("Anfang Oktober 2024: Erste Schiffe")
    assert abs(early["x"] - track["x"]) < 1 and abs(early["width"] - 10 * day) < 1
    mid = box("Mitte Oktober 2024: Weitere Schiffstransporte")
    assert abs(mid["x"] - (track["x"] + 10 * day)) < 1 and abs(mid["width"] - 10 * day) < 1
    for name in ("23. Oktober 2024: John Kirby", "23. Oktober 2024: Lloyd Austin"):
        point = box(name)
        centre = point["x"] + point["width"] / 2
        assert abs(centre - (track["x"] + 22.5 * day)) < 1, name
        assert point["width"] < day  # a point, not a span
    assert box("23. Oktober 2024: John Kirby")["y"] != box("23. Oktober 2024: Lloyd Austin")["y"]
    retracted = page.locator(".mark-retracted a")
    assert retracted.count() == 1 and retracted.get_attribute("title").endswith("(zurückgezogen)")
    assert page.locator(".axis-ticks li").all_inner_texts() == ["1. Okt", "11. Okt", "21. Okt"]
    assert page.locator(".event-date .date-kind").count() == 3  # ≈ for the three periods
    shoot(page, "timeline-axis-desktop-de")


def test_the_first_event_shows_on_a_phone_s_first_screen(browser, site):
    context = browser.new_context(viewport=PHONE, locale="de-DE", is_mobile=True)
    page = context.new_page()
    page.goto(site + SEED)
    first = page.locator("ol.events > li").first.bounding_box()
    assert first["y"] + 60 < PHONE["height"], f"the first event begins at y = {first['y']}"
    assert page.locator(".axis-track").is_visible()
    assert page.locator("#filter-q").is_hidden()  # behind "Suchen und filtern"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, "timeline-first-screen-phone-de")
    context.close()


def test_reader_pages_are_accessible_at_both_widths(browser, site):
    """axe-core finds nothing on home, timeline (with its axis), event and embed pages,
    in German and English, at a desk's width and a phone's; none scrolls sideways."""
    found = []
    for viewport in (DESKTOP, PHONE):
        for locale in ("de-DE", "en-GB"):
            context = browser.new_context(viewport=viewport, locale=locale)
            page = context.new_page()
            for path in ("/", SEED, SEED + "kirby-washington/", SEED + "embed/"):
                page.goto(site + path)
                problems = axe_violations(page)
                if overflow(page):
                    problems.append(f"{overflow(page)}px wider than the window")
                found += [f"{viewport['width']} {locale} {path}: {p}" for p in problems]
            context.close()
    assert not found, "\n".join(found)
