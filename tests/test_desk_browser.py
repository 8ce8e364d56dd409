"""The editors' desk in a real browser, as an editor of the Editors group in a
German browser uses it: the date typed as the newsroom says it, the form at a
desk's and a phone's width, axe-core's rules on every screen of the event desk.

Screenshots land in `screenshots/` (git-ignored) for a person to look at.
"""

import datetime as dt

import pytest
from playwright.sync_api import expect

from events import when
from events.models import Event, Timeline

from .browser import DESKTOP, PHONE, axe_violations, log_in, overflow, shoot
from .conftest import MOMENT, editors_group

PASSWORD = "x-geheim-9"


@pytest.fixture
def desk(site, django_user_model):
    """The seed on a live server, and an editor who may work on it: the address."""
    editor = django_user_model.objects.create_user("redakteurin", password=PASSWORD,
                                                   is_staff=True)  # fmt: skip
    editor.groups.add(editors_group())
    return site


def at_desk(browser, desk, viewport, next_path="/admin/", **options):
    context = browser.new_context(viewport=viewport, locale="de-DE", **options)
    page = context.new_page()
    log_in(page, desk, "redakteurin", PASSWORD, next_path)
    return page


def desk_screens():
    austin = Event.objects.get(slug="austin-rom")  # quotes and sources: the fullest form
    return {
        "event-add": "/admin/events/event/add/",
        "event-change": f"/admin/events/event/{austin.pk}/change/",
        "event-list": "/admin/events/event/",
        "api-docs": "/api/docs/",
    }


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_desk_screens_are_accessible_and_fit(browser, desk, viewport):
    """axe-core finds nothing on the event desk's screens and the API's docs, and none
    scrolls sideways, at a desk's width and a phone's."""
    page = at_desk(browser, desk, viewport)
    found = {}
    for name, path in desk_screens().items():
        page.goto(desk + path)
        page.wait_for_load_state("networkidle")
        shoot(page, f"desk-{name}-{viewport['width']}")
        problems = axe_violations(page)
        wider = overflow(page)
        if wider:
            problems.append(f"{wider}px wider than the window")
        if problems:
            found[name] = problems
    assert not found, "\n".join(f"{name}: {p}" for name, ps in found.items() for p in ps)
    page.context.close()


def test_editor_sees_what_when_means_as_she_types(browser, desk):
    """The desk's "Wann" field says back the label and the days readers will see,
    from a script of our own under the CSP; text it cannot read gets its message."""
    page = at_desk(browser, desk, DESKTOP, "/admin/events/event/add/")
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
    page.context.close()


def test_the_event_form_fits_an_editor_elsewhere(browser, desk):
    """An editor in New York: the server-time note once, not under every time field;
    a title input wide enough for a headline; no sideways scrolling at 1280 px."""
    page = at_desk(browser, desk, DESKTOP, "/admin/events/event/add/",
                   timezone_id="America/New_York")  # fmt: skip
    notes = page.locator(".timezonewarning")
    expect(notes.first).to_be_visible()
    assert notes.count() > 1  # Django writes one under each date and time field …
    assert sum(note.is_visible() for note in notes.all()) == 1  # … and one is shown
    assert page.locator("#id_title").bounding_box()["width"] >= 500
    assert overflow(page) == 0
    page.context.close()


LINES_PER_CELL = """() => Array.from(document.querySelectorAll("#result_list tbody tr")).map(row =>
    Array.from(row.cells).map(cell => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        const tops = new Set(Array.from(range.getClientRects())
                             .filter(r => r.width > 0).map(r => Math.round(r.top)));
        return [cell.className, tops.size, cell.scrollWidth <= cell.clientWidth];
    }))"""


CUT_SHORT = ("field-title", "field-timeline_title")  # with "…"


