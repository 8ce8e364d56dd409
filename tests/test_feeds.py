"""RSS, Atom and JSON Feed read the way feed readers read them (feedparser)."""

import datetime as dt
import json

import feedparser
import lxml.etree
import lxml.html
import pytest
from django.utils import timezone

from events.exports.feed import PREFIXES
from events.exports.printable import printable
from events.models import Correction, Event, Status, Timeline

from .feeds import read_entries, read_feed
from .text import storable

SEED = "/timelines/nordkorea-soldaten-russland/"
FEEDS = ["feed.rss", "feed.atom", "feed.json"]
CONTENT_TYPES = {
    "feed.rss": "application/rss+xml; charset=utf-8",
    "feed.atom": "application/atom+xml; charset=utf-8",
    "feed.json": "application/feed+json; charset=utf-8",
}
NEWEST_FIRST = [  # all five were published together; the UUID breaks the tie, descending
    "23. Oktober 2024: John Kirby: Mindestens 3.000 nordkoreanische Soldaten in Russland",
    "23. Oktober 2024: Lloyd Austin: Beweise für nordkoreanische Soldaten in Russland",
    "Oktober 2024: Weiterreise zu Ausbildungsstätten im Osten Russlands",
    "Mitte Oktober 2024: Weitere Schiffstransporte nach Wladiwostok",
    "Anfang Oktober 2024: Erste Schiffe bringen nordkoreanische Soldaten nach Wladiwostok",
]


