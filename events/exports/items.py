"""What every feed says about one event: title, HTML content, text, dates, tags.

Shared by RSS, Atom and JSON Feed so the three never disagree. Everything here is in
the language of the event's timeline, not the reader's interface.
"""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from ..markup import render_markdown
from .text import printable


def guid(event):
    return f"urn:uuid:{event.uuid}"


def headline(event):
    """The title, marked when the event is retracted."""
    if not event.is_retracted:
        return printable(event.title)
    with translation.override(event.timeline.language):
        return printable(f"[{_('Retracted')}] {event.title}")


def title(event):
    """The headline with the fuzzy date before it, as feed readers list it."""
    label = printable(event.date_label(event.timeline.language))
    if not event.is_retracted:
        return f"{label}: {headline(event)}"
    with translation.override(event.timeline.language):
        return printable(f"[{_('Retracted')}] {label}: {event.title}")


def summary(event):
    text = event.summary or event.title
    if event.is_retracted:
        with translation.override(event.timeline.language):
            text = f"{_('Retracted:')} {event.retraction_reason}\n\n{text}"
    return printable(text)


def content_html(event, absolute):
    """The body (sanitized) with quotes, sources, corrections and any retraction."""
    with translation.override(event.timeline.language):
        html = render_to_string(
            "events/exports/item.html",
            {
                "event": event,
                "body": render_markdown(printable(event.body)),
                "url": absolute(event.get_absolute_url()),
            },
        )
    return printable(html.strip())


def categories(event):
    return [printable(tag.name) for tag in event.tags.all()]
