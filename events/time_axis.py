"""The time axis on a timeline page: the selection drawn to scale, in HTML and CSS
(positions in per cent of the axis), no script.

Spans — a month's part, a month, a year, a range of days — are bars over every day
they cover; a day is a dot on its day; an exact time a diamond at its hour (in the
timeline's zone). Each mark links to its event and is named by its date and title;
retracted events are marked. Marks that would overlap go into further lanes.

It costs one query at any size: `periods()` counts the selection by thirds of months
(GROUP BY), which also gives the page its count and first and last start. When the
whole selection is on the page (at most a page of events), the page's own events
are the marks; otherwise, or past MAX_LANES, each bar counts the events that begin
in a period (thirds of months, months or years) and links to the page filtered by that
period (which also lists the events that began earlier and last into it).
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Case, CharField, Count, F, Func, Max, Min, Value, When
from django.db.models.functions import Cast, Concat, Substr
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .dates import APPROXIMATE, MONTH_PARTS, FuzzyDate, Precision, part_of_month, period
from .models import Status
from .periods import value_of

MAX_LANES = 6
MAX_TICKS = 12
POINT_WIDTH = 1.2  # per cent of the axis a dot or diamond takes, for finding overlaps


@dataclass
class Mark:
    left: float  # per cent of the axis
    width: float  # per cent; 0 for a dot or diamond
    kind: str  # "approximate", "span", "day", "time" or "count"
    name: str  # what a screen reader says: the date and the title
    href: str
    retracted: bool = False
    lane: int = 0
    weight: int = 100  # a count's bar height, per cent of the largest

    @property
    def right(self):
        return self.left + max(self.width, POINT_WIDTH)


@dataclass
class Tick:
    left: float
    label: str


def periods(events):
    """The selection counted by thirds of months, one row each: (first day of the
    third, number of events that begin in it, their first and last start, the last
    day any of them covers). One query, of plain SQL string functions on the ISO date
    (SQLite's date functions are Python called once a row: 60 ms at 10,000 events)."""
    iso = iso_date("starts_on")
    third = Case(When(day__lte="10", then=Value("01")), When(day__lte="20", then=Value("11")),
                 default=Value("21"), output_field=CharField())  # fmt: skip
    rows = (
        events.order_by()
        .annotate(day=Substr(iso, 9, 2))
        .annotate(third=Concat(Substr(iso, 1, 8), third, output_field=CharField()))
        .values("third")
        .annotate(
            count=Count("pk", distinct=True),
            first=Min("starts_on"),
            last=Max("starts_on"),
            end=Max("ends_on"),
        )
    )
    return sorted(
        (dt.date.fromisoformat(r["third"]), r["count"], r["first"], r["last"], r["end"])
        for r in rows
    )


def iso_date(field):
    """`field` as "2024-10-23" text: SQLite stores dates so; PostgreSQL writes them by
    its DateStyle setting unless told the form (to_char)."""
    if connection.vendor == "postgresql":
        return Func(F(field), Value("YYYY-MM-DD"), function="to_char", output_field=CharField())
    return Cast(field, CharField())


def stats(counted):
    """What the page's paging needs of the selection, from `periods()`."""
    if not counted:
        return {"total": 0, "first": None, "last": None}
    return {"total": sum(row[1] for row in counted), "first": min(row[2] for row in counted),
            "last": max(row[3] for row in counted)}  # fmt: skip


def axis(counted, page, timeline, language, filters):
    """What the template draws: `counted` is `periods()` of the selection, `page` the
    page of it shown below; None when there is nothing to draw."""
    if not counted:
        return None
    total = sum(row[1] for row in counted)
    first = min(row[2] for row in counted)
    last = max(row[4] for row in counted)
    scale = Scale(first, last, ZoneInfo(timeline.time_zone))
    base = timeline.get_absolute_url()
    marks, lanes = [], 0
    whole = page.count == 1 and len(page.events) == total  # every event is on this page
    if whole:
        marks = [_mark(event, scale, timeline, language, base) for event in page.events]
        lanes = _into_lanes(marks)
    if not whole or lanes > MAX_LANES:
        marks, lanes = _counts(counted, scale, language, base, filters), 1
    period = FuzzyDate(first, Precision.DAY, end=last if last != first else None)
    return {
        "marks": marks,
        "lanes": lanes,
        "ticks": _ticks(scale, language),
        "counted": marks and marks[0].kind == "count",
        "caption": _("Time axis: %(period)s, %(count)s")
        % {
            "period": period.label(language),
            "count": ngettext("%d event", "%d events", total) % total,
        },
    }


class Scale:
    """Days (and times in `zone`) to per cent of the axis, from `first` to the end of
    `last`."""

    def __init__(self, first, last, zone):
        self.first, self.last, self.zone = first, last, zone
        self.days = (last - first).days + 1

    def at(self, day, fraction=0.0):
        return 100 * ((day - self.first).days + fraction) / self.days

    def moment(self, instant):
        """An instant, at its time of day in the timeline's zone — on the axis, whose
        days are the events' own (their zone's day may be the timeline's day before or
        after: then at the axis's end)."""
        local = instant.astimezone(self.zone)
        return min(100.0, max(0.0, self.at(local.date(), (local.hour * 60 + local.minute) / 1440)))


def _mark(event, scale, timeline, language, base):
    label = event.date_label(language)  # as the list below says it
    retracted = event.status == Status.RETRACTED
    name = f"{label}: {event.title}"
    if retracted:
        name = _("%(name)s (retracted)") % {"name": name}
    href = f"{base}{event.slug}/"
    if event.precision == Precision.TIME and event.starts_at:
        return Mark(scale.moment(event.starts_at), 0, "time", name, href, retracted)
    left = scale.at(event.starts_on)
    width = scale.at(event.ends_on, 1) - left
    if event.precision in APPROXIMATE:
        return Mark(left, width, "approximate", name, href, retracted)
    if event.ends_on != event.starts_on:
        return Mark(left, width, "span", name, href, retracted)
    return Mark(scale.at(event.starts_on, 0.5), 0, "day", name, href, retracted)


def _into_lanes(marks):
    """Each mark into the first lane where it overlaps nothing (spans first, as they
    are read as the background of what happened in them); how many lanes it took."""
    ends = []  # the right edge of the last mark in each lane
    for mark in sorted(marks, key=lambda m: (m.width == 0, m.left, -m.width)):
        for lane, end in enumerate(ends):
            if end <= mark.left:
                mark.lane, ends[lane] = lane, mark.right
                break
        else:
            mark.lane = len(ends)
            ends.append(mark.right)
    return len(ends)


def _unit(scale):
    """The period the axis counts by: a month's parts for a few months, months for a
    few years, years beyond."""
    if scale.days <= 150:
        return Precision.EARLY_MONTH
    if scale.days <= 5 * 366:
        return Precision.MONTH
    return Precision.YEAR


def _period_of(day, unit):
    """The period of `unit` (for a month's parts: the part) that `day` lies in."""
    precision = part_of_month(day.day) if unit in MONTH_PARTS else unit
    return FuzzyDate(period(day, precision)[0], precision)


def _counts(counted, scale, language, base, filters):
    """One bar a period, over the period, counting the events that begin in it."""
    unit = _unit(scale)
    sums = {}
    for third, count, *_rest in counted:
        period = _period_of(third, unit)
        sums[period] = sums.get(period, 0) + count
    most = max(sums.values())
    marks = []
    for period, count in sorted(sums.items(), key=lambda item: item[0].start):
        interval = period.interval
        left = scale.at(max(interval.first_day, scale.first))
        width = scale.at(min(interval.last_day, scale.last), 1) - left
        events = ngettext("%d event", "%d events", count) % count
        href = base + filters.querystring(period=value_of(period))
        weight = max(10, round(100 * count / most))  # the bar's height, per cent
        name = f"{period.label(language)}: {events}"
        marks.append(Mark(left, width, "count", name, href, weight=weight))
    return marks


def _ticks(scale, language):
    """Labelled days along the axis: the 1st, 11th and 21st of each month for a short
    axis (where a month's parts begin), the 1st of each month or January for longer."""
    unit = _unit(scale)
    if unit == Precision.EARLY_MONTH:
        days = (1, 11, 21)
        fmt = "j. M" if language == "de" else "j M"
    elif unit == Precision.MONTH:
        days = (1,)
        fmt = "M Y"
    else:
        days = ()
        fmt = "Y"
    ticks = []
    day = scale.first.replace(day=1)
    while day <= scale.last:
        if unit == Precision.YEAR:
            if day.month == 1 or not ticks:
                ticks.append(Tick(scale.at(max(day, scale.first)), date_format(day, fmt)))
        else:
            for number in days:
                tick = day.replace(day=number)
                if scale.first <= tick <= scale.last:
                    ticks.append(Tick(scale.at(tick), date_format(tick, fmt)))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    step = max(1, -(-len(ticks) // MAX_TICKS))  # every second, tenth, … label on a long axis
    return ticks[::step]
