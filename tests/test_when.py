"""`events.when`: the dates editors write, in German and English, read into the fuzzy
date they mean — and the label readers will see said back."""

import datetime as dt

import pytest

from events.dates import Precision
from events.when import WhenError, normalized_start, read

D = dt.date
EXAMPLES = [
    # text, (precision, start, end, time, end time, zone), German label
    ("Anfang Oktober 2024", ("early-month", D(2024, 10, 1), None, None, None, ""), "Anfang Oktober 2024"),
    ("Mitte Oktober 2024", ("mid-month", D(2024, 10, 11), None, None, None, ""), "Mitte Oktober 2024"),
    ("Ende Oktober 2024", ("late-month", D(2024, 10, 21), None, None, None, ""), "Ende Oktober 2024"),
    ("early October 2024", ("early-month", D(2024, 10, 1), None, None, None, ""), "Anfang Oktober 2024"),
    ("mid-October 2024", ("mid-month", D(2024, 10, 11), None, None, None, ""), "Mitte Oktober 2024"),
    ("late October 2024", ("late-month", D(2024, 10, 21), None, None, None, ""), "Ende Oktober 2024"),
    ("Oktober 2024", ("month", D(2024, 10, 1), None, None, None, ""), "Oktober 2024"),
    ("October 2024", ("month", D(2024, 10, 1), None, None, None, ""), "Oktober 2024"),
    ("2024", ("year", D(2024, 1, 1), None, None, None, ""), "2024"),
    ("23.10.2024", ("day", D(2024, 10, 23), None, None, None, ""), "23. Oktober 2024"),
    ("23. Oktober 2024", ("day", D(2024, 10, 23), None, None, None, ""), "23. Oktober 2024"),
    ("23 October 2024", ("day", D(2024, 10, 23), None, None, None, ""), "23. Oktober 2024"),
    ("October 23, 2024", ("day", D(2024, 10, 23), None, None, None, ""), "23. Oktober 2024"),
    ("2024-10-23", ("day", D(2024, 10, 23), None, None, None, ""), "23. Oktober 2024"),
    ("23.10.2024, 13:30 Uhr (America/New_York)",
     ("time", D(2024, 10, 23), None, dt.time(13, 30), None, "America/New_York"),
     "23. Oktober 2024, 13:30 Uhr (New York)"),
    ("23 October 2024, 13:30–14:15 (New York)",
     ("time", D(2024, 10, 23), None, dt.time(13, 30), dt.time(14, 15), "America/New_York"),
     "23. Oktober 2024, 13:30–14:15 Uhr (New York)"),
    ("1.–10. Oktober 2024", ("day", D(2024, 10, 1), D(2024, 10, 10), None, None, ""), "1.–10. Oktober 2024"),
    ("21.–23.10.2024", ("day", D(2024, 10, 21), D(2024, 10, 23), None, None, ""), "21.–23. Oktober 2024"),
    ("Anfang bis Mitte Oktober 2024",
     ("early-month", D(2024, 10, 1), D(2024, 10, 11), None, None, ""), "Anfang bis Mitte Oktober 2024"),
    ("early to mid-October 2024",
     ("early-month", D(2024, 10, 1), D(2024, 10, 11), None, None, ""), "Anfang bis Mitte Oktober 2024"),
    ("Oktober bis November 2024",
     ("month", D(2024, 10, 1), D(2024, 11, 1), None, None, ""), "Oktober – November 2024"),
    ("  ende   okt. 2024 ", ("late-month", D(2024, 10, 21), None, None, None, ""), "Ende Oktober 2024"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected", "label"), EXAMPLES)
def test_reads_what_editors_write(text, expected, label):
    date = read(text)
    assert (
        date.precision.value,
        date.start,
        date.end,
        date.time,
        date.end_time,
        date.zone,
    ) == expected
    assert date.label("de", home_zone="Europe/Berlin") == label


def test_a_place_names_its_zone():
    """With the newsroom's places known, "(Rom)" is Rome's zone; an IANA city still
    works, and a place's name wins over a city's."""
    places = {"rom": "Europe/Rome", "washington": "America/New_York"}
    assert read("23.10.2024, 11:00 Uhr (Rom)", places=places).zone == "Europe/Rome"
    assert read("23.10.2024, 14:30 (Washington)", places=places).zone == "America/New_York"
    assert read("23.10.2024, 14:30 (Paris)", places=places).zone == "Europe/Paris"
    assert read("23.10.2024, 9:00 (Paris)", places={"paris": "America/Chicago"}).zone == (
        "America/Chicago"  # Paris, Texas, as the newsroom has it
    )
    with pytest.raises(WhenError, match="IANA"):
        read("23.10.2024, 11:00 Uhr (Rom)")  # without the places: no such zone


@pytest.mark.django_db
def test_the_timeline_s_own_place_wins_a_shared_name(seed):
    from events.models import Event, Place, Timeline
    from events.when import place_zones

    Place.objects.create(name="Washington", slug="washington-pa", time_zone="America/Chicago")
    ours = Timeline.objects.get(slug="nordkorea-soldaten-russland")
    assert Event.objects.filter(timeline=ours, place__slug="washington").exists()
    assert place_zones(ours)["washington"] == "America/New_York"
    assert place_zones(ours)["rom"] == "Europe/Rome"


def test_a_time_without_a_zone_is_in_the_zone_given():
    date = read("23.10.2024, 13:30 Uhr", zone="Europe/Berlin")
    assert date.zone == "Europe/Berlin" and date.start_instant.hour == 13
    with pytest.raises(WhenError, match="zone"):
        read("23.10.2024, 13:30 Uhr")  # and none given: said, not guessed


@pytest.mark.parametrize("text", ["", "bald", "31.02.2024", "Ende Smarch 2024", "32.10.2024",
                                  "23.10.20244", "Anfang 2024", "23.10.2024, 25:00 (UTC)",
                                  "1.–10. Oktober 2024, 13:30 (UTC)", "\x00", "x" * 100_000])  # fmt: skip
def test_what_it_cannot_read_gets_a_message_with_examples(text):
    with pytest.raises(WhenError) as caught:
        read(text)
    assert "Ende Oktober 2024" in str(caught.value) or "zone" in str(caught.value).lower()


def test_an_unknown_zone_is_named_as_such():
    with pytest.raises(WhenError, match="IANA"):
        read("23.10.2024, 13:30 (Mars/Base)")


@pytest.mark.parametrize(("precision", "day", "normal"), [
    (Precision.LATE_MONTH, D(2024, 10, 1), D(2024, 10, 21)),  # "Ende Oktober" typed as 01.10.
    (Precision.EARLY_MONTH, D(2024, 10, 25), D(2024, 10, 1)),
    (Precision.MID_MONTH, D(2024, 10, 11), D(2024, 10, 11)),
    (Precision.MONTH, D(2024, 10, 17), D(2024, 10, 1)),
    (Precision.YEAR, D(2024, 10, 17), D(2024, 1, 1)),
    (Precision.DAY, D(2024, 10, 17), D(2024, 10, 17)),
])  # fmt: skip
def test_any_day_stands_for_its_month_part_month_or_year(precision, day, normal):
    assert normalized_start(day, precision) == normal


@pytest.mark.parametrize("text", ["23.10.2024, foo", "23.10.2024, 13:30 (", "2024, 13:30",
                                  "23.10.2024, 13:30 Uhr (Europe/Berlin) extra"])  # fmt: skip
def test_a_time_it_cannot_read_is_a_message_not_a_crash(text):
    with pytest.raises(WhenError):
        read(text, zone="Europe/Berlin")


def test_the_desk_prefills_text_that_reads_back_to_the_same_date():
    from events.when import as_fields, editable_text

    for text in ("Ende Oktober 2024", "23.10.2024, 13:30 Uhr (America/New_York)",
                 "1.–10. Oktober 2024", "2024", "Anfang bis Mitte Oktober 2024"):  # fmt: skip
        date = read(text)
        again = editable_text(date, "de", "Europe/Berlin")
        assert as_fields(read(again, zone="Europe/Berlin")) == as_fields(date), text
    across = read("28.10.2024")
    across = type(across)(across.start, Precision.DAY, end=dt.date(2024, 11, 2))
    assert editable_text(across, "de", "Europe/Berlin") == ""  # a form it cannot read back
