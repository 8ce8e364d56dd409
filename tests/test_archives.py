"""Feed archives (RFC 5005 §4): from the live feed, `prev-archive` leads through pages
that never change to every public event, each in exactly one page."""

import datetime as dt
import json

import feedparser
import pytest
from django.core.management import call_command
from django.utils import timezone

from events import archives
from events.changes import record_change
from events.models import Correction, Event, FeedPage, Timeline

KINDS = ["atom", "rss", "json"]


def read(client, url):
    """(entry ids, {rel: [href]}, archive?) of a feed, as a subscriber parses it."""
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200, url
    if response["Content-Type"].startswith("application/feed+json"):
        document = json.loads(response.content)
        links = {}
        for link in document.get("_links", {}).get("links", []):
            links.setdefault(link["rel"], []).append(link["href"])
        links["self"] = [document["feed_url"]]
        return (
            [item["id"] for item in document["items"]],
            links,
            document.get("_links", {}).get("archive", False),
        )
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    links = {}
    for link in parsed.feed.get("links", []):
        links.setdefault(link.rel, []).append(link.href)
    archived = b"<fh:archive" in response.content  # feedparser keeps no empty elements
    return [entry.id for entry in parsed.entries], links, archived


def walk(client, url):
    """Every document from the live feed back along prev-archive: [(url, ids, links)]."""
    documents = []
    while url:
        ids, links, archived = read(client, url)
        assert archived == bool(documents), url  # only the pages are archives
        documents.append((url, ids, links))
        [url] = links.get("prev-archive", [None])
    return documents


@pytest.mark.parametrize("kind", KINDS)
def test_walking_the_archive_collects_every_event_exactly_once(
    client, timeline, many_events, kind
):
    many_events(1000)
    call_command("make_archives", verbosity=0)
    live = f"http://testserver{timeline.export_url('feed.' + kind)}"
    documents = walk(client, live)
    newest = documents[0][1]
    pages = documents[1:]
    assert len(pages) == 1000 // archives.PAGE_SIZE
    in_pages = [guid for _, ids, _ in pages for guid in ids]
    assert len(in_pages) == len(set(in_pages))  # no event in two pages
    every = {f"urn:uuid:{uuid}" for uuid in Event.objects.values_list("uuid", flat=True)}
    assert set(in_pages) | set(newest) == every
    # Each page: fh:archive, its live feed as `current`, neighbours both ways.
    numbers = list(range(len(pages), 0, -1))
    for (url, ids, links), number in zip(pages, numbers, strict=True):
        assert url.endswith(f"/archive/{number}.{kind}")
        assert links["current"] == [live]
        assert links["self"] == [url]
        assert len(ids) == archives.PAGE_SIZE
        if number < len(pages):
            assert links["next-archive"] == [url.replace(f"/{number}.", f"/{number + 1}.")]
        else:
            assert "next-archive" not in links
    assert "hub" not in pages[0][2]


def test_the_site_feed_has_an_archive_of_its_own(client, timeline, many_events):
    many_events(120)
    call_command("make_archives", verbosity=0)
    documents = walk(client, "http://testserver/feed.atom")
    assert [url.rsplit("/", 2)[-2:] for url, _, _ in documents[1:]] == [
        ["archive", "2.atom"], ["archive", "1.atom"]
    ]  # fmt: skip
    collected = {guid for _, ids, _ in documents for guid in ids}
    assert len(collected) == 120


