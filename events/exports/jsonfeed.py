"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)."""

from django.conf import settings

from . import feed_items
from .json_bytes import dump, with_array
from .printable import printable

content_type = "application/feed+json; charset=utf-8"
reads_limit = True  # the newest events, up to ?limit= (selection.Params)
VERSION = "https://jsonfeed.org/version/1.1"
HISTORY = "https://www.rfc-editor.org/rfc/rfc5005"  # feed paging and archiving


def render(selection, entries=None):
    """The feed of `selection`, with `entries` (`feed_items.Entry`; by default one
    for each of the newest events)."""
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
    if selection.hubs:
        header["hubs"] = [{"type": "WebSub", "url": hub} for hub in selection.hubs]
    if selection.links or selection.archive:
        # What RSS and Atom say with atom:link and fh:archive, as a custom object (a
        # key starting with an underscore, with an `about`, as the spec asks).
        header["_links"] = {
            "about": HISTORY,
            "links": [
                {"href": href, "rel": rel, **({"type": media_type} if media_type else {})}
                for href, rel, media_type in selection.links
            ],
            **({"archive": True} if selection.archive else {}),
        }
    if entries is None:
        entries = feed_items.entries(selection)
    return with_array(header, "items", (dump(item(entry)) for entry in entries))


def item(entry):
    data = {
        "id": entry.id,
        "url": entry.url,
        "title": entry.title,
        "content_html": entry.content_html,
        "summary": entry.summary,
        "date_published": entry.published,
        "date_modified": entry.updated,
        "language": entry.language,
        "authors": [{"name": settings.NEWSROOM_NAME}],
    }
    if data["date_published"] is None:
        del data["date_published"]
    if entry.tags:
        data["tags"] = list(entry.tags)
    if entry.point:
        # An extension in the spec's sense: a key starting with an underscore.
        data["_geo"] = {"about": "https://www.georss.org/simple", "point": " ".join(entry.point)}
    return data
