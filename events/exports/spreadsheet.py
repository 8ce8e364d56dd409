"""CSV (RFC 4180) for spreadsheet programs.

UTF-8 with a byte-order mark, so Excel opens umlauts right; CRLF line ends; a cell
that a spreadsheet would read as a formula (=, +, -, @, tab, CR) gets a leading
apostrophe, so no editor's text can run as a formula (OWASP "CSV injection").
"""

import csv
import io

from .printable import printable

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
    for shown in selection.chronological("parts"):
        values = row(shown, selection.url(shown["path"]))
        yield line([cell(value) for value in values]).encode()


def line(values):
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(values)
    return out.getvalue()


def row(shown, url):
    place = shown["place"] or {}
    point = place.get("point") or ("", "")
    return [
        shown["uuid"],
        shown["label"],
        shown["title"],
        shown["summary"],
        shown["precision"],
        shown["start_date"],
        shown["end_date"] or "",
        shown["start_time"] or "",
        shown["end_time"] or "",
        shown["time_zone"],
        shown["first_day"],
        shown["last_day"],
        place.get("name", ""),
        place.get("country", ""),
        *point,
        "; ".join(shown["people"]),
        "; ".join(shown["tags"]),
        shown["status"],
        shown["retraction_reason"],
        url,
        shown["first_published_at"] or "",
        shown["updated_at"],
        shown["revision"],
    ]


def cell(value):
    text = printable(str(value))
    text = "'" + text if text.startswith(FORMULA_START) else text
    return text[:CELL_LIMIT]
