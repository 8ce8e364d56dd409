"""The changes feeds: one entry per public change of an event, newest first.

`/timelines/<slug>/changes.atom` (and `.rss`, `.json`; `/changes.atom` … for the
whole site) list what `events.public_changes` recorded — published, corrected,
retracted, re-dated, edited — each entry with an id of its own, so that a feed
reader shows a correction as a new, unread item where the live feed only replaces
an entry it has shown before. The feed modules write them; only the entries differ.
"""

import uuid
from dataclasses import replace

from django.db.models import F
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import PublicChange
from . import feed, feed_items


class ChangesFeed:
    """A changes feed in one of the feed formats (the face of `events.exports`)."""

    reads_limit = True  # the newest changes, up to ?limit= (selection.Params)

    def __init__(self, kind, content_type):
        self.kind, self.content_type = kind, content_type

    def render(self, selection):
        with translation.override(selection.language):
            changes_word = _("Changes")
        title = f"{selection.title} – {changes_word}"
        changes = replace(
            selection,
            id=f"urn:uuid:{uuid.uuid5(uuid.UUID(selection.id.removeprefix('urn:uuid:')), 'changes')}",
            title=title,
            description=title,
        )
        entries = (entry(change, selection.url(page_of(change))) for change in newest(selection))
        return feed.write(changes, self.kind, entries)


def newest(selection):
    """The newest changes of the selection's public events, up to its limit."""
    rows = PublicChange.objects.filter(event__in=selection.events.values("pk"))
    rows = rows.annotate(
        timeline_language=F("timeline__language"),
        event_slug=F("event__slug"),
        event_timeline_slug=F("event__timeline__slug"),
    )
    return rows.order_by("-happened_at", "-pk")[: selection.params.limit].iterator()


def page_of(change):
    """The event's page where it is now: the `path` stored with the change is where it
    was then, a 404 once its slug or timeline changed."""
    return reverse("event", args=[change.event_timeline_slug, change.event_slug])


def entry(change, url):
    moment = change.happened_at.astimezone(feed_items.dt.UTC).isoformat()
    paragraphs = "".join(
        f"<p>{feed_items.escape(text)}</p>" for text in change.text.split("\n\n") if text
    )
    with translation.override(change.timeline_language):
        read = _("Read on the timeline")
    return feed_items.Entry(
        id=f"urn:uuid:{change.uuid}",
        url=url,
        title=change.title,
        summary=change.text or change.title,
        content_html=paragraphs + feed_items.link_paragraph(url, read),
        updated=moment,
        published=moment,
        language=change.timeline_language,
    )


RSS = ChangesFeed("rss", "application/rss+xml; charset=utf-8")
ATOM = ChangesFeed("atom", "application/atom+xml; charset=utf-8")
JSON = ChangesFeed("json", "application/feed+json; charset=utf-8")
