"""Which public changes a record of change made, as rows for the changes feeds.

The record of change (`events.changes`) hands over, for each event it bumped, what
the event's row was before and is now, whether its quotes or sources changed, and
the corrections added; `note()` writes one `PublicChange` for each event that is
public afterwards and changed in a way a reader would want to hear of — the first
that applies of:

- published: it was not public before (a draft published, on time or by hand);
- retracted: it was published and is retracted now (the text: the reason);
- corrected: a correction was added (the text: the correction);
- re-dated: its date changed (the text: the date it had);
- edited: its title, summary, body, place, quotes or sources changed, the reason of
  its retraction was rewritten, or a retraction was undone.

A change of tags or people only, or of the name of a place or person it shows, is
no news of the event and is not listed (the live feeds show it).
"""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .exports.printable import plain_lines, printable
from .models import (
    PUBLIC_STATUSES,
    ChangeKind,
    Correction,
    Event,
    PublicChange,
    Status,
    Timeline,
)
from .models.event import DATE_FIELDS

# A retracted event's reason rewritten, or the retraction undone, is news too.
EDITED_FIELDS = ("title", "summary", "body", "place_id", "status", "retraction_reason")


def kind_of(before, now, substantial, corrected, was_public):
    """The kind of public change from an event's row before and now (None: none);
    `was_public`: whether it was public before (its timeline too)."""
    if now is None or now["status"] not in PUBLIC_STATUSES:
        return None
    if not was_public:  # a draft published, or moved out of a private timeline
        return ChangeKind.PUBLISHED
    if before["status"] == Status.PUBLISHED and now["status"] == Status.RETRACTED:
        return ChangeKind.RETRACTED
    if corrected:
        return ChangeKind.CORRECTED
    if any(before[field] != now[field] for field in DATE_FIELDS):
        return ChangeKind.REDATED
    if substantial or any(before[field] != now[field] for field in EDITED_FIELDS):
        return ChangeKind.EDITED
    return None


def note(befores, afters, substantial, corrections, moment):
    """Write the public changes of one record; `befores`/`afters`: pk -> row state
    (None: no row), `substantial`: pks whose quotes or sources changed,
    `corrections`: pk -> pks of corrections added."""
    timelines = {before["timeline_id"] for before in befores.values() if before}
    public = set(Timeline.objects.public().filter(pk__in=timelines).values_list("pk", flat=True))

    def was_public(before):
        return (
            bool(before)
            and before["status"] in PUBLIC_STATUSES
            and before["timeline_id"] in public
        )

    kinds = {}
    for pk, before in befores.items():
        facts = (pk in substantial, corrections.get(pk), was_public(before))
        if kind := kind_of(before, afters.get(pk), *facts):
            kinds[pk] = kind
    if not kinds:
        return
    # Public now, in a public timeline: what happens in a private one is no news to
    # anyone (making a timeline public is one change of the timeline, not its events').
    events = Event.objects.public().filter(pk__in=kinds).select_related("timeline", "place")
    added = {}
    for correction in Correction.objects.filter(
        pk__in=[pk for pks in corrections.values() for pk in pks]
    ):
        added.setdefault(correction.event_id, []).append(plain_lines(correction.text))
    rows = []
    for event in events:
        kind = kinds[event.pk]
        with translation.override(event.timeline.language):
            rows.append(
                PublicChange(
                    event=event,
                    timeline=event.timeline,
                    kind=kind,
                    happened_at=moment,
                    revision=event.revision,
                    title=f"{WORDS[kind]}: {printable(event.date_label())}: "
                    f"{printable(event.title)}",
                    text=_text(kind, event, befores[event.pk], added.get(event.pk, [])),
                )
            )
    PublicChange.objects.bulk_create(rows)


WORDS = {  # the first word of an entry's title
    ChangeKind.PUBLISHED: gettext_lazy("New"),
    ChangeKind.CORRECTED: gettext_lazy("Correction"),
    ChangeKind.RETRACTED: gettext_lazy("Retracted"),
    ChangeKind.REDATED: gettext_lazy("New date"),
    ChangeKind.EDITED: gettext_lazy("Updated"),
}


def _text(kind, event, before, corrections):
    if kind == ChangeKind.PUBLISHED:
        return plain_lines(event.summary)
    if kind == ChangeKind.RETRACTED:
        retracted = _("Retracted:")
        return f"{retracted} {plain_lines(event.retraction_reason)}"
    if kind == ChangeKind.CORRECTED:
        correction = _("Correction")
        return "\n\n".join(f"{correction}: {text}" for text in corrections)
    if kind == ChangeKind.REDATED:
        then = Event(timeline=event.timeline, **{f: before[f] for f in DATE_FIELDS})
        then.place_id = None
        return _("Previously dated: %(label)s") % {"label": printable(then.date_label())}
    return plain_lines(event.summary)
