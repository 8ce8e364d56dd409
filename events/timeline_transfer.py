"""Moving a timeline between installations without losing anything.

`export_document(timeline)` gives one JSON-ready document with the timeline, all its
events (drafts too), their places, people, tags, quotes, sources and corrections, UUIDs,
revisions and times; `import_document(document)` recreates it exactly, or refuses
with a clear message and changes nothing. Export → import → export gives the same
document, and both installations render the same feeds and calendars.
"""

import datetime as dt
import json
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from . import archives, rendering
from .models import Correction, Event, Person, Place, Quote, Source, Tag, Timeline, loading_data

FORMAT = "newsroom-timeline"
VERSION = 1

TIMELINE_FIELDS = ["uuid", "slug", "title", "description", "language", "time_zone", "is_public",
                   "created_at", "changed_at", "version"]  # fmt: skip
PLACE_FIELDS = ["slug", "name", "country", "latitude", "longitude", "time_zone"]
PERSON_FIELDS = ["slug", "name", "role", "organisation"]
TAG_FIELDS = ["slug", "name"]
EVENT_FIELDS = ["uuid", "slug", "title", "summary", "body", "start_date", "end_date", "precision",
                "start_time", "end_time", "time_zone", "status", "retraction_reason", "revision",
                "first_published_at", "created_at", "updated_at", "external_uid",
                "publish_at"]  # fmt: skip
QUOTE_FIELDS = ["text", "language", "position", "occasion", "url"]
# Fields that came after the first documents were written: older documents lack them,
# and read as having their defaults.
LATER = {"publish_at": None, "occasion": "", "url": "", "time_zone": ""}
SOURCE_FIELDS = ["url", "title", "publisher", "accessed_on", "position"]
CORRECTION_FIELDS = ["published_at", "text"]


class TransferError(Exception):
    """The document cannot be imported; the message says where and why."""


def _plain(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, UUID):
        return str(value)
    return value


def _record(obj, fields):
    return {name: _plain(getattr(obj, name)) for name in fields}


def export_document(timeline):
    events = list(Event.objects.for_timeline(timeline).chronological().with_details())
    places = {e.place for e in events if e.place_id}
    people = {p for e in events for p in e.people.all()}
    people |= {q.speaker for e in events for q in e.quotes.all()}
    tags = {t for e in events for t in e.tags.all()}
    return {
        "format": FORMAT,
        "version": VERSION,
        "timeline": _record(timeline, TIMELINE_FIELDS),
        "places": [_record(p, PLACE_FIELDS) for p in sorted(places, key=lambda p: p.slug)],
        "people": [_record(p, PERSON_FIELDS) for p in sorted(people, key=lambda p: p.slug)],
        "tags": [_record(t, TAG_FIELDS) for t in sorted(tags, key=lambda t: t.slug)],
        "events": [_event_record(e) for e in events],
    }


def _event_record(event):
    record = _record(event, EVENT_FIELDS)
    record["place"] = event.place.slug if event.place_id else None
    record["people"] = sorted(p.slug for p in event.people.all())
    record["tags"] = sorted(t.slug for t in event.tags.all())
    record["quotes"] = [
        {"speaker": q.speaker.slug, **_record(q, QUOTE_FIELDS)} for q in event.quotes.all()
    ]
    record["sources"] = [_record(s, SOURCE_FIELDS) for s in event.sources.all()]
    record["corrections"] = [_record(c, CORRECTION_FIELDS) for c in event.corrections.all()]
    return record


# -- import ---------------------------------------------------------------------------


def _fields(record, names, where, later=()):
    """The values of `names` in `record`; those in `later` may be missing (LATER)."""
    if not isinstance(record, dict):
        raise TransferError(f"{where}: expected an object")
    missing = [name for name in names if name not in record and name not in later]
    if missing:
        raise TransferError(f"{where}: missing {', '.join(missing)}")
    return {name: record.get(name, LATER.get(name)) for name in names}


def _list(document, key, where="document"):
    value = document.get(key)
    if not isinstance(value, list):
        raise TransferError(f"{where}: '{key}' must be a list")
    return value


