"""The one record of change: every write of content goes through `record_change()`.

    with record_change():
        event.save()
        quote.delete()
        event.tags.set(tags)

Every write path opens one: the admin's views (forms with their inlines, actions,
deletes, history restore), the API's writes, publishing and retracting, the
calendar import and the management commands. A record is told, just before each
write, which row is about to change (`events.signals` tells it, for every save and
delete, cascades and tag or people lists included; a bulk write, which sends no
signals, tells it itself: `events_in_bulk`); it then reads what that row
*was*: an event's timeline, status and fields, a timeline's fields, a place's, person's
or tag's fields and the events that show them (for a person: also the events quoting
them). When the outermost record closes, still inside its transaction, it compares
with what the rows are *now* and bumps exactly what changed, once:

- an event whose fields, quotes, sources, corrections, tags or people changed, or
  whose place, a person or tag it shows, or a speaker it quotes was renamed or
  deleted: revision + 1 (drafts and a first publication keep revision 1),
  `updated_at`, search document, what readers are shown of it (`events.rendering`).
  One save with any number of inlines is one revision.
- a timeline whose public content changed: for each such event, the timeline it
  was public in *before* and the one it is public in *after* (a move bumps both);
  a timeline whose own fields changed. `version` + 1 and `changed_at`.

What each output depends on, and so what a change must reach:

| output | shows | fresh because of |
|---|---|---|
| a timeline's six exports, its page, its search | the timeline's fields; its public events with their parts, place, people, tags, speakers | the timeline's `version` (`events.http.timeline_freshness`) |
| the site-wide exports and sitemap | every public timeline | the versions of all public timelines (`events.http.site_freshness`) |
| what readers are shown of one event, which every format writes from | that event as above; its timeline's slug, language and time zone | the event's revision and `updated_at`, the timeline's slug, language and zone (`events.rendering`), made by `apply()` |
| the event page, the API, the sitemap | the rows themselves | read at every request |
| all of them | code, rendering packages, settings | `events.output_version` |

Data loaded as it is (the seed, `import_timeline`) is stored as given: records do
nothing while `loading_data()` is on; a new public timeline is a new row in the
site's freshness by itself.
"""

import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Greatest, Least, TruncSecond
from django.utils import timezone

from . import archives, public_changes, rendering, websub
from .models import PUBLIC_STATUSES, Event, Person, Place, Status, Tag, Timeline, is_loading_data
from .models.event import TRACKED_FIELDS

EVENT_STATE = TRACKED_FIELDS  # the timeline, status, fields and place of an event
TIMELINE_STATE = ("slug", "title", "description", "language", "time_zone", "is_public")
CATALOG_STATE = {
    Place: ("slug", "name", "country", "latitude", "longitude"),
    Person: ("slug", "name", "role", "organisation"),
    Tag: ("slug", "name"),
}

_open = ContextVar("open_change_records", default=())


def events_concerned(entry):
    """The events that show a place, person or tag (a person: also as a speaker)."""
    if isinstance(entry, Person):
        return Event.objects.filter(Q(people=entry) | Q(quotes__speaker=entry)).distinct()
    return entry.events.all()


