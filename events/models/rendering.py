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
    # Sections a format reads only if it shows them (decoding JSON is most of what
    # reading costs): what every format shows, what some show besides, the body
    # with everything else as HTML (feeds) and as plain text (calendars).
    data = models.JSONField()
    parts = models.JSONField()
    html = models.TextField()
    text = models.TextField()

    class Meta:
        default_permissions = ()  # made by the code, never by an editor

    def __str__(self):
        return f"rendering of event {self.event_id}"
