"""TimelineJS3 data for Knight Lab's embed (timeline.knightlab.com/docs/json-format.html).

Dates go down to the precision the event has: a month is `{year, month}`, early
October is 1–10 October, an exact time carries hour and minute in the event's own
zone; `display_date` shows the fuzzy label. TimelineJS renders headline and text as
HTML, so both are escaped or sanitized here.
"""

from django.utils.html import escape

from ..dates import Precision
from . import items
from .jsontext import dump, with_array
from .text import printable

content_type = "application/json; charset=utf-8"


def render(selection):
    title = {
        "title": {
            "text": {
                "headline": escape(printable(selection.title)),
                "text": f"<p>{escape(printable(selection.description))}</p>",
            }
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
        "display_date": printable(event.date_label(event.timeline.language)),
        "text": {
            "headline": escape(
                items.title(event).split(": ", 1)[-1]
                if not event.is_retracted
                else items.title(event)
            ),
            "text": text(event, absolute),
        },
    }
    if end:
        data["end_date"] = end
    tags = items.categories(event)
    if tags:
        data["group"] = tags[0]
    source = next((s for s in event.sources.all() if s.web_url), None)
    if source:
        data["media"] = {
            "url": source.web_url,
            "caption": escape(printable(source.title)),
            "credit": escape(printable(source.publisher)),
            "link": source.web_url,
        }
    return data


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
        parts.append(f"<p><strong>{escape(printable(event.retraction_reason))}</strong></p>")
    if event.summary:
        parts.append(f"<p>{escape(printable(event.summary))}</p>")
    for quote in event.quotes.all():
        parts.append(
            f"<blockquote>{escape(printable(quote.text))}"
            f"<br>— {escape(printable(quote.speaker.name))}</blockquote>"
        )
    parts.append(f'<p><a href="{escape(absolute(event.get_absolute_url()))}">→</a></p>')
    return "".join(parts)
