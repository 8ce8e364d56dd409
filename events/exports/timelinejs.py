"""TimelineJS3 data for Knight Lab's embed (timeline.knightlab.com/docs/json-format.html).

Dates go down to the precision the event has: a month is `{year, month}`, early
October is 1–10 October, an exact time carries hour and minute in the event's own
zone; `display_date` shows the fuzzy label.

TimelineJS 3 (since 3.7; src/js/core/TimelineConfig.js) writes every text it shows with
innerHTML. Headline, text, media caption and credit pass DOMPurify first, so they carry
escaped text or our own markup. `display_date` and `group` pass `stripMarkup` first,
which reads them as HTML and keeps only their text, entities decoded: they are escaped
twice, so what reaches innerHTML is escaped once. `autolink` is off because TimelineJS's
`linkify` runs after DOMPurify and copies any `www.` run, quotes included, into an
`href='…'` (src/js/core/Util.js).
"""

import datetime as dt
import re
from html import escape  # plain str: Django's lazy-aware escape cost 3 µs a call
from urllib.parse import urlsplit

from django.utils import translation
from django.utils.translation import gettext as _

from ..dates import Precision
from . import feed_items
from .json_bytes import dump, with_array
from .printable import printable

content_type = "application/json; charset=utf-8"
reads_limit = False  # every event: ?limit= makes no other document


# TimelineJS shows `media.url` as an image when it looks like one; a web page there
# became a broken image on every slide with a source. Sources go into the text.
IMAGE = re.compile(r"\.(?:avif|gif|jpe?g|png|svg|webp)$", re.IGNORECASE)


def render(selection):
    with translation.override(selection.language):  # the link texts
        return _render(selection)


def _render(selection):
    title = {
        "title": {
            "text": {
                "headline": escape_html(selection.title),
                "text": f"<p>{escape_html(selection.description)}</p>",
            },
            "autolink": False,
        }
    }
    slides = (
        dump(slide(shown, selection.url(shown["path"])))
        for shown in selection.chronological("parts")
    )
    return with_array(title, "events", slides)


def slide(shown, url):
    start, end = dates(shown)
    data = {
        "unique_id": shown["slug"],
        "start_date": start,
        "display_date": escape_label(shown["label"]),
        "text": {"headline": escape_html(feed_items.headline(shown)), "text": text(shown, url)},
        "autolink": False,
    }
    if end:
        data["end_date"] = end
    if shown["tags"]:
        data["group"] = escape_label(shown["tags"][0])
    image = next((s for s in shown["sources"] if IMAGE.search(urlsplit(s["url"]).path)), None)
    if image:
        data["media"] = {
            "url": image["url"],
            "caption": escape_html(image["title"]),
            "credit": escape_html(image["publisher"]),
            "link": image["url"],
        }
    return data


def escape_html(text):
    """`text` for a field TimelineJS sanitizes and then writes as HTML."""
    return escape(printable(text))


def escape_label(text):
    """`text` for `display_date` and `group`: TimelineJS decodes them once more."""
    return escape(escape_html(text))


def dates(shown):
    """TimelineJS start and end date objects: an exact time to the minute, any other
    date as the days it covers — a month, a part of one, a year or a range has an end
    and is drawn as a span (a month given as {year, month} alone was a point)."""
    if shown["precision"] == Precision.TIME:
        start = _instant(shown["starts"])
        return start, _instant(shown["ends"]) if shown["ends"] else None
    first, last = (dt.date.fromisoformat(shown[name]) for name in ("first_day", "last_day"))
    start = {"year": first.year, "month": first.month, "day": first.day}
    end = {"year": last.year, "month": last.month, "day": last.day}
    return start, end if last != first else None


def _instant(iso):
    moment = dt.datetime.fromisoformat(iso)
    return {
        "year": moment.year, "month": moment.month, "day": moment.day,
        "hour": moment.hour, "minute": moment.minute,
    }  # fmt: skip


def text(shown, url):
    parts = []
    if shown["retracted"]:
        parts.append(f"<p><strong>{escape_html(shown['retraction_reason'])}</strong></p>")
    if shown["summary"]:
        parts.append(f"<p>{escape_html(shown['summary'])}</p>")
    for quote in shown["quotes"]:
        parts.append(
            f"<blockquote>{escape_html(quote['text'])}"
            f"<br>— {escape_html(quote['speaker'])}"
            + (f" ({escape_html(quote['occasion'])})" if quote.get("occasion") else "")
            + "</blockquote>"
        )
    sources = [
        f'<a href="{escape(source["url"])}">{escape_html(source["title"] or source["url"])}</a>'
        + (f" ({escape_html(source['publisher'])})" if source["publisher"] else "")
        for source in shown["sources"]
        if source["url"]
    ]
    if sources:
        said = escape_html(_("Sources:"))
        parts.append(f"<p>{said} {', '.join(sources)}</p>")
    more = escape_html(_("Read the whole event"))
    parts.append(f'<p><a href="{escape(url)}">{more}</a></p>')
    return "".join(parts)
