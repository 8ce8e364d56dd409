"""The VTIMEZONEs say what the tz database says: every offset at every moment."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from events.exports.ical_zones import vtimezone

ZONES = ["America/New_York", "Europe/Berlin", "Europe/Moscow", "Asia/Tokyo",
         "Australia/Lord_Howe", "America/Sao_Paulo", "Africa/Casablanca", "Pacific/Apia",
         "Asia/Kolkata", "America/St_Johns", "Africa/Cairo", "Asia/Gaza", "Asia/Tehran",
         "America/Havana", "Europe/Dublin", "Antarctica/Troll"]  # fmt: skip


def observances(zone, first, last):
    text = b"BEGIN:VCALENDAR\r\n" + vtimezone(zone, first, last) + b"END:VCALENDAR\r\n"
    (component,) = Calendar.from_ical(text).walk("VTIMEZONE")
    assert str(component["TZID"]) == zone
    found = []
    for observance in component.subcomponents:
        offset_from = observance["TZOFFSETFROM"].td
        offset_to = observance["TZOFFSETTO"].td
        # §3.6.5: DTSTART is local time in the offset before the change.
        utc = (observance["DTSTART"].dt - offset_from).replace(tzinfo=dt.UTC)
        found.append((utc, offset_from, offset_to, str(observance["TZNAME"]),
                      observance.name == "DAYLIGHT"))  # fmt: skip
    return sorted(found)


@pytest.mark.parametrize("zone", ZONES)
def test_every_day_has_the_offset_the_tz_database_gives(zone):
    first, last = 2005, 2025
    found = observances(zone, first, last)
    tzinfo = ZoneInfo(zone)
    start = dt.datetime(first, 1, 1, tzinfo=dt.UTC)
    # The first observance holds from midnight of 1 January, local time.
    assert found[0][0] + found[0][1] == start
    for n, (moment, offset_from, offset_to, name, daylight) in enumerate(found[1:], 1):
        before, at = (
            (moment - dt.timedelta(seconds=1)).astimezone(tzinfo),
            moment.astimezone(tzinfo),
        )
        assert (before.utcoffset(), at.utcoffset()) == (offset_from, offset_to), (zone, moment)
        assert at.tzname() == name and bool(at.dst()) == daylight
        assert found[n - 1][2] == offset_from  # each observance follows the one before
    # Between the changes, every six hours: the offset of the observance in force.
    moment = start
    while moment < dt.datetime(last + 1, 1, 1, tzinfo=dt.UTC):
        in_force = [o for o in found if o[0] <= moment]
        expected = in_force[-1][2] if in_force else found[0][2]
        assert moment.astimezone(tzinfo).utcoffset() == expected, (zone, moment)
        moment += dt.timedelta(hours=6)
