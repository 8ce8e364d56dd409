"""One module per output format, each with the same face:

    content_type   the media type, with charset
    reads_limit    whether it lists only the newest events, up to `?limit=`
    render(selection) -> the document, as an iterable of bytes (written as it comes)

A selection (`selection.Selection`) is a timeline, or the whole site, and its public
events; `events.http` serves what a format renders. Adding a format means adding a
module here and a line in `FORMATS`.
"""

from . import atom, changes, ical, jsonfeed, rss, spreadsheet, timelinejs

# Every format of a timeline, by file name (/timelines/<slug>/<name>) ...
FORMATS = {
    "feed.rss": rss,
    "feed.atom": atom,
    "feed.json": jsonfeed,
    "calendar.ics": ical,
    "timelinejs.json": timelinejs,
    "events.csv": spreadsheet,
    # What changed, newest first (a correction is a new entry there).
    "changes.rss": changes.RSS,
    "changes.atom": changes.ATOM,
    "changes.json": changes.JSON,
}
# ... and those also offered for all public timelines together (/<name>).
SITE_FORMATS = [
    "feed.rss", "feed.atom", "feed.json", "calendar.ics",
    "changes.rss", "changes.atom", "changes.json",
]  # fmt: skip


def media_type(name):
    """The media type of a format, without its charset."""
    return FORMATS[name].content_type.split(";")[0]


# A feed and its changes feed link each other (rel="related").
RELATED = {
    "feed.rss": "changes.rss", "feed.atom": "changes.atom", "feed.json": "changes.json",
    "changes.rss": "feed.rss", "changes.atom": "feed.atom", "changes.json": "feed.json",
}  # fmt: skip
# Served as a download rather than shown.
DOWNLOADS = {"events.csv"}
