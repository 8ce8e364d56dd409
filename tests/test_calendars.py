"""Calendars as calendar apps read them: icalendar, recurring-ical-events, vobject and
Mozilla's ical.js (the parser inside Thunderbird)."""

import datetime as dt
import json
import os
import shutil
import subprocess
import time

import icalendar
import pytest
import recurring_ical_events
import vobject
from django.conf import settings

from events import rendering
from events.models import Correction, Event, Place, Status

from .text import storable

SEED = "/timelines/nordkorea-soldaten-russland/"
D = dt.date
ICAL_JS = settings.BASE_DIR / "tests" / "js" / "parse-ics.cjs"
# What each seed event must cover in a calendar app: all-day, end exclusive.
SEED_DAYS = {
    "≈ Anfang Oktober 2024: Erste Schiffe bringen nordkoreanische Soldaten nach Wladiwostok": (D(2024, 10, 1), D(2024, 10, 11)),
    "≈ Mitte Oktober 2024: Weitere Schiffstransporte nach Wladiwostok": (D(2024, 10, 11), D(2024, 10, 21)),
    "≈ Oktober 2024: Weiterreise zu Ausbildungsstätten im Osten Russlands": (D(2024, 10, 1), D(2024, 11, 1)),
    "Lloyd Austin: Beweise für nordkoreanische Soldaten in Russland": (D(2024, 10, 23), D(2024, 10, 24)),
    "John Kirby: Mindestens 3.000 nordkoreanische Soldaten in Russland": (D(2024, 10, 23), D(2024, 10, 24)),
}  # fmt: skip


