"""What an export renders: a timeline (or all public timelines) and its public events."""

import datetime as dt
import uuid
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cache as cache_once
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Max, Min, Q
from django.http import Http404
from django.templatetags.static import static

from .. import archives, http, rendering, websub
from ..models import Event, Tag, Timeline
from . import RELATED, media_type

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


@dataclass(frozen=True)
class Params:
    """The request parameters an export depends on, normalized (they key caches)."""

    tag: str = ""
    limit: int = DEFAULT_LIMIT

    @classmethod
    def from_request(cls, request, export):
        """What `export` reads of the request: `?tag=`, and `?limit=` if it lists only
        the newest events (`reads_limit`). A calendar or a CSV holds every event, so
        `?limit=` makes no other document of it."""
        limit = DEFAULT_LIMIT
        if export.reads_limit:
            with suppress(ValueError):
                limit = min(max(int(request.GET.get("limit", DEFAULT_LIMIT)), 1), MAX_LIMIT)
        return cls(tag=request.GET.get("tag", "").strip()[:100], limit=limit)

    def key(self):
        return f"tag={self.tag}&limit={self.limit}"

    def is_topic(self):
        """Whether a feed with these parameters is a WebSub topic (`events.websub`):
        the whole feed or a tag's, not a `?limit=` of it."""
        return self.limit == DEFAULT_LIMIT

    def querystring(self):
        """The canonical query string of these parameters (for self links)."""
        values = {"tag": self.tag, "limit": self.limit if self.limit != DEFAULT_LIMIT else ""}
        query = urlencode({k: v for k, v in values.items() if v})
        return "?" + query if query else ""


@dataclass
class Selection:
    id: str  # a stable URN for the feed or calendar as a whole
    title: str
    description: str
    language: str
    time_zone: str
    page_url: str  # absolute URL of the HTML page
    self_url: str  # absolute URL of this document
    updated: dt.datetime
    events: object  # public events (QuerySet), in no particular order
    params: Params = field(default_factory=Params)
    single: bool = False  # one event to add to a calendar, not a calendar of its own
    absolute: object = None  # path -> absolute URL
    # What a feed names besides itself and its page: WebSub hubs, (href, rel, media
    # type) of related and archive documents; and whether it is an archive (RFC 5005).
    hubs: list = field(default_factory=list)
    links: list = field(default_factory=list)
    archive: bool = False
    # Whose feed archive (`events.archives`) holds the events: a timeline's, or with
    # None the site's.
    timeline: object = None
    _base: str = None  # the scheme and host of absolute URLs

    @property
    def logo_url(self):
        return self.absolute(static("newsroom-logo.png"))

    @property
    def icon_url(self):
        return self.absolute(static("favicon.png"))

    def url(self, path):
        """The absolute URL of one of our paths, on the host of the request."""
        if self._base is None:
            self._base = self.absolute("/").removesuffix("/")
        return self._base + path  # paths from reverse(): quoted already

    def newest(self, *sections):
        """What readers are shown of the most recently first-published events, newest
        first, up to the limit — and, up to the limit again, of the archived events
        changed since their page closed and (the whole feed, which heads the archive)
        of the events in no page yet however old (`events.archives`) —
        (`events.rendering`; `sections`: "parts", "html", "text" besides what every
        format shows)."""
        ordered = self.events.order_by("-first_published_at", "-uuid")
        limit = self.params.limit
        changed = archives.revised(self.events, self.timeline).order_by("-updated_at")
        wanted = Q(pk__in=ordered[:limit].values("pk")) | Q(pk__in=changed[:limit].values("pk"))
        if self.params == Params():
            wanted |= Q(pk__in=archives.loose(ordered, self.timeline)[:limit].values("pk"))
        return rendering.stream(ordered.filter(wanted), *sections, few=True)

    def chronological(self, *sections):
        """What readers are shown of all the events, in timeline order."""
        return rendering.stream(self.events.chronological(), *sections)

    def zone_years(self):
        """(zone, first year, last year) of the events at an exact time, by zone."""
        spans = (
            self.events.filter(starts_at__isnull=False)
            .order_by("time_zone")
            .values_list("time_zone")
            .annotate(first=Min("starts_on"), last=Max("ends_on"))
        )
        return [(zone, first.year, last.year) for zone, first, last in spans]


