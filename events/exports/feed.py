"""RSS and Atom share one feedgen document; rss.py and atom.py serialize it.

Spec: RSS 2.0 (rssboard.org), RFC 4287 (Atom), GeoRSS Simple for coordinates.
"""

from django.conf import settings
from feedgen.feed import FeedGenerator

from . import items
from .text import printable

TTL_MINUTES = 60


def build(selection, self_type):
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
    for event in selection.newest():
        add_entry(feed, event, selection.absolute)
    return feed


def add_entry(feed, event, absolute):
    entry = feed.add_entry(order="append")  # feedgen prepends by default
    entry.id(items.guid(event))
    entry.guid(items.guid(event), permalink=False)
    entry.title(items.title(event))
    entry.link(href=absolute(event.get_absolute_url()), rel="alternate", type="text/html")
    entry.summary(items.summary(event))  # Atom summary
    entry.description(items.summary(event))  # RSS description
    entry.content(items.content_html(event, absolute), type="html")
    entry.published(event.first_published_at)
    entry.updated(event.updated_at)
    entry.author({"name": settings.NEWSROOM_NAME})
    entry.dc.dc_creator(settings.NEWSROOM_NAME)
    for name in items.categories(event):
        entry.category(term=name, label=name)
    if event.place_id and event.place.has_coordinates:
        entry.geo.point(f"{event.place.latitude} {event.place.longitude}")
    return entry
