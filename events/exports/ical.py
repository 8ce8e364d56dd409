"""iCalendar (RFC 5545, with RFC 7986 calendar properties): icalendar writes the
calendar's own properties, `ical_zones` the VTIMEZONEs, `vevent` each event.

Fuzzy dates become what calendar apps understand without guessing: an exact time is
a DTSTART with its TZID (and a VTIMEZONE for each zone, trimmed to the years the
calendar covers); everything else is an all-day span over its interval, with an
exclusive DTEND. Date-only values stay dates throughout: no day can slip.
"""

import datetime as dt

from django.conf import settings
from icalendar import Calendar, vDuration, vText

from ..dates import APPROXIMATE, UNTIMED_END_AFTER
from .ical_zones import vtimezone
from .printable import plain_lines

content_type = "text/calendar; charset=utf-8"
reads_limit = False  # every event: ?limit= makes no other calendar
REFRESH = dt.timedelta(hours=1)


def render(selection):
    """The calendar's properties, a VTIMEZONE for every zone its events' exact times
    use, and the events."""
    head, tail = build_calendar(selection).to_ical().rsplit(b"END:VCALENDAR", 1)
    yield head
    for zone, first, last in selection.zone_years():
        yield vtimezone(zone, first, last)
    for shown in selection.chronological("text"):
        yield vevent(shown, selection.url(shown["path"]))
    yield b"END:VCALENDAR" + tail


def build_calendar(selection):
    """The calendar without its components. One event to add to a calendar carries
    none of the properties that name, describe or refresh a calendar: clients that
    honour them (Outlook) made a new calendar of every downloaded event."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.NEWSROOM_NAME}//Timelines//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if selection.single:
        return calendar
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


def summary(shown):
    """The title; for a date known only to a period, "≈" and the period first, so a
    calendar that shows "Oktober 2024" on every day of October says it is approximate
    ("≈ Oktober 2024: Weiterreise …"), in the timeline's language."""
    if shown["precision"] in APPROXIMATE:
        return f"≈ {shown['label']}: {shown['title']}"
    return shown["title"]


def vevent(shown, url):
    """The VEVENT of an event (`shown`, its rendering), as content lines.

    Written here rather than with icalendar's `Event`, whose property objects and
    line folding cost some milliseconds an event (the profile in bench/README.md);
    what it writes is the same, and the tests read it with icalendar, vobject,
    recurring-ical-events, ical.js and khal."""
    updated = _utc(shown["updated_at"])
    lines = [
        "BEGIN:VEVENT",
        "UID:" + shown["uuid"],
        "DTSTAMP:" + updated,  # from the last change, not the clock: same data, same bytes
        "LAST-MODIFIED:" + updated,
        "CREATED:" + _utc(shown["first_published_at"] or shown["created_at"]),
        f"SEQUENCE:{shown['revision']}",
        "SUMMARY:" + text(summary(shown)),
    ]
    if shown["starts"]:  # an exact time, in the event's zone: TZID=…
        zone = parameter(shown["time_zone"])
        lines.append(f"DTSTART;TZID={zone}:{_local(shown['starts'])}")
        if shown["ends"]:
            lines.append(f"DTEND;TZID={zone}:{_local(shown['ends'])}")
        else:  # no end known: a default length, said as a DURATION
            lines.append("DURATION:" + DEFAULT_DURATION)
    else:  # all day, over the interval, with an exclusive end
        end = dt.date.fromisoformat(shown["last_day"]) + dt.timedelta(days=1)
        lines.append("DTSTART;VALUE=DATE:" + shown["first_day"].replace("-", ""))
        lines.append(f"DTEND;VALUE=DATE:{end:%Y%m%d}")
    lines += [
        "X-NEWSROOM-PRECISION:" + text(shown["precision"]),
        "X-NEWSROOM-TITLE:" + text(shown["title"]),  # SUMMARY may say "≈ …" before it
        "DESCRIPTION:" + text(f"{shown['text']}\n\n{url}"),
        "URL;VALUE=URI:" + url,
    ]
    place = shown["place"]
    if place:
        lines.append(
            "LOCATION:" + text(", ".join(filter(None, [place["name"], place["country"]])))
        )
        if place["point"]:
            latitude, longitude = (float(value) for value in place["point"])
            lines.append(f"GEO:{latitude};{longitude}")
    if shown["tags"]:  # never an empty CATEGORIES
        lines.append("CATEGORIES:" + ",".join(text(tag) for tag in shown["tags"]))
    lines += [
        "CLASS:PUBLIC",
        "TRANSP:TRANSPARENT",  # news must not block anyone's free time
        "STATUS:" + ("CANCELLED" if shown["retracted"] else "CONFIRMED"),
        "END:VEVENT",
    ]
    return "".join(map(fold, lines)).encode()


DEFAULT_DURATION = vDuration(UNTIMED_END_AFTER).to_ical().decode()


def text(value):
    """RFC 5545 TEXT (§3.3.11): backslash, semicolon, comma and line breaks escaped.
    `value` comes from a rendering, where every text is printable already."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def parameter(value):
    """A parameter value (§3.2), quoted when it holds a character that would end it."""
    return f'"{value}"' if any(c in value for c in ":;,") else value


def fold(line):
    """A content line folded after 75 octets of UTF-8 (§3.1), never inside a
    character, each fold starting with a space; with its CRLF."""
    if line.isascii():  # a character an octet: most lines, cut by length alone
        if len(line) <= 75:
            return line + "\r\n"
        return (
            "\r\n ".join([line[:75], *(line[i : i + 74] for i in range(75, len(line), 74))])
            + "\r\n"
        )
    data = line.encode()
    parts, start, width = [], 0, 75
    while start < len(data):
        end = min(start + width, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte
            end -= 1
        parts.append(data[start:end].decode())
        start, width = end, 74  # the leading space counts
    return "\r\n ".join(parts) + "\r\n"


def _utc(iso):
    """A moment kept in UTC (YYYY-MM-DDTHH:MM:SS…+00:00, `events.rendering`) as a
    DATE-TIME in UTC: cut as text, it costs a tenth of parsing it."""
    return f"{iso[0:4]}{iso[5:7]}{iso[8:10]}T{iso[11:13]}{iso[14:16]}{iso[17:19]}Z"


def _local(iso):
    return dt.datetime.fromisoformat(iso).strftime("%Y%m%dT%H%M%S")
