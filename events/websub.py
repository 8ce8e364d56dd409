"""WebSub (W3C Recommendation, 2018): subscribers learn of a change in seconds.

Discovery (§4): when hubs are configured (`settings.WEBSUB_HUBS`), every feed a
subscriber can hold names them, and itself as the topic — `atom:link rel="hub"` and
exactly one `rel="self"` in RSS and Atom, `hubs` in JSON Feed, and an HTTP `Link`
header. Those feeds are the timeline's feeds and changes feeds, the site-wide ones,
and their `?tag=` variants (`TOPIC_FORMATS`); a `?limit=` variant names no hub, so
that every topic a subscriber can find is one we tell hubs about.

Publishing: after a public change, the record of change (`events.changes`) calls
`announce()`, which enqueues one job (`events.jobs`) in the change's transaction; the
worker then sends each hub `hub.mode=publish` with `hub.url=<topic>` for every topic
whose document changed (the form most hubs take; the spec leaves publishing to the
hub). Topics are URLs on `settings.NEWSROOM_URL`. With no hub configured nothing is
enqueued, sent or waited for.
"""

import logging
import urllib.parse

import urllib3
from django.conf import settings
from django.urls import reverse

from .jobs import retried
from .models import Tag, Timeline

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
    return [settings.NEWSROOM_URL + path + variant for path in paths for variant in variants]


def announce(timeline_pks, event_pks, tags_left):
    """Called by the record of change, inside its transaction, with the timelines
    whose public content changed, the events that changed and the slugs of tags they
    lost: one job tells every hub about every changed topic, once it is committed."""
    if not settings.WEBSUB_HUBS:
        return
    slugs = set(
        Timeline.objects.public().filter(pk__in=timeline_pks).values_list("slug", flat=True)
    )
    if not slugs:
        return
    tags = set(Tag.objects.filter(events__pk__in=event_pks).values_list("slug", flat=True))
    publish.enqueue(topics(slugs, tags | set(tags_left)))


@retried
def publish(topics):
    """Tell each hub that these topics changed; raise (and so retry, `events.jobs`)
    if a hub did not take it."""
    http = urllib3.PoolManager(timeout=TIMEOUT, retries=False)
    failed = []
    for hub in hubs():
        # One request per topic: hubs take `hub.url` once a request (some take a list).
        for topic in topics:
            # `hub.url` is the usual name; some hubs (Flask-WebSub) read `hub.topic`.
            body = urllib.parse.urlencode(
                {"hub.mode": "publish", "hub.url": topic, "hub.topic": topic}
            )
            try:
                answer = http.request(
                    "POST", hub, body=body,
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                )  # fmt: skip
            except urllib3.exceptions.HTTPError as error:
                failed.append(f"{hub}: {error}")
                break  # the hub is unreachable: the retry sends all of it again
            if answer.status >= 300:
                failed.append(f"{hub} answered {answer.status} for {topic}")
    if failed:
        raise HubError("; ".join(failed))


class HubError(Exception):
    pass
