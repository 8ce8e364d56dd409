"""Other sites show a timeline: the snippet a newsroom pastes into an article, and the
oEmbed answer (oembed.com) that makes the snippet for sites that ask by URL.

The snippet is an iframe of `/timelines/<slug>/embed/` (which only that route lets
other sites frame: `settings.EMBED_FRAME_ANCESTORS`) and a small script of ours,
`newsroom/embed-host.js`, that sets the iframe's height to what the embedded page
reports (`newsroom/embed.js`, by postMessage: `{"type": "newsroom:height",
"height": <px>}`). Without the script the iframe keeps the height given."""

from urllib.parse import urlencode, urlsplit

from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.templatetags.static import static
from django.urls import Resolver404, resolve, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_safe

from .http import MAX_AGE
from .models import Event, Timeline
from .paging import PAGE_SIZE

WIDTH, HEIGHT = 800, 600  # what the snippet asks for unless told less
CACHE_AGE = 3600


def snippet(request, timeline, at="", width=WIDTH, height=HEIGHT):
    """The HTML to paste: the iframe (opened `at` an event: "?page=2#event-<uuid>")
    and the script that fits its height."""
    src = request.build_absolute_uri(reverse("timeline-embed", args=[timeline.slug]))
    return format_html(
        '<iframe src="{}" title="{}" width="{}" height="{}" loading="lazy" '
        'style="border:0;max-width:100%" data-newsroom-embed></iframe>\n'
        '<script async src="{}"></script>',
        src + at,
        timeline.title,
        width,
        height,
        request.build_absolute_uri(static("newsroom/embed-host.js")),
    )


def discovery_url(request, page_url):
    """The oEmbed address for `page_url`, for the page's discovery link."""
    query = urlencode({"url": page_url, "format": "json"})
    return request.build_absolute_uri(reverse("oembed")) + "?" + query


class BadSize(ValueError):
    pass


def _size(value, default):
    """maxwidth/maxheight: absent, the default; a positive whole number (in ASCII
    digits), at most that; anything else is refused — an answer may not exceed it."""
    if value == "":
        return default
    if not (value.isascii() and value.isdigit()) or len(value) > 6 or int(value) == 0:
        raise BadSize
    return min(default, int(value))


@require_safe
def oembed(request):
    """oEmbed 1.0 for a timeline's or an event's page on this site: type "rich", the
    snippet as `html`, within `maxwidth` × `maxheight`. 404 for an address that is no
    public timeline or event of ours, 501 for a format other than JSON."""
    if (request.GET.get("format") or "json") != "json":
        return HttpResponse("Only format=json is offered.", status=501, content_type="text/plain")
    timeline, at = _embedded(request, request.GET.get("url", ""))
    try:
        width = _size(request.GET.get("maxwidth", ""), WIDTH)
        height = _size(request.GET.get("maxheight", ""), HEIGHT)
    except BadSize:
        return HttpResponseBadRequest(
            "maxwidth and maxheight are positive whole numbers.", content_type="text/plain"
        )
    answer = JsonResponse({
        "version": "1.0",
        "type": "rich",
        "title": timeline.title,
        "provider_name": "newsroom",
        "provider_url": request.build_absolute_uri("/"),
        "cache_age": CACHE_AGE,
        "html": snippet(request, timeline, at, width, height),
        "width": width,
        "height": height,
    })  # fmt: skip
    # Shared caches keep it no longer than a page (cache_age is a hint to consumers): a
    # timeline made non-public stops being embeddable within minutes.
    answer["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return answer


def _embedded(request, url):
    """The public timeline `url` shows, and where in its embed the event `url` shows
    stands ("?page=2#event-<uuid>"; "" for the timeline itself), or 404."""
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1/…": no address at all
        raise Http404("Not an address.") from None
    default_port = {"http": ":80", "https": ":443"}.get(parts.scheme, "")
    host = parts.netloc.lower().removesuffix(default_port) if default_port else None
    if host != request.get_host().lower().removesuffix(default_port or "-"):
        raise Http404("Not an address of this site.")
    try:
        match = resolve(parts.path if parts.path.endswith("/") else parts.path + "/")
    except Resolver404:
        raise Http404("No such page.") from None
    slug = match.kwargs.get("slug")
    if match.url_name not in ("timeline", "timeline-embed", "event") or not slug:
        raise Http404("Not a timeline or an event.")
    timeline = Timeline.objects.public().filter(slug=slug).first()
    if timeline is None:
        raise Http404("No such public timeline.")
    event_slug = match.kwargs.get("event_slug", "")
    if not event_slug:
        return timeline, ""
    public = Event.objects.public().filter(timeline=timeline)
    event = public.filter(slug=event_slug).first()
    if event is None:
        raise Http404("No such public event.")
    page = (public.position(event) - 1) // PAGE_SIZE + 1
    return timeline, (f"?page={page}" if page > 1 else "") + f"#event-{event.uuid}"
