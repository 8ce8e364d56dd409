"""WebSub (W3C Recommendation, 2018): subscribers learn of a change in seconds.

Discovery (§4): when hubs are configured (`settings.WEBSUB_HUBS`), every feed a
subscriber can hold names them, and itself as the topic — `atom:link rel="hub"` and
exactly one `rel="self"` in RSS and Atom, `hubs` in JSON Feed, and an HTTP `Link`
header. Those feeds are the timeline's feeds and changes feeds, the site-wide ones,
and their `?tag=` variants (`TOPIC_FORMATS`); a `?limit=` variant names no hub, so
that every topic a subscriber can find is one we tell hubs about.

Publishing: after a public change, the record of change (`events.changes`) calls
`announce()`, which enqueues one job a hub (`events.jobs`) in the change's
transaction; the worker then sends the hub `hub.mode=publish` with `hub.url=<topic>`
for every topic whose document changed (the form most hubs take; the spec leaves
publishing to the hub) — behind a caching proxy, after fetching the topic anew there
(`WEBSUB_REFRESH_PROXY`). Topics are URLs on `settings.NEWSROOM_URL`. With no hub
configured nothing is enqueued, sent or waited for.
"""

import logging
import urllib.parse

import urllib3
from django.conf import settings
from django.urls import reverse

from .jobs import RetryLater, retried
from .models import PUBLIC_STATUSES, Event, Tag, Timeline

logger = logging.getLogger(__name__)

# The documents that name the hubs, as a timeline's file names; the site offers each too.
TOPIC_FORMATS = (
    "feed.rss", "feed.atom", "feed.json", "changes.rss", "changes.atom", "changes.json",
)  # fmt: skip
TIMEOUT = urllib3.Timeout(connect=5, read=20)


def hubs():
    return list(settings.WEBSUB_HUBS)


def names_hubs(params):
    """Whether a feed with these parameters (`selection.Params`) names the hubs."""
    return bool(settings.WEBSUB_HUBS) and params.is_topic()


def topic_url(path):
    """A topic: a feed's path (and query) on the site's address, as hubs are told."""
    return settings.NEWSROOM_URL + path


def link_header(self_url):
    """The HTTP `Link` header of a topic (§4): its hubs and itself."""
    return ", ".join([*(f'<{hub}>; rel="hub"' for hub in hubs()), f'<{self_url}>; rel="self"'])


def topics(timeline_slugs, tag_slugs):
    """Every topic whose document changes when these timelines' public content
    changes, with these tags on the events that changed (before or after)."""
    paths = [
        *(reverse("timeline", args=[slug]) + name for slug in sorted(timeline_slugs)
          for name in TOPIC_FORMATS),
        *("/" + name for name in TOPIC_FORMATS),
    ]  # fmt: skip
    variants = [""] + ["?" + urllib.parse.urlencode({"tag": tag}) for tag in sorted(tag_slugs)]
    return [topic_url(path + variant) for path in paths for variant in variants]


def announce(timeline_pks, timelines_before, event_pks, tags_left):
    """Called by the record of change, inside its transaction, with the timelines
    whose public content or own fields changed (and what the timelines it was told
    of were before), the events that changed and the slugs of tags they lost: one
    job a hub tells it about every changed topic, once the change is committed —
    the topics of a timeline under its slug before and after, public before or
    after (made private: its feeds are gone, the site's changed)."""
    if not settings.WEBSUB_HUBS or not timeline_pks:
        return
    now = Timeline.objects.filter(pk__in=timeline_pks).values_list("pk", "slug", "is_public")
    slugs = {slug for _, slug, public in now if public}
    own = [pk for pk in timeline_pks if timelines_before.get(pk)]
    slugs |= {timelines_before[pk]["slug"] for pk in own if timelines_before[pk]["is_public"]}
    if not slugs:
        return  # nothing public changed
    tags = set(tags_left) | set(
        Tag.objects.filter(events__pk__in=event_pks).values_list("slug", flat=True)
    )
    if own:  # a timeline's title, language, publicity …: each of its tag feeds changed
        shown = Event.objects.filter(timeline__in=own, status__in=PUBLIC_STATUSES)
        tags |= set(Tag.objects.filter(events__in=shown).values_list("slug", flat=True))
    changed = topics(slugs, tags)
    for hub in hubs():
        publish.enqueue(hub, changed)


@retried
def publish(hub, topics):
    """Tell a hub that these topics changed; what it did not take is tried again
    later (`events.jobs`). Behind a caching proxy (`WEBSUB_REFRESH_PROXY`), each
    topic is fetched with `Cache-Control: no-cache` just before its ping: the proxy
    (deploy/nginx.conf) then keeps the new version, and the hub, which fetches the
    topic right after the ping, gets it rather than the copy from before the change."""
    http = urllib3.PoolManager(timeout=TIMEOUT, retries=False)
    refused = []
    for number, topic in enumerate(topics):
        if settings.WEBSUB_REFRESH_PROXY:
            _refresh(http, topic)
        try:
            status = _ping(http, hub, topic)
        except urllib3.exceptions.HTTPError as error:  # unreachable: the rest, later
            raise RetryLater(f"{hub}: {error}", hub, [*refused, *topics[number:]]) from error
        if status >= 300:
            refused.append(topic)
    if refused:
        raise RetryLater(f"{hub} refused {len(refused)} of {len(topics)} topics", hub, refused)


def _refresh(http, topic):
    try:
        http.request("GET", topic, headers={"Cache-Control": "no-cache"}, preload_content=True)
    except urllib3.exceptions.HTTPError as error:  # the hub will fetch it all the same
        logger.warning("could not refresh %s before announcing it: %s", topic, error)


def _ping(http, hub, topic):
    """One publish request; the hub's status. `hub.url` is the usual name of the
    topic; some hubs (Flask-WebSub) read `hub.topic`."""
    body = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": topic, "hub.topic": topic})
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return http.request("POST", hub, body=body, headers=headers).status
