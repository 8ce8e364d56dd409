"""The changes feeds (/timelines/<slug>/changes.atom, .rss, .json; /changes.atom …)
read as feed readers read them: one entry, with an id of its own, for each change a
reader would want to hear of, made the way editors make it (the admin, the API); and a
subscriber's newsboat shows a correction as a new, unread item."""

import datetime as dt
import json

import feedparser
import lxml.etree
import lxml.html
import pytest

from events.changes import record_change
from events.models import Correction, Event, Place, Timeline

from .conftest import MOMENT
from .desk import Desk
from .feeds import read_entries
from .newsboat import Newsboat
from .text import storable

SLUG = "nordkorea-soldaten-russland"
SEED = f"/timelines/{SLUG}/"
CHANGES = ["changes.atom", "changes.rss", "changes.json"]
KIRBY = "kirby-washington"  # tags: Stellungnahme, Ukraine-Krieg; place: Washington
AUSTIN = "austin-rom"  # tags: Stellungnahme, Ukraine-Krieg; place: Rom
SHIPS = "erste-schiffe-nach-wladiwostok"  # tags: Truppenverlegung, Ukraine-Krieg


def event(slug):
    return Event.objects.get(slug=slug)


def page_of(slug):
    return f"http://testserver{SEED}{slug}/"


