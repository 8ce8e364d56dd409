"""Turn a partner's calendar into draft events.

All-day spans become fuzzy dates (a whole month → `month`, 1–10 → `early-month`, …,
our own `X-NEWSROOM-PRECISION` when present); timed entries become precision `time` in
their zone. Entries are matched by UID, so importing the same calendar again updates
the drafts it made instead of duplicating them; events an editor has published are
left alone. All or nothing: one invalid entry refuses the whole calendar.
"""

import datetime as dt
import urllib.request
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import icalendar
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from .changes import record_change
from .dates import MONTH_PARTS, PRECISIONS, Precision, is_iana_zone, part_of_month, period
from .exports.text import plain_lines
from .models import Event, Place, Status

MAX_BYTES = 10 * 1024 * 1024
FETCH_TIMEOUT = 20


class CalendarImportError(Exception):
    """The calendar cannot be imported; nothing was changed."""


@dataclass
class Report:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    kept: list = field(default_factory=list)  # published since: not touched


def read_source(file_or_url):
    """The bytes of a calendar file, or of an http(s)/webcal URL."""
    if file_or_url.startswith("webcal://"):
        file_or_url = "https://" + file_or_url.removeprefix("webcal://")
    if file_or_url.startswith(("http://", "https://")):
        try:
            with urllib.request.urlopen(file_or_url, timeout=FETCH_TIMEOUT) as response:
                data = response.read(MAX_BYTES + 1)
        except OSError as error:
            raise CalendarImportError(f"cannot fetch {file_or_url}: {error}") from error
    else:
        try:
            with open(file_or_url, "rb") as stream:
                data = stream.read(MAX_BYTES + 1)
        except OSError as error:
            raise CalendarImportError(f"cannot read {file_or_url}: {error.strerror}") from error
    if len(data) > MAX_BYTES:
        raise CalendarImportError("the calendar is larger than 10 MB")
    return data


def import_calendar(timeline, data):
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError as error:
        raise CalendarImportError(f"not an iCalendar file: {error}") from error
    entries = calendar.walk("VEVENT")
    if not entries:
        raise CalendarImportError("the calendar has no events")
    report = Report()
    with record_change():
        for n, entry in enumerate(entries):
            _import_entry(timeline, entry, f"VEVENT {n + 1}", report)
    return report


def _import_entry(timeline, entry, where, report):
    uid = str(entry.get("UID", "")).strip()
    if not uid:
        raise CalendarImportError(f"{where}: no UID")
    title = plain_lines(str(entry.get("SUMMARY", ""))).strip()[:300] or uid[:300]
    where = f"{where} ({title[:60]})"
    event = Event.objects.filter(timeline=timeline, external_uid=uid[:500]).first()
    if event is not None and event.status != Status.DRAFT:
        report.kept.append(event)
        return
    is_new = event is None
    if is_new:
        event = Event(timeline=timeline, external_uid=uid[:500], slug=_free_slug(timeline, title))
    event.title = title
    description = plain_lines(str(entry.get("DESCRIPTION", ""))).strip()
    event.summary = description[:2000]
    event.body = description if len(description) > 2000 else ""
    location = plain_lines(str(entry.get("LOCATION", ""))).strip()
    event.place = Place.objects.filter(name__iexact=location.split(",")[0].strip()).first()
    for name, value in fuzzy_fields(entry, timeline.time_zone, where).items():
        setattr(event, name, value)
    try:
        event.full_clean()
    except ValidationError as error:
        problems = "; ".join(
            f"{k}: {' '.join(map(str, v))}" for k, v in error.message_dict.items()
        )
        raise CalendarImportError(f"{where}: {problems}") from error
    event.save()
    (report.created if is_new else report.updated).append(event)


def fuzzy_fields(entry, default_zone, where):
    """The fuzzy-date fields of an event from a VEVENT's DTSTART and DTEND/DURATION."""
    if "DTSTART" not in entry:
        raise CalendarImportError(f"{where}: no DTSTART")
    start = entry["DTSTART"].dt
    ours = "X-NEWSROOM-PRECISION" in entry
    if "DTEND" in entry:
        end = entry["DTEND"].dt
    elif "DURATION" in entry and not ours:  # ours: DURATION stands for "end unknown"
        end = start + entry["DURATION"].dt
    else:
        end = None
    if end is not None and end < start:
        raise CalendarImportError(f"{where}: DTEND lies before DTSTART")
    if isinstance(start, dt.datetime):
        return _timed(start, end, default_zone)
    last = end - dt.timedelta(days=1) if isinstance(end, dt.date) and end > start else start
    precision = str(entry.get("X-NEWSROOM-PRECISION", ""))
    if precision not in PRECISIONS or precision == Precision.TIME:
        precision = _precision_of_span(start, last)
    return {
        "start_date": start,
        "end_date": None if period(last, precision) == period(start, precision) else last,
        "precision": precision,
        "start_time": None,
        "end_time": None,
        "time_zone": "",
    }


def _precision_of_span(first, last):
    """The coarsest precision whose periods begin at `first` and end at `last`."""
    for precision in (Precision.YEAR, Precision.MONTH, Precision.EARLY_MONTH,
                      Precision.MID_MONTH, Precision.LATE_MONTH):  # fmt: skip
        if precision in MONTH_PARTS and part_of_month(first.day) != precision:
            continue
        if period(first, precision)[0] == first and period(last, precision)[1] == last:
            return precision
    return Precision.DAY


def _timed(start, end, default_zone):
    zone = getattr(start.tzinfo, "key", None)
    if start.tzinfo is None:  # floating time: the timeline's zone
        zone = default_zone
        start = start.replace(tzinfo=ZoneInfo(zone))
        end = end.replace(tzinfo=ZoneInfo(zone)) if isinstance(end, dt.datetime) else end
    elif not zone or not is_iana_zone(zone):
        zone = "UTC"
    local_start = start.astimezone(ZoneInfo(zone))
    fields = {
        "start_date": local_start.date(),
        "start_time": local_start.time().replace(tzinfo=None),
        "precision": Precision.TIME,
        "time_zone": zone,
        "end_date": None,
        "end_time": None,
    }
    if isinstance(end, dt.datetime) and end > start:
        local_end = end.astimezone(ZoneInfo(zone))
        fields["end_time"] = local_end.time().replace(tzinfo=None)
        if local_end.date() != local_start.date():
            fields["end_date"] = local_end.date()
    return fields


def _free_slug(timeline, title):
    base = slugify(title)[:100].strip("-") or "ereignis"
    slug, n = base, 1
    while Event.objects.filter(timeline=timeline, slug=slug).exists():
        n += 1
        slug = f"{base[:95]}-{n}"
    return slug
