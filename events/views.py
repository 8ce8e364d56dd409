"""Reader-facing pages. Thin: selection on the QuerySet, presentation in templates."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language, gettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from . import archives, embedding, http, jsonld, links, time_axis, websub
from .editors import is_editor, private_for_editors
from .exports import DOWNLOADS, FORMATS, RELATED, feed, ical, media_type, selection
from .exports.selection import Params
from .filters import PageFilters, facets, reader_params
from .markup import render_markdown
from .models import Event, Status, Timeline
from .paging import page_of, requested_page

FEEDS = (("RSS", "feed.rss"), ("Atom", "feed.atom"), ("JSON Feed", "feed.json"))


def feed_links(base_url, build_absolute_uri):
    """The feeds and calendar of a timeline (or of the whole site, for base "/")."""
    calendar = build_absolute_uri(base_url + "calendar.ics")
    return {
        "feeds": [
            {"title": title, "url": base_url + name, "type": media_type(name)}
            for title, name in FEEDS
        ],
        # The changes feeds: a correction or a retraction arrives as a new entry.
        "changes": [
            {"title": title, "url": base_url + RELATED[name], "type": media_type(name)}
            for title, name in FEEDS
        ],
        "calendar": base_url + "calendar.ics",
        "webcal": links.webcal_url(calendar),
        "google": links.google_subscribe_url(calendar),
    }


def page_links(page, filters):
    """Links to the first, previous, next and last page, keeping the filters."""
    targets = {
        "first": 1 if page.number > 2 else None,
        "previous": page.number - 1 if page.has_previous else None,
        "next": page.number + 1 if page.has_next else None,
        "last": page.count if page.number < page.count - 1 else None,
    }
    return {name: filters.querystring(page=n) for name, n in targets.items() if n}


@require_safe
@private_for_editors
def home(request):
    timelines = Timeline.objects.visible_to(request.user).by_activity()
    return render(
        request,
        "events/home.html",
        {"timelines": timelines, "subscribe": feed_links("/", request.build_absolute_uri)},
    )


@require_safe
@private_for_editors
def timeline_page(request, slug):
    if is_editor(request.user):  # sees drafts: never cached
        return render_timeline_page(request, slug)
    freshness = http.timeline_freshness(slug)
    if freshness is None:
        raise Http404("No such timeline.")
    return http.cached_page(
        request, freshness, reader_params(request.GET), lambda: render_timeline_page(request, slug)
    )


def render_timeline_page(request, slug, template="events/timeline.html", user=None):
    """The timeline page (or, with `template`, its embed) as `user` (the request's)
    may see it."""
    user = user or request.user
    timeline = get_object_or_404(Timeline.objects.visible_to(user), slug=slug)
    visible = Event.objects.visible_to(user).for_timeline(timeline)
    filters = PageFilters.from_params(request.GET)
    requested = requested_page(request.GET.get("page"))
    selected = filters.apply(visible)
    language = get_language()
    counted = time_axis.periods(selected)  # also the page's count: no query of its own
    page = page_of(selected.with_summaries(), requested, stats=time_axis.stats(counted))
    axis = time_axis.axis(counted, page, timeline, language, filters)
    options = facets(visible)
    absolute = request.build_absolute_uri
    response = render(
        request,
        template,
        {
            "timeline": timeline,
            "page": page,
            "groups": page.groups(language),
            "filters": filters,
            "page_links": page_links(page, filters),
            "facets": options,
            "active_filters": filters.active(options),
            "subscribe": feed_links(timeline.get_absolute_url(), absolute),
            "preview": is_editor(user) and not timeline.is_public,
            "embed": embedding.snippet(request, timeline),
            "axis": axis,
            "oembed_url": embedding.discovery_url(request, absolute(timeline.get_absolute_url())),
            "jsonld": jsonld.to_script(jsonld.timeline_item_list(timeline, page.events, absolute)),
        },
    )
    if page.number != requested or (filters and not page.total):
        # A page past the last, or filters that find nothing: shown, but kept by no
        # cache, or every made-up value of `?page=`, `?tag=` or `?q=` would add a copy.
        patch_cache_control(response, private=True)
    return response


@require_safe
@xframe_options_exempt
def timeline_embed(request, slug):
    """The timeline for another site's iframe (events.embedding): what anyone may see,
    whoever asks, so one cached copy serves every reader; links open in a new tab.
    Framed by the sites `settings.EMBED_FRAME_ANCESTORS` names (this route only)."""
    freshness = http.timeline_freshness(slug)
    if freshness is None:
        raise Http404("No such timeline.")
    response = http.cached_page(
        request, freshness, reader_params(request.GET),
        lambda: render_timeline_page(request, slug, "events/embed.html", AnonymousUser()),
    )  # fmt: skip
    response._csp_replace = {"frame-ancestors": settings.EMBED_FRAME_ANCESTORS}  # as csp_replace
    return response


@require_safe
@private_for_editors
def event_page(request, slug, event_slug):
    visible = Event.objects.visible_to(request.user)
    event = get_object_or_404(visible.with_details(), timeline__slug=slug, slug=event_slug)
    previous, following = visible.for_timeline(event.timeline).neighbours(event)
    absolute = request.build_absolute_uri
    language = get_language()
    return render(
        request,
        "events/event.html",
        {
            "timeline": event.timeline,
            "event": event,
            "body": render_markdown(event.body),
            "previous": previous,
            "next": following,
            "osm_url": links.openstreetmap_url(event.place)
            if event.place_id and event.place.has_coordinates
            else "",
            "ics_url": event.export_url(".ics"),
            "google_url": links.google_event_url(event, absolute(event.get_absolute_url())),
            "subscribe": feed_links(event.timeline.get_absolute_url(), absolute),
            "preview": not event.is_public,
            "is_draft": event.status == Status.DRAFT,
            "jsonld": jsonld.to_script(jsonld.news_article(event, absolute, language)),
            "oembed_url": embedding.discovery_url(request, absolute(event.get_absolute_url())),
        },
    )


@http.export_view
@require_safe
def timeline_export(request, slug, format_name):
    params = Params.from_request(request, FORMATS[format_name])
    return serve_timeline(
        request, slug, format_name, FORMATS[format_name],
        lambda: selection.for_timeline(request, slug, params),
        params_key=params.key(),
        exists=lambda: selection.check_tag(params),
        filename=f"{slug}-{format_name}" if format_name in DOWNLOADS else None,
        link=topic_link(request, format_name, params),
    )  # fmt: skip


@http.export_view
@require_safe
def event_calendar(request, slug, event_slug):
    return serve_timeline(
        request, slug, "event.ics", ical,
        lambda: selection.for_event(request, slug, event_slug),
        params_key=f"event={event_slug}",
        exists=lambda: get_object_or_404(
            Event.objects.public(), timeline__slug=slug, slug=event_slug
        ),
        filename=f"{event_slug}.ics",
    )  # fmt: skip


def serve_timeline(request, slug, name, export, select, **options):
    """An export of a public timeline: 404 for an unknown one, else the HTTP layer."""
    freshness = http.timeline_freshness(slug)
    if freshness is None:
        raise Http404("No such timeline.")
    return http.serve(request, name, export, freshness, lambda: export.render(select()), **options)


@http.export_view
@require_safe
def site_export(request, format_name):
    export = FORMATS[format_name]
    params = Params.from_request(request, export)
    return http.serve(
        request,
        format_name,
        export,
        http.site_freshness(),
        lambda: export.render(selection.for_site(request, params)),
        params_key=params.key(),
        exists=lambda: selection.check_tag(params),
        link=topic_link(request, format_name, params),
    )


# A page gains next-archive once, and loses what stops being public (events.archives).
ARCHIVE_MAX_AGE = 3600


@http.export_view
@require_safe
def archive_page(request, number, kind, slug=None):
    """A page of a feed's archive (RFC 5005 §4; `events.archives`): its entries as
    first written, between `current`, `prev-archive` and `next-archive` links."""
    if kind not in archives.FORMATS:
        raise Http404("No such format.")
    name = archives.FORMATS[kind]
    timeline = get_object_or_404(Timeline.objects.public(), slug=slug) if slug else None
    pages = archives.pages_of(timeline)
    page = get_object_or_404(pages, number=number)
    following = pages.filter(number=number + 1).first()
    live = (
        selection.for_timeline(request, slug, Params()) if slug
        else selection.for_site(request, Params())
    )  # fmt: skip
    live.self_url = request.build_absolute_uri(request.path)
    live.hubs = []  # never changes: nothing to subscribe to
    live.archive = True
    kind_type = media_type(name)
    live_path = request.path.rsplit("/archive/", 1)[0] + "/" + name
    live.links = [(request.build_absolute_uri(live_path), "current", kind_type)]
    for neighbour, rel in [(number - 1 if number > 1 else None, "prev-archive"),
                           (following and following.number, "next-archive")]:  # fmt: skip
        if neighbour:
            path = archives.page_path(slug, neighbour, kind)
            live.links.append((request.build_absolute_uri(path), rel, kind_type))
    closed = following.closed_at if following else page.closed_at
    # What the page says changes with its neighbour, with what left it, and with the
    # feed's own title: the latest of these, for If-Modified-Since.
    changed = max(closed, live.updated)
    live.updated = closed  # the feed's <updated>: the page's own, not the timeline's
    entries = archives.entries(page, live.url(""), live.url)
    body = b"".join(feed.write(live, kind, entries))
    return http.serve_fixed(request, FORMATS[name].content_type, body, changed, ARCHIVE_MAX_AGE)


def topic_link(request, format_name, params):
    """The `Link` header of a WebSub topic (its hubs and itself), or None."""
    if format_name in websub.TOPIC_FORMATS and websub.names_hubs(params):
        return websub.link_header(websub.topic_url(request.path + params.querystring()))
    return None


def not_found(request, exception):
    """404: JSON under /api/ (what API clients parse), a helpful page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": gettext("Not found.")}, status=404)
    # Under a public timeline's address (a mistyped or withdrawn event): lead back to it.
    slug = request.path.removeprefix("/timelines/").split("/")[0]
    found = request.path.startswith("/timelines/") and slug
    timeline = Timeline.objects.public().filter(slug=slug).first() if found else None
    return render(request, "404.html", {"timeline": timeline}, status=404)


def favicon(request):
    """/favicon.ico, which browsers ask for whatever the page says: the site's icon.
    Not permanent: the icon's file name carries its hash and changes with it."""
    return HttpResponseRedirect(static("favicon.png"))


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
