"""What every feed says about one event, from what readers are shown of it
(`events.rendering`, with its "parts" and "html"): shared by RSS, Atom and JSON Feed
so the three never disagree. Everything is in the language of the event's timeline,
not the reader's interface."""

import datetime as dt
from html import escape  # plain str: Django's lazy-aware escape cost 3 µs a call


def guid(shown):
    return f"urn:uuid:{shown['uuid']}"


def headline(shown):
    """The title, marked when the event is retracted."""
    if shown["retracted"]:
        return f"{shown['retracted_mark']} {shown['title']}"
    return shown["title"]


def title(shown):
    """The headline with the fuzzy date before it, as feed readers list it."""
    if shown["retracted"]:
        return f"{shown['retracted_mark']} {shown['label']}: {shown['title']}"
    return f"{shown['label']}: {shown['title']}"


def summary(shown):
    text = shown["summary"] or shown["title"]
    if shown["retracted"]:
        return f"{shown['retracted_prefix']} {shown['retraction_reason']}\n\n{text}"
    return text


def content_html(shown, url):
    """The body with quotes, sources, corrections and any retraction, and the link."""
    return f'{shown["html"]}\n<p><a href="{escape(url)}">{escape(shown["read_on"])}</a></p>'


def moment(iso):
    """A kept date and time (ISO 8601) as a datetime."""
    return dt.datetime.fromisoformat(iso)
