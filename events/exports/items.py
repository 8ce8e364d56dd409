"""What every feed says about one event, from what readers are shown of it
(`events.rendering`): shared by RSS, Atom and JSON Feed so the three never disagree.
Everything is in the language of the event's timeline, not the reader's interface."""

import datetime as dt

from django.utils.html import escape


def guid(shown):
    return f"urn:uuid:{shown['uuid']}"


def content_html(shown, url):
    """The body with quotes, sources, corrections and any retraction, and the link."""
    return f'{shown["html"]}\n<p><a href="{escape(url)}">{escape(shown["read_on"])}</a></p>'


def moment(iso):
    """A kept date and time (ISO 8601) as a datetime."""
    return dt.datetime.fromisoformat(iso)
