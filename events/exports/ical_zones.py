"""VTIMEZONE components (RFC 5545 §3.6.5) for the zones a calendar's exact times use.

Each transition of the zone within the years the calendar covers is an observance of
its own (STANDARD or DAYLIGHT) with one DTSTART — no RRULE and no RDATE, which
Mozilla's ical.js misreads (it put 23 October 2024, 14:30 New York an hour off in a
calendar spanning 2024–2025 when the transitions were RDATEs). DTSTART is the local
time in the offset before the transition (TZOFFSETFROM), as §3.6.5 says.

The transitions come from the tz database through `zoneinfo`: the zone's offset,
daylight saving and abbreviation are sampled every two weeks and each change is narrowed
down to its second. Two transitions less than two weeks apart that return to the same
state would be missed; no zone has had such a pair since the 1940s (the shortest
recent interruption, Egypt's Ramadan of 2014, lasted a month). icalendar's
`Timezone.from_tzid` took 33 ms for five zones over 25 years; this takes about 5.
"""

import datetime as dt
from zoneinfo import ZoneInfo

STEP = 14 * 24 * 3600  # seconds between two samples


def vtimezone(zone, first_year, last_year):
    """The VTIMEZONE of `zone` from 1 January of `first_year` to the end of
    `last_year`, as bytes. Not kept: it is made once per version of a calendar, and
    keeping it saved 3 % of rendering one (bench/results.md, "What each layer buys")."""
    start = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(last_year + 1, 1, 1, tzinfo=dt.UTC)
    lines = [
        "BEGIN:VTIMEZONE",
        f"TZID:{zone}",
        f"COMMENT:This timezone only works from {start:%Y-%m-%d} to {end:%Y-%m-%d}.",
    ]
    first = _state(ZoneInfo(zone), int(start.timestamp()))
    # What holds from midnight of the first day, local time: no event is earlier.
    lines += _observance(start.replace(tzinfo=None), first, first)
    for moment, before, after in transitions(zone, int(start.timestamp()), int(end.timestamp())):
        local = dt.datetime.fromtimestamp(moment, dt.UTC).replace(tzinfo=None) + before[0]
        lines += _observance(local, before, after)
    lines.append("END:VTIMEZONE")
    return "".join(line + "\r\n" for line in lines).encode()


def transitions(zone, start, end):
    """(POSIX second, state before, state after) of each change of the zone's state
    — (offset, daylight saving, abbreviation) — from `start` to `end` (seconds)."""
    tzinfo = ZoneInfo(zone)
    found = []
    moment, state = start, _state(tzinfo, start)
    while moment < end:
        following = min(moment + STEP, end)
        next_state = _state(tzinfo, following)
        if next_state != state:
            low, high = moment, following  # state holds at low, not at high
            while high - low > 1:
                middle = (low + high) // 2
                if _state(tzinfo, middle) == state:
                    low = middle
                else:
                    high = middle
            found.append((high, state, _state(tzinfo, high)))
            # A second change within the same two weeks (never seen since the 1940s)
            # is taken as one change to where the week ends.
        moment, state = following, next_state
    return found


def _state(tzinfo, second):
    local = dt.datetime.fromtimestamp(second, tzinfo)
    return local.utcoffset(), local.dst(), local.tzname()


def _observance(local_start, before, after):
    kind = "DAYLIGHT" if after[1] else "STANDARD"
    return [
        f"BEGIN:{kind}",
        f"DTSTART:{local_start:%Y%m%dT%H%M%S}",
        f"TZNAME:{after[2]}",
        f"TZOFFSETFROM:{_offset(before[0])}",
        f"TZOFFSETTO:{_offset(after[0])}",
        f"END:{kind}",
    ]


def _offset(delta):
    """An offset as ±hhmm (or ±hhmmss when it has seconds, as LMT had)."""
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")
