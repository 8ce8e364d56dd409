"""What every feed says about one event, from what readers are shown of it
(`events.rendering`, with its "parts" and "html"): shared by RSS, Atom and JSON Feed
so the three never disagree. Everything is in the language of the event's timeline,
not the reader's interface.

A feed writes `Entry`s: the live feeds one per event (`entry()`), the changes feeds
one per change (`exports.changes`)."""

import datetime as dt
from dataclasses import dataclass
from html import escape  # plain str: Django's lazy-aware escape cost 3 µs a call


@dataclass(frozen=True, slots=True)
class Entry:
    """One item of a feed, its text printable already (`printable`)."""

    id: str
    url: str
    title: str
    summary: str
    content_html: str
    updated: str  # ISO 8601, UTC
    published: str | None = None
    language: str = ""
    tags: tuple = ()
    point: tuple | None = None  # (latitude, longitude) as text


def entry(shown, url):
    """The entry of an event, from its rendering."""
    place = shown["place"]
    return Entry(
        id=guid(shown),
        url=url,
        title=title(shown),
        summary=summary(shown),
        content_html=content_html(shown, url),
        updated=shown["updated_at"],
        published=shown["first_published_at"],
        language=shown["language"],
        tags=tuple(shown["tags"]),
        point=tuple(place["point"]) if place and place["point"] else None,
    )


def entries(selection):
    """The live feed's entries: the most recently first-published events."""
    for shown in selection.newest("parts", "html"):
        yield entry(shown, selection.url(shown["path"]))


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
    return shown["html"] + "\n" + link_paragraph(url, shown["read_on"])


def link_paragraph(url, words):
    return f'<p><a href="{escape(url)}">{escape(words)}</a></p>'


def moment(iso):
    """A kept date and time (ISO 8601) as a datetime."""
    return dt.datetime.fromisoformat(iso)
