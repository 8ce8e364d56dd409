"""Changes to an event that do not pass through Event.save().

Tags and people are many-to-many, and restores save raw rows: both are reported to
the event here."""

from django.db.models.signals import m2m_changed, pre_save
from django.dispatch import receiver
from django.utils import timezone

from .models import Event, Status, is_loading_data


@receiver(m2m_changed, sender=Event.tags.through)
@receiver(m2m_changed, sender=Event.people.through)
def record_membership_change(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:
        if (action in {"post_add", "post_remove"} and pk_set) or action == "post_clear":
            instance.record_change()
        return
    # Changed from the tag's or person's side: every event concerned changed.
    if action in {"post_add", "post_remove"}:
        events = Event.objects.filter(pk__in=pk_set)
    elif action == "pre_clear":
        events = instance.events.all()
    else:
        return
    for event in events:
        event.record_change()


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
