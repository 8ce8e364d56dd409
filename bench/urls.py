from django.urls import include, path

from .baseline import TimelineAtom, TimelineCalendar, TimelineRss

urlpatterns = [
    path("baseline/<slug:slug>/feed.rss", TimelineRss()),
    path("baseline/<slug:slug>/feed.atom", TimelineAtom()),
    path("baseline/<slug:slug>/calendar.ics", TimelineCalendar()),
    path("", include("newsroom.urls")),
]
