"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)."""

from django.conf import settings

from . import items
from .jsontext import dump, with_array
from .text import printable

content_type = "application/feed+json; charset=utf-8"
reads_limit = True  # the newest events, up to ?limit= (selection.Params)
VERSION = "https://jsonfeed.org/version/1.1"


def render(selection):
    header = {
        "version": VERSION,
        "title": printable(selection.title),
        "home_page_url": selection.page_url,
        "feed_url": selection.self_url,
        "description": printable(selection.description),
        "icon": selection.logo_url,
        "favicon": selection.icon_url,
        "language": selection.language,
        "authors": [{"name": settings.NEWSROOM_NAME}],
    }
    entries = selection.pieces(
        "feed.json", selection.newest(), lambda event: dump(item(event, selection.absolute))
    )
    return with_array(header, "items", entries)


def item(event, absolute):
    data = {
        "id": items.guid(event),
        "url": absolute(event.get_absolute_url()),
        "title": items.title(event),
        "content_html": items.content_html(event, absolute),
        "summary": items.summary(event),
        "date_published": event.first_published_at.isoformat(),
        "date_modified": event.updated_at.isoformat(),
        "language": event.timeline.language,
        "authors": [{"name": settings.NEWSROOM_NAME}],
    }
    tags = items.categories(event)
    if tags:
        data["tags"] = tags
    if event.place_id and event.place.has_coordinates:
        # An extension in the spec's sense: a key starting with an underscore.
        data["_geo"] = {
            "about": "https://www.georss.org/simple",
            "point": f"{event.place.latitude} {event.place.longitude}",
        }
    return data