def _valid(obj, where, exclude=()):
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as error:
        problems = "; ".join(
            f"{k}: {' '.join(map(str, v))}" for k, v in error.message_dict.items()
        )
        raise TransferError(f"{where}: {problems}") from error
    return obj


def read_document(stream):
    """The JSON document in a file opened as text."""
    try:
        return json.load(stream)
    except RecursionError as error:  # "[[[[…", deeper than Python's stack
        raise TransferError("the document is nested too deeply") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise TransferError(f"not valid JSON: {error}") from error


def import_document(document):
    """Create the timeline of `document`; all or nothing."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise TransferError(f"not a {FORMAT} document")
    if document.get("version") != VERSION:
        raise TransferError(
            f"unsupported version {document.get('version')!r} (expected {VERSION})"
        )
    try:
        with transaction.atomic():
            with loading_data():
                timeline = _import(document)
            archives.close_pages([timeline.pk])  # its feed's archive, and the site's
            return timeline
    except (TypeError, ValueError, KeyError, OverflowError, ValidationError) as error:
        raise TransferError(f"malformed document: {error}") from error
    except DatabaseError as error:  # a value our checks let through, refused by the database
        raise TransferError(f"the database refused the document: {error}") from error


def _import(document):
    data = _fields(document.get("timeline"), TIMELINE_FIELDS, "timeline")
    timeline = _valid(Timeline(**data), "timeline")  # version and times too: before any query
    if Timeline.objects.filter(slug=timeline.slug).exists():
        raise TransferError(f"timeline: a timeline with the slug '{timeline.slug}' exists already")
    if Timeline.objects.filter(uuid=timeline.uuid).exists():
        raise TransferError(f"timeline: a timeline with the UUID {timeline.uuid} exists already")
    version, changed_at = timeline.version, timeline.changed_at
    timeline.save()

    places = _catalog(document, "places", Place, PLACE_FIELDS)
    people = _catalog(document, "people", Person, PERSON_FIELDS)
    tags = _catalog(document, "tags", Tag, TAG_FIELDS)

    created = []
    for n, record in enumerate(_list(document, "events")):
        where = f"events[{n}]"
        fields = _fields(record, EVENT_FIELDS, where, later=["publish_at"])
        event = Event(timeline=timeline, place=_pick(places, record.get("place"), where), **fields)
        _valid(event, where, exclude=["starts_on", "ends_on"])
        if Event.objects.filter(uuid=event.uuid).exists():
            raise TransferError(f"{where}: an event with the UUID {event.uuid} exists already")
        event.save()
        event.people.set([_pick(people, slug, where) for slug in record.get("people", [])])
        event.tags.set([_pick(tags, slug, where) for slug in record.get("tags", [])])
        for kind, model, names in (
            ("quotes", Quote, QUOTE_FIELDS),
            ("sources", Source, SOURCE_FIELDS),
            ("corrections", Correction, CORRECTION_FIELDS),
        ):
            for m, part in enumerate(_list(record, kind, where)):
                part_where = f"{where}.{kind}[{m}]"
                values = _fields(part, names, part_where,
                                 later=["occasion", "url"] if kind == "quotes" else ())  # fmt: skip
                if kind == "quotes":
                    values["speaker"] = _pick(people, part.get("speaker"), part_where)
                _valid(model(event=event, **values), part_where, exclude=["event"]).save()
        created.append(event.pk)
    rendering.refresh(created)  # what readers are shown, and the search documents
    # Last: what the timeline's exports are keyed on, exactly as exported.
    Timeline.objects.filter(pk=timeline.pk).update(version=version, changed_at=changed_at)
    timeline.refresh_from_db()
    return timeline


def _catalog(document, key, model, names):
    """Places, people or tags by slug: the existing ones are kept as they are."""
    found = {}
    for n, record in enumerate(_list(document, key)):
        values = _fields(record, names, f"{key}[{n}]")
        existing = model.objects.filter(slug=values["slug"]).first()
        found[values["slug"]] = existing or _save(_valid(model(**values), f"{key}[{n}]"))
    return found


def _save(obj):
    obj.save()
    return obj


def _pick(found, slug, where):
    if slug is None:
        return None
    if slug not in found:
        raise TransferError(
            f"{where}: '{slug}' is not among the document's places, people or tags"
        )
    return found[slug]
