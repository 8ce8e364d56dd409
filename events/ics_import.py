"""Turn a partner's calendar into draft events.

All-day spans become fuzzy dates (a whole month → `month`, 1–10 → `early-month`, …,
our own `X-NEWSROOM-PRECISION` when present); timed entries become precision `time` in
their zone. Entries are matched by UID, so importing the same calendar again updates
the drafts it made instead of duplicating them (within one calendar, a later entry with
the same UID wins); events an editor has published are left alone. All or nothing: one
invalid entry refuses the whole calendar, with a message that names it.

Made for calendars from strangers:
- At most 10 MB, from a file, an upload or an address (`events.safe_fetch`: public
  addresses only, one time limit for the whole download).
- Time zones are IANA names in TZID (icalendar also maps Windows names). VTIMEZONE
  components are dropped before parsing: a definition whose rule changes every minute
  since 1601 is cheap to parse, but the first conversion of a time in it walks the
  rule minute by minute (dateutil), for minutes and gigabytes; icalendar would also keep
  it for the whole process. A TZID that names no known zone refuses the calendar.
- UID, SUMMARY, DESCRIPTION, LOCATION, DTSTART, DTEND and DURATION may appear once in
  an entry (RFC 5545, 3.6.1); a repeated one is refused rather than guessed at.
- The whole calendar is read and checked before anything is written; then one short
  transaction writes it with bulk inserts and updates (the record of change told of
  every row), so the database is locked for a moment, not for the download or parse.
"""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from icalendar.parser import Contentlines

from .changes import record_change
from .dates import MONTH_PARTS, PRECISIONS, Precision, is_iana_zone, part_of_month, period
from .exports.printable import plain_lines
from .models import Event, Place, Status
from .models.bulk import update_each
from .safe_fetch import FetchError, fetch
from .slugs import slug_of

MAX_BYTES = 10 * 1024 * 1024
SINGLE = ("UID", "SUMMARY", "DESCRIPTION", "LOCATION", "DTSTART", "DTEND", "DURATION",
          "X-NEWSROOM-PRECISION", "X-NEWSROOM-TITLE")  # fmt: skip
# What an import writes of an event it updates (the date's interval follows from the date).
WRITTEN = ("title", "summary", "body", "place_id", "start_date", "end_date", "precision",
           "start_time", "end_time", "time_zone", "starts_on", "ends_on", "starts_at")  # fmt: skip
BATCH = 500


class CalendarImportError(Exception):
    """The calendar cannot be imported; nothing was changed."""


@dataclass
class Report:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    kept: list = field(default_factory=list)  # published since: not touched


# -- reading ----------------------------------------------------------------------------


def read_source(file_or_url):
    """The bytes of a calendar file, or of an http(s)/webcal address."""
    if urlsplit(file_or_url).scheme.lower() in ("http", "https", "webcal"):
        return read_url(file_or_url)
    try:
        with open(file_or_url, "rb") as stream:
            return read_file(stream)
    except OSError as error:
        raise CalendarImportError(
            _("cannot read %(file)s: %(problem)s")
            % {"file": file_or_url, "problem": error.strerror}
        ) from error


def read_url(url):
    """The calendar at an address, fetched safely (see `events.safe_fetch`)."""
    try:
        return fetch(
            url,
            max_bytes=MAX_BYTES,
            timeout=settings.CALENDAR_IMPORT_TIMEOUT,
            allowed_hosts=settings.CALENDAR_IMPORT_ALLOWED_HOSTS,
        )
    except FetchError as error:
        raise CalendarImportError(
            _("cannot fetch %(url)s: %(problem)s") % {"url": url, "problem": error}
        ) from error


def read_file(stream):
    """The bytes of an open file or upload, at most 10 MB."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise CalendarImportError(_("the file is larger than 10 MB"))
    return data


def import_calendar(timeline, data):
    """Make or update the drafts of `timeline` from a calendar's VEVENTs."""
    events = read_events(timeline, data)
    with record_change() as record:
        return _write(timeline, events, record)


