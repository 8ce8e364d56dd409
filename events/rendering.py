"""What readers are shown of an event, made once per revision and kept beside it.

Every output format shows the same things of an event: its title and headline, the
fuzzy date's label and interval, the body as sanitized HTML and as plain text, the
summary, quotes, sources, corrections, tags, people and place, in the language of
its timeline. Making them — Markdown, the sanitizer, a template, the label, loading
six related tables — costs about a millisecond an event; writing the bytes of a feed
item or a VEVENT from them costs some microseconds. So they are made once, when the
event changes (the record of change calls `refresh`, which also makes the search
document), and kept in `EventRendering`; a format reads them with the event's row
(`stream`), in one query for any number of events, and writes its bytes.

The data names what it was made from (`key`): the event's revision and last change,
its timeline's slug, language and time zone, and `RENDERING_VERSION` — the code,
templates, translations, packages and settings the data depends on (and only those,
so an ordinary deploy keeps every rendering). Data whose key no longer matches is
made again before it is used, and kept (one query for a chunk of such events);
`manage.py make_renderings` does it for all, as a step of a release.

URLs are kept as paths: the host is the request's.
"""

import datetime as dt
import html
from itertools import islice
from pathlib import Path

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from . import search
from .dates import Precision
from .exports.printable import plain_lines, printable
from .markup import render_markdown
from .models import Event, EventRendering
from .models.bulk import update_each
from .output_version import digest

BASE = Path(__file__).resolve().parent.parent
# What the data depends on besides the event: add a file here when `make()` starts to
# depend on it (tests/test_rendering.py checks that every module this one imports is
# here). The models count: labels, intervals and links are theirs.
DEPENDS_ON = [
    *(BASE / "events" / name for name in ("rendering.py", "markup.py", "dates.py", "search.py",
                                           "exports/printable.py", "urls.py")),
    *sorted((BASE / "events" / "models").glob("*.py")),
    BASE / "newsroom" / "urls.py",
    BASE / "templates" / "events" / "exports" / "item.html",
]  # fmt: skip
RENDERING_VERSION = digest(
    [*DEPENDS_ON, *sorted(BASE.glob("locale/*/LC_MESSAGES/*.mo"))],
    packages=("Django", "Markdown", "nh3", "tzdata"),
    setting_names=("LANGUAGES", "TIME_ZONE"),
)
CHUNK = 500  # events read, and made again, at a time
QUOTE_MARKS = {"de": ("„", "“"), "en": ("“", "”")}
STREAM_FIELDS = ("pk", "revision", "updated_at", "timeline__slug", "timeline__language",
                 "timeline__time_zone", "rendering__key", "rendering__data")  # fmt: skip
SECTIONS = ("parts", "html", "text")  # kept in columns of their own, read when asked for


def key(revision, updated_at, slug, language, zone):
    return f"{RENDERING_VERSION}|{revision}|{updated_at.isoformat()}|{slug}|{language}|{zone}"


def key_of(event):
    timeline = event.timeline
    return key(event.revision, event.updated_at, timeline.slug, timeline.language,
               timeline.time_zone)  # fmt: skip


# -- reading -------------------------------------------------------------------------


def stream(events, *sections, few=False):
    """The data of each of `events` (an ordered QuerySet), in its order, with the
    `sections` asked for ("parts", "html", "text"): one query, read a chunk at a
    time; what is missing or out of date in a chunk is made and kept first. `few`:
    the events are a few hundred at most, read at once (on PostgreSQL a cursor that
    streams costs three more round trips)."""
    rows = events.values_list(*STREAM_FIELDS, *(f"rendering__{name}" for name in sections))
    for chunk in _chunks(iter(list(rows)) if few else rows.iterator(chunk_size=CHUNK)):
        fresh = _remake_stale(chunk, search_documents=False)
        for row in chunk:
            if row[0] in fresh:
                made = fresh[row[0]]
                yield shown(made.data, {name: getattr(made, name) for name in sections})
            elif row[7] is not None:  # else: the event went away meanwhile
                yield shown(row[7], dict(zip(sections, row[8:], strict=True)))


def _remake_stale(rows, search_documents):
    """Make the renderings of those `rows` (of STREAM_FIELDS) that have none, or one
    made from other data; return them by pk."""
    stale = [row[0] for row in rows if row[6] != key(*row[1:6]) or row[7] is None]
    return refresh(stale, search_documents) if stale else {}


def refresh_stale(events=None):
    """Make the renderings that are missing or out of date, e.g. as a step of a
    deploy that changed RENDERING_VERSION, so no reader waits for them. Returns how
    many were made."""
    events = Event.objects.all() if events is None else events
    rows = events.order_by().values_list(*STREAM_FIELDS)
    return sum(len(_remake_stale(chunk, True)) for chunk in _chunks(rows.iterator(CHUNK)))


def _chunks(rows):
    while chunk := list(islice(rows, CHUNK)):
        yield chunk


def shown(data, sections):
    """One dict of what readers are shown: `data` with the sections read ("parts"
    merged in, the long texts by their names)."""
    data.update(sections.pop("parts", None) or {})
    data.update(sections)
    return data


# -- making --------------------------------------------------------------------------


