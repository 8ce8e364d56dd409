"""The one place that records that public content changed.

Every timeline carries a `version` that grows, and a `changed_at`, whenever anything a
reader can see in it changes: an event, its quotes, sources, corrections, tags, people
or place, or the timeline itself. ETags, Last-Modified and cache keys of every export
derive from them (see `events.http`), so a change invalidates every cached document of
its timeline at once, and a poll learns freshness from one small query.
"""

from django.db.models import F
from django.utils import timezone

from .models import Timeline, is_loading_data


def timelines_changed(*timeline_ids):
    ids = {pk for pk in timeline_ids if pk}
    if ids and not is_loading_data():
        Timeline.objects.filter(pk__in=ids).update(
            version=F("version") + 1, changed_at=timezone.now()
        )


def events_changed(events):
    """Parts of these events changed (a quote, a tag's name, …): new revisions, same UUIDs."""
    if is_loading_data():
        return
    events = events.model.objects.filter(pk__in=events.values("pk"))
    now = timezone.now()
    events.exclude(status="draft").update(revision=F("revision") + 1, updated_at=now)
    events.filter(status="draft").update(updated_at=now)
    events.reindex()
    timelines_changed(*events.public().values_list("timeline_id", flat=True).distinct())