def test_a_page_never_changes_and_a_later_correction_is_repeated_in_the_live_feeds(
    client, timeline, many_events
):
    many_events(120)
    call_command("make_archives", verbosity=0)
    page_url = archives.page_path(timeline.slug, 1, "atom")
    before = client.get(page_url)
    oldest = FeedPage.objects.get(timeline=timeline, number=1).events.order_by("pk").first()
    with record_change():
        Correction.objects.create(event=oldest, text="Die Zahl war 3.000, nicht 300.")
    after = client.get(page_url)
    assert after.content == before.content
    assert client.get(page_url, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 304
    live = feedparser.parse(client.get(timeline.export_url("feed.atom")).content)
    corrected = [e for e in live.entries if e.id == f"urn:uuid:{oldest.uuid}"]
    assert corrected and "Die Zahl war 3.000" in corrected[0].content[0].value
    assert len(live.entries) == 51  # the newest 50, and the one changed since its page closed
    changes = feedparser.parse(client.get(timeline.export_url("changes.atom")).content)
    assert "Die Zahl war 3.000" in changes.entries[0].content[0].value


def test_an_edit_closes_the_page_it_fills_and_the_live_feed_links_it(
    editor_client, timeline, many_events, make_event
):
    many_events(archives.PAGE_SIZE - 1)
    url = timeline.export_url("feed.atom")
    first = editor_client.get(url)
    assert "prev-archive" not in read(editor_client, url)[1]
    draft = make_event(timeline=timeline, slug="die-fuenfzigste")
    answer = editor_client.post(f"/api/v1/events/{draft.uuid}/publish/")
    assert answer.status_code == 200, answer.content
    assert editor_client.get(url)["ETag"] != first["ETag"]
    links = read(editor_client, url)[1]
    assert links["prev-archive"] == [
        f"http://testserver{timeline.get_absolute_url()}archive/1.atom"
    ]
    ids, _, _ = read(editor_client, links["prev-archive"][0])
    assert len(ids) == archives.PAGE_SIZE and f"urn:uuid:{draft.uuid}" in ids


@pytest.mark.parametrize("path", ["archive/0.atom", "archive/2.atom", "archive/1.xml"])
def test_pages_that_do_not_exist_are_not_found(client, timeline, many_events, path):
    many_events(archives.PAGE_SIZE)
    call_command("make_archives", verbosity=0)
    assert client.get(timeline.get_absolute_url() + "archive/1.atom").status_code == 200
    assert client.get(timeline.get_absolute_url() + path).status_code == 404
    timeline.is_public = False
    timeline.save()
    assert client.get(timeline.get_absolute_url() + "archive/1.atom").status_code == 404


def test_other_sites_may_read_the_pages(client, timeline, many_events):
    many_events(archives.PAGE_SIZE)
    call_command("make_archives", verbosity=0)
    page = client.get(
        timeline.get_absolute_url() + "archive/1.json", HTTP_ORIGIN="https://x.example"
    )
    assert page["Access-Control-Allow-Origin"] == "*"
    assert json.loads(page.content)["_links"]["archive"] is True


def test_older_events_a_timeline_brings_when_it_goes_public_are_reached_too(
    client, timeline, many_events, db
):
    """Events in no page yet are in the live feed however old they are: a timeline
    made public brings its old events to the site's feed at once."""
    many_events(110)
    call_command("make_archives", verbosity=0)  # the site: 2 pages, 10 loose
    hidden = Timeline.objects.create(title="Verborgen", slug="verborgen", is_public=False)
    old = timezone.now() - dt.timedelta(days=3650)
    for number in range(20):
        event = Event(timeline=hidden, title=f"Alt {number}", slug=f"alt-{number}",
                      start_date=dt.date(2014, 1, 1), status="published", first_published_at=old)  # fmt: skip
        event.set_interval()
        event.save()
    with record_change():
        hidden.is_public = True
        hidden.save()
    collected = {guid for _, ids, _ in walk(client, "http://testserver/feed.atom") for guid in ids}
    assert collected == {
        f"urn:uuid:{uuid}" for uuid in Event.objects.values_list("uuid", flat=True)
    }
    assert len(collected) == 130


def test_a_page_shows_only_what_is_still_public_in_it(client, timeline, many_events):
    many_events(archives.PAGE_SIZE)
    call_command("make_archives", verbosity=0)
    url = archives.page_path(timeline.slug, 1, "atom")
    assert len(read(client, url)[0]) == archives.PAGE_SIZE
    moved = FeedPage.objects.get(timeline=timeline).events.first()
    elsewhere = Timeline.objects.create(title="Anderswo", slug="anderswo", is_public=True)
    with record_change():
        moved.timeline = elsewhere
        moved.save()
    ids = read(client, url)[0]
    assert len(ids) == archives.PAGE_SIZE - 1 and f"urn:uuid:{moved.uuid}" not in ids
    assert f"urn:uuid:{moved.uuid}" in read(client, elsewhere.export_url("feed.atom"))[0]
    with record_change():
        timeline.is_public = False
        timeline.save()
    assert client.get(url).status_code == 404
