from django.db import models

from .event import Event


class EventRendering(models.Model):
    """What readers are shown of one event, as every output format needs it, kept
    beside the event so that rendering a document costs no Markdown, no template and
    no joins per event (`events.rendering` makes and reads it)."""

    event = models.OneToOneField(Event, models.CASCADE, primary_key=True, related_name="rendering")
    # What the data was made from (`events.rendering.key`): if it no longer matches
    # the event, the data is made again before it is used.
    key = models.TextField()
    data = models.JSONField()
    # The two long texts, outside `data`, so that a format reads only the one it
    # shows (decoding JSON is what reading costs): the body with everything else as
    # HTML (feeds), and as plain text (calendars).
    html = models.TextField()
    text = models.TextField()

    class Meta:
        default_permissions = ()  # made by the code, never by an editor

    def __str__(self):
        return f"rendering of event {self.event_id}"