def read_events(timeline, data):
    """Checked, unsaved events (without slugs) for the entries of a calendar."""
    try:
        calendar = icalendar.Calendar.from_ical(_without_time_zones(data))
        entries = calendar.walk("VEVENT")
    except ValueError as error:  # quoting the parser would quote the file
        raise CalendarImportError(_("not an iCalendar file")) from error
    except RecursionError as error:
        raise CalendarImportError(_("the calendar is nested too deeply")) from error
    if not entries:
        raise CalendarImportError(_("the calendar has no events"))
    places = {}
    for place in Place.objects.order_by("-name"):  # the first by name wins, as before
        places[place.name.casefold()] = place
    events = {}
    for n, entry in enumerate(entries, 1):
        event = _event(timeline, entry, f"VEVENT {n}", places)
        events[event.external_uid] = event
    return list(events.values())


def _without_time_zones(data):
    """The calendar's content lines without its VTIMEZONE components."""
    kept, inside = Contentlines(), False
    for line in Contentlines.from_ical(data):
        name = line.strip().upper()
        if name == "BEGIN:VTIMEZONE":
            inside = True
        elif not inside:
            kept.append(line)
        elif name == "END:VTIMEZONE":
            inside = False
    return kept.to_ical()


def _event(timeline, entry, where, places):
    for name in SINGLE:
        if isinstance(entry.get(name), list):
            raise CalendarImportError(
                _("%(where)s: %(name)s appears more than once") % {"where": where, "name": name}
            )
    uid = str(entry.get("UID", "")).strip()
    if not uid:
        raise CalendarImportError(_("%(where)s: no UID") % {"where": where})
    # Our own calendars say the bare title apart from a SUMMARY that may begin "≈ …".
    summary = entry.get("X-NEWSROOM-TITLE", entry.get("SUMMARY", ""))
    title = plain_lines(str(summary)).strip()[:300] or uid[:300]
    where = f"{where} ({title[:60]})"
    description = plain_lines(str(entry.get("DESCRIPTION", ""))).strip()
    location = plain_lines(str(entry.get("LOCATION", ""))).strip()
    event = Event(
        timeline=timeline,
        external_uid=uid[:500],
        title=title,
        summary=description[:2000],
        body=description if len(description) > 2000 else "",
        place=places.get(location.split(",")[0].strip().casefold()),
    )
    try:
        for name, value in fuzzy_fields(entry, timeline.time_zone, where).items():
            setattr(event, name, value)
        # No queries: the timeline and place are ours, the slug is found when writing,
        # and the database holds the constraints.
        event.full_clean(
            exclude=["timeline", "place", "slug"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        problems = "; ".join(
            f"{k}: {' '.join(map(str, v))}" for k, v in error.message_dict.items()
        )
        raise CalendarImportError(f"{where}: {problems}") from error
    except OverflowError as error:
        raise CalendarImportError(
            _("%(where)s: a date lies outside the years 1 to 9999") % {"where": where}
        ) from error
    return event


def fuzzy_fields(entry, default_zone, where):
    """The fuzzy-date fields of an event from a VEVENT's DTSTART and DTEND/DURATION."""
    start = _moment(entry, "DTSTART", where)
    if start is None:
        raise CalendarImportError(_("%(where)s: no DTSTART") % {"where": where})
    ours = "X-NEWSROOM-PRECISION" in entry
    end = _moment(entry, "DTEND", where)
    if end is None and "DURATION" in entry and not ours:  # ours: "end unknown"
        try:
            duration = entry["DURATION"].dt
        except (AttributeError, ValueError):  # icalendar's broken property: a ValueError
            duration = None
        if not isinstance(duration, dt.timedelta):
            raise CalendarImportError(
                _("%(where)s: DURATION is not a duration") % {"where": where}
            )
        end = start + duration
    if end is not None:
        if isinstance(start, dt.datetime) != isinstance(end, dt.datetime):
            raise CalendarImportError(
                _("%(where)s: DTSTART and DTEND must both be dates or both be date-times")
                % {"where": where}
            )
        if isinstance(start, dt.datetime) and (start.tzinfo is None) != (end.tzinfo is None):
            raise CalendarImportError(
                _("%(where)s: DTSTART and DTEND must both have a time zone or both have none")
                % {"where": where}
            )
        if end < start:
            raise CalendarImportError(_("%(where)s: DTEND lies before DTSTART") % {"where": where})
    if isinstance(start, dt.datetime):
        return _timed(start, end, default_zone)
    last = end - dt.timedelta(days=1) if end is not None and end > start else start
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


def _moment(entry, name, where):
    """A date, a floating date-time or one in an IANA zone; None when not given."""
    if name not in entry:
        return None
    try:
        value = entry[name].dt
    except (AttributeError, ValueError):  # icalendar's broken property: a ValueError
        value = None
    if not isinstance(value, dt.date):  # not a duration, period or time of day
        raise CalendarImportError(
            _("%(where)s: %(name)s is not a date or a date-time") % {"where": where, "name": name}
        )
    if isinstance(value, dt.datetime):
        zone = getattr(value.tzinfo, "key", None)
        tzid = entry[name].params.get("TZID")
        # Never ask another kind of zone for an offset: it may be a definition's rule.
        if (value.tzinfo is None and tzid) or (value.tzinfo and not is_iana_zone(zone or "")):
            raise CalendarImportError(
                _(
                    "%(where)s: unknown time zone “%(zone)s” (use an IANA name such as Europe/Berlin)"
                )
                % {"where": where, "zone": str(tzid or zone)[:60]}
            )
    return value


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
    if start.tzinfo is None:  # floating time: the timeline's zone
        zone = default_zone
        start = start.replace(tzinfo=ZoneInfo(zone))
        end = end.replace(tzinfo=ZoneInfo(zone)) if end is not None else None
    else:
        zone = start.tzinfo.key
    local_start = start.astimezone(ZoneInfo(zone))
    fields = {
        "start_date": local_start.date(),
        "start_time": local_start.time().replace(tzinfo=None),
        "precision": Precision.TIME,
        "time_zone": zone,
        "end_date": None,
        "end_time": None,
    }
    if end is not None and end > start:
        local_end = end.astimezone(ZoneInfo(zone))
        fields["end_time"] = local_end.time().replace(tzinfo=None)
        if local_end.date() != local_start.date():
            fields["end_date"] = local_end.date()
    return fields


# -- writing ----------------------------------------------------------------------------


def _write(timeline, events, record):
    """Create and update in bulk; the record of change is told of every row."""
    report = Report()
    existing = {
        event.external_uid: event
        for event in Event.objects.filter(timeline=timeline)
        .exclude(external_uid="")
        .select_for_update(of=("self",))
    }
    new, changed = [], []
    for event in events:
        current = existing.get(event.external_uid)
        if current is None:
            new.append(event)
            report.created.append(event)
        elif current.status != Status.DRAFT:
            report.kept.append(current)
        else:
            if any(getattr(current, name) != getattr(event, name) for name in WRITTEN):
                for name in WRITTEN:
                    setattr(current, name, getattr(event, name))
                changed.append(current)
            report.updated.append(current)
    taken = set(Event.objects.filter(timeline=timeline).values_list("slug", flat=True))
    free = _free_slugs(taken)
    for event in new:
        event.slug = free(event.title)
    record.events_in_bulk(event.pk for event in changed)
    update_each(changed, WRITTEN)
    Event.objects.bulk_create(new, batch_size=BATCH)
    record.events_in_bulk((event.pk for event in new), created=True)
    return report


def _free_slugs(taken):
    """A function giving, for each title in turn, a slug not among `taken` (nor given
    before): `title`, `title-2`, `title-3`, …, each base counting on where it stopped."""
    next_number = {}

    def free(title):
        base = slug_of(title)[:100].strip("-") or "ereignis"
        n = next_number.get(base, 1)
        slug = base if n == 1 else f"{base[:95]}-{n}"
        while slug in taken:
            n += 1
            slug = f"{base[:95]}-{n}"
        next_number[base] = n + 1
        taken.add(slug)
        return slug

    return free