def calendar(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content, icalendar.Calendar.from_ical(response.content)


@pytest.fixture(params=["Pacific/Auckland", "America/Los_Angeles", "Europe/Berlin"])
def process_tz(request):
    """Run the server side and the calendar app side under another process time zone."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield request.param
    os.environ["TZ"] = before or settings.TIME_ZONE
    time.tzset()


def read_with_ical_js(path):
    """What Mozilla's ical.js (Thunderbird's parser) reads in a calendar file."""
    assert shutil.which("node"), "ical.js runs on Node.js"
    result = subprocess.run(
        ["node", str(ICAL_JS), str(path)], capture_output=True, text=True, timeout=60,
        cwd=settings.BASE_DIR,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)[0]


def expand(cal):
    return recurring_ical_events.of(cal).between(D(2024, 1, 1), D(2025, 1, 1))


def test_seed_events_lie_on_exactly_the_right_days(client, seed, process_tz):
    _, cal = calendar(client, SEED + "calendar.ics")
    days = {}
    for event in expand(cal):
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert type(start) is dt.date and type(end) is dt.date  # all-day, not midnight
        days[str(event["SUMMARY"])] = (start, end)
    assert days == SEED_DAYS


def test_approximate_dates_say_so(client, seed):
    _, cal = calendar(client, SEED + "calendar.ics")
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    mid = events["≈ Mitte Oktober 2024: Weitere Schiffstransporte nach Wladiwostok"]
    assert str(mid["X-NEWSROOM-PRECISION"]) == "mid-month"
    assert str(mid["DESCRIPTION"]).startswith("Mitte Oktober 2024 (Zeitangabe ungefähr)")
    kirby = events["John Kirby: Mindestens 3.000 nordkoreanische Soldaten in Russland"]
    assert "ungefähr" not in str(kirby["DESCRIPTION"])
    assert str(kirby["X-NEWSROOM-PRECISION"]) == "day"


def test_calendar_level_properties(client, seed):
    _, cal = calendar(client, SEED + "calendar.ics")
    assert str(cal["VERSION"]) == "2.0" and str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["CALSCALE"]) == "GREGORIAN" and "newsroom" in str(cal["PRODID"])
    assert str(cal["NAME"]) == str(cal["X-WR-CALNAME"]) == "Nordkoreanische Soldaten in Russland"
    # X- properties are TEXT too (escaped); icalendar hands them back unparsed.
    unescaped = str(cal["X-WR-CALDESC"]).replace("\\;", ";").replace("\\,", ",")
    assert unescaped == seed.description
    assert str(cal["DESCRIPTION"]) == seed.description
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Berlin"
    assert str(cal["URL"]) == "http://testserver" + SEED
    assert str(cal["SOURCE"]) == "http://testserver" + SEED + "calendar.ics"
    assert cal["REFRESH-INTERVAL"].dt == dt.timedelta(hours=1)
    assert cal.content_line("X-PUBLISHED-TTL", cal["X-PUBLISHED-TTL"]) == "X-PUBLISHED-TTL:PT1H"


def test_event_properties(client, seed):
    _, cal = calendar(client, SEED + "calendar.ics")
    kirby = next(e for e in cal.walk("VEVENT") if "Kirby" in str(e["SUMMARY"]))
    assert str(kirby["UID"]) == "5a3c1e0e-1b0d-4a51-9f2e-0c6a2d7b1a05"
    assert kirby["DTSTAMP"].dt == dt.datetime(2024, 10, 23, 21, tzinfo=dt.UTC)
    assert kirby["LAST-MODIFIED"].dt == kirby["CREATED"].dt == kirby["DTSTAMP"].dt
    assert kirby["SEQUENCE"] == 1
    assert str(kirby["LOCATION"]) == "Washington, USA"
    assert (kirby["GEO"].latitude, kirby["GEO"].longitude) == (38.8977, -77.0365)
    assert kirby.categories == ["Stellungnahme", "Ukraine-Krieg"]
    assert (str(kirby["CLASS"]), str(kirby["TRANSP"]), str(kirby["STATUS"])) == (
        "PUBLIC", "TRANSPARENT", "CONFIRMED",
    )  # fmt: skip
    assert str(kirby["URL"]) == "http://testserver" + SEED + "kirby-washington/"
    text = str(kirby["DESCRIPTION"])
    assert "„Wir wissen noch nicht, ob diese Soldaten" in text
    assert "— John Kirby, Sprecher des Nationalen Sicherheitsrats" in text
    assert "https://www.whitehouse.gov/briefing-room/press-briefings/" in text
    assert "**" not in text  # Markdown read as text


def test_no_empty_categories(client, seed):
    Event.objects.get(slug="austin-rom").tags.clear()
    body, cal = calendar(client, SEED + "calendar.ics")
    austin = next(e for e in cal.walk("VEVENT") if "Austin" in str(e["SUMMARY"]))
    assert "CATEGORIES" not in austin
    assert b"CATEGORIES:\r\n" not in body


def test_exact_time_with_its_zone_and_vtimezone(client, kirby_at_1430, process_tz):
    body, cal = calendar(client, SEED + "calendar.ics")
    assert b"DTSTART;TZID=America/New_York:20241023T143000" in body
    (vtimezone,) = cal.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "America/New_York"
    transitions = [c["DTSTART"].dt.year for c in vtimezone.subcomponents]
    assert set(transitions) == {2024}  # trimmed to the year the calendar covers
    kirby = next(e for e in expand(cal) if "Kirby" in str(e["SUMMARY"]))
    assert kirby["DTSTART"].dt == dt.datetime(2024, 10, 23, 18, 30, tzinfo=dt.UTC)
    assert kirby["DTEND"].dt - kirby["DTSTART"].dt == dt.timedelta(hours=1)


def test_lines_are_folded_at_75_octets_with_crlf(client, seed, person):
    event = Event.objects.get(slug="austin-rom")
    event.summary = "Ä€😀 " * 200  # multibyte characters at every possible fold position
    event.save()
    body, _ = calendar(client, SEED + "calendar.ics")
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    for line in body.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # no character split across a fold


def test_edit_keeps_uid_raises_sequence_and_changes_etag(client, seed):
    first = client.get(SEED + "calendar.ics")
    event = Event.objects.get(slug="austin-rom")
    event.summary = "Neu formuliert."
    event.save()
    second = client.get(SEED + "calendar.ics")
    assert second["ETag"] != first["ETag"]

    def austin(response):
        cal = icalendar.Calendar.from_ical(response.content)
        return next(e for e in cal.walk("VEVENT") if "Austin" in str(e["SUMMARY"]))

    before, after = austin(first), austin(second)
    assert str(before["UID"]) == str(after["UID"])
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after["LAST-MODIFIED"].dt > before["LAST-MODIFIED"].dt


def test_retraction_cancels_the_event(client, seed):
    Event.objects.get(slug="austin-rom").retract("Die Aussage wurde falsch zugeordnet.")
    _, cal = calendar(client, SEED + "calendar.ics")
    austin = next(e for e in cal.walk("VEVENT") if "Austin" in str(e["SUMMARY"]))
    assert str(austin["STATUS"]) == "CANCELLED"
    assert str(austin["DESCRIPTION"]).startswith(
        "Zurückgezogen: Die Aussage wurde falsch zugeordnet."
    )
    assert austin["SEQUENCE"] == 2


def test_corrections_appear_in_the_description(client, seed):
    Correction.objects.create(
        event=Event.objects.get(slug="austin-rom"),
        text="Ort präzisiert.",
        published_at=dt.datetime(2024, 10, 24, 9, tzinfo=dt.UTC),
    )
    _, cal = calendar(client, SEED + "calendar.ics")
    austin = next(e for e in cal.walk("VEVENT") if "Austin" in str(e["SUMMARY"]))
    assert "Korrektur (2024-10-24): Ort präzisiert." in str(austin["DESCRIPTION"])


def test_tag_narrows_and_site_calendar_covers_all(client, seed, make_event, timeline):
    _, narrowed = calendar(client, SEED + "calendar.ics", tag="stellungnahme")
    assert len(narrowed.walk("VEVENT")) == 2
    make_event(status=Status.PUBLISHED, title="Andere Zeitleiste")
    make_event(title="Entwurf")
    _, site = calendar(client, "/calendar.ics")
    summaries = [str(e["SUMMARY"]) for e in site.walk("VEVENT")]
    assert len(summaries) == 6 and "Andere Zeitleiste" in summaries and "Entwurf" not in summaries


def test_single_event_download(client, seed):
    response = client.get(SEED + "kirby-washington.ics")
    assert response["Content-Disposition"] == 'attachment; filename="kirby-washington.ics"'
    cal = icalendar.Calendar.from_ical(response.content)
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == "5a3c1e0e-1b0d-4a51-9f2e-0c6a2d7b1a05"
    # One event to add to a calendar: nothing that would name, describe, refresh or
    # make a calendar of its own (Outlook made one per downloaded event).
    for name in ("NAME", "X-WR-CALNAME", "DESCRIPTION", "X-WR-CALDESC", "X-WR-TIMEZONE", "URL",
                 "SOURCE", "REFRESH-INTERVAL", "X-PUBLISHED-TTL"):  # fmt: skip
        assert name not in cal, name
    assert str(cal["METHOD"]) == "PUBLISH" and str(cal["VERSION"]) == "2.0"
    assert client.get(SEED + "gibt-es-nicht.ics").status_code == 404


def test_drafts_have_no_calendar_entry(client, seed, make_event):
    make_event(timeline=seed, title="Entwurf", slug="entwurf")
    assert b"Entwurf" not in client.get(SEED + "calendar.ics").content
    assert client.get(SEED + "entwurf.ics").status_code == 404


HOSTILE = "Kim\x00\x07\r\n; , \\ \u202eשלום ]]> <script>alert(1)</script> 🇰🇵 BEGIN:VEVENT 김정은"


def test_hostile_text_gives_a_valid_calendar(client, seed, person):
    event = Event.objects.get(slug="kirby-washington")
    hostile = storable(HOSTILE)
    Event.objects.filter(pk=event.pk).update(
        title=hostile, summary=hostile, body=hostile * 1000, retraction_reason=hostile
    )
    Place.objects.filter(pk=event.place_id).update(name=hostile)
    Correction.objects.create(event=event, text=hostile)
    body, cal = calendar(client, SEED + "calendar.ics")
    events = cal.walk("VEVENT")
    assert len(events) == 5  # "BEGIN:VEVENT" in a text stays text
    hostile = next(e for e in events if str(e["UID"]).endswith("a05"))
    assert "Kim" in str(hostile["SUMMARY"]) and "김정은" in str(hostile["SUMMARY"])
    assert "\x00" not in str(hostile["SUMMARY"])
    for line in body.split(b"\r\n"):
        assert len(line) <= 75
    assert vobject.readOne(body.decode()).vevent_list


def test_other_parsers_accept_the_calendar(client, kirby_at_1430, tmp_path):
    """vobject and ical.js read every event, and every TZID has its VTIMEZONE."""
    body = client.get(SEED + "calendar.ics").content
    path = tmp_path / "calendar.ics"
    path.write_bytes(body)

    parsed = vobject.readOne(body.decode())
    assert len(parsed.vevent_list) == 5
    kirby = next(e for e in parsed.vevent_list if e.uid.value.endswith("a05"))
    assert kirby.dtstart.value == dt.datetime(2024, 10, 23, 18, 30, tzinfo=dt.UTC)

    report = read_with_ical_js(path)
    assert report["missingZones"] == []
    starts = {e["summary"]: (e["start"], e["end"]) for e in report["events"]}
    mid = "≈ Mitte Oktober 2024: Weitere Schiffstransporte nach Wladiwostok"
    assert starts[mid] == ("2024-10-11", "2024-10-21")
    assert starts[str(kirby.summary.value)] == (
        "2024-10-23T18:30:00.000Z",
        "2024-10-23T19:30:00.000Z",
    )


def test_calendar_cost_does_not_grow(client, timeline, many_events):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (10, 300):
        Event.objects.all().delete()
        created = many_events(size)
        rendering.refresh([e.pk for e in created])  # as saving them makes them
        cache.clear()
        with CaptureQueriesContext(connection) as context:
            response = client.get(timeline.export_url("calendar.ics"))
        assert response.content.count(b"BEGIN:VEVENT") == size
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1] <= 10


def test_ical_js_reads_times_right_across_years(client, seed, kirby_at_1430, make_event, tmp_path):
    """icalendar writes repeated zone transitions as RDATEs, which ical.js misreads;
    ours are one observance each (ical.js put 14:30 New York at 19:30Z before)."""
    for slug, day in (("juli-2025", dt.date(2025, 7, 23)), ("januar-2025", dt.date(2025, 1, 23))):
        make_event(
            timeline=seed, slug=slug, title=slug, status=Status.PUBLISHED, start_date=day,
            precision="time", start_time=dt.time(14, 30), time_zone="America/New_York",
        )  # fmt: skip
    kirby = kirby_at_1430
    path = tmp_path / "years.ics"
    path.write_bytes(client.get(SEED + "calendar.ics").content)
    assert b"RDATE" not in path.read_bytes()
    starts = {e["summary"]: e["start"] for e in read_with_ical_js(path)["events"]}
    assert starts["juli-2025"] == "2025-07-23T18:30:00.000Z"  # EDT
    assert starts["januar-2025"] == "2025-01-23T19:30:00.000Z"  # EST
    assert starts[kirby.title] == "2024-10-23T18:30:00.000Z"