def read(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return read_entries(response)


@pytest.mark.parametrize("name", FEEDS)
def test_seed_feed_items_as_a_reader_sees_them(client, seed, name):
    response = client.get(SEED + name)
    assert read_feed(response) == {
        "title": "Nordkoreanische Soldaten in Russland",
        "link": "http://testserver" + SEED,
    }
    entries = read_entries(response)
    assert [e["title"] for e in entries] == NEWEST_FIRST
    kirby = entries[0]
    assert kirby["id"] == "urn:uuid:5a3c1e0e-1b0d-4a51-9f2e-0c6a2d7b1a05"
    assert kirby["link"] == "http://testserver" + SEED + "kirby-washington/"
    assert kirby["published"] == dt.datetime(2024, 10, 23, 21, tzinfo=dt.UTC)
    if name != "feed.rss":  # RSS items have no date of change
        assert kirby["updated"] == dt.datetime(2024, 10, 23, 21, tzinfo=dt.UTC)
    assert kirby["tags"] == ["Stellungnahme", "Ukraine-Krieg"]
    html = kirby["content"]
    assert "höchst beunruhigende Wahrscheinlichkeit" in html
    assert "https://www.whitehouse.gov/briefing-room/press-briefings/" in html
    assert "Quellen" in html and "Auf der Zeitleiste lesen" in html


@pytest.mark.parametrize("name", ["feed.rss", "feed.atom"])
def test_xml_feeds_carry_feed_level_metadata(client, seed, name):
    response = client.get(SEED + name)
    assert response["Content-Type"] == CONTENT_TYPES[name]
    feed = feedparser.parse(response.content).feed
    assert feed.language == "de"
    links = {link.rel: link.href for link in feed.links}
    assert links["self"] == "http://testserver" + SEED + name
    assert links["alternate"] == "http://testserver" + SEED
    assert feed.updated_parsed[:6] == (2024, 10, 23, 21, 0, 0)
    logo = feed.image.href if name == "feed.rss" else feed.logo
    assert logo == "http://testserver/static/newsroom-logo.png"
    kirby = feedparser.parse(response.content).entries[0]
    assert kirby.where["coordinates"] == (-77.0365, 38.8977)  # GeoRSS point, lon/lat


def test_rss_ttl_guid_and_build_date(client, seed):
    root = lxml.etree.fromstring(client.get(SEED + "feed.rss").content)
    assert root.findtext("channel/ttl") == "60"
    assert root.findtext("channel/lastBuildDate") == "Wed, 23 Oct 2024 21:00:00 +0000"
    guid = root.find("channel/item/guid")
    assert guid.get("isPermaLink") == "false"


def test_json_feed_follows_the_spec(client, seed):
    response = client.get(SEED + "feed.json")
    assert response["Content-Type"] == CONTENT_TYPES["feed.json"]
    document = json.loads(response.content)
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == "http://testserver" + SEED + "feed.json"
    assert document["home_page_url"] == "http://testserver" + SEED
    assert isinstance(document["items"], list) and document["authors"][0]["name"]
    for item in document["items"]:
        assert isinstance(item["id"], str) and item["content_html"]
        for key in ("date_published", "date_modified"):
            assert dt.datetime.fromisoformat(item[key]).tzinfo is not None  # RFC 3339
    assert [i["title"] for i in document["items"]] == NEWEST_FIRST
    assert document["items"][0]["tags"] == ["Stellungnahme", "Ukraine-Krieg"]
    assert document["items"][0]["_geo"]["point"] == "38.897700 -77.036500"


def publish_at(event, when):
    Event.objects.filter(pk=event.pk).update(first_published_at=when)


@pytest.mark.parametrize("name", FEEDS)
def test_newest_publication_first_with_a_limit(client, timeline, make_event, name):
    base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    for n in range(60):
        event = make_event(status=Status.PUBLISHED, title=f"Nummer {n}")
        publish_at(event, base + dt.timedelta(hours=n))
    url = timeline.export_url(name)
    titles = [e["title"] for e in read(client, url)]
    assert len(titles) == 50
    assert titles[0].endswith("Nummer 59") and titles[-1].endswith("Nummer 10")
    assert len(read(client, url, limit=5)) == 5
    assert len(read(client, url, limit=100_000)) == 60  # capped at 500
    assert len(read(client, url, limit="viele")) == 50


@pytest.mark.parametrize("name", FEEDS)
def test_tag_narrows_a_feed(client, seed, name):
    entries = read(client, SEED + name, tag="stellungnahme")
    assert [e["title"] for e in entries] == NEWEST_FIRST[:2]
    assert client.get(SEED + name, {"tag": "gibt-es-nicht"}).status_code == 404


@pytest.mark.parametrize("name", FEEDS)
def test_site_feed_covers_every_public_timeline(client, seed, make_event, timeline, name):
    make_event(status=Status.PUBLISHED, title="Aus der Testzeitleiste")
    hidden = Timeline.objects.create(title="Intern", slug="intern", is_public=False)
    make_event(timeline=hidden, status=Status.PUBLISHED, title="Geheim")
    titles = [e["title"] for e in read(client, "/" + name)]
    assert len(titles) == 6
    assert titles[0] == "23. Oktober 2024: Aus der Testzeitleiste"  # published just now
    assert not any("Geheim" in t for t in titles)


@pytest.mark.parametrize("name", FEEDS)
def test_drafts_never_reach_a_feed(client, seed, make_event, name):
    make_event(timeline=seed, title="Geheimer Entwurf", slug="entwurf")
    body = client.get(SEED + name).content.decode()
    assert "Geheimer Entwurf" not in body
    assert "Geheimer Entwurf" not in client.get("/" + name).content.decode()


@pytest.mark.parametrize("name", FEEDS)
def test_correction_updates_the_item(client, seed, name):
    Correction.objects.create(
        event=Event.objects.get(slug="austin-rom"),
        text="Austin sprach in Rom, nicht in Mailand.",
        published_at=dt.datetime(2024, 10, 24, 8, tzinfo=dt.UTC),
    )
    entry = next(e for e in read(client, SEED + name) if "Lloyd Austin" in e["title"])
    assert "Korrektur" in entry["content"]
    assert "Austin sprach in Rom, nicht in Mailand." in entry["content"]
    if name != "feed.rss":  # RSS has no date of change; its content changes
        assert entry["updated"] > entry["published"]
    assert entry["id"] == "urn:uuid:5a3c1e0e-1b0d-4a51-9f2e-0c6a2d7b1a04"  # same item


@pytest.mark.parametrize("name", FEEDS)
def test_retracted_event_stays_as_a_marked_item(client, seed, name):
    Event.objects.get(slug="austin-rom").retract("Die Aussage wurde falsch zugeordnet.")
    entry = next(e for e in read(client, SEED + name) if "Lloyd Austin" in e["title"])
    assert entry["title"].startswith("[Zurückgezogen] 23. Oktober 2024")
    assert "Die Aussage wurde falsch zugeordnet." in entry["content"]


HOSTILE = (
    "Kim \x00\x07\x1b\x7f\u200f\u202eשלום ]]> <script>alert('x')</script> "
    "<img src=x onerror=alert(1)> 🇰🇵💥 &amp; &nbsp; 김정은 Путин"
)


def test_printable_drops_what_xml_and_utf8_cannot_carry():
    assert printable("a\x00b\x0bc\ud800d\ufffee\tf\ng") == "abcde\tf\ng"


@pytest.mark.parametrize("name", FEEDS)
def test_hostile_text_leaves_every_feed_valid(client, seed, person, name):
    event = Event.objects.get(slug="kirby-washington")
    # Written around validation, as an old row or a careless import might be.
    hostile = storable(HOSTILE)
    Event.objects.filter(pk=event.pk).update(
        title=hostile, summary=hostile, body=hostile + "x" * 100_000, retraction_reason=hostile
    )
    Correction.objects.create(event=event, text=hostile)
    response = client.get(SEED + name)
    assert response.status_code == 200
    entry = next(e for e in read(client, SEED + name) if e["id"].endswith("a05"))
    assert "Kim" in entry["title"] and "김정은 Путин" in entry["title"] and "]]>" in entry["title"]
    if name != "feed.json":
        lxml.etree.fromstring(response.content)  # well-formed XML
        raw = lxml.etree.fromstring(response.content)
        contents = [
            node.text
            for node in raw.iter()
            if node.tag.endswith("}encoded") or node.tag.endswith("}content")
        ]
    else:
        contents = [item["content_html"] for item in json.loads(response.content)["items"]]
    for html in contents:
        document = lxml.html.fromstring(html)
        assert not document.xpath("//script | //*[@onerror] | //img")


@pytest.mark.parametrize("name", ["feed.rss", "feed.atom"])
def test_items_use_the_prefixes_declared_on_the_root(client, seed, name):
    # Items are written and cached one by one: none may declare a namespace of its own.
    content = client.get(SEED + name).content
    root = lxml.etree.fromstring(content)
    used = {node.prefix for node in root.iter() if node.prefix}
    assert {"dc", "georss"} <= used
    assert {prefix: PREFIXES[prefix] for prefix in used} == {p: root.nsmap[p] for p in used}
    assert content.count(b"xmlns") == len(root.nsmap)


@pytest.mark.parametrize("name", FEEDS)
def test_output_is_deterministic(client, seed, name):
    from django.core.cache import cache

    first = client.get(SEED + name).content
    cache.clear()
    assert client.get(SEED + name).content == first


def test_feed_costs_do_not_grow_with_the_timeline(client, timeline, many_events):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (10, 200):
        Event.objects.all().delete()
        many_events(size)
        for name in FEEDS:
            cache.clear()
            with CaptureQueriesContext(connection) as context:
                assert client.get(timeline.export_url(name)).status_code == 200
            counts.append(len(context.captured_queries))
    assert counts[:3] == counts[3:]
    assert max(counts) <= 10


def test_unknown_or_private_timeline_has_no_feed(client, db):
    Timeline.objects.create(title="Intern", slug="intern", is_public=False)
    assert client.get("/timelines/intern/feed.rss").status_code == 404
    assert client.get("/timelines/nichts/feed.atom").status_code == 404


def test_changed_timeline_title_changes_the_feed(client, seed):
    first = client.get(SEED + "feed.rss")
    seed.title = "Nordkoreas Soldaten in Russland"
    seed.save()
    second = client.get(SEED + "feed.rss")
    assert second["ETag"] != first["ETag"]
    assert feedparser.parse(second.content).feed.title == "Nordkoreas Soldaten in Russland"
    assert timezone.now() - seed.__class__.objects.get(pk=seed.pk).changed_at < dt.timedelta(
        minutes=1
    )