def test_the_event_list_shows_each_event_on_one_line(browser, desk):
    """Date, title, status, timeline and revision on one line a row,
    whatever the headline's length; nothing cut off but a long title's or timeline's
    end."""
    seed = Timeline.objects.get(slug="nordkorea-soldaten-russland")
    long_title = "Nordkoreanische Soldaten " + "und noch mehr Soldaten " * 7 + "in Russland"
    Event.objects.create(timeline=seed, title=long_title, slug="lang",
                         start_date=dt.date(2024, 10, 24))  # fmt: skip
    page = at_desk(browser, desk, DESKTOP, "/admin/events/event/")
    rows = page.evaluate(LINES_PER_CELL)
    assert len(rows) == 6
    for row in rows:
        for name, lines, whole in row:
            assert lines <= 1, f"{name} wraps over {lines} lines"
            assert whole or name in CUT_SHORT, f"{name} is cut off"
    results = page.locator("#changelist .results")
    assert results.evaluate("e => e.scrollWidth <= e.clientWidth")  # no scrolling in it
    title = page.get_by_role("link", name=long_title).locator("xpath=..")
    assert title.evaluate("cell => cell.scrollWidth > cell.clientWidth")  # ends in "…"
    shoot(page, "desk-event-list-long-title-1280")
    page.context.close()


# The examples: what an editor types, the label and the days the desk says back.
WHEN_TYPED = [
    ("Anfang Oktober 2024", "Anfang Oktober 2024", "1.–10. Oktober 2024"),
    ("Mitte Oktober 2024", "Mitte Oktober 2024", "11.–20. Oktober 2024"),
    ("Ende Oktober 2024", "Ende Oktober 2024", "21.–31. Oktober 2024"),
    ("early October 2024", "Anfang Oktober 2024", "1.–10. Oktober 2024"),
    ("mid October 2024", "Mitte Oktober 2024", "11.–20. Oktober 2024"),
    ("late October 2024", "Ende Oktober 2024", "21.–31. Oktober 2024"),
    ("Oktober 2024", "Oktober 2024", "1.–31. Oktober 2024"),
    ("2024", "2024", "1. Januar – 31. Dezember 2024"),
    ("23.10.2024", "23. Oktober 2024", "23. Oktober 2024"),
    ("23. Oktober 2024", "23. Oktober 2024", "23. Oktober 2024"),
    ("23 October 2024", "23. Oktober 2024", "23. Oktober 2024"),
    ("23.10.2024, 13:30 Uhr (America/New_York)", "23. Oktober 2024, 13:30 Uhr (New York)",
     "2024-10-23 13:30–14:30 (America/New_York)"),
    ("23.10.2024, 11:00 Uhr (Rom)", "23. Oktober 2024, 11:00 Uhr (Rome)",
     "2024-10-23 11:00–12:00 (Europe/Rome)"),  # the zone of the seed's place "Rom"
    ("1.–10. Oktober 2024", "1.–10. Oktober 2024", "1.–10. Oktober 2024"),
    ("Anfang bis Mitte Oktober 2024", "Anfang bis Mitte Oktober 2024", "1.–20. Oktober 2024"),
    ("21.–23.10.2024", "21.–23. Oktober 2024", "21.–23. Oktober 2024"),
]  # fmt: skip


def test_every_way_of_writing_a_date_is_said_back_and_saved(browser, desk):
    """Each example typed into "Wann": the form says the label and the days as they are
    typed, and after saving the event's page on the desk says the same ("Lesende
    sehen") and offers the date again as text."""
    seed = Timeline.objects.get(slug="nordkorea-soldaten-russland")
    page = at_desk(browser, desk, DESKTOP, "/admin/events/event/add/")
    for n, (typed, label, interval) in enumerate(WHEN_TYPED):
        page.goto(desk + "/admin/events/event/add/")
        page.select_option("#id_timeline", str(seed.pk))
        page.locator("#id_title").press_sequentially(f"Beispiel {n}")
        expect(page.locator("#id_slug")).to_have_value(f"beispiel-{n}")  # the admin's script
        page.locator("#id_when").press_sequentially(typed, delay=5)
        expect(page.locator("#when-preview")).to_have_text(f"→ {label} · {interval}")
        page.click("input[name=_continue]")
        expect(page.locator(".errornote")).to_have_count(0)
        expect(page.locator(".field-readers_see .readonly")).to_have_text(f"{label} · {interval}")
        saved = Event.objects.get(slug=f"beispiel-{n}")
        assert saved.status == "draft" and saved.date_label("de") == label, typed
        offered = page.input_value("#id_when")  # the date as text, to change it
        assert when.read_for(offered, seed) == when.read_for(typed, seed), (typed, offered)
    page.context.close()