class ChangeRecord:
    """What one write path is changing: the rows as they were, compared on `apply()`."""

    def __init__(self):
        self.events = {}  # pk -> state before (None: created by this change)
        self.touched = set()  # events whose parts, tags or people changed
        self.timelines = {}  # pk -> state before
        self.catalog = {}  # (model, pk) -> (state before, pks of the events concerned)
        self.instances = []  # events in memory, told their new revision afterwards
        self.substantial = set()  # events whose quotes, sources or corrections changed
        self.corrections = {}  # event pk -> pks of corrections added
        self.tag_slugs = set()  # tags events are leaving (their feeds change too)

    def __bool__(self):
        return bool(self.events or self.touched or self.timelines or self.catalog)

    # -- told before each write ------------------------------------------------------

    def event(self, event, created=False):
        """An event's own row is about to be written or deleted (or was just created)."""
        if event.pk is None:
            return
        if created:
            self.events.setdefault(event.pk, None)
        elif event.pk not in self.events:
            self.events[event.pk] = _state(Event, event.pk, EVENT_STATE)
        if isinstance(event, Event):
            self.instances.append(event)

    def events_in_bulk(self, pks, created=False):
        """Events about to be updated at once (their rows are read here, in one query),
        or just created at once (`bulk_create`). Bulk writes send no signals, so their
        caller tells the record itself."""
        pks = [pk for pk in pks if pk not in self.events]
        if created:
            self.events.update(dict.fromkeys(pks))
            return
        for row in Event.objects.filter(pk__in=pks).values("pk", *EVENT_STATE):
            self.events[row.pop("pk")] = row

    def parts(self, *event_pks, substantial=True):
        """A quote, source or correction of these events — or, not `substantial`,
        their tags or people — are about to change (their own rows are read once, at
        the end)."""
        self.touched.update(event_pks)
        if substantial:
            self.substantial.update(event_pks)

    def corrected(self, event_pk, correction_pk):
        """A correction of this event was just added."""
        self.corrections.setdefault(event_pk, []).append(correction_pk)

    def tags_leaving(self, *slugs):
        """Events are about to lose these tags (removed, renamed or deleted)."""
        self.tag_slugs.update(slugs)

    def timeline(self, timeline):
        if timeline.pk is not None and timeline.pk not in self.timelines:
            self.timelines[timeline.pk] = _state(Timeline, timeline.pk, TIMELINE_STATE)

    def catalog_entry(self, entry):
        """A place, person or tag is about to be renamed, changed or deleted."""
        key = (type(entry), entry.pk)
        if entry.pk is not None and key not in self.catalog:
            before = _state(type(entry), entry.pk, CATALOG_STATE[type(entry)])
            self.catalog[key] = (before, set(events_concerned(entry).values_list("pk", flat=True)))
            if isinstance(entry, Tag) and before:
                self.tags_leaving(before["slug"])

    # -- compared and bumped once, at the end -------------------------------------

    def apply(self):
        if not self or is_loading_data():
            return
        for (model, pk), (before, concerned) in self.catalog.items():
            if _state(model, pk, CATALOG_STATE[model]) != before:
                self.parts(*concerned, substantial=False)
        after = {
            row.pop("pk"): row
            for row in Event.objects.filter(pk__in=self.events.keys() | self.touched).values(
                "pk", *EVENT_STATE
            )
        }
        for pk in self.touched - self.events.keys():  # their own rows were not written
            self.events[pk] = after.get(pk)
        revised, stamped, timelines = set(), set(), set()
        for pk, before in self.events.items():
            now = after.get(pk)
            if before == now and pk not in self.touched:
                continue
            for state in (before, now):
                if state and state["status"] in PUBLIC_STATUSES:
                    timelines.add(state["timeline_id"])
            if now is not None:
                stamped.add(pk)
                if before is not None and before["status"] != Status.DRAFT:
                    revised.add(pk)
        for pk, before in self.timelines.items():
            if _state(Timeline, pk, TIMELINE_STATE) != before:
                timelines.add(pk)
        moment = timezone.now()
        if stamped:
            Event.objects.filter(pk__in=revised).update(
                revision=F("revision") + 1, updated_at=moment
            )
            Event.objects.filter(pk__in=stamped - revised).update(updated_at=moment)
            rendering.refresh(stamped)  # and the search documents
            self._tell_instances(stamped)
        if timelines:
            bump_versions(timelines, moment)
            public_changes.note(self.events, after, self.substantial, self.corrections, moment)
            archives.close_pages(timelines)
            websub.announce(timelines, self.timelines, stamped, self.tag_slugs)

    def _tell_instances(self, stamped):
        """Events in memory learn their new revision, so saving one again builds on it."""
        known = [e.pk for e in self.instances if e.pk in stamped]
        current = Event.objects.only("revision", "updated_at", "search_text").in_bulk(known)
        for event in self.instances:
            if event.pk in current:
                fresh = current[event.pk]
                event.revision, event.updated_at = fresh.revision, fresh.updated_at
                event.search_text = fresh.search_text


AHEAD = dt.timedelta(seconds=5)  # how far a change time may run ahead of the clock


def bump_versions(timelines, moment):
    """A new version of each timeline, its change time at least a whole second past
    the previous one: `Last-Modified` counts whole seconds, and a client (newsboat)
    keeps what it has unless it is later — two changes within a second must not look
    like one. In one UPDATE, under the rows' locks, so concurrent changes queue; a
    burst of changes may run the time ahead of the clock, never more than `AHEAD`."""
    next_second = ExpressionWrapper(
        TruncSecond("changed_at", tzinfo=dt.UTC) + dt.timedelta(seconds=1),
        output_field=DateTimeField(),
    )
    Timeline.objects.filter(pk__in=timelines).update(
        version=F("version") + 1,
        changed_at=Least(Greatest(Value(moment), next_second), Value(moment + AHEAD)),
    )


def _state(model, pk, fields):
    return model.objects.filter(pk=pk).values(*fields).first()


@contextmanager
def record_change():
    """One change of content, in one transaction; records opened inside it join it."""
    stack = _open.get()
    if stack:
        with transaction.atomic():
            yield stack[-1]
        return
    record = ChangeRecord()
    token = _open.set((record,))
    try:
        with transaction.atomic():
            yield record
            record.apply()
    finally:
        _open.reset(token)


def open_record():
    """The record of the change in progress, or None."""
    stack = _open.get()
    return stack[-1] if stack else None
