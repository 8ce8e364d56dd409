"""Periods to filter events by, as the desk's list and a timeline page's axis name
them in a query: "2024", "2024-10", "2024-10-late" — a year, a month, or a month's
early, middle or late part. An event belongs to every period its interval overlaps."""

import datetime as dt

from django.db.models import Q

from .dates import PART_FIRST_DAY, FuzzyDate, Precision

PART_NAMES = {Precision.EARLY_MONTH: "early", Precision.MID_MONTH: "mid",
              Precision.LATE_MONTH: "late"}  # fmt: skip


def named_period(value):
    """The FuzzyDate a filter value names ("2024", "2024-10", "2024-10-late"), or None."""
    year, _dash, rest = str(value).partition("-")
    month, _dash, part = rest.partition("-")
    try:
        if not rest:
            return FuzzyDate(dt.date(int(year), 1, 1), Precision.YEAR)
        first = dt.date(int(year), int(month), 1)
        if not part:
            return FuzzyDate(first, Precision.MONTH)
        precision = next(p for p, name in PART_NAMES.items() if name == part)
        return FuzzyDate(first.replace(day=PART_FIRST_DAY[precision]), precision)
    except (ValueError, StopIteration):
        return None


def value_of(date):
    if date.precision == Precision.YEAR:
        return f"{date.start:%Y}"
    if date.precision == Precision.MONTH:
        return f"{date.start:%Y-%m}"
    return f"{date.start:%Y-%m}-{PART_NAMES[date.precision]}"


def overlapping(date):
    interval = date.interval
    return Q(starts_on__lte=interval.last_day, ends_on__gte=interval.first_day)