def test_an_embargoed_event_appears_in_feed_and_calendar_exactly_on_time(browser, desk, clock):
    """An editor writes "Ende Oktober 2024", quotes Kirby with the occasion, and sets
    "publish at" 13:00 (Berlin) on the draft. At 12:59:59 UTC … 13:00 the feed and the
    calendar do not show it; from 13:00:00 they do, with nobody saving."""
    import feedparser
    import recurring_ical_events
    import requests
    from icalendar import Calendar

    page = at_desk(browser, desk, DESKTOP, "/admin/events/event/add/")
    seed = Timeline.objects.get(slug="nordkorea-soldaten-russland")
    page.select_option("#id_timeline", str(seed.pk))
    page.locator("#id_title").press_sequentially("Kirby antwortet nach der Sperrfrist")
    page.fill("#id_when", "Ende Oktober 2024")
    page.fill("#id_publish_at", "2026-11-27T13:00")  # Europe/Berlin: MOMENT
    page.locator("#quotes-group .add-row a").click()
    page.locator("#quotes-0 .field-speaker .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("Kirby")
    page.locator(".select2-results__option", has_text="John Kirby").click()
    page.fill("#id_quotes-0-text", "Wir beobachten das sehr genau.")
    page.fill("#id_quotes-0-occasion", "Pressekonferenz im Weißen Haus")
    page.click("input[name=_continue]")
    expect(page.locator(".field-readers_see .readonly")).to_contain_text("Ende Oktober 2024")
    draft = Event.objects.get(slug="kirby-antwortet-nach-der-sperrfrist")
    assert (draft.status, draft.publish_at) == ("draft", MOMENT)

    feed_url = desk + "/timelines/nordkorea-soldaten-russland/feed.atom"
    calendar_url = desk + "/timelines/nordkorea-soldaten-russland/calendar.ics"

    def outputs():
        feed = feedparser.parse(requests.get(feed_url, timeout=10).content)
        calendar = Calendar.from_ical(requests.get(calendar_url, timeout=10).content)
        late_october = recurring_ical_events.of(calendar).between((2024, 10, 21), (2024, 11, 1))
        return ({e.title: e for e in feed.entries},
                {str(e["SUMMARY"]): e for e in late_october})  # fmt: skip

    clock(MOMENT - dt.timedelta(seconds=1))
    entries, days = outputs()
    assert not any("Sperrfrist" in title for title in [*entries, *days])

    clock(MOMENT)
    entries, days = outputs()
    entry = entries["Ende Oktober 2024: Kirby antwortet nach der Sperrfrist"]
    assert "Pressekonferenz im Weißen Haus" in entry.content[0].value
    assert "Wir beobachten das sehr genau." in entry.content[0].value
    calendar_entry = next(e for title, e in days.items() if "Kirby antwortet" in title)
    assert calendar_entry["DTSTART"].dt == dt.date(2024, 10, 21)
    assert calendar_entry["DTEND"].dt == dt.date(2024, 11, 1)
    page.context.close()


def test_an_event_with_a_new_place_and_speaker_in_one_form(browser, desk):
    """What took 14 clicks, 23 field entries and two popups: three clicks (timeline,
    "add quote", save) and five entries, in one form, no popup window."""
    page = at_desk(browser, desk, DESKTOP, "/admin/events/event/add/")
    popups = []
    page.context.on("page", lambda opened: popups.append(opened.url))
    seed = Timeline.objects.get(slug="nordkorea-soldaten-russland")
    page.select_option("#id_timeline", str(seed.pk))  # click 1
    page.locator("#id_title").press_sequentially("Guterres mahnt in Genf")  # entry 1
    page.fill("#id_when", "24.10.2024")  # entry 2
    page.fill("#id_new_place", "Genf, Schweiz")  # entry 3
    page.locator("#quotes-group .add-row a").click()  # click 2
    page.fill("#id_quotes-0-new_speaker", "António Guterres, Generalsekretär, UN")  # entry 4
    page.fill("#id_quotes-0-text", "Wir rufen alle Seiten zur Zurückhaltung auf.")  # entry 5
    page.click("input[name=_continue]")  # click 3
    expect(page.locator(".field-readers_see .readonly")).to_contain_text("24. Oktober 2024")
    event = Event.objects.get(slug="guterres-mahnt-in-genf")
    assert str(event.place) == "Genf (Schweiz)"
    assert event.quotes.get().speaker.organisation == "UN"
    assert popups == []
    assert axe_violations(page) == []  # the change form with the new entries
    page.context.close()
