"""Hostile calendars and timeline documents: each is refused with a message that names
the entry, nothing is written, and nothing runs for long (issue 13, rows 4 and 5)."""

import json
import signal
import time
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import ics_import
from events.changes import record_change
from events.ics_import import CalendarImportError, import_calendar
from events.models import Event, Place, Timeline
from tests.test_stress import REPORT
from tests.test_timeline_transfer import empty_the_database

pytestmark = pytest.mark.usefixtures("english")


def calendar(*entries, before=""):
    """A calendar of VEVENTs, each given as its properties, one a line."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//DE", *before.split("\n")]
    for properties in entries:
        lines += ["BEGIN:VEVENT", *properties.split("\n"), "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(line for line in lines if line) + "\r\n").encode()


@contextmanager
def time_limit(seconds):
    """Stop a runaway computation in this (the main) thread after `seconds`."""

    def stop(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def drafts(timeline):
    return list(Event.objects.filter(timeline=timeline).order_by("pk").values())


# -- row 5: malformed entries --------------------------------------------------------------

GOOD = (
    "UID:1@partner\nSUMMARY:Eins\nDTSTART;VALUE=DATE:20241101",
    "UID:2@partner\nSUMMARY:Zwei\nDTSTART:20241105T120000Z\nDURATION:PT2H",
)
THIRD = "UID:3@partner\nSUMMARY:Drei\n"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        pytest.param(
            THIRD + "DTSTART:20241105T120000Z\nDTEND;VALUE=DATE:20241106",
            "VEVENT 3 (Drei): DTSTART and DTEND must both be dates or both be date-times",
            id="datetime-start-date-end",
        ),
        pytest.param(
            THIRD + "DTSTART:20241105T120000Z\nDTEND:20241105T140000",
            "VEVENT 3 (Drei): DTSTART and DTEND must both have a time zone or both have none",
            id="aware-start-floating-end",
        ),
        pytest.param(
            THIRD + "DTSTART;VALUE=DATE:20241105\nDURATION:P99999999D",
            "VEVENT 3 (Drei): a date lies outside the years 1 to 9999",
            id="duration-99999999-days",
        ),
        pytest.param(
            THIRD + "DTSTART:P1D",
            "VEVENT 3 (Drei): DTSTART is not a date or a date-time",
            id="dtstart-duration",
        ),
        pytest.param(
            THIRD + "DTSTART;VALUE=PERIOD:20241105T120000Z/PT1H",
            "VEVENT 3 (Drei): DTSTART is not a date or a date-time",
            id="dtstart-period",
        ),
        pytest.param(
            THIRD + "DTSTART:20241105T120000Z\nDTSTART:20241106T120000Z",
            "VEVENT 3: DTSTART appears more than once",
            id="two-dtstarts",
        ),
        pytest.param(
            THIRD + "DTSTART:20241105T120000+0530",
            "VEVENT 3 (Drei): DTSTART is not a date or a date-time",
            id="utc-offset-0530",
        ),
        pytest.param(
            "UID:3@partner\nUID:4@partner\nSUMMARY:Drei\nDTSTART:20241105T120000Z",
            "VEVENT 3: UID appears more than once",
            id="two-uids",
        ),
        pytest.param(
            "UID:3@partner\nSUMMARY:x\nSUMMARY:y\nDTSTART:20241105T120000Z",
            "VEVENT 3: SUMMARY appears more than once",
            id="two-summaries",
        ),
        pytest.param(
            THIRD + "DTSTART;TZID=Asia/Tokyo:00010101T000000",
            "VEVENT 3 (Drei): start_date: ",
            id="year-1-in-tokyo",
        ),
        pytest.param(
            THIRD + "DTSTART;TZID=Nowhere/Special:20241105T120000",
            "VEVENT 3 (Drei): unknown time zone “Nowhere/Special” (use an IANA name such as "
            "Europe/Berlin)",
            id="unknown-tzid",
        ),
        pytest.param(
            THIRD + "DTSTART;VALUE=DATE:20241105\nDURATION:Wochen",
            "VEVENT 3 (Drei): DURATION is not a duration",
            id="duration-not-a-duration",
        ),
        pytest.param(
            THIRD + "DTSTART;VALUE=DATE:20241105\nDURATION:-P3D",
            "VEVENT 3 (Drei): DTEND lies before DTSTART",
            id="negative-duration",
        ),
    ],
)
def test_malformed_entry_is_refused_by_name_and_changes_nothing(inbox, entry, message):
    import_calendar(inbox, calendar(*GOOD))
    before = drafts(inbox)
    edited = [good.replace("SUMMARY:", "SUMMARY:Neu ") for good in GOOD]
    with pytest.raises(CalendarImportError) as refused:
        import_calendar(inbox, calendar(*edited, entry))
    assert str(refused.value).startswith(message)
    assert drafts(inbox) == before


def test_malformed_upload_in_the_desk_is_a_form_error(editor_client, inbox):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = calendar(*GOOD, THIRD + "DTSTART:20241105T120000Z\nDTEND;VALUE=DATE:20241106")
    answer = editor_client.post(
        "/admin/events/timeline/",
        {
            "action": "import_calendar",
            "_selected_action": [inbox.pk],
            "apply": "1",
            "file": SimpleUploadedFile("partner.ics", data, content_type="text/calendar"),
        },
    )
    assert answer.status_code == 200
    said = "VEVENT 3 (Drei): DTSTART und DTEND müssen beide Daten oder beide Zeitpunkte sein"
    assert said in answer.content.decode()  # in the editor's language
    assert not Event.objects.filter(timeline=inbox).exists()


# -- row 4: imports that never end --------------------------------------------------------

# Two rules, each a change every minute since 1601 (the 432 bytes, shortened).
MINUTELY_ZONE = """BEGIN:VTIMEZONE
TZID:{tzid}
BEGIN:STANDARD
DTSTART:16010101T000000
RRULE:FREQ=MINUTELY
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T000030
RRULE:FREQ=MINUTELY
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
END:DAYLIGHT
END:VTIMEZONE"""


def test_a_minutely_time_zone_definition_is_not_expanded(inbox):
    entry = "UID:z@partner\nSUMMARY:Zone\nDTSTART;TZID={tzid}:20240101T100000"
    data = calendar(entry.format(tzid="Minutely"), before=MINUTELY_ZONE.format(tzid="Minutely"))
    started = time.perf_counter()
    with time_limit(10), pytest.raises(CalendarImportError) as refused:
        import_calendar(inbox, data)
    assert str(refused.value).startswith("VEVENT 1 (Zone): unknown time zone “Minutely”")
    # The same rules under an IANA name: the IANA zone is used, the definition ignored.
    data = calendar(
        entry.format(tzid="Europe/Berlin"), before=MINUTELY_ZONE.format(tzid="Europe/Berlin")
    )
    with time_limit(10):
        import_calendar(inbox, data)
    imported = Event.objects.get(timeline=inbox)
    assert imported.date_label("de") == "1. Januar 2024, 10:00 Uhr"
    REPORT.append(f"VTIMEZONE bomb (MINUTELY since 1601): {time.perf_counter() - started:.2f} s")


@pytest.fixture
def write_time(monkeypatch):
    """How long each import holds its write transaction (SQLite: the write lock)."""
    spent = []

    @contextmanager
    def timed():
        started = time.perf_counter()
        with record_change() as record:
            yield record
        spent.append(time.perf_counter() - started)

    monkeypatch.setattr(ics_import, "record_change", timed)
    return spent


def test_five_thousand_entries_with_one_title_import_in_seconds(inbox, write_time):
    count = 5_000
    entries = [
        f"UID:{n}@partner\nSUMMARY:Pressekonferenz\nDTSTART;VALUE=DATE:2024{n % 12 + 1:02}15"
        for n in range(count)
    ]
    data = calendar(*entries)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as creating:
        report = import_calendar(inbox, data)
    first = time.perf_counter() - started
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as updating:
        again = import_calendar(inbox, calendar(*(e + "\nDESCRIPTION:neu" for e in entries)))
    second = time.perf_counter() - started
    REPORT.append(
        f"ICS import of {count} entries with one title: {first:.2f} s "
        f"(write transaction {write_time[0]:.2f} s); again as updates: {second:.2f} s "
        f"(write transaction {write_time[1]:.2f} s)"
    )
    assert len(report.created) == count and len(again.updated) == count
    slugs = set(Event.objects.filter(timeline=inbox).values_list("slug", flat=True))
    assert slugs == {"pressekonferenz"} | {f"pressekonferenz-{n}" for n in range(2, count + 1)}
    assert Event.objects.filter(timeline=inbox, summary="neu").count() == count
    assert Event.objects.filter(timeline=inbox, search_text__contains="neu").count() == count
    # In bulk, never a query an entry (171 and 44 on SQLite); the seconds are reported,
    # not asserted: a loaded machine must not fail the suite.
    assert len(creating.captured_queries) < 250 and len(updating.captured_queries) < 100


# -- row 5: hostile timeline documents ----------------------------------------------------


@pytest.fixture
def document(seed, tmp_path):
    """The seed's export, with the database emptied as on a new installation."""
    path = tmp_path / "export.json"
    call_command("export_timeline", "nordkorea-soldaten-russland", output=str(path))
    exported = json.loads(path.read_text())
    empty_the_database()
    return exported