def read(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return read_entries(response)  # feedparser finds no fault (bozo) in RSS or Atom


def text_of(html):
    """An entry's content as a reader sees it: the text of its HTML."""
    return lxml.html.fromstring(f"<div>{html}</div>").text_content()


# -- the editor's paths --------------------------------------------------------------


def correct(desk, slug, text):
    """Add a correction in the event's admin form (its corrections inline)."""
    desk.add_inline(event(slug).pk, "corrections", published_at="2024-10-25T10:00", text=text)


def retract(desk, slug, reason):
    desk.api("post", f"events/{event(slug).uuid}/retract/", {"reason": reason})


def publish_new(desk):
    """A draft written through the API, then published through it."""
    created = desk.api("post", "events/", {
        "timeline": SLUG, "slug": "neuer-bericht", "title": "Neuer Bericht aus Kursk",
        "summary": "Erste Einheiten erreichen die Region Kursk.",
        "start_date": "2024-10-25", "precision": "day",
    })  # fmt: skip
    desk.api("post", f"events/{created['uuid']}/publish/")
    return "neuer-bericht"


def correct_kirby(desk):
    correct(desk, KIRBY, "Kirby sprach im Weißen Haus, nicht im Pentagon.")
    return KIRBY


def retract_austin(desk):
    retract(desk, AUSTIN, "Die Aussage wurde falsch zugeordnet.")
    return AUSTIN


def redate_kirby(desk):
    desk.change("event", event(KIRBY).pk, when="24. Oktober 2024")
    return KIRBY


def edit_kirby(desk):
    desk.api("patch", f"events/{event(KIRBY).uuid}/", {"summary": "Kirby nennt eine Zahl."})
    return KIRBY


# Each kind of public change: what the editor does (-> the event's slug), the word its
# entry's title starts with in the timeline's language, what its content carries.
KINDS = {
    "published": (publish_new, "Neu", "Erste Einheiten erreichen die Region Kursk."),
    "corrected": (correct_kirby, "Korrektur", "Kirby sprach im Weißen Haus, nicht im Pentagon."),
    "retracted": (retract_austin, "Zurückgezogen", "Die Aussage wurde falsch zugeordnet."),
    "re-dated": (redate_kirby, "Neues Datum", "23. Oktober 2024"),  # the date it had
    "edited": (edit_kirby, "Aktualisiert", "Kirby nennt eine Zahl."),
}


@pytest.mark.parametrize("name", CHANGES)
@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_change_is_one_new_entry(editor_client, client, seed, kind, name):
    change, word, carried = KINDS[kind]
    before = {entry["id"] for entry in read(client, SEED + name)}
    slug = change(Desk(editor_client))
    entries = [entry for entry in read(client, SEED + name) if entry["id"] not in before]
    assert len(entries) == 1, [entry["title"] for entry in entries]
    [entry] = entries
    assert entry["id"].startswith("urn:uuid:")
    assert entry["id"] != f"urn:uuid:{event(slug).uuid}"  # not the event's own item
    shown = event(slug)
    assert entry["title"] == f"{word}: {shown.date_label('de')}: {shown.title}"
    assert carried in text_of(entry["content"])
    assert "Previously dated" not in entry["content"]  # in the timeline's language
    assert entry["link"] == page_of(slug)
    assert page_of(slug) in entry["content"]  # "Auf der Zeitleiste lesen"
    assert entry["published"] is not None


def test_a_scheduled_draft_is_new_when_its_moment_comes(client, seed, make_event, clock):
    make_event(timeline=seed, slug="sperrfrist", title="Nach der Sperrfrist", publish_at=MOMENT)
    clock(MOMENT - dt.timedelta(seconds=1))
    assert read(client, SEED + "changes.atom") == []
    clock(MOMENT)  # nobody saves anything: the next request publishes it
    [entry] = read(client, SEED + "changes.atom")
    assert entry["title"] == "Neu: 23. Oktober 2024: Nach der Sperrfrist"
    assert entry["link"] == page_of("sperrfrist")
    assert entry["published"] == MOMENT


@pytest.mark.parametrize("name", CHANGES)
def test_every_change_has_its_own_entry_newest_first(editor_client, client, seed, name):
    desk = Desk(editor_client)
    correct(desk, KIRBY, "Erste Korrektur.")
    correct(desk, KIRBY, "Zweite Korrektur.")
    retract(desk, KIRBY, "Nicht zu halten.")
    entries = read(client, SEED + name)
    assert [e["title"].split(":")[0] for e in entries] == [
        "Zurückgezogen", "Korrektur", "Korrektur"
    ]  # fmt: skip
    assert len({e["id"] for e in entries}) == 3
    assert "Zweite Korrektur." in text_of(entries[1]["content"])
    assert "Erste Korrektur." not in text_of(entries[1]["content"])  # only what was added
    assert "Erste Korrektur." in text_of(entries[2]["content"])
    live = {e["id"] for e in read(client, SEED + name.replace("changes", "feed"))}
    assert not live & {e["id"] for e in entries}  # no id of the live feed's


def test_a_correction_typed_in_paragraphs_keeps_them(editor_client, client, seed):
    """A browser sends a textarea's line breaks as CRLF."""
    correct(Desk(editor_client), KIRBY, "Erster Absatz.\r\n\r\nZweiter Absatz.")
    [entry] = read(client, SEED + "changes.atom")
    paragraphs = lxml.html.fromstring(f"<div>{entry['content']}</div>").xpath("//p")
    texts = [" ".join(p.text_content().split()) for p in paragraphs]
    assert "Zweiter Absatz." in texts
    assert any(text.endswith("Erster Absatz.") for text in texts)


@pytest.mark.parametrize("name", CHANGES)
def test_an_entry_links_the_event_where_it_is_now(editor_client, client, seed, timeline, name):
    """An event's address changes with its slug or timeline (the old one is a 404):
    its earlier entries lead to where it is now."""
    desk = Desk(editor_client)
    correct(desk, KIRBY, "Kirby sprach im Weißen Haus.")
    desk.change("event", event(KIRBY).pk, slug="kirby-weisses-haus")
    [entry] = read(client, SEED + name)
    assert entry["link"] == page_of("kirby-weisses-haus")
    assert client.get(entry["link"]).status_code == 200
    assert page_of(KIRBY) not in entry["content"]
    desk.change("event", event("kirby-weisses-haus").pk, timeline=timeline.pk)
    assert read(client, SEED + name) == []
    [moved] = read(client, f"/timelines/test/{name}")
    assert moved["id"] == entry["id"]
    assert moved["link"] == "http://testserver/timelines/test/kirby-weisses-haus/"
    assert client.get(moved["link"]).status_code == 200


@pytest.mark.parametrize("name", CHANGES)
def test_changes_no_reader_needs_to_hear_of_are_not_listed(editor_client, client, seed, name):
    desk = Desk(editor_client)
    # A draft, written, edited and corrected.
    draft = desk.api("post", "events/", {"timeline": SLUG, "slug": "entwurf", "title": "Entwurf",
                                         "start_date": "2024-10-25", "precision": "day"})  # fmt: skip
    desk.api("patch", f"events/{draft['uuid']}/", {"summary": "Noch geheim."})
    correct(desk, "entwurf", "Korrektur im Entwurf.")
    # Tags only, people only, a place renamed.
    desk.api("patch", f"events/{event(KIRBY).uuid}/", {"tags": ["truppenverlegung"]})
    desk.api("patch", f"events/{event(AUSTIN).uuid}/", {"people": ["lloyd-austin"]})
    desk.change("place", Place.objects.get(slug="washington").pk, name="Washington, D.C.")
    assert read(client, SEED + name) == []
    # The live feed did change: the writes were real.
    kirby = next(e for e in read(client, SEED + "feed.atom") if e["link"] == page_of(KIRBY))
    assert kirby["tags"] == ["Truppenverlegung"] and "Washington, D.C." in kirby["content"]
    assert [person.slug for person in event(AUSTIN).people.all()] == ["lloyd-austin"]


@pytest.mark.parametrize("name", CHANGES)
def test_the_site_lists_every_public_timeline_s_changes(
    editor_client, client, seed, timeline, make_event, name
):
    desk = Desk(editor_client)
    correct(desk, KIRBY, "Korrektur aus der Seed-Zeitleiste.")
    make_event(status="published", title="Aus der Testzeitleiste")  # a change of its own
    hidden = Timeline.objects.create(title="Intern", slug="intern", language="de")
    make_event(timeline=hidden, status="published", title="Geheim", slug="geheim")
    correct(desk, "geheim", "Geheime Korrektur.")
    retract(desk, SHIPS, "Die Schiffe waren andere.")
    entries = read(client, "/" + name)
    assert [e["title"] for e in entries] == [
        f"Zurückgezogen: Anfang Oktober 2024: {event(SHIPS).title}",
        "Neu: 23. Oktober 2024: Aus der Testzeitleiste",
        f"Korrektur: 23. Oktober 2024: {event(KIRBY).title}",
    ]
    assert entries[1]["link"] == "http://testserver/timelines/test/ereignis-1/"
    assert "Geheim" not in json.dumps(entries, default=str)
    assert client.get(f"/timelines/intern/{name}").status_code == 404

    tagged = read(client, "/" + name, tag="stellungnahme")
    assert [e["link"] for e in tagged] == [page_of(KIRBY)]
    assert [e["link"] for e in read(client, SEED + name, tag="truppenverlegung")] == [
        page_of(SHIPS)
    ]
    assert client.get("/" + name, {"tag": "gibt-es-nicht"}).status_code == 404
    limited = read(client, "/" + name, limit=2)
    assert [e["id"] for e in limited] == [e["id"] for e in entries[:2]]
    assert len(read(client, SEED + name, limit=1)) == 1


def related_links(response):
    """(href, type) of a feed's rel="related" links: feedparser for RSS and Atom, the
    `_links` extension of JSON Feed."""
    if response["Content-Type"].startswith("application/feed+json"):
        links = json.loads(response.content).get("_links", {}).get("links", [])
        return [(link["href"], link.get("type")) for link in links if link["rel"] == "related"]
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return [(link.href, link.get("type")) for link in parsed.feed.links if link.rel == "related"]


@pytest.mark.parametrize(("live", "changes", "media_type"), [
    ("feed.atom", "changes.atom", "application/atom+xml"),
    ("feed.rss", "changes.rss", "application/rss+xml"),
    ("feed.json", "changes.json", "application/feed+json"),
])  # fmt: skip
@pytest.mark.parametrize("base", [SEED, "/"])
def test_a_feed_and_its_changes_feed_link_each_other(client, seed, base, live, changes,
                                                     media_type):  # fmt: skip
    host = "http://testserver"
    assert related_links(client.get(base + live)) == [(host + base + changes, media_type)]
    assert related_links(client.get(base + changes)) == [(host + base + live, media_type)]
    tagged = client.get(base + live, {"tag": "stellungnahme"})
    assert related_links(tagged) == [(f"{host}{base}{changes}?tag=stellungnahme", media_type)]


@pytest.mark.parametrize("name", CHANGES)
def test_the_changes_feed_says_what_it_is(client, seed, name):
    response = client.get(SEED + name)
    if name == "changes.json":
        document = json.loads(response.content)
        title, home, own = document["title"], document["home_page_url"], document["feed_url"]
    else:
        feed = feedparser.parse(response.content).feed
        links = {link.rel: link.href for link in feed.links}
        title, home, own = feed.title, links["alternate"], links["self"]
        assert feed.language == "de"
        if name == "changes.atom":  # a feed of its own, not the live feed
            assert feed.id != feedparser.parse(client.get(SEED + "feed.atom").content).feed.id
    assert title.startswith("Nordkoreanische Soldaten in Russland – ")
    assert "Changes" not in title  # in the timeline's language
    assert home == "http://testserver" + SEED
    assert own == "http://testserver" + SEED + name


def test_the_changes_feed_shares_the_timeline_s_freshness(editor_client, client, seed):
    url = SEED + "changes.atom"
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    assert first["ETag"] != client.get(SEED + "feed.atom")["ETag"]  # another document
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304

    correct(Desk(editor_client), KIRBY, "Kirby sprach im Weißen Haus.")
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    assert [e["title"].split(":")[0] for e in read_entries(second)] == ["Korrektur"]
    assert client.get(url, HTTP_IF_NONE_MATCH=second["ETag"]).status_code == 304
    site = client.get("/changes.atom")
    retract(Desk(editor_client), AUSTIN, "Falsch zugeordnet.")
    assert client.get("/changes.atom", HTTP_IF_NONE_MATCH=site["ETag"]).status_code == 200


HOSTILE = (
    "Kim \x00\x07\x1b\x7f\u200f\u202eשלום ]]> <script>alert('x')</script> "
    "<img src=x onerror=alert(1)> 🇰🇵💥 &amp; &nbsp; 김정은 Путин"
)
MARKUP = "<script>alert('x')</script> <img src=x onerror=alert(1)> ]]> &amp; <b>fett</b> "


def contents(response, name):
    """The HTML of each entry as written, before any reader sanitizes it (feedparser
    does): Atom <content>, RSS <content:encoded>, JSON Feed content_html."""
    if name == "changes.json":
        return [item["content_html"] for item in json.loads(response.content)["items"]]
    root = lxml.etree.fromstring(response.content)  # well-formed XML
    return [
        node.text
        for node in root.iter()
        if node.tag in ("{http://www.w3.org/2005/Atom}content",
                        "{http://purl.org/rss/1.0/modules/content/}encoded")
    ]  # fmt: skip


@pytest.mark.parametrize("name", CHANGES)
def test_hostile_text_is_text_in_every_changes_feed(editor_client, client, seed, name):
    desk = Desk(editor_client)
    # The longest correction the desk takes, with markup, through the admin ...
    typed = (MARKUP + "x" * 5000)[:5000]
    correct(desk, KIRBY, typed)
    assert Correction.objects.filter(text=typed).exists()
    retract(desk, AUSTIN, MARKUP.strip())
    # ... and control characters, written around validation, as an old row might be.
    with record_change():
        Event.objects.filter(slug=SHIPS).update(title=storable(HOSTILE))
        Correction.objects.create(event=event(SHIPS), text=storable(HOSTILE * 50)[:5000])
    response = client.get(SEED + name)
    assert response.status_code == 200
    entries = read_entries(response)  # no bozo
    assert len(entries) == 3
    hostile = entries[0]
    assert "Kim" in hostile["title"] and "김정은 Путин" in hostile["title"]
    assert "\x07" not in hostile["title"] and "]]>" in hostile["title"]
    written = contents(response, name)
    assert len(written) == 3
    for html in written:
        document = lxml.html.fromstring(f"<div>{html}</div>")
        assert not document.xpath("//script | //img | //*[@onerror] | //b")
    texts = [text_of(html) for html in written]
    assert "<script>alert('x')</script>" in texts[0] and "\x1b" not in texts[0]
    assert "<script>alert('x')</script> <img src=x onerror=alert(1)>" in texts[1]  # reason
    assert typed.strip() in texts[2]  # all 5,000 characters, as text


def test_a_changes_feed_costs_the_same_few_queries_however_long(client, seed, timeline,
                                                                make_event):  # fmt: skip
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for count in (2, 40):
        while timeline.public_changes.count() < count:
            make_event(status="published")
        for base in ("/timelines/test/", "/"):
            for name in CHANGES:
                cache.clear()
                with CaptureQueriesContext(connection) as context:
                    assert len(read(client, base + name, limit=count)) >= count
                counts.append(len(context.captured_queries))
    assert counts[:6] == counts[6:]
    assert max(counts) <= 10


@pytest.mark.parametrize("base", [SEED, "/"])
def test_the_pages_offer_the_changes_feeds(client, seed, base):
    page = lxml.html.fromstring(client.get(base).content.decode())
    head = {
        link.get("href"): link.get("type") for link in page.xpath("//head/link[@rel='alternate']")
    }
    visible = page.xpath("//body//a/@href")
    for name, media_type in [("changes.atom", "application/atom+xml"),
                             ("changes.rss", "application/rss+xml"),
                             ("changes.json", "application/feed+json")]:  # fmt: skip
        assert head.get(base + name) == media_type
        assert base + name in visible


# -- a subscriber's newsboat -----------------------------------------------------------


def test_newsboat_shows_a_correction_and_a_retraction_as_new_items(site, editor_client, tmp_path):
    """Subscribed to the live feed and the changes feed, a reader reads everything; a
    correction then arrives as one unread item of the changes feed — the live feed
    replaces its item silently, and it stays read — and so does a retraction."""
    newsboat = Newsboat(tmp_path)
    live, changes = site + SEED + "feed.atom", site + SEED + "changes.atom"
    newsboat.subscribe(live)
    newsboat.subscribe(changes)
    newsboat.reload()
    assert {item["feed"] for item in newsboat.unread()} == {live}  # no changes yet
    newsboat.mark_all_read()

    desk = Desk(editor_client)
    correct(desk, KIRBY, "Kirby sprach im Weißen Haus, nicht im Pentagon.")
    newsboat.reload()
    [item] = newsboat.unread()
    assert item["feed"] == changes
    assert item["title"].startswith("Korrektur: 23. Oktober 2024: John Kirby")
    assert "Kirby sprach im Weißen Haus, nicht im Pentagon." in item["content"]
    assert item["url"] == site + SEED + KIRBY + "/"
    assert newsboat.unread_count() == 1
    # The live feed has the correction too, in the item the reader has read already.
    kirby = next(i for i in newsboat.items() if i["feed"] == live and KIRBY in i["url"])
    assert "Kirby sprach im Weißen Haus, nicht im Pentagon." in kirby["content"]
    assert not kirby["unread"]

    newsboat.mark_all_read()
    retract(desk, AUSTIN, "Die Aussage wurde falsch zugeordnet.")
    newsboat.reload()  # conditional requests from here on
    [item] = newsboat.unread()
    assert item["feed"] == changes
    assert item["title"].startswith("Zurückgezogen: 23. Oktober 2024: Lloyd Austin")
    assert "Die Aussage wurde falsch zugeordnet." in item["content"]
    austin = next(i for i in newsboat.items() if i["feed"] == live and AUSTIN in i["url"])
    assert "Die Aussage wurde falsch zugeordnet." in austin["content"]
    assert not austin["unread"]
    newsboat.reload()  # nothing new: nothing unread
    assert len(newsboat.unread()) == 1


# Last-Modified counts whole seconds: a second change within the same second must
# still move it (events.changes), or If-Modified-Since alone gets 304 for the changed
# feed, and libcurl (newsboat) drops a 200 whose Last-Modified is not newer.


def test_a_second_change_in_the_same_second_is_not_modified_since(
    editor_client, client, seed, clock
):
    clock(MOMENT + dt.timedelta(milliseconds=100))
    correct(Desk(editor_client), KIRBY, "Erste Korrektur.")
    first = client.get(SEED + "changes.atom")
    clock(MOMENT + dt.timedelta(milliseconds=600))
    retract(Desk(editor_client), AUSTIN, "Falsch zugeordnet.")
    again = client.get(SEED + "changes.atom", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200


def test_newsboat_gets_a_second_change_in_the_same_second(site, editor_client, tmp_path,
                                                          clock):  # fmt: skip
    newsboat = Newsboat(tmp_path)
    newsboat.subscribe(site + SEED + "changes.atom")
    newsboat.reload()
    clock(MOMENT + dt.timedelta(milliseconds=100))
    correct(Desk(editor_client), KIRBY, "Erste Korrektur.")
    newsboat.reload()
    newsboat.mark_all_read()
    clock(MOMENT + dt.timedelta(milliseconds=600))
    retract(Desk(editor_client), AUSTIN, "Falsch zugeordnet.")
    newsboat.reload()
    assert [item["title"].split(":")[0] for item in newsboat.unread()] == ["Zurückgezogen"]


def test_an_event_moved_out_of_a_private_timeline_is_new_to_readers(client, seed):
    hidden = Timeline.objects.create(title="Intern", slug="intern", is_public=False)
    event = Event.objects.get(slug="kirby-washington")
    with record_change():
        event.timeline = hidden
        event.save()
    before = len(read_entries(client.get(SEED + "changes.atom")))
    with record_change():
        event.timeline = Timeline.objects.get(slug=SLUG)
        event.save()
    entries = read_entries(client.get(SEED + "changes.atom"))
    assert len(entries) == before + 1
    assert entries[0]["title"].startswith("Neu: 23. Oktober 2024: John Kirby")


def test_a_burst_of_changes_moves_last_modified_but_never_far_ahead_of_the_clock(seed):
    from django.utils import timezone

    event = Event.objects.get(slug="kirby-washington")
    times = []
    for number in range(30):
        with record_change():
            event.summary = f"Fassung {number}"
            event.save()
        times.append(Timeline.objects.get(slug=SLUG).changed_at)
    assert times == sorted(times)
    assert times[-1] <= timezone.now() + dt.timedelta(seconds=5, milliseconds=100)
    assert len({moment.replace(microsecond=0) for moment in times[:5]}) == 5
