from django.contrib.sitemaps import Sitemap

from .models import Event, Timeline


class TimelineSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return Timeline.objects.public().by_activity()

    def lastmod(self, timeline):
        return timeline.last_activity


class EventSitemap(Sitemap):
    changefreq = "daily"
    limit = 10_000

    def items(self):
        return Event.objects.public().select_related("timeline").order_by("pk")

    def lastmod(self, event):
        return event.updated_at


SITEMAPS = {"timelines": TimelineSitemap, "events": EventSitemap}