def load(tmp_path, text):
    path = tmp_path / "document.json"
    path.write_text(text)
    call_command("import_timeline", str(path))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["timeline"].update(uuid="keine-uuid"), "timeline: uuid:"),
        (lambda d: d["events"][2].update(uuid="keine-uuid"), "events[2]: uuid:"),
        (lambda d: d["timeline"].update(changed_at="gestern"), "timeline: changed_at:"),
        (lambda d: d["timeline"].update(version=-1), "timeline: version:"),
        (lambda d: d["timeline"].update(version=10**30), "timeline: version:"),
        (lambda d: d["timeline"].update(version="eins"), "timeline: version:"),
        (lambda d: d["events"][1].update(revision=10**30), "events[1]: revision:"),
        (lambda d: d["events"][1].update(updated_at="bald"), "events[1]: updated_at:"),
        (lambda d: d["timeline"].update(uuid=[1]), "timeline: uuid:"),
    ],
)
def test_hostile_document_values_are_refused_by_name(document, tmp_path, change, message):
    change(document)
    with pytest.raises(CommandError) as refused:
        load(tmp_path, json.dumps(document))
    assert str(refused.value).startswith(f"Nothing imported: {message}")
    assert not Timeline.objects.exists() and not Event.objects.exists()
    assert not Place.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000, "the document is nested too deeply"),
        ('{"a": ' * 100_000, "the document is nested too deeply"),
        ("[1, 2", "not valid JSON"),
    ],
)
def test_deep_or_broken_json_is_refused_without_traceback(db, tmp_path, text, message):
    with pytest.raises(CommandError, match=message):
        load(tmp_path, text)
    assert not Timeline.objects.exists()
