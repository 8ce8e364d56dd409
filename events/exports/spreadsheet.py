"""CSV (RFC 4180) for spreadsheet programs.

UTF-8 with a byte-order mark, so Excel opens umlauts right; CRLF line ends; a cell
that a spreadsheet would read as a formula (=, +, -, @, tab, CR) gets a leading
apostrophe, so no editor's text can run as a formula (OWASP "CSV injection").
"""

import csv
import io

from . import items
from .text import printable

content_type = "text/csv; charset=utf-8"
reads_limit = False  # every event: ?limit= makes no other document
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CELL_LIMIT = 32_767  # the most characters Excel and LibreOffice keep in one cell
COLUMNS = [
    "uuid", "date", "title", "summary", "precision", "start_date", "end_date", "start_time",
    "end_time", "time_zone", "first_day", "last_day", "place", "country", "latitude",
    "longitude", "people", "tags", "status", "retraction_reason", "url",
    "first_published_at", "updated_at", "revision",
]  # fmt: skip


def render(selection):
    yield ("\ufeff" + line(COLUMNS)).encode()
    yield from selection.pieces(
        "events.csv",
        selection.chronological(),
        lambda event: line([cell(value) for value in row(event, selection.absolute)]).encode(),
    )


def line(values):
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(values)
    return out.getvalue()


def row(event, absolute):
    interval = event.fuzzy_date.interval
    place = event.place
    return [
        event.uuid,
        event.date_label(event.timeline.language),
        event.title,
        event.summary,
        event.precision,
        event.start_date,
        event.end_date or "",
        event.start_time or "",
        event.end_time or "",
        event.time_zone,
        interval.first_day,
        interval.last_day,
        place.name if place else "",
        place.country if place else "",
        place.latitude if place and place.has_coordinates else "",
        place.longitude if place and place.has_coordinates else "",
        "; ".join(p.name for p in event.people.all()),
        "; ".join(items.categories(event)),
        event.status,
        event.retraction_reason,
        absolute(event.get_absolute_url()),
        event.first_published_at.isoformat() if event.first_published_at else "",
        event.updated_at.isoformat(),
        event.revision,
    ]


def cell(value):
    text = printable(str(value))
    text = "'" + text if text.startswith(FORMULA_START) else text
    return text[:CELL_LIMIT]
