"""Documents assembled from per-event pieces, each cached by what it depends on.

A piece is one event's part of one format (an RSS item, a VEVENT, a CSV row …). Its
cache key holds the event's UUID, revision and last change, the format, the timeline's
slug and language, the host and the code version, so a key can never name stale
content. A document is built from a light query for the events' keys; only the
pieces missing from the cache load their events (in chunks, so memory stays bounded)
and render. One edit in a timeline of 10,000 events renders one piece.
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache

CACHE_SECONDS = 7 * 24 * 3600
CHUNK = 1000  # events loaded with their details at a time, on a cold cache
ROW_FIELDS = ("pk", "uuid", "revision", "updated_at", "timeline__slug", "timeline__language",
              "time_zone", "starts_on", "ends_on", "starts_at")  # fmt: skip


@dataclass(frozen=True)
class Row:
    """What is known of an event without loading it: enough to name its pieces."""

    pk: int
    uuid: object
    revision: int
    updated_at: object
    timeline_slug: str
    language: str
    time_zone: str
    starts_on: object
    ends_on: object
    starts_at: object


def rows(events):
    """`Row`s of an ordered, sliced or whole QuerySet of events: one query."""
    return [Row(*values) for values in events.values_list(*ROW_FIELDS)]


def piece_key(format_name, row, context):
    identity = "|".join(
        map(str, (format_name, row.uuid, row.revision, row.updated_at.timestamp(),
                  row.timeline_slug, row.language, context))
    )  # fmt: skip
    return "piece:" + hashlib.sha256(identity.encode()).hexdigest()[:40]


def pieces(format_name, rows, load, render, context=""):
    """The pieces of `rows`, in order: from the cache, or rendered from `load(pks)`."""
    keys = [piece_key(format_name, row, context) for row in rows]
    found = cache.get_many(keys) if keys else {}
    missing = [row for row, key in zip(rows, keys, strict=True) if key not in found]
    for start in range(0, len(missing), CHUNK):
        chunk = missing[start : start + CHUNK]
        events = {event.pk: event for event in load([row.pk for row in chunk])}
        fresh = {
            piece_key(format_name, row, context): render(events[row.pk])
            for row in chunk
            if row.pk in events
        }
        cache.set_many(fresh, CACHE_SECONDS)
        found.update(fresh)
    return [found[key] for key in keys if key in found]
