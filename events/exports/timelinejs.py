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

from django.utils.html import escape

from ..dates import Precision
from . import items
from .jsontext import dump, with_array
from .text import printable

content_type = "application/json; charset=utf-8"
reads_limit = False  # every event: ?limit= makes no other document


def render(selection):
    title = {
        "title": {
            "text": {
                "headline": escape_html(selection.title),
                "text": f"<p>{escape_html(selection.description)}</p>",
            },
            "autolink": False,
        }
    }
    slides = selection.pieces(
        "timelinejs.json",
        selection.chronological(),
        lambda event: dump(slide(event, selection.absolute)),
    )
    return with_array(title, "events", slides)


def slide(event, absolute):
    start, end = dates(event)
    data = {
        "unique_id": event.slug,
        "start_date": start,
        "display_date": escape_label(event.date_label(event.timeline.language)),
        "text": {
            "headline": escape_html(items.headline(event)),
            "text": text(event, absolute),
        },
        "autolink": False,
    }
    if end:
        data["end_date"] = end
    tags = items.categories(event)
    if tags:
        data["group"] = escape_label(tags[0])
    source = next((s for s in event.sources.all() if s.web_url), None)
    if source:
        data["media"] = {
            "url": source.web_url,
            "caption": escape_html(source.title),
            "credit": escape_html(source.publisher),
            "link": source.web_url,
        }
    return data


def escape_html(text):
    """`text` for a field TimelineJS sanitizes and then writes as HTML."""
    return escape(printable(text))


def escape_label(text):
    """`text` for `display_date` and `group`: TimelineJS decodes them once more."""
    return escape(escape_html(text))


def dates(event):
    """TimelineJS start and end date objects at the event's precision."""
    fuzzy = event.fuzzy_date
    interval = fuzzy.interval
    if fuzzy.precision == Precision.TIME:
        start = _instant(interval.start)
        return start, _instant(interval.end) if interval.end else None
    fields = {
        Precision.YEAR: ("year",),
        Precision.MONTH: ("year", "month"),
    }.get(fuzzy.precision, ("year", "month", "day"))
    start = {name: getattr(interval.first_day, name) for name in fields}
    end = {name: getattr(interval.last_day, name) for name in fields}
    return start, end if end != start else None


def _instant(moment):
    return {
        "year": moment.year, "month": moment.month, "day": moment.day,
        "hour": moment.hour, "minute": moment.minute,
    }  # fmt: skip


def text(event, absolute):
    parts = []
    if event.is_retracted:
        parts.append(f"<p><strong>{escape_html(event.retraction_reason)}</strong></p>")
    if event.summary:
        parts.append(f"<p>{escape_html(event.summary)}</p>")
    for quote in event.quotes.all():
        parts.append(
            f"<blockquote>{escape_html(quote.text)}"
            f"<br>— {escape_html(quote.speaker.name)}</blockquote>"
        )
    parts.append(f'<p><a href="{escape(absolute(event.get_absolute_url()))}">→</a></p>')
    return "".join(parts)
