"""WebSub: feeds name their hubs, every public change tells the hubs, subscribers get
the new feed within seconds — with Flask-WebSub's hub as a process of its own."""

import json
import statistics
import time

import feedparser
import pytest
from django_tasks_db.models import DBTaskResult

from events import jobs, websub
from events.changes import record_change
from events.models import Event, Status, Tag, Timeline

from .jobs import pending, run_due_jobs, worker_thread
from .websub.harness import Subscriber, running_hub

API = "/api/v1/"
SLUG = "nordkorea-soldaten-russland"
TIMELINE = f"/timelines/{SLUG}/"
HUBS = ["https://hub.example/", "https://other-hub.example/websub"]
PUBLISH = "events.websub.publish"


@pytest.fixture
def hubs(settings):
    settings.WEBSUB_HUBS = HUBS
    settings.NEWSROOM_URL = "http://testserver"
    return HUBS


def named(response):
    """(hubs, self URLs) a feed names in its body, as a subscriber discovers them."""
    if response["Content-Type"].startswith("application/feed+json"):
        document = json.loads(response.content)
        return [hub["url"] for hub in document.get("hubs", [])], [document["feed_url"]]
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    links = parsed.feed.get("links", [])
    return (
        [link.href for link in links if link.rel == "hub"],
        [link.href for link in links if link.rel == "self"],
    )


def link_header(response):
    """{rel: [URLs]} of the HTTP Link header."""
    found = {}
    for part in filter(None, response.get("Link", "").split(",")):
        url, rel = part.split(";")
        found.setdefault(rel.split("=")[1].strip('"'), []).append(url.strip().strip("<>"))
    return found


def edit(client, event, **fields):
    answer = client.patch(f"{API}events/{event.uuid}/", fields, content_type="application/json")
    assert answer.status_code == 200, answer.content
    return answer


def test_without_hubs_no_feed_names_one_and_no_change_waits_for_one(editor_client, seed):
    for name in websub.TOPIC_FORMATS:
        response = editor_client.get(TIMELINE + name)
        assert named(response) == ([], [f"http://testserver{TIMELINE}{name}"])
        assert "Link" not in response
    edit(editor_client, Event.objects.public().first(), summary="Ohne Hub geändert.")
    assert pending() == []


@pytest.mark.parametrize("name", websub.TOPIC_FORMATS)
@pytest.mark.parametrize("base", [TIMELINE, "/"])
def test_every_feed_names_the_hubs_and_exactly_one_self(client, seed, hubs, base, name):
    tag = Tag.objects.filter(events__status=Status.PUBLISHED).first().slug
    for query in ["", f"?tag={tag}"]:
        url = f"http://testserver{base}{name}{query}"
        response = client.get(base + name + query)
        assert named(response) == (HUBS, [url])
        assert link_header(response) == {"hub": HUBS, "self": [url]}
    # A ?limit= variant is no topic: it names no hub (and so is never left stale).
    limited = client.get(base + name + "?limit=2")
    assert named(limited) == ([], [f"http://testserver{base}{name}?limit=2"])
    assert "Link" not in limited


def test_a_public_change_enqueues_one_job_with_every_topic_it_changes(editor_client, seed, hubs):
    event = Event.objects.public().filter(tags__isnull=False).first()
    tags = sorted(event.tags.values_list("slug", flat=True))
    leaving = tags[0]
    edit(editor_client, event, summary="Geändert.", tags=tags[1:])
    jobs = pending()
    assert [(path, hub) for path, (hub, _) in jobs] == [(PUBLISH, hub) for hub in HUBS]
    topics = jobs[0][1][1]
    assert jobs[1][1][1] == topics  # one job a hub, each with every topic
    expected = {
        f"http://testserver{base}{name}{query}"
        for base in (TIMELINE, "/")
        for name in websub.TOPIC_FORMATS
        for query in ["", *(f"?tag={tag}" for tag in tags)]  # the tag it lost too
    }
    assert set(topics) == expected and len(topics) == len(expected)
    assert f"http://testserver{TIMELINE}feed.atom?tag={leaving}" in topics


def test_a_draft_changes_no_topic(editor_client, seed, hubs, make_event):
    draft = make_event(timeline=seed, slug="entwurf")
    assert draft.status == Status.DRAFT
    edit(editor_client, draft, summary="Noch nicht öffentlich.")
    assert pending() == []


