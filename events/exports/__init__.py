"""One module per output format, each with the same face:

    content_type   the media type, with charset
    reads_limit    whether it lists only the newest events, up to `?limit=`
    render(selection) -> the document, as an iterable of bytes (written as it comes)

A selection (`selection.Selection`) is a timeline, or the whole site, and its public
events; `events.http` serves what a format renders. Adding a format means adding a
module here and a line in `FORMATS`.
"""

from . import atom, ical, jsonfeed, rss, spreadsheet, timelinejs

# Every format of a timeline, by file name (/timelines/<slug>/<name>) ...
FORMATS = {
    "feed.rss": rss,
    "feed.atom": atom,
    "feed.json": jsonfeed,
    "calendar.ics": ical,
    "timelinejs.json": timelinejs,
    "events.csv": spreadsheet,
}
# ... and those also offered for all public timelines together (/<name>).
SITE_FORMATS = ["feed.rss", "feed.atom", "feed.json", "calendar.ics"]
# Served as a download rather than shown.
DOWNLOADS = {"events.csv"}
