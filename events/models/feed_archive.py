"""Archive pages of the feeds (RFC 5005 §4), kept by `events.archives`."""

from django.db import models

from .event import Event
from .timeline import Timeline


class FeedPage(models.Model):
    """A page of a feed's archive: a timeline's (or, without one, the site's) events,
    the oldest by first publication that were in no page yet when it closed. Its
    members never change."""

    timeline = models.ForeignKey(Timeline, models.CASCADE, null=True, related_name="feed_pages")
    number = models.PositiveIntegerField()  # 1, 2, … in the order pages close
    closed_at = models.DateTimeField()
    events = models.ManyToManyField(Event, related_name="feed_pages")

    class Meta:
        default_permissions = ()  # made by the code, never by an editor
        constraints = [
            models.UniqueConstraint(fields=["timeline", "number"], name="feed_page_number"),
            models.UniqueConstraint(
                fields=["number"], condition=models.Q(timeline=None), name="site_feed_page_number"
            ),
        ]

    def __str__(self):
        return f"feed page {self.number} of {self.timeline or 'the site'}"


class ArchivedEntries(models.Model):
    """A page's feed entries (`exports.feed_items.Entry`, as dicts) as they were first
    written for one scheme and host: what the page says ever after."""

    page = models.ForeignKey(FeedPage, models.CASCADE, related_name="entries")
    base = models.CharField(max_length=300)  # "https://news.example.org"
    entries = models.JSONField()

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["page", "base"], name="archived_entries_once")
        ]

    def __str__(self):
        return f"entries of {self.page} for {self.base}"
