"""Feed archives (RFC 5005 §4): a timeline's whole history, a page at a time, for a
subscriber who arrives late; the live feed holds only the newest events.

Pages: whenever a scope — a timeline, or the whole site — has `PAGE_SIZE` public
events that are in none of its pages yet, the oldest of them (by first publication)
become its next page, numbered 1, 2, … (`close_pages()`, called by the record of
change after each public change, and by `manage.py make_archives` for data loaded
as it is). A page's members never change, and fewer than `PAGE_SIZE` public events
are ever outside the pages — all of them in the live feed, which lists the newest
`DEFAULT_LIMIT` (50), so following `prev-archive` from it reaches every event.

What a page says never changes either: its entries are written once, the first time
it is asked for (on a host), from the renderings of that moment, and kept
(`ArchivedEntries`). A later correction of a member is repeated in the live feed —
which also lists the events changed since their page closed — and in the changes
feed. Only the links around the entries are written at each request: a page gains
`next-archive` when the next one closes.

Addresses: /timelines/<slug>/archive/<n>.atom (.rss, .json), /archive/<n>.atom for
the site. Tag feeds and changes feeds have no archives.
"""

import dataclasses
from dataclasses import asdict

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Max, OuterRef
from django.urls import reverse
from django.utils import timezone

from . import rendering
from .exports import feed_items
from .models import ArchivedEntries, Event, FeedPage, Timeline

PAGE_SIZE = 50
FORMATS = {"rss": "feed.rss", "atom": "feed.atom", "json": "feed.json"}  # page → live feed


def pages_of(timeline):
    """The pages of a timeline, or with None of the site."""
    return FeedPage.objects.filter(timeline=timeline)


def events_of(timeline):
    events = Event.objects.public()
    return events if timeline is None else events.filter(timeline=timeline)


def close_pages(timeline_pks):
    """Close the pages that are full, of these timelines and of the site; the pks of
    the timelines whose events went into a new page."""
    moved = set()
    for timeline in Timeline.objects.public().filter(pk__in=timeline_pks):
        moved |= _close(timeline)
    if timeline_pks:
        moved |= _close(None)
    return moved


def loose(events, timeline):
    """Of `events`, those in no page of the timeline's (None: the site's) archive."""
    member = FeedPage.events.through.objects.filter(
        event=OuterRef("pk"), feedpage__timeline=timeline
    )
    return events.filter(~Exists(member))


def _close(timeline):
    pages = pages_of(timeline)
    loose_ones = loose(events_of(timeline), timeline).order_by("first_published_at", "uuid")
    moved = set()
    while loose_ones.count() >= PAGE_SIZE:
        # A savepoint: another change closing the same page first (the site's, from
        # another timeline) is no error of this one; the next change finds it closed.
        try:
            with transaction.atomic():
                number = (pages.aggregate(last=Max("number"))["last"] or 0) + 1
                page = FeedPage.objects.create(
                    timeline=timeline, number=number, closed_at=timezone.now()
                )
                members = list(loose_ones.values_list("pk", "timeline_id")[:PAGE_SIZE])
                FeedPage.events.through.objects.bulk_create(
                    [FeedPage.events.through(feedpage=page, event_id=pk) for pk, _ in members]
                )
        except IntegrityError:
            break
        moved |= {timeline_pk for _, timeline_pk in members}
    return moved


def newest_number(timeline):
    return pages_of(timeline).aggregate(last=Max("number"))["last"]


def revised(events, timeline):
    """Of `events`, those changed since the page that holds them closed."""
    return events.filter(feed_pages__timeline=timeline, updated_at__gt=F("feed_pages__closed_at"))


def members(page):
    """The page's events that are public — and, a timeline's page, still in it."""
    events = Event.objects.public().filter(feed_pages=page)
    return events if page.timeline_id is None else events.filter(timeline=page.timeline_id)


def entries(page, base, url):
    """The page's entries as first written for `base` (scheme and host), of the
    members that are still public in its scope (what left it — a timeline made
    private, an event moved away — is no longer shown); `url(path)` makes a path
    absolute on it."""
    shown = {f"urn:uuid:{uuid}" for uuid in members(page).values_list("uuid", flat=True)}
    kept = ArchivedEntries.objects.filter(page=page, base=base).first()
    if kept is None:
        ordered = members(page).order_by("-first_published_at", "-uuid")
        written = [
            asdict(feed_items.entry(shown, url(shown["path"])))
            for shown in rendering.stream(ordered, "parts", "html")
        ]
        try:
            with transaction.atomic():
                kept = ArchivedEntries.objects.create(page=page, base=base, entries=written)
        except IntegrityError:  # written by another request meanwhile: theirs stands
            kept = ArchivedEntries.objects.get(page=page, base=base)
    return [_entry(kept) for kept in kept.entries if kept["id"] in shown]


FIELDS = {field.name for field in dataclasses.fields(feed_items.Entry)}


def _entry(kept):
    """An entry as kept (a dict), whatever fields a later release knows."""
    known = {name: value for name, value in kept.items() if name in FIELDS}
    known["tags"] = tuple(known.get("tags") or ())
    known["point"] = tuple(known["point"]) if known.get("point") else None
    return feed_items.Entry(**known)


def page_path(timeline_slug, number, kind):
    """The address of an archive page (a timeline's, or with no slug the site's)."""
    if timeline_slug is None:
        return reverse("site-archive", args=[number, kind])
    return reverse("timeline-archive", args=[timeline_slug, number, kind])
