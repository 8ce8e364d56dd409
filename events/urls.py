from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import embedding, views
from .exports import FORMATS, SITE_FORMATS
from .sitemaps import SITEMAPS

urlpatterns = [
    *(
        path(f"timelines/<slug:slug>/{name}", views.timeline_export, {"format_name": name})
        for name in FORMATS
    ),
    *(path(name, views.site_export, {"format_name": name}) for name in SITE_FORMATS),
    path("timelines/<slug:slug>/<slug:event_slug>.ics", views.event_calendar, name="event-ics"),
    path(
        "timelines/<slug:slug>/archive/<int:number>.<slug:kind>",
        views.archive_page,
        name="timeline-archive",
    ),
    path("archive/<int:number>.<slug:kind>", views.archive_page, name="site-archive"),
    path("", views.home, name="home"),
    path("timelines/<slug:slug>/", views.timeline_page, name="timeline"),
    path("timelines/<slug:slug>/embed/", views.timeline_embed, name="timeline-embed"),
    path("oembed", embedding.oembed, name="oembed"),
    path("timelines/<slug:slug>/<slug:event_slug>/", views.event_page, name="event"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
]