def test_a_hub_that_fails_is_told_again_later(editor_client, seed, settings):
    settings.WEBSUB_HUBS = ["http://127.0.0.1:9/"]  # nothing listens on the discard port
    settings.NEWSROOM_URL = "http://testserver"
    edit(editor_client, Event.objects.public().first(), summary="Hub fällt aus.")
    run_due_jobs()
    failed = DBTaskResult.objects.get(status="FAILED")
    assert failed.task_path == PUBLISH
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.args_kwargs["args"] == failed.args_kwargs["args"]
    delay = (retry.run_after - failed.finished_at).total_seconds()  # after the failure
    assert jobs.RETRY_DELAYS[0] - 1 < delay <= jobs.RETRY_DELAYS[0] + 1
    run_due_jobs()  # not due yet: it waits
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_a_subscriber_receives_every_edit_within_seconds(
    live_server, transactional_db, editor_client, settings
):
    """20 editor saves through the API; a real hub pushes each new feed to a
    subscriber. Prints the time from the save to the delivery (p50/p99)."""
    from django.core.management import call_command

    call_command("load_seed", verbosity=0)
    event = Event.objects.public().first()
    topic = live_server.url + TIMELINE + "feed.atom"
    changes = live_server.url + TIMELINE + "changes.atom"
    with running_hub() as hub, worker_thread():
        settings.WEBSUB_HUBS = [hub]
        settings.NEWSROOM_URL = live_server.url
        subscriber = Subscriber()
        subscriber.subscribe(hub, topic)
        subscriber.subscribe(hub, changes)
        waits = []
        for number in range(1, 21):
            text = f"Neue Fassung Nummer {number}."
            started = time.monotonic()
            edit(editor_client, event, summary=text)
            got = {}
            while len(got) < 2:
                delivery = subscriber.next_delivery(timeout=20)
                parsed = feedparser.parse(delivery.body)
                if text in delivery.body.decode():
                    got[delivery.topic] = delivery.received - started
            assert set(got) == {topic, changes}
            assert not parsed.bozo
            waits.append(got[topic])
        subscriber.close()
    waits.sort()
    p50, p99 = statistics.median(waits), waits[-1]
    print(f"\nWebSub, editor's save to delivery over 20 edits: p50 {p50 * 1000:.0f} ms, "
          f"p99 {p99 * 1000:.0f} ms")  # fmt: skip


def test_hubs_without_the_sites_address_are_a_configuration_error(settings):
    from django.core.checks import run_checks

    settings.WEBSUB_HUBS = HUBS
    settings.NEWSROOM_URL = ""
    assert "newsroom.E002" in [error.id for error in run_checks()]
    settings.NEWSROOM_URL = "https://news.example.org"
    assert "newsroom.E002" not in [error.id for error in run_checks()]


def topics_of(jobs):
    (first_hub, topics), *others = [args for _, args in jobs]
    assert [hub for hub, _ in [(first_hub, topics), *others]] == HUBS
    return set(topics)


def test_a_timeline_made_private_or_renamed_tells_its_old_topics_and_the_sites(seed, hubs):
    timeline = Timeline.objects.get(slug=SLUG)
    with record_change():
        timeline.slug = "neuer-name"
        timeline.save()
    renamed = topics_of(pending())
    assert f"http://testserver{TIMELINE}feed.atom" in renamed  # its subscribers learn it
    assert "http://testserver/timelines/neuer-name/feed.atom" in renamed
    assert any("?tag=" in topic for topic in renamed)  # every tag feed of it changed
    DBTaskResult.objects.all().delete()
    with record_change():
        timeline.is_public = False
        timeline.save()
    private = topics_of(pending())
    assert "http://testserver/timelines/neuer-name/feed.atom" in private
    assert "http://testserver/feed.atom" in private


def test_feeds_name_themselves_as_the_hubs_know_them(client, seed, hubs, settings):
    settings.ALLOWED_HOSTS = ["testserver", "www.testserver"]
    response = client.get(TIMELINE + "feed.atom", HTTP_HOST="www.testserver")
    assert named(response) == (HUBS, [f"http://testserver{TIMELINE}feed.atom"])
    assert link_header(response)["self"] == [f"http://testserver{TIMELINE}feed.atom"]


def test_only_the_topics_a_hub_refused_are_tried_again(db, settings):
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread
    from urllib.parse import parse_qsl

    class Picky(BaseHTTPRequestHandler):
        def do_POST(self):
            form = dict(parse_qsl(self.rfile.read(int(self.headers["Content-Length"])).decode()))
            self.send_response(503 if form["hub.url"].endswith(".json") else 202)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Picky)
    Thread(target=server.serve_forever, daemon=True).start()
    hub = f"http://127.0.0.1:{server.server_port}/"
    topics = [
        "https://n.example/feed.atom",
        "https://n.example/feed.json",
        "https://n.example/x.rss",
    ]
    websub.publish.enqueue(hub, topics)
    run_due_jobs()
    server.shutdown()
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs == {"args": [hub, ["https://n.example/feed.json"]],
                                 "kwargs": {"attempt": 2}}  # fmt: skip