def refresh(pks, search_documents=True):
    """Make and keep the renderings (and, for a writer, the search documents) of the
    events `pks`; return the renderings by pk. One query for the events with all
    their parts, one or two writes. A reader (`stream`) writes only renderings: its
    copy of an event may be older than an editor's commit, and a rendering says what
    it was made from (its key), a search document does not."""
    made, events = {}, []
    for event in Event.objects.filter(pk__in=pks).with_details().iterator(CHUNK):
        made[event.pk] = EventRendering(event_id=event.pk, key=key_of(event), **make(event))
        event.search_text = search.document(event)
        events.append(event)
    if made:
        with transaction.atomic():
            if search_documents:
                update_each(events, ["search_text"])
            EventRendering.objects.bulk_create(
                made.values(), update_conflicts=True, unique_fields=["event"],
                update_fields=["key", "data", *SECTIONS],
            )  # fmt: skip
    return made


def make(event):
    """The rendering of an event loaded with its parts (`with_details()`) and its
    timeline: {"data": …, "parts": …, "html": …, "text": …}."""
    language = event.timeline.language
    with translation.override(language):
        return _make(event, language)


def _make(event, language):
    fuzzy = event.fuzzy_date
    interval = fuzzy.interval
    place = event.place if event.place_id else None
    label = printable(event.date_label(language))
    body_html = render_markdown(printable(event.body))
    body_text = html.unescape(strip_tags(body_html)).strip()
    tags = [printable(tag.name) for tag in event.tags.all()]
    quotes = [
        {"text": printable(q.text), "speaker": printable(q.speaker.name),
         "role": printable(q.speaker.role), "occasion": printable(q.occasion), "url": q.url}
        for q in event.quotes.all()
    ]  # fmt: skip
    sources = [
        {"title": printable(s.title), "publisher": printable(s.publisher), "url": s.web_url}
        for s in event.sources.all()
    ]
    corrections = [
        {"day": timezone.localdate(c.published_at).isoformat(), "text": printable(c.text)}
        for c in event.corrections.all()
    ]
    data = {  # what every format shows: small, as every event's is decoded
        "uuid": str(event.uuid),
        "slug": event.slug,
        "path": reverse("event", args=[event.timeline.slug, event.slug]),
        "language": language,
        "status": event.status,
        "retracted": event.is_retracted,
        "revision": event.revision,
        "created_at": _utc(event.created_at),
        "first_published_at": _utc(event.first_published_at),
        "updated_at": _utc(event.updated_at),
        "title": printable(event.title),
        "tags": tags,
        "label": label,
        "precision": fuzzy.precision.value,
        "first_day": interval.first_day.isoformat(),
        "last_day": interval.last_day.isoformat(),
        # An exact time: local, in `time_zone`.
        "starts": _local(interval.start),
        "ends": _local(interval.end),
        "time_zone": event.time_zone,
        "place": place and {
            "name": printable(place.name),
            "country": printable(place.country),
            "point": [str(place.latitude), str(place.longitude)] if place.has_coordinates else None,
        },
    }  # fmt: skip
    parts = {  # what some formats show besides
        "summary": printable(event.summary),
        "retraction_reason": printable(event.retraction_reason),
        # The words that mark a retraction, in the timeline's language.
        "retracted_mark": f"[{_('Retracted')}]",
        "retracted_prefix": _("Retracted:"),
        "read_on": _("Read on the timeline"),
        "people": [printable(p.name) for p in event.people.all()],
        "quotes": quotes,
        "sources": sources,
        "approximate": fuzzy.is_approximate,
        "start_date": event.start_date.isoformat(),
        "end_date": _iso(event.end_date),
        "start_time": _iso(event.start_time),
        "end_time": _iso(event.end_time),
    }
    text = description(event, label, fuzzy, body_text, quotes, sources, corrections)
    return {"data": data, "parts": parts, "html": content_html(event, body_html),
            "text": plain_lines(text)}  # fmt: skip


def content_html(event, body_html):
    """The body with quotes, sources, corrections and any retraction, as HTML; the
    link to the event follows it in the feeds."""
    page = render_to_string("events/exports/item.html", {"event": event, "body": body_html})
    return printable(page.strip())


def description(event, label, fuzzy, body_text, quotes, sources, corrections):
    """Everything as plain text: retraction, date (marked when approximate), summary,
    body, quotes, sources, corrections."""
    parts = []
    if event.is_retracted:
        parts.append(f"{_('Retracted:')} {event.retraction_reason}")
    if fuzzy.precision != Precision.TIME and fuzzy.is_approximate:
        label += f" ({_('approximate date')})"
    parts.append(label)
    parts += [text for text in (event.summary, body_text) if text]
    opening, closing = QUOTE_MARKS.get(event.timeline.language, QUOTE_MARKS["en"])
    for quote in quotes:
        speaker = ", ".join(filter(None, [quote["speaker"], quote["role"]]))
        occasion = f" ({quote['occasion']})" if quote["occasion"] else ""
        source = f"\n{quote['url']}" if quote["url"] else ""
        parts.append(f"{opening}{quote['text']}{closing} — {speaker}{occasion}{source}")
    lines = [
        ", ".join(filter(None, [s["title"], s["publisher"]]))
        + (f": {s['url']}" if s["url"] else "")
        for s in sources
    ]
    if lines:
        parts.append(_("Sources") + ":\n" + "\n".join(lines))
    for correction in corrections:
        parts.append(f"{_('Correction')} ({correction['day']}): {correction['text']}")
    return "\n\n".join(parts)


def _iso(value):
    return value.isoformat() if value is not None else None


def _utc(moment):
    """A moment as ISO 8601 in UTC (…+00:00): formats that want UTC cut it as text."""
    return moment.astimezone(dt.UTC).isoformat() if moment is not None else None


def _local(moment):
    return moment.replace(tzinfo=None).isoformat() if moment is not None else None
