"""Tells the record of change (`events.changes`) about every row about to be written.

Each save and delete of an event, a quote, source or correction, a timeline, a place,
person or tag — from a form, a history restore, a cascade or a bulk delete — and each
change of an event's tags or people is noted, *before* it happens, in the record of
the change in progress; the record decides what that changes. A write outside any
record (a shell, a script) is a change of its own, applied right after the write:
the safety net, so no path is left without a bump.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from .changes import ChangeRecord, open_record
from .models import (
    Correction,
    Event,
    Person,
    Place,
    Quote,
    Source,
    Tag,
    Timeline,
    is_loading_data,
)  # fmt: skip

PARTS = (Quote, Source, Correction)
CATALOG = (Place, Person, Tag)
WATCHED = (Event, Timeline, *PARTS, *CATALOG)
OWN_RECORD = "_own_change_record"  # where a write outside any record keeps its own


def note(instance, tell):
    """Tell the open record (or one of the write's own) what is about to change."""
    if is_loading_data():
        return
    record = open_record()
    if record is None:
        record = instance.__dict__.setdefault(OWN_RECORD, ChangeRecord())
    tell(record)


def apply_own(instance):
    record = instance.__dict__.pop(OWN_RECORD, None)
    if record is not None:
        record.apply()


@receiver(pre_save)
@receiver(pre_delete)
def row_changing(sender, instance, raw=False, **kwargs):
    if sender not in WATCHED:
        return
    if sender is Event and raw:
        instance.keep_lifecycle()  # a restore brings back content, not the life stage
    if sender is Event:
        note(instance, lambda record: record.event(instance))
    elif sender is Timeline:
        note(instance, lambda record: record.timeline(instance))
    elif sender in PARTS:
        note(instance, lambda record: record.parts(instance.event_id))
    else:
        note(instance, lambda record: record.catalog_entry(instance))


@receiver(post_save)
@receiver(post_delete)
def row_changed(sender, instance, created=False, **kwargs):
    if sender not in WATCHED:
        return
    if sender is Event and created:
        note(instance, lambda record: record.event(instance, created=True))
    if sender is Correction and created:
        note(instance, lambda record: record.corrected(instance.event_id, instance.pk))
    apply_own(instance)


@receiver(m2m_changed, sender=Event.tags.through)
@receiver(m2m_changed, sender=Event.people.through)
def membership_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action.startswith("post_"):
        apply_own(instance)
        return
    if action != "pre_clear" and not pk_set:
        return  # nothing is added or removed
    if not reverse:
        events = [instance.pk]
    elif action == "pre_clear":
        events = list(instance.events.values_list("pk", flat=True))
    else:
        events = list(pk_set)
    leaving = tags_leaving(sender, instance, action, reverse, pk_set)
    note(instance, lambda record: record.parts(*events, substantial=False))
    note(instance, lambda record: record.tags_leaving(*leaving))


def tags_leaving(sender, instance, action, reverse, pk_set):
    """The slugs of the tags events are about to lose: their tag feeds change too."""
    if sender is not Event.tags.through or action not in {"pre_remove", "pre_clear"}:
        return []
    if reverse:  # tag.events.remove(…) or .clear()
        return [instance.slug]
    tags = instance.tags.all() if action == "pre_clear" else Tag.objects.filter(pk__in=pk_set)
    return list(tags.values_list("slug", flat=True))
