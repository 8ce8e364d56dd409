"""What subscribers are told changed: one row per public change of an event.

Written by the record of change (`events.changes`, through `events.public_changes`)
in the change's transaction, never edited afterwards: the changes feeds
(`/timelines/<slug>/changes.atom` …) list them, each with an id of its own, so a feed
reader shows a correction or a retraction as a new, unread item. The words are kept
as they were said then, in the timeline's language.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from .event import Event
from .timeline import Timeline


class ChangeKind(models.TextChoices):
    PUBLISHED = "published", _("published")
    CORRECTED = "corrected", _("corrected")
    RETRACTED = "retracted", _("retracted")
    REDATED = "redated", _("re-dated")
    EDITED = "edited", _("edited")


class PublicChange(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, models.CASCADE, related_name="public_changes")
    timeline = models.ForeignKey(Timeline, models.CASCADE, related_name="public_changes")
    kind = models.CharField(max_length=12, choices=ChangeKind.choices)
    happened_at = models.DateTimeField()
    revision = models.PositiveIntegerField()  # the event's revision after the change
    title = models.TextField()  # the entry's title: "Korrektur: 23. Oktober 2024: …"
    text = models.TextField(blank=True)  # what changed: the correction, the reason, …

    class Meta:
        verbose_name = _("public change")
        verbose_name_plural = _("public changes")
        # The feeds read the newest changes of the public events (a timeline's: of
        # the events now in it, wherever they were when they changed).
        indexes = [models.Index(fields=["-happened_at"], name="change_newest_first")]

    def __str__(self):
        return self.title
