"""iCalendar (RFC 5545, with RFC 7986 calendar properties), built with icalendar.

Fuzzy dates become what calendar apps understand without guessing: an exact time is
a DTSTART with its TZID (and a VTIMEZONE for each zone, trimmed to the years the
calendar covers); everything else is an all-day span over its interval, with an
exclusive DTEND. Date-only values stay dates throughout: no day can slip.
"""

import datetime as dt
import html
from functools import lru_cache

from django.conf import settings
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vDDDTypes, vDuration, vText

from ..dates import UNTIMED_END_AFTER, Precision
from ..markup import render_markdown
from . import items
from .text import plain_lines

content_type = "text/calendar; charset=utf-8"
reads_limit = False  # every event: ?limit= makes no other calendar
REFRESH = dt.timedelta(hours=1)
QUOTE_MARKS = {"de": ("„", "“"), "en": ("“", "”")}


def render(selection):
    """The calendar's properties, a VTIMEZONE for every zone its events' exact times
    use, and the events."""
    rows = selection.chronological()
    head, tail = build_calendar(selection).to_ical().rsplit(b"END:VCALENDAR", 1)
    yield head
    for zone, (first, last) in zone_years(rows):
        yield vtimezone(zone, first, last)
    yield from selection.pieces(
        "calendar.ics", rows, lambda event: build_vevent(event, selection.absolute).to_ical()
    )
    yield b"END:VCALENDAR" + tail


def build_calendar(selection):
    """The calendar without its components."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.NEWSROOM_NAME}//Timelines//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", plain_lines(selection.title))
    calendar.add("x-wr-calname", vText(plain_lines(selection.title)))
    calendar.add("description", plain_lines(selection.description))
    calendar.add("x-wr-caldesc", vText(plain_lines(selection.description)))
    calendar.add("x-wr-timezone", vText(selection.time_zone))
    calendar.add("url", selection.page_url, parameters={"VALUE": "URI"})
    calendar.add("source", selection.self_url, parameters={"VALUE": "URI"})
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    return calendar


def zone_years(rows):
    """(zone, first year, last year) of the exact-time events, by zone."""
    years = {}
    for row in rows:
        if row.starts_at is not None:
            span = years.setdefault(row.time_zone, [row.starts_on.year] * 2)
            span[0] = min(span[0], row.starts_on.year)
            span[1] = max(span[1], row.ends_on.year)
    return sorted(years.items())


@lru_cache(maxsize=1024)
def vtimezone(zone, first, last):
    """A zone's VTIMEZONE covering just these years, serialized. Computing every
    transition is slow (~20 ms for a zone over 25 years) and the answer never
    changes for the same years and tz database: kept, per worker."""
    component = Timezone.from_tzid(
        zone, first_date=dt.date(first, 1, 1), last_date=dt.date(last + 1, 1, 1)
    )
    return without_rdates(component).to_ical()


def without_rdates(vtimezone):
    """The same transitions, each as an observance of its own.

    icalendar lists repeated transitions as RDATEs, which RFC 5545 allows but Mozilla's
    ical.js (Thunderbird) misreads: it put 23 October 2024, 14:30 New York an hour off
    in a calendar spanning 2024-2025. One DTSTART per observance reads right everywhere.
    """
    observances = []
    for observance in vtimezone.subcomponents:
        rdates = observance.pop("RDATE", [])
        observances.append(observance)
        for rdate in rdates if isinstance(rdates, list) else [rdates]:
            for moment in rdate.dts:
                repeat = observance.copy()
                repeat["DTSTART"] = vDDDTypes(moment.dt)
                observances.append(repeat)
    vtimezone.subcomponents = sorted(observances, key=lambda o: o["DTSTART"].dt)
    return vtimezone


def build_vevent(event, absolute):
    fuzzy = event.fuzzy_date
    interval = fuzzy.interval
    vevent = Event()
    vevent.add("uid", str(event.uuid))
    # From the event's last change, not the clock: the same data gives the same bytes.
    vevent.add("dtstamp", event.updated_at.astimezone(dt.UTC))
    vevent.add("last-modified", event.updated_at.astimezone(dt.UTC))
    vevent.add("created", (event.first_published_at or event.created_at).astimezone(dt.UTC))
    vevent.add("sequence", event.revision)
    vevent.add("summary", plain_lines(event.title))
    if interval.is_instant:
        vevent.add("dtstart", interval.start)  # aware, in the event's zone: TZID=…
        if interval.end:
            vevent.add("dtend", interval.end)
        else:  # no end known: a default length, said as a DURATION
            vevent.add("duration", UNTIMED_END_AFTER)
    else:
        vevent.add("dtstart", interval.first_day)  # VALUE=DATE
        vevent.add("dtend", interval.end_day_exclusive)
    vevent.add("x-newsroom-precision", vText(fuzzy.precision.value))
    vevent.add("description", description(event, absolute))
    vevent.add("url", absolute(event.get_absolute_url()), parameters={"VALUE": "URI"})
    if event.place_id:
        place = event.place
        vevent.add("location", plain_lines(", ".join(filter(None, [place.name, place.country]))))
        if place.has_coordinates:
            vevent.add("geo", (float(place.latitude), float(place.longitude)))
    tags = items.categories(event)
    if tags:  # never an empty CATEGORIES
        vevent.add("categories", [vText(plain_lines(t)) for t in tags])
    vevent.add("class", "PUBLIC")
    vevent.add("transp", "TRANSPARENT")  # news must not block anyone's free time
    vevent.add("status", "CANCELLED" if event.is_retracted else "CONFIRMED")
    return vevent


def markdown_as_text(markdown):
    """What a reader of the rendered body would read, without markup."""
    return html.unescape(strip_tags(render_markdown(markdown))).strip()


def description(event, absolute):
    """Plain text: retraction, summary, approximate-date note, body, quotes, sources,
    corrections and the link, in the timeline's language."""
    with translation.override(event.timeline.language):
        parts = []
        if event.is_retracted:
            parts.append(f"{_('Retracted:')} {event.retraction_reason}")
        label = event.date_label()
        if event.fuzzy_date.precision != Precision.TIME and event.fuzzy_date.is_approximate:
            label += f" ({_('approximate date')})"
        parts.append(label)
        parts += [text for text in (event.summary, markdown_as_text(event.body)) if text]
        opening, closing = QUOTE_MARKS.get(event.timeline.language, QUOTE_MARKS["en"])
        for quote in event.quotes.all():
            speaker = ", ".join(filter(None, [quote.speaker.name, quote.speaker.role]))
            parts.append(f"{opening}{quote.text}{closing} — {speaker}")
        sources = [
            ", ".join(filter(None, [s.title, s.publisher]))
            + (f": {s.web_url}" if s.web_url else "")
            for s in event.sources.all()
        ]
        if sources:
            parts.append(_("Sources") + ":\n" + "\n".join(sources))
        for correction in event.corrections.all():
            day = timezone.localdate(correction.published_at).isoformat()
            parts.append(f"{_('Correction')} ({day}): {correction.text}")
        parts.append(absolute(event.get_absolute_url()))
    return plain_lines("\n\n".join(parts))
