"""Reading a date the way a newsroom writes it: "Ende Oktober 2024", "23.10.2024,
13:30 Uhr (America/New_York)", "early to mid-October 2024", "1.–10. Oktober 2024".

`read(text, zone="")` gives the `dates.FuzzyDate` the text means, in German or
English, or raises `WhenError` with a message that shows examples. `zone` is the
zone a time without one is in (the timeline's).
Parts of a month and months are stored from their first day ("Ende Oktober 2024"
starts on 21 October): no day is invented. Pure, like `events.dates`.
"""

import datetime as dt
import re
from functools import cache

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from .dates import (
    MONTH_PARTS,
    MONTHS,
    PART_FIRST_DAY,
    FuzzyDate,
    FuzzyDateError,
    Precision,
    iana_zones,
    period,
    zone_city,
)

EXAMPLES = "„Ende Oktober 2024“, „23.10.2024“, „23.10.2024, 13:30 Uhr (America/New_York)“"


class WhenError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def missing():
    return WhenError(_("Say when: e.g. “Ende Oktober 2024”."))


def unreadable():
    return WhenError(
        _("This date cannot be read. Write it as, e.g., %(examples)s.") % {"examples": EXAMPLES}
    )


# Month names and their usual abbreviations, both languages, lower case.
MONTH_NUMBERS = {}
for _names in MONTHS.values():
    for _number, _name in enumerate(_names, 1):
        MONTH_NUMBERS[_name.lower()] = _number
        MONTH_NUMBERS[_name.lower()[:3]] = _number
MONTH_NUMBERS.update({"mär": 3, "maer": 3, "märz": 3, "sept": 9, "okt": 10, "dez": 12})
PARTS = {
    "anfang": Precision.EARLY_MONTH, "early": Precision.EARLY_MONTH,
    "mitte": Precision.MID_MONTH, "mid": Precision.MID_MONTH,
    "ende": Precision.LATE_MONTH, "late": Precision.LATE_MONTH,
}  # fmt: skip

MONTH = "(?P<{0}>" + "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
YEAR = r"(?P<year>\d{4})"
DAY = r"(?P<{0}>\d{{1,2}})\.?"
TO = r"\s*(?:-|–|—|bis|to|until)\s*"
PART = r"(?P<{0}>anfang|mitte|ende|early|mid|late)-?"


def _pattern(text):
    return re.compile(
        text.format(
            year=YEAR,
            month=MONTH.format("month"),
            month2=MONTH.format("month2"),
            day=DAY.format("day"),
            day2=DAY.format("day2"),
            part=PART.format("part"),
            part2=PART.format("part2"),
            to=TO,
        )
        + r"$"
    )


# What an editor writes, tried in order; a time and zone after a comma are read apart.
FORMS = [
    ("year", _pattern(r"{year}")),
    ("part", _pattern(r"{part}\s*{month}\s+{year}")),
    ("part-range", _pattern(r"{part}{to}{part2}\s*{month}\s+{year}")),
    ("month", _pattern(r"{month}\s+{year}")),
    ("month-range", _pattern(r"{month}{to}{month2}\s+{year}")),
    ("iso", re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})$")),
    ("numeric", re.compile(r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})$")),
    (
        "numeric-range",
        re.compile(
            r"(?P<day>\d{1,2})\.?"
            + TO
            + r"(?P<day2>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})$"
        ),
    ),
    ("day", _pattern(r"{day}\s*{month}\s+{year}")),
    ("day-us", _pattern(r"{month}\s+{day},?\s+{year}")),
    ("day-range", _pattern(r"{day}{to}{day2}\s*{month}\s+{year}")),
]
TIME = re.compile(
    r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})"
    r"(?:" + TO + r"(?P<hour2>\d{1,2})[:.](?P<minute2>\d{2}))?"
    r"\s*(?:uhr|h)?\s*(?:\((?P<zone>[^()]+)\))?$"
)


def read(text, zone="", places=None):
    """The FuzzyDate `text` means; `zone` for a time that names none; `places` (lower-case
    place name -> zone) for a time that names a place ("13:30 Uhr (Rom)")."""
    cleaned = " ".join(str(text).replace("\u00a0", " ").split()).lower()
    if not cleaned:
        raise unreadable()
    form, match = _match_day(cleaned)
    time_text = ""
    if match is None and "," in cleaned:  # a time after the last comma
        day_text, _comma, time_text = cleaned.rpartition(",")
        form, match = _match_day(day_text.strip())
    if match is None:
        raise unreadable()
    try:
        date = _fuzzy(form, match)
        if time_text.strip():
            date = _with_time(date, time_text.strip(), zone, places or {})
        return date
    except WhenError:
        raise
    except FuzzyDateError as error:
        raise WhenError(error.message) from error
    except (ValueError, KeyError) as error:  # 31.02., a month that is no month
        raise unreadable() from error


def _match_day(text):
    for form, pattern in FORMS:
        match = pattern.match(text)
        if match:
            return form, match
    return None, None


def _month(name):
    if name.isdigit():
        return int(name)
    return MONTH_NUMBERS[name.rstrip(".")]


