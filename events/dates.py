"""Fuzzy dates: what a news timeline knows about *when* something happened.

"Anfang Oktober 2024" is not 1 October. A FuzzyDate keeps what the newsroom knows
(a start, a precision, maybe an end, maybe a wall-clock time in an IANA zone) and
derives everything the outputs need from it: the interval, a sort key and a label
in German or English. Every page, feed and calendar goes through this module.

Pure: no models, no database, no active-language magic (the language is a
parameter). Date-only values stay `datetime.date` throughout; only precision
`time` ever builds a `datetime`.
"""

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from django.utils.translation import gettext_lazy as _


class Precision(StrEnum):
    TIME = "time"
    DAY = "day"
    EARLY_MONTH = "early-month"
    MID_MONTH = "mid-month"
    LATE_MONTH = "late-month"
    MONTH = "month"
    YEAR = "year"


PRECISIONS = frozenset(p.value for p in Precision)

PRECISION_LABELS = {
    Precision.TIME: _("exact time"),
    Precision.DAY: _("day"),
    Precision.EARLY_MONTH: _("early in the month (1–10)"),
    Precision.MID_MONTH: _("mid-month (11–20)"),
    Precision.LATE_MONTH: _("late in the month (21–end)"),
    Precision.MONTH: _("month"),
    Precision.YEAR: _("year"),
}

MONTH_PARTS = (Precision.EARLY_MONTH, Precision.MID_MONTH, Precision.LATE_MONTH)
PART_FIRST_DAY = {Precision.EARLY_MONTH: 1, Precision.MID_MONTH: 11, Precision.LATE_MONTH: 21}
# Known only to a period, not a day: drawn and marked as approximate ("≈").
APPROXIMATE = (*MONTH_PARTS, Precision.MONTH, Precision.YEAR)

