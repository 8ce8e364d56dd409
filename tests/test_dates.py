"""The fuzzy-date table: every precision's interval and labels, ranges, errors, order."""

import datetime as dt

import pytest

from events.dates import FuzzyDate, FuzzyDateError, Precision

D = dt.date
T = dt.time

LABELS = [
    # (start, precision, end, time, end_time, zone), German, English
    ((D(2024, 10, 1), "early-month"), "Anfang Oktober 2024", "early October 2024"),
    ((D(2024, 10, 15), "mid-month"), "Mitte Oktober 2024", "mid-October 2024"),
    ((D(2024, 10, 21), "late-month"), "Ende Oktober 2024", "late October 2024"),
    ((D(2024, 10, 1), "month"), "Oktober 2024", "October 2024"),
    ((D(2024, 3, 9), "month"), "März 2024", "March 2024"),
    ((D(2024, 1, 1), "year"), "2024", "2024"),
    ((D(2024, 10, 23), "day"), "23. Oktober 2024", "23 October 2024"),
    ((D(2024, 10, 1), "day", D(2024, 10, 15)), "1.–15. Oktober 2024", "1–15 October 2024"),
    (
        (D(2024, 9, 30), "day", D(2024, 10, 2)),
        "30. September – 2. Oktober 2024",
        "30 September – 2 October 2024",
    ),
    (
        (D(2024, 12, 30), "day", D(2025, 1, 2)),
        "30. Dezember 2024 – 2. Januar 2025",
        "30 December 2024 – 2 January 2025",
    ),
    ((D(2024, 10, 23), "day", D(2024, 10, 23)), "23. Oktober 2024", "23 October 2024"),
    (
        (D(2024, 10, 1), "early-month", D(2024, 10, 15)),
        "Anfang bis Mitte Oktober 2024",
        "early to mid-October 2024",
    ),
    (
        (D(2024, 9, 25), "late-month", D(2024, 10, 5)),
        "Ende September bis Anfang Oktober 2024",
        "late September to early October 2024",
    ),
    (
        (D(2024, 12, 25), "late-month", D(2025, 1, 5)),
        "Ende Dezember 2024 bis Anfang Januar 2025",
        "late December 2024 to early January 2025",
    ),
    ((D(2024, 10, 1), "early-month", D(2024, 10, 9)), "Anfang Oktober 2024", "early October 2024"),
    ((D(2024, 10, 1), "month", D(2024, 12, 1)), "Oktober – Dezember 2024", "October – December 2024"),
    ((D(2024, 11, 1), "month", D(2025, 2, 1)), "November 2024 – Februar 2025", "November 2024 – February 2025"),
    ((D(2023, 1, 1), "year", D(2024, 6, 1)), "2023–2024", "2023–2024"),
    (
        (D(2024, 10, 23), "time", None, T(14, 30), None, "Europe/Berlin"),
        "23. Oktober 2024, 14:30 Uhr",
        "23 October 2024, 14:30",
    ),
    (
        (D(2024, 10, 23), "time", None, T(14, 30), T(15, 15), "Europe/Berlin"),
        "23. Oktober 2024, 14:30–15:15 Uhr",
        "23 October 2024, 14:30–15:15",
    ),
    (
        (D(2024, 10, 23), "time", D(2024, 10, 24), T(22, 0), T(1, 0), "Europe/Berlin"),
        "23. Oktober 2024, 22:00 Uhr – 24. Oktober 2024, 01:00 Uhr",
        "23 October 2024, 22:00 – 24 October 2024, 01:00",
    ),
    (
        (D(2024, 10, 23), "time", None, T(14, 30), None, "America/New_York"),
        "23. Oktober 2024, 14:30 Uhr (New York)",
        "23 October 2024, 14:30 (New York)",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("args", "german", "english"), LABELS)
def test_label_in_both_languages(args, german, english):
    fuzzy = FuzzyDate(*args)
    assert fuzzy.label("de", home_zone="Europe/Berlin") == german
    assert fuzzy.label("en", home_zone="Europe/Berlin") == english


def test_label_names_the_place_when_the_zone_differs():
    fuzzy = FuzzyDate(D(2024, 10, 23), "time", time=T(14, 30), zone="America/New_York")
    label = fuzzy.label("de", home_zone="Europe/Berlin", place_name="Washington")
    assert label == "23. Oktober 2024, 14:30 Uhr (Washington)"


def test_label_omits_the_zone_of_the_timeline():
    fuzzy = FuzzyDate(D(2024, 10, 23), "time", time=T(14, 30), zone="America/New_York")
    assert fuzzy.label("en", home_zone="America/New_York") == "23 October 2024, 14:30"


INTERVALS = [
    ((D(2024, 10, 5), "early-month"), D(2024, 10, 1), D(2024, 10, 10)),
    ((D(2024, 10, 11), "mid-month"), D(2024, 10, 11), D(2024, 10, 20)),
    ((D(2024, 10, 31), "late-month"), D(2024, 10, 21), D(2024, 10, 31)),
    ((D(2024, 2, 21), "late-month"), D(2024, 2, 21), D(2024, 2, 29)),  # leap year
    ((D(2023, 2, 21), "late-month"), D(2023, 2, 21), D(2023, 2, 28)),
    ((D(2024, 10, 17), "month"), D(2024, 10, 1), D(2024, 10, 31)),
    ((D(2024, 10, 17), "year"), D(2024, 1, 1), D(2024, 12, 31)),
    ((D(2024, 10, 23), "day"), D(2024, 10, 23), D(2024, 10, 23)),
    ((D(2024, 10, 1), "early-month", D(2024, 10, 15)), D(2024, 10, 1), D(2024, 10, 20)),
    ((D(2024, 10, 1), "month", D(2024, 12, 5)), D(2024, 10, 1), D(2024, 12, 31)),
]


@pytest.mark.parametrize(("args", "first", "last"), INTERVALS)
def test_interval_covers_the_whole_period(args, first, last):
    interval = FuzzyDate(*args).interval
    assert (interval.first_day, interval.last_day) == (first, last)
    assert interval.start is None and interval.end is None
    assert type(interval.first_day) is dt.date  # never a datetime in disguise


def test_interval_of_an_exact_time_is_an_instant_in_its_zone():
    fuzzy = FuzzyDate(
        D(2024, 10, 23), "time", time=T(14, 30), end_time=T(15, 0), zone="America/New_York"
    )
    interval = fuzzy.interval
    assert interval.start == dt.datetime(2024, 10, 23, 18, 30, tzinfo=dt.UTC)
    assert interval.end == dt.datetime(2024, 10, 23, 19, 0, tzinfo=dt.UTC)
    assert (interval.first_day, interval.last_day) == (D(2024, 10, 23), D(2024, 10, 23))


ERRORS = [
    ({"start": D(999, 12, 31)}, "start"),
    ({"start": D(2024, 1, 1), "end": D(3000, 1, 1)}, "end"),
    ({"start": D(2024, 10, 1), "precision": "mid-month"}, "start"),
    ({"start": D(2024, 10, 11), "precision": "early-month"}, "start"),
    ({"start": D(2024, 10, 20), "precision": "late-month"}, "start"),
    ({"start": D(2024, 10, 23), "end": D(2024, 10, 22)}, "end"),
    ({"start": D(2024, 10, 23), "precision": "time", "zone": "Europe/Berlin"}, "time"),
    ({"start": D(2024, 10, 23), "precision": "time", "time": T(9)}, "zone"),
    ({"start": D(2024, 10, 23), "time": T(9), "zone": "Europe/Berlin"}, "time"),
    ({"start": D(2024, 10, 23), "zone": "Europe/Berlin"}, "zone"),
    ({"start": D(2024, 10, 23), "precision": "time", "time": T(9), "zone": "Mars/Olympus"}, "zone"),
    ({"start": D(2024, 10, 23), "precision": "time", "time": T(9), "zone": "CEST"}, "zone"),
    (
        {"start": D(2024, 10, 23), "precision": "time", "time": T(9), "end_time": T(8),
         "zone": "Europe/Berlin"},
        "end_time",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("fields", "field"), ERRORS)
def test_impossible_dates_are_refused_naming_the_field(fields, field):
    with pytest.raises(FuzzyDateError) as error:
        FuzzyDate(**fields)
    assert error.value.field == field
    assert str(error.value)


def test_unknown_precision_is_refused():
    with pytest.raises(ValueError):
        FuzzyDate(D(2024, 10, 1), "decade")


def test_sort_order_is_by_start_then_shorter_interval_then_instant():
    berlin_morning = FuzzyDate(D(2024, 10, 23), "time", time=T(9), zone="Europe/Berlin")
    washington_noon = FuzzyDate(D(2024, 10, 23), "time", time=T(12), zone="America/New_York")
    rome_afternoon = FuzzyDate(D(2024, 10, 23), "time", time=T(15), zone="Europe/Rome")
    dates = {
        "October": FuzzyDate(D(2024, 10, 1), Precision.MONTH),
        "2024": FuzzyDate(D(2024, 1, 1), Precision.YEAR),
        "early October": FuzzyDate(D(2024, 10, 1), Precision.EARLY_MONTH),
        "1 October": FuzzyDate(D(2024, 10, 1)),
        "mid-October": FuzzyDate(D(2024, 10, 11), Precision.MID_MONTH),
        "Washington noon": washington_noon,
        "Rome afternoon": rome_afternoon,
        "23 October": FuzzyDate(D(2024, 10, 23)),
        "Berlin morning": berlin_morning,
    }
    ordered = sorted(dates, key=lambda name: dates[name].sort_key)
    assert ordered == [
        "2024",
        "1 October",
        "early October",
        "October",
        "mid-October",
        "23 October",
        "Berlin morning",
        "Rome afternoon",
        "Washington noon",
    ]


def test_approximate_precisions():
    assert FuzzyDate(D(2024, 10, 1), "early-month").is_approximate
    assert not FuzzyDate(D(2024, 10, 1), "day").is_approximate


@pytest.mark.parametrize(
    ("fuzzy", "value"),
    [
        (FuzzyDate(D(2024, 10, 23)), "2024-10-23"),
        (FuzzyDate(D(2024, 10, 11), "mid-month"), "2024-10"),
        (FuzzyDate(D(2024, 10, 1), "month"), "2024-10"),
        (FuzzyDate(D(2024, 10, 1), "year"), "2024"),
        (
            FuzzyDate(D(2024, 10, 23), "time", time=T(14, 30), zone="America/New_York"),
            "2024-10-23T14:30:00-04:00",
        ),
    ],
)
def test_machine_value_keeps_the_known_precision(fuzzy, value):
    assert fuzzy.machine_value() == value
