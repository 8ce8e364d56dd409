"""The baselines: the same feed and calendar the way a Django developer would usually
write them, with Django's syndication framework and django-ical, no caching, and
fetching what the items show up front (a handful of queries, not a few per item).
Bench-only code; the app never imports it."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django_ical.views import ICalFeed

from events.models import Event, Timeline


def shown(events):
    """What an item shows: its place and timeline (date label, link), quotes with
    their speakers, tags."""
    return events.select_related("place", "timeline").prefetch_related("quotes__speaker", "tags")


class TimelineRss(Feed):
    def get_object(self, request, slug):
        return get_object_or_404(Timeline, slug=slug, is_public=True)

    def title(self, timeline):
        return timeline.title

    def link(self, timeline):
        return timeline.get_absolute_url()

    def description(self, timeline):
        return timeline.description

    def items(self, timeline):
        events = Event.objects.public().filter(timeline=timeline)
        return shown(events).order_by("-first_published_at")[:50]

    def item_title(self, event):
        return f"{event.date_label('de')}: {event.title}"

    def item_description(self, event):
        quotes = "".join(
            f"<blockquote>{q.text} — {q.speaker.name}</blockquote>" for q in event.quotes.all()
        )
        return f"<p>{event.summary}</p>{event.body}{quotes}"

    def item_guid(self, event):
        return f"urn:uuid:{event.uuid}"

    item_guid_is_permalink = False

    def item_pubdate(self, event):
        return event.first_published_at

    def item_updateddate(self, event):
        return event.updated_at

    def item_categories(self, event):
        return [tag.name for tag in event.tags.all()]


class TimelineAtom(TimelineRss):
    feed_type = Atom1Feed
    subtitle = TimelineRss.description


class TimelineCalendar(ICalFeed):
    product_id = "-//bench//baseline//DE"
    timezone = "Europe/Berlin"

    def get_object(self, request, slug):
        return get_object_or_404(Timeline, slug=slug, is_public=True)

    def items(self, timeline):
        return shown(Event.objects.public().filter(timeline=timeline)).order_by("starts_on")

    def item_guid(self, event):
        return str(event.uuid)

    def item_title(self, event):
        return event.title

    def item_description(self, event):
        quotes = "\n".join(f"„{q.text}“ — {q.speaker.name}" for q in event.quotes.all())
        return f"{event.summary}\n\n{event.body}\n\n{quotes}"

    def item_link(self, event):
        return event.get_absolute_url()

    def item_start_datetime(self, event):
        return event.fuzzy_date.interval.start or event.starts_on

    def item_end_datetime(self, event):
        interval = event.fuzzy_date.interval
        return interval.end_or_default if interval.is_instant else interval.end_day_exclusive

    def item_location(self, event):
        return event.place.name if event.place_id else None

    def item_categories(self, event):
        return [tag.name for tag in event.tags.all()]

    def item_updateddate(self, event):
        return event.updated_at
