"""RSS and Atom share one feedgen document; rss.py and atom.py serialize it.

A feed is assembled from cached pieces (`events.exports.pieces`): feedgen writes the
feed without items, and each item is written by feedgen in a feed of its own, from
which it is cut; the same extensions give the same namespace prefixes in both.

Spec: RSS 2.0 (rssboard.org), RFC 4287 (Atom), GeoRSS Simple for coordinates.
"""

from django.conf import settings
from feedgen.feed import FeedGenerator

from . import items
from .text import printable

TTL_MINUTES = 60
# (serializer, media type, element of one entry, element that closes the feed, its
# indentation in feedgen's pretty print)
KINDS = {
    "rss": ("rss_str", "application/rss+xml", "item", "</channel>", "  "),
    "atom": ("atom_str", "application/atom+xml", "entry", "</feed>", ""),
}


def render(selection, format_name, kind):
    serializer, media_type, element, closing, indent = KINDS[kind]
    skeleton = getattr(build(selection, media_type), serializer)(pretty=True).decode()

    def piece(event):
        one = new_feed()
        add_entry(one, event, selection.absolute)
        text = getattr(one, serializer)(pretty=True).decode()
        start = text.index(f"<{element}>")
        end = text.rindex(f"</{element}>") + len(element) + 3
        return (indent + "  " + text[start:end] + "\n").encode()

    head, tail = skeleton.rsplit(closing, 1)
    yield head.rstrip(" ").encode()
    yield from selection.pieces(format_name, selection.newest(), piece)
    yield (indent + closing + tail).encode()


def new_feed():
    feed = FeedGenerator()
    feed.load_extension("dc")
    feed.load_extension("geo")
    # Required by feedgen to serialize at all; only the entries are kept of a one-entry feed.
    feed.id("urn:newsroom:piece")
    feed.title("piece")
    feed.description("piece")
    feed.link(href="http://localhost/")
    return feed


def build(selection, self_type):
    """The feed without its entries."""
    feed = FeedGenerator()
    feed.load_extension("dc")
    feed.load_extension("geo")
    feed.id(selection.id)
    feed.title(printable(selection.title))
    feed.description(printable(selection.description))  # RSS description, Atom subtitle
    feed.link(href=selection.self_url, rel="self", type=self_type)
    # feedgen takes the last link as RSS <link>: the HTML page.
    feed.link(href=selection.page_url, rel="alternate", type="text/html")
    feed.language(selection.language)
    feed.author({"name": settings.NEWSROOM_NAME})
    feed.logo(selection.logo_url)
    feed.icon(selection.icon_url)
    feed.generator(settings.NEWSROOM_NAME)
    feed.ttl(TTL_MINUTES)
    # Build dates come from the data, never the clock: the same data, the same bytes.
    feed.lastBuildDate(selection.updated)
    feed.updated(selection.updated)
    return feed


def add_entry(feed, event, absolute):
    entry = feed.add_entry(order="append")
    entry.id(items.guid(event))
    entry.guid(items.guid(event), permalink=False)
    entry.title(items.title(event))
    entry.link(href=absolute(event.get_absolute_url()), rel="alternate", type="text/html")
    entry.summary(items.summary(event))  # Atom summary
    entry.description(items.summary(event))  # RSS description
    entry.content(items.content_html(event, absolute), type="html")  # after description
    entry.published(event.first_published_at)
    entry.updated(event.updated_at)
    entry.author({"name": settings.NEWSROOM_NAME})
    entry.dc.dc_creator(settings.NEWSROOM_NAME)
    for name in items.categories(event):
        entry.category(term=name, label=name)
    if event.place_id and event.place.has_coordinates:
        entry.geo.point(f"{event.place.latitude} {event.place.longitude}")
    return entry
