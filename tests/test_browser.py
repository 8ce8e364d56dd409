"""The seed timeline in a real browser: Debian's chromium, driven by Playwright.

Screenshots land in `screenshots/` (git-ignored) for a person to look at.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SEED = "/timelines/nordkorea-soldaten-russland/"
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
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make around it are ordinary synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def site(live_server, transactional_db):
    call_command("load_seed", verbosity=0)
    return live_server.url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP, locale="de-DE")
    yield context.new_page()
    context.close()


def shoot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


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


def test_editor_sees_what_when_means_as_she_types(page, site, django_user_model):
    """The desk's "Wann" field says back the label and the days readers will see,
    from a script of our own under the CSP; text it cannot read gets its message."""
    from playwright.sync_api import expect

    from events.models import Timeline

    from .conftest import editors_group

    editor = django_user_model.objects.create_user("redakteurin", password="x-geheim-9",
                                                   is_staff=True)  # fmt: skip
    editor.groups.add(editors_group())
    page.goto(site + "/admin/login/?next=/admin/events/event/add/")
    page.fill("#id_username", "redakteurin")
    page.fill("#id_password", "x-geheim-9")
    page.click("input[type=submit]")
    seed = Timeline.objects.get(slug="nordkorea-soldaten-russland")
    page.select_option("#id_timeline", str(seed.pk))
    times = page.locator(".form-row.field-start_time")
    expect(times).to_be_hidden()  # a day needs no time fields
    page.select_option("#id_precision", "time")
    expect(times).to_be_visible()
    page.locator("#id_when").press_sequentially("Ende Oktober 2024")
    preview = page.locator("#when-preview")
    expect(preview).to_have_text("→ Ende Oktober 2024 · 21.–31. Oktober 2024")
    page.fill("#id_when", "23.10.2024, 13:30 Uhr (America/New_York)")
    expect(preview).to_have_text("→ 23. Oktober 2024, 13:30 Uhr (New York) · "
                                 "2024-10-23 13:30–14:30 (America/New_York)")  # fmt: skip
    page.fill("#id_when", "irgendwann")
    expect(preview).to_contain_text("Ende Oktober 2024")
    expect(preview).to_contain_text("⚠")


def test_the_event_form_fits_an_editor_elsewhere(browser, site, django_user_model):
    """An editor in New York: the server-time note once, not under every time field;
    a title input wide enough for a headline; no sideways scrolling at 1280 px."""
    from playwright.sync_api import expect

    from .conftest import editors_group

    editor = django_user_model.objects.create_user("redaktion-ny", password="x-geheim-9",
                                                   is_staff=True)  # fmt: skip
    editor.groups.add(editors_group())
    context = browser.new_context(viewport=DESKTOP, locale="de-DE", timezone_id="America/New_York")
    page = context.new_page()
    page.goto(site + "/admin/login/?next=/admin/events/event/add/")
    page.fill("#id_username", "redaktion-ny")
    page.fill("#id_password", "x-geheim-9")
    page.click("input[type=submit]")
    page.wait_for_load_state("load")
    notes = page.locator(".timezonewarning")
    expect(notes.first).to_be_visible()
    assert notes.count() > 1  # Django writes one under each date and time field …
    assert sum(note.is_visible() for note in notes.all()) == 1  # … and one is shown
    assert page.locator("#id_title").bounding_box()["width"] >= 500
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    from events.models import Event

    austin = Event.objects.get(slug="austin-rom")  # with sources: the widest inline
    page.goto(site + f"/admin/events/event/{austin.pk}/change/")
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    context.close()