def check_tag(params):
    """404 for a `?tag=` that names no tag: checked before freshness, so no
    conditional request gets a 304 for a feed that does not exist."""
    if params.tag and not Tag.objects.filter(slug=params.tag).exists():
        raise Http404("No such tag.")


def _narrow(events, params, timeline_uuid):
    if not params.tag:
        return events, "", uuid.UUID(timeline_uuid)
    tag = Tag.objects.filter(slug=params.tag).values_list("name", flat=True).first()
    if tag is None:
        raise Http404("No such tag.")
    return (
        events.filter(tags__slug=params.tag),
        tag,
        uuid.uuid5(uuid.UUID(timeline_uuid), params.key()),
    )


@cache_once
def _public_timeline_query():
    """`Timeline.objects.public()` for one slug, compiled once: building the query
    cost three times what running it does (0.22 against 0.06 ms)."""
    return http.compiled_for_slug(Timeline.objects.public().filter(slug=http.SLUG))


def for_timeline(request, slug, params):
    found = Timeline.objects.raw(*http.with_slug(_public_timeline_query(), slug))
    timeline = next(iter(found), None)
    if timeline is None:
        raise Http404("No such timeline.")
    events = Event.objects.public().for_timeline(timeline)
    events, tag, feed_uuid = _narrow(events, params, str(timeline.uuid))
    return linked(request, params, Selection(
        id=f"urn:uuid:{feed_uuid}",
        title=f"{timeline.title} – {tag}" if tag else timeline.title,
        description=timeline.description or timeline.title,
        language=timeline.language,
        time_zone=timeline.time_zone,
        page_url=request.build_absolute_uri(timeline.get_absolute_url()),
        self_url=request.build_absolute_uri(request.path + params.querystring()),
        updated=timeline.changed_at,
        events=events,
        params=params,
        absolute=request.build_absolute_uri,
        timeline=timeline,
    ))  # fmt: skip


def for_site(request, params):
    timelines = Timeline.objects.public()
    updated = max(
        timelines.values_list("changed_at", flat=True),
        default=dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
    )
    site_uuid = uuid.uuid5(uuid.NAMESPACE_URL, request.build_absolute_uri("/"))
    events = Event.objects.public()
    events, tag, feed_uuid = _narrow(events, params, str(site_uuid))
    title = settings.NEWSROOM_NAME
    return linked(request, params, Selection(
        id=f"urn:uuid:{feed_uuid}",
        title=f"{title} – {tag}" if tag else title,
        description=settings.NEWSROOM_DESCRIPTION,
        language=settings.LANGUAGE_CODE,
        time_zone=settings.TIME_ZONE,
        page_url=request.build_absolute_uri("/"),
        self_url=request.build_absolute_uri(request.path + params.querystring()),
        updated=updated,
        events=events,
        params=params,
        absolute=request.build_absolute_uri,
    ))  # fmt: skip


def linked(request, params, selection):
    """A feed names its WebSub hubs (`events.websub`), its related feed — the live
    feed its changes feed, and the other way round — and, the whole live feed, the
    newest page of its archive (`events.archives`)."""
    if websub.names_hubs(params):
        selection.hubs = websub.hubs()
        # Itself as the hubs know it, whatever host or scheme the request came by.
        selection.self_url = websub.topic_url(request.path + params.querystring())
    folder, _, name = request.path.rpartition("/")
    if name in RELATED:
        href = request.build_absolute_uri(f"{folder}/{RELATED[name]}{params.querystring()}")
        selection.links.append((href, "related", media_type(RELATED[name])))
    kind = name.removeprefix("feed.")
    if kind in archives.FORMATS and params == Params():
        number = archives.newest_number(selection.timeline)
        if number:
            slug = selection.timeline and selection.timeline.slug
            href = request.build_absolute_uri(archives.page_path(slug, number, kind))
            selection.links.append((href, "prev-archive", media_type(name)))
    return selection


def for_event(request, slug, event_slug):
    """One public event, as a selection of its own ("add to calendar")."""
    selection = for_timeline(request, slug, Params())
    selection.events = selection.events.filter(slug=event_slug)
    event = selection.events.select_related("timeline").first()
    if event is None:
        raise Http404("No such event.")
    selection.id = f"urn:uuid:{event.uuid}"
    selection.single = True
    selection.title = event.title
    selection.page_url = request.build_absolute_uri(event.get_absolute_url())
    selection.self_url = request.build_absolute_uri(request.path)
    return selection
