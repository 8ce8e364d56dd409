"""Documents assembled from per-event pieces, each cached by what it depends on.

A piece is one event's part of one output (an RSS item, a VEVENT, a CSV row, its entry
in a timeline page …). Its cache key holds the event's UUID, revision and last change,
the format, the timeline's slug, language and time zone (labels of timed events depend
on it), the host (or the reader's language, for page entries) and the output version
(code, rendering packages, settings), so a key can never name stale content. A document is built from a light query for the events' keys; only the
pieces missing from the cache load their events (all in one query, streamed) and
render; the document then flows from the cache in chunks, so memory stays bounded.
One edit in a timeline of 10,000 events renders one piece.
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache

from ..output_version import OUTPUT_VERSION

CACHE_SECONDS = 7 * 24 * 3600
CHUNK = 1000  # pieces read from or written to the cache at a time
ROW_FIELDS = ("pk", "uuid", "revision", "updated_at", "timeline__slug", "timeline__language",
              "timeline__time_zone", "time_zone", "starts_on", "ends_on", "starts_at")  # fmt: skip


@dataclass(frozen=True)
class Row:
    """What is known of an event without loading it: enough to name its pieces."""

    pk: int
    uuid: object
    revision: int
    updated_at: object
    timeline_slug: str
    language: str
    home_zone: str  # the timeline's time zone
    time_zone: str
    starts_on: object
    ends_on: object
    starts_at: object


def row_of(event):
    """The `Row` of an event already loaded (with its timeline)."""
    return Row(event.pk, event.uuid, event.revision, event.updated_at, event.timeline.slug,
               event.timeline.language, event.timeline.time_zone, event.time_zone, event.starts_on, event.ends_on,
               event.starts_at)  # fmt: skip


def rows(events):
    """`Row`s of an ordered, sliced or whole QuerySet of events: one query."""
    return [Row(*values) for values in events.values_list(*ROW_FIELDS)]


def piece_key(format_name, row, context):
    identity = "|".join(
        map(str, (OUTPUT_VERSION, format_name, row.uuid, row.revision, row.updated_at.timestamp(),
                  row.timeline_slug, row.language, row.home_zone, context))
    )  # fmt: skip
    return "piece:" + hashlib.sha256(identity.encode()).hexdigest()[:40]


def pieces(format_name, rows, load, render, context=""):
    """The pieces of `rows`, in order, as a generator: from the cache, a chunk at a
    time, so a document of any size passes through memory in chunks.

    The pieces the cache lacks are found first and rendered from one query over
    their events (`load(pks)`, which may stream), whatever their number; pieces the
    cache loses meanwhile (evicted, or the cache is down) are rendered again per
    chunk."""
    keys = [piece_key(format_name, row, context) for row in rows]
    chunks = [(rows[i : i + CHUNK], keys[i : i + CHUNK]) for i in range(0, len(rows), CHUNK)]
    missing, last = [], {}
    for chunk_rows, chunk_keys in chunks:
        last = cache.get_many(chunk_keys)
        missing += [
            row for row, key in zip(chunk_rows, chunk_keys, strict=True) if key not in last
        ]
    rendered = _render(format_name, missing, load, render, context) if missing else {}
    for n, (chunk_rows, chunk_keys) in enumerate(chunks):
        # The last chunk was just read: with what was rendered, it is complete,
        # unless more was rendered than `rendered` keeps (one chunk's worth).
        if n == len(chunks) - 1 and len(missing) <= CHUNK:
            found = last
        else:
            found = cache.get_many(chunk_keys)
        lost = [row for row, key in zip(chunk_rows, chunk_keys, strict=True)
                if key not in found and key not in rendered]  # fmt: skip
        if lost:
            found.update(_render(format_name, lost, load, render, context))
        for key in chunk_keys:
            piece = found.get(key, rendered.get(key))
            if piece is not None:  # None: the event went away since its row was read
                yield piece


def _render(format_name, rows, load, render, context):
    """Render and cache the pieces of `rows`, a chunk at a time; return them if they
    are one chunk (so a cache that is down still gets them to the document)."""
    keys = {row.pk: piece_key(format_name, row, context) for row in rows}
    batch = {}
    for event in load(list(keys)):
        batch[keys[event.pk]] = render(event)
        if len(batch) == CHUNK and len(rows) > CHUNK:
            cache.set_many(batch, CACHE_SECONDS)
            batch = {}
    cache.set_many(batch, CACHE_SECONDS)
    return batch if len(rows) <= CHUNK else {}
