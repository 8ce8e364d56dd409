"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)."""

from django.conf import settings

from . import feed_items
from .json_bytes import dump, with_array
from .printable import printable

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
    entries = (
        dump(item(shown, selection.url(shown["path"])))
        for shown in selection.newest("parts", "html")
    )
    return with_array(header, "items", entries)


def item(shown, url):
    data = {
        "id": feed_items.guid(shown),
        "url": url,
        "title": feed_items.title(shown),
        "content_html": feed_items.content_html(shown, url),
        "summary": feed_items.summary(shown),
        "date_published": shown["first_published_at"],
        "date_modified": shown["updated_at"],
        "language": shown["language"],
        "authors": [{"name": settings.NEWSROOM_NAME}],
    }
    if shown["tags"]:
        data["tags"] = shown["tags"]
    place = shown["place"]
    if place and place["point"]:
        # An extension in the spec's sense: a key starting with an underscore.
        data["_geo"] = {
            "about": "https://www.georss.org/simple",
            "point": " ".join(place["point"]),
        }
    return data