MONTHS = {
    "de": (
        "Januar", "Februar", "März", "April", "Mai", "Juni",
        "Juli", "August", "September", "Oktober", "November", "Dezember",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip

# How each language names a part of a month, as a prefix to "<Month> <year>".
PART_PREFIX = {
    "de": {
        Precision.EARLY_MONTH: "Anfang ",
        Precision.MID_MONTH: "Mitte ",
        Precision.LATE_MONTH: "Ende ",
    },
    "en": {
        Precision.EARLY_MONTH: "early ",
        Precision.MID_MONTH: "mid-",
        Precision.LATE_MONTH: "late ",
    },
}
RANGE_WORD = {"de": " bis ", "en": " to "}
# A sane range for news: keeps typos like 20024 or 0202 out of calendars and feeds.
YEARS = range(1000, 3000)
# How long calendars show an exact-time event that has no end time.
UNTIMED_END_AFTER = dt.timedelta(hours=1)
LANGUAGES = tuple(MONTHS)


class FuzzyDateError(ValueError):
    """An impossible fuzzy date; `field` names the input that is wrong."""

    def __init__(self, field, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


# Files of the zone database that name no place's time: this machine's own zone, the
# template of POSIX rules, and "Factory" (abbreviation "-00": "time zone unknown").
NOT_ZONES = {"localtime", "posixrules", "Factory"}


@cache
def iana_zones():
    return frozenset(available_timezones() - NOT_ZONES)


def is_iana_zone(name):
    return name in iana_zones()


def part_of_month(day):
    """The part of the month (early, mid, late) that a day of the month lies in."""
    if day <= 10:
        return Precision.EARLY_MONTH
    if day <= 20:
        return Precision.MID_MONTH
    return Precision.LATE_MONTH


def period(day, precision):
    """First and last day of the period of `precision` that contains `day`."""
    if precision in (Precision.TIME, Precision.DAY):
        return day, day
    if precision == Precision.YEAR:
        return day.replace(month=1, day=1), day.replace(month=12, day=31)
    month_end = calendar.monthrange(day.year, day.month)[1]
    if precision == Precision.MONTH:
        return day.replace(day=1), day.replace(day=month_end)
    first, last = {
        Precision.EARLY_MONTH: (1, 10),
        Precision.MID_MONTH: (11, 20),
        Precision.LATE_MONTH: (21, month_end),
    }[part_of_month(day.day)]
    return day.replace(day=first), day.replace(day=last)


@dataclass(frozen=True)
class Interval:
    """Inclusive first and last day; for precision `time`, also the exact instants."""

    first_day: dt.date
    last_day: dt.date
    start: dt.datetime | None = None
    end: dt.datetime | None = None

    @property
    def is_instant(self):
        return self.start is not None

    @property
    def end_or_default(self):
        """For an exact time: the end, or the start plus the default length."""
        return self.end or self.start + UNTIMED_END_AFTER

    @property
    def end_day_exclusive(self):
        """The day after the last day, as calendars want the end of all-day events."""
        return self.last_day + dt.timedelta(days=1)


@dataclass(frozen=True)
class FuzzyDate:
    """What is known about when an event happened.

    `start` (and `end`) may be any day inside their period: for a month-part
    precision the start must lie in the named part (a mid-month start is a day
    11–20); the end's part follows from its own day, so "early to mid-October" is
    start 1 October, end 15 October, precision early-month.
    """

    start: dt.date
    precision: Precision = Precision.DAY
    end: dt.date | None = None
    time: dt.time | None = None
    end_time: dt.time | None = None
    zone: str = ""

    def __post_init__(self):
        object.__setattr__(self, "precision", Precision(self.precision))
        self._check()

    def _check(self):
        p = self.precision
        if p == Precision.TIME:
            if self.time is None:
                raise FuzzyDateError("time", _("An exact time needs a time of day."))
            if not self.zone:
                raise FuzzyDateError("zone", _("An exact time needs a time zone."))
        else:
            if self.time is not None:
                raise FuzzyDateError(
                    "time", _("A time of day is only allowed with the precision “exact time”.")
                )
            if self.end_time is not None:
                raise FuzzyDateError(
                    "end_time", _("An end time is only allowed with the precision “exact time”.")
                )
            if self.zone:
                raise FuzzyDateError(
                    "zone", _("A time zone is only allowed with the precision “exact time”.")
                )
        for field, day in (("start", self.start), ("end", self.end)):
            if day is not None and day.year not in YEARS:
                raise FuzzyDateError(field, _("Dates must lie between the years 1000 and 2999."))
        if self.zone and not is_iana_zone(self.zone):
            raise FuzzyDateError("zone", _("Not a time zone of the IANA database."))
        if p in MONTH_PARTS and part_of_month(self.start.day) != p:
            raise FuzzyDateError(
                "start", _("The day does not lie in the chosen part of the month.")
            )
        if self.end is not None and self.end < self.start:
            raise FuzzyDateError("end", _("The end lies before the start."))
        if self.end_instant is not None and self.end_instant <= self.start_instant:
            raise FuzzyDateError("end_time", _("The end lies before the start."))

    # -- derived values -------------------------------------------------------------

    @property
    def tzinfo(self):
        return ZoneInfo(self.zone) if self.zone else None

    @property
    def start_instant(self):
        if self.precision != Precision.TIME:
            return None
        return dt.datetime.combine(self.start, self.time, self.tzinfo)

    @property
    def end_instant(self):
        if self.precision != Precision.TIME or self.end_time is None:
            return None
        return dt.datetime.combine(self.end or self.start, self.end_time, self.tzinfo)

    @property
    def interval(self):
        first_day = period(self.start, self.precision)[0]
        last_day = period(self.end or self.start, self.precision)[1]
        return Interval(first_day, last_day, self.start_instant, self.end_instant)

    @property
    def sort_key(self):
        """Chronological order of a timeline.

        By the interval's first day; on a tie the shorter interval comes first (the
        more precise statement: "1 October" before "early October" before
        "October"); a whole-day statement before timed ones on the same day; timed
        events by their instant. Models mirror this order in the database
        (`Event.CHRONOLOGICAL`) and break remaining ties by UUID.
        """
        interval = self.interval
        start = interval.start.astimezone(dt.UTC) if interval.start else None
        return (interval.first_day, interval.last_day, start is not None, start or _EPOCH)

    def machine_value(self):
        """The start as an HTML `<time datetime>` / ISO 8601 value of the known precision."""
        if self.precision == Precision.TIME:
            return self.start_instant.isoformat()
        if self.precision == Precision.DAY:
            return self.start.isoformat()
        if self.precision == Precision.YEAR:
            return f"{self.start.year:04d}"
        return f"{self.start.year:04d}-{self.start.month:02d}"

    @property
    def is_approximate(self):
        return self.precision not in (Precision.TIME, Precision.DAY)

    # -- labels ---------------------------------------------------------------------

    def label(self, language="de", home_zone="", place_name=""):
        """The date as a reader says it, e.g. "Anfang Oktober 2024".

        For an exact time the zone is named when it differs from `home_zone` (the
        timeline's), by `place_name` if given, else by the zone's city.
        """
        language = language if language in LANGUAGES else "de"
        if self.precision == Precision.TIME:
            return self._time_label(language, home_zone, place_name)
        start = self.start
        end = (
            self.end
            if self.end and period(self.end, self.precision)[0] != period(start, self.precision)[0]
            else None
        )
        if self.precision == Precision.YEAR:
            return f"{start.year}–{end.year}" if end else str(start.year)
        if self.precision == Precision.DAY:
            return _day_range(start, end, language) if end else _day(start, language)
        if self.precision == Precision.MONTH:
            return _month_range(start, end, language) if end else _month(start, language)
        return _part_range(start, end, language) if end else _part(start, language)

    def _time_label(self, language, home_zone, place_name):
        start, end = self.start_instant, self.end_instant
        uhr = " Uhr" if language == "de" else ""
        text = f"{_day(start.date(), language)}, {start:%H:%M}"
        if end is None:
            text += uhr
        elif end.date() == start.date():
            text += f"–{end:%H:%M}{uhr}"
        else:
            text += f"{uhr} – {_day(end.date(), language)}, {end:%H:%M}{uhr}"
        if self.zone != home_zone:
            text += f" ({place_name or zone_city(self.zone)})"
        return text


_EPOCH = dt.datetime.min.replace(tzinfo=dt.UTC)


def zone_city(zone):
    """ "America/New_York" -> "New York"; "UTC" stays "UTC"."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def _month_name(day, language):
    return MONTHS[language][day.month - 1]


def _day(day, language):
    if language == "de":
        return f"{day.day}. {_month_name(day, language)} {day.year}"
    return f"{day.day} {_month_name(day, language)} {day.year}"


def _month(day, language):
    return f"{_month_name(day, language)} {day.year}"


def _part(day, language):
    return PART_PREFIX[language][part_of_month(day.day)] + _month(day, language)


def _day_range(start, end, language):
    dot = "." if language == "de" else ""
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}{dot}–{_day(end, language)}"
    if start.year == end.year:
        return f"{start.day}{dot} {_month_name(start, language)} – {_day(end, language)}"
    return f"{_day(start, language)} – {_day(end, language)}"


def _month_range(start, end, language):
    if start.year == end.year:
        return f"{_month_name(start, language)} – {_month(end, language)}"
    return f"{_month(start, language)} – {_month(end, language)}"


def _part_range(start, end, language):
    prefix = PART_PREFIX[language]
    first = prefix[part_of_month(start.day)]
    if (start.year, start.month) == (end.year, end.month):
        # "Anfang bis Mitte Oktober 2024" / "early to mid-October 2024"
        return f"{first.strip().rstrip('-')}{RANGE_WORD[language]}{_part(end, language)}"
    if start.year == end.year:
        start_text = first + _month_name(start, language)
    else:
        start_text = _part(start, language)
    return f"{start_text}{RANGE_WORD[language]}{_part(end, language)}"
