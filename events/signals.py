"""What follows from a change, wired in one place.

A change to an event's parts (quotes, sources, corrections), to its tags or people, or
to a shared place, person or tag is a change of the events concerned: new revision,
fresh search document, new timeline version (`events.changes`). Restores save raw rows
and are handled here too.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from . import changes
from .models import (
    Correction,
    Event,
    Person,
    Place,
    Quote,
    Source,
    Status,
    Tag,
    Timeline,
    is_loading_data,
)  # fmt: skip


@receiver(post_save, sender=Quote)
@receiver(post_save, sender=Source)
@receiver(post_save, sender=Correction)
@receiver(post_delete, sender=Quote)
@receiver(post_delete, sender=Source)
@receiver(post_delete, sender=Correction)
def part_changed(sender, instance, **kwargs):
    changes.events_changed(Event.objects.filter(pk=instance.event_id))


@receiver(m2m_changed, sender=Event.tags.through)
@receiver(m2m_changed, sender=Event.people.through)
def membership_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:
        if (action in {"post_add", "post_remove"} and pk_set) or action == "post_clear":
            changes.events_changed(Event.objects.filter(pk=instance.pk))
        return
    # Changed from the tag's or person's side: every event concerned changed.
    if action in {"post_add", "post_remove"}:
        changes.events_changed(Event.objects.filter(pk__in=pk_set))
    elif action == "pre_clear":
        changes.events_changed(instance.events.all())


@receiver(post_save, sender=Place)
@receiver(post_save, sender=Person)
@receiver(post_save, sender=Tag)
def catalog_changed(sender, instance, created, **kwargs):
    if not created:
        changes.events_changed(instance.events.all())


@receiver(post_save, sender=Event)
@receiver(post_delete, sender=Event)
def event_changed(sender, instance, **kwargs):
    if instance.status != Status.DRAFT:
        changes.timelines_changed(instance.timeline_id)


@receiver(post_save, sender=Timeline)
def timeline_changed(sender, instance, created, **kwargs):
    if not created:
        changes.timelines_changed(instance.pk)


@receiver(pre_save, sender=Event)
def keep_lifecycle_on_restore(sender, instance, raw, **kwargs):
    """Restoring an old version (django-reversion) or loading a fixture saves raw data.

    A restore brings back what an event *said*, never where it stands in its life:
    the status, UUID and first publication stay as they are now, and the revision
    moves forward (calendar apps ignore an update whose SEQUENCE goes down).
    """
    if not raw:
        return
    instance.set_interval()
    if is_loading_data():
        return
    current = (
        Event.objects.filter(pk=instance.pk)
        .values(
            "revision", "status", "retraction_reason", "uuid", "first_published_at", "created_at"
        )
        .first()
    )
    if current is None:
        return
    for field in ("status", "retraction_reason", "uuid", "first_published_at", "created_at"):
        setattr(instance, field, current[field])
    instance.revision = current["revision"] + (current["status"] != Status.DRAFT)
    instance.updated_at = timezone.now()
