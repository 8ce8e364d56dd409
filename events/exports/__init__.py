"""One module per output format, each with the same face:

    content_type   the media type, with charset
    render(selection) -> bytes

A selection (`selection.Selection`) is a timeline, or the whole site, and its public
events; `events.http` serves what a format renders. Adding a format means adding a
module here and a line in `FORMATS`.
"""

from . import atom, ical, jsonfeed, rss

FORMATS = {
    "feed.rss": rss,
    "feed.atom": atom,
    "feed.json": jsonfeed,
    "calendar.ics": ical,
}
