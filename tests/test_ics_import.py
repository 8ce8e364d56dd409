"""Pulling a partner's calendar in as drafts."""

import pytest
from django.core.management import CommandError, call_command

from events.models import Event, Status

pytestmark = pytest.mark.usefixtures("english")

SEED = "/timelines/nordkorea-soldaten-russland/"


def test_our_own_calendar_comes_back_with_the_same_dates(
    client, seed, kirby_at_1430, inbox, tmp_path
):
    path = tmp_path / "seed.ics"
    path.write_bytes(client.get(SEED + "calendar.ics").content)
    call_command("import_ics", "eingang", str(path), verbosity=0)

    def dates(events):
        return {e.title: (e.fuzzy_date.interval, e.precision, e.date_label("de")) for e in events}

    imported = Event.objects.filter(timeline=inbox)
    assert all(e.status == Status.DRAFT for e in imported)
    assert dates(imported) == dates(Event.objects.filter(timeline=seed))
    assert imported.get(title__startswith="Weitere").precision == "mid-month"
    assert imported.get(title__startswith="John").place.name == "Washington"


def test_second_import_updates_instead_of_duplicating(client, seed, inbox, tmp_path):
    path = tmp_path / "seed.ics"
    path.write_bytes(client.get(SEED + "calendar.ics").content)
    call_command("import_ics", "eingang", str(path), verbosity=0)
    first = set(Event.objects.filter(timeline=inbox).values_list("pk", flat=True))
    published = Event.objects.get(timeline=inbox, title__startswith="Lloyd")
    published.title = "Von der Redaktion bearbeitet"
    published.publish()
    Event.objects.filter(pk=published.pk).update(title="Von der Redaktion bearbeitet")
    call_command("import_ics", "eingang", str(path), verbosity=0)
    assert set(Event.objects.filter(timeline=inbox).values_list("pk", flat=True)) == first
    assert Event.objects.get(pk=published.pk).title == "Von der Redaktion bearbeitet"


PARTNER = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Partner//DE\r
BEGIN:VEVENT\r
UID:a@partner\r
DTSTART;VALUE=DATE:20241101\r
DTEND;VALUE=DATE:20241201\r
SUMMARY:Ganzer November\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:b@partner\r
DTSTART;VALUE=DATE:20241121\r
DTEND;VALUE=DATE:20241201\r
SUMMARY:Ende November\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:c@partner\r
DTSTART;VALUE=DATE:20241103\r
DTEND;VALUE=DATE:20241106\r
SUMMARY:Drei Tage\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:d@partner\r
DTSTART:20241105T120000Z\r
DURATION:PT2H\r
SUMMARY:Mittags in UTC\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:e@partner\r
DTSTART:20241105T090000\r
SUMMARY:Schwebende Zeit\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_partner_calendar_maps_to_fuzzy_dates(inbox, tmp_path):
    path = tmp_path / "partner.ics"
    path.write_text(PARTNER)
    call_command("import_ics", "eingang", str(path), verbosity=0)
    labels = {e.title: e.date_label("de") for e in Event.objects.filter(timeline=inbox)}
    assert labels == {
        "Ganzer November": "November 2024",
        "Ende November": "Ende November 2024",
        "Drei Tage": "3.–5. November 2024",
        "Mittags in UTC": "5. November 2024, 12:00–14:00 Uhr (UTC)",
        "Schwebende Zeit": "5. November 2024, 09:00 Uhr",  # the timeline's own zone
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("kein Kalender", "not an iCalendar file"),
        ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "no events"),
        (PARTNER.replace("UID:c@partner\r\n", ""), "no UID"),
        (PARTNER.replace("DTEND;VALUE=DATE:20241106", "DTEND;VALUE=DATE:20241101"), "Drei Tage"),
    ],
)
def test_bad_calendar_is_refused_whole(inbox, tmp_path, content, message):
    path = tmp_path / "bad.ics"
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_ics", "eingang", str(path))
    assert not Event.objects.filter(timeline=inbox).exists()


def test_admin_action_imports_an_uploaded_calendar(editor_client, inbox):
    from django.core.files.uploadedfile import SimpleUploadedFile

    form = editor_client.post(
        "/admin/events/timeline/", {"action": "import_calendar", "_selected_action": [inbox.pk]}
    )
    assert b'enctype="multipart/form-data"' in form.content
    upload = SimpleUploadedFile("partner.ics", PARTNER.encode(), content_type="text/calendar")
    done = editor_client.post(
        "/admin/events/timeline/",
        {
            "action": "import_calendar",
            "_selected_action": [inbox.pk],
            "apply": "1",
            "file": upload,
        },
        follow=True,
    )
    assert "5 Entwürfe angelegt" in done.content.decode()
    assert Event.objects.filter(timeline=inbox, status=Status.DRAFT).count() == 5