def _fuzzy(form, m):
    year = int(m["year"])
    if form == "year":
        return FuzzyDate(dt.date(year, 1, 1), Precision.YEAR)
    month = _month(m["month"])
    if form == "month":
        return FuzzyDate(dt.date(year, month, 1), Precision.MONTH)
    if form == "month-range":
        start = dt.date(year, _month(m["month"]), 1)
        return FuzzyDate(start, Precision.MONTH, end=dt.date(year, _month(m["month2"]), 1))
    if form in ("part", "part-range"):
        part = PARTS[m["part"]]
        start = dt.date(year, month, PART_FIRST_DAY[part])
        end = None
        if form == "part-range":
            end = dt.date(year, month, PART_FIRST_DAY[PARTS[m["part2"]]])
        return FuzzyDate(start, part, end=end)
    start = dt.date(year, month, int(m["day"]))
    end = dt.date(year, month, int(m["day2"])) if m.groupdict().get("day2") else None
    return FuzzyDate(start, Precision.DAY, end=end if end != start else None)


def _with_time(date, text, default_zone, places):
    if date.precision != Precision.DAY or date.end is not None:
        raise unreadable()
    m = TIME.match(text)
    if m is None:
        raise unreadable()
    zone = _zone(m["zone"].strip(), places) if m["zone"] else default_zone
    if not zone:
        raise WhenError(
            _("Say in which time zone, e.g. „23.10.2024, 13:30 Uhr (America/New_York)“.")
        )
    end_time = None
    if m["hour2"]:
        end_time = dt.time(int(m["hour2"]), int(m["minute2"]))
    return FuzzyDate(date.start, Precision.TIME, time=dt.time(int(m["hour"]), int(m["minute"])),
                     end_time=end_time, zone=zone)  # fmt: skip


def _zone(name, places):
    """An IANA zone by a place of the newsroom's ("rom" -> Europe/Rome), or by its name
    or its city ("new york" -> America/New_York)."""
    found = places.get(name) or _zones_by_name().get(name)
    if found is None:
        raise WhenError(_("Not a time zone of the IANA database."))
    return found


@cache
def _zones_by_name():
    """Lower-case zone names and city names -> zone (a name wins over a city)."""
    cities = {zone_city(zone).lower(): zone for zone in sorted(iana_zones(), reverse=True)}
    return cities | {zone.lower(): zone for zone in iana_zones()}


FIELDS = ("start_date", "end_date", "precision", "start_time", "end_time", "time_zone")


def read_for(text, timeline):
    """`read` for an event of `timeline` (a time without a zone is in the timeline's, one
    with a place's name in that place's), as the event fields (`FIELDS`) that store it."""
    return as_fields(read_in(text, timeline))


def read_in(text, timeline):
    """`read` with what `timeline` implies: its zone, the zones of places."""
    return read(text, zone=timeline.time_zone if timeline else "", places=place_zones(timeline))


def place_zones(timeline):
    """Lower-case place name -> zone, for every place that has one; where two places
    share a name, the one `timeline`'s events are at wins."""
    from .models import Event, Place

    at_ours = Exists(Event.objects.filter(place=OuterRef("pk"), timeline=timeline))
    places = Place.objects.exclude(time_zone="").annotate(ours=at_ours).order_by("ours", "pk")
    return {name.lower(): zone for name, zone in places.values_list("name", "time_zone")}


def as_fields(date):
    """The event fields (`FIELDS`) that store `date`."""
    return {
        "start_date": date.start,
        "end_date": date.end,
        "precision": date.precision.value,
        "start_time": date.time,
        "end_time": date.end_time,
        "time_zone": date.zone,
    }


def interval_text(date, language):
    """The days `date` covers, as an editor checks them ("21.–31. Oktober 2024"), or
    for an exact time its instants in ISO form with the zone
    ("2024-10-23 13:30–14:30 (America/New_York)"; without an end time, the hour
    calendars give it)."""
    interval = date.interval
    if interval.is_instant:
        end = interval.end_or_default
        return f"{interval.start:%Y-%m-%d %H:%M}–{end:%H:%M} ({date.zone})"
    return FuzzyDate(interval.first_day, Precision.DAY, end=interval.last_day
                     if interval.last_day != interval.first_day else None).label(language)  # fmt: skip


def editable_text(date, language, home_zone):
    """`date` as text `read` reads back to the same date: the label, with the IANA
    zone rather than a place's name for an exact time elsewhere; "" if the label
    has a form `read` does not know (a day range across months)."""
    text = date.label(language, home_zone=home_zone, place_name=date.zone)
    try:
        again = read(text, zone=home_zone)
    except WhenError:
        return ""
    return text if as_fields(again) == as_fields(date) else ""


def normalized_start(day, precision):
    """The first day of the period of `precision` that `day` names, for the
    precisions whose day says nothing (month parts, months, years). For a month part
    it is the chosen part's first day, whatever part the day lies in: "Ende Oktober"
    entered with 01.10. means late October (unlike `dates.period`, which finds the
    part a day lies in, as an end's day does)."""
    if precision in MONTH_PARTS:
        return day.replace(day=PART_FIRST_DAY[precision])
    if precision in (Precision.MONTH, Precision.YEAR):
        return period(day, precision)[0]
    return day


def normalized_end(day, precision):
    """The first day of the period the end names (its own part of its month)."""
    if day is not None and precision in (*MONTH_PARTS, Precision.MONTH, Precision.YEAR):
        return period(day, precision)[0]
    return day
