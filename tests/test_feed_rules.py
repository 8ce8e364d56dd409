"""The feeds pass the W3C feed validator's rules — RSS 2.0 and Atom 1.0 as the W3C
Feed Validation Service checks them, JSON Feed 1.1 by its spec (`tests/feed_rules.py`)
— with their WebSub links (the hubs, exactly one self) and their RFC 5005 links
(archives: fh:archive, current, prev-archive and next-archive)."""

import html
import json

import feedparser
import lxml.etree
import pytest
from django.core.management import call_command

from events import archives
from events.changes import record_change
from events.models import Correction, Event, PublicChange, Status, Tag

from .feed_rules import SCHEME, archive_markers, every_href, head_links, names, problems

HUBS = ["https://hub.example/", "https://other.example/hub"]
SEED = "/timelines/nordkorea-soldaten-russland/"
FEEDS = ["feed.rss", "feed.atom", "feed.json"]
CHANGES = ["changes.rss", "changes.atom", "changes.json"]
KINDS = ["atom", "rss", "json"]


@pytest.fixture(params=[True, False], ids=["hubs", "no-hubs"])
def hubs(request, settings):
    """Every test runs with two WebSub hubs configured, and with none."""
    settings.NEWSROOM_URL = "http://testserver"
    settings.WEBSUB_HUBS = HUBS if request.param else []
    return list(settings.WEBSUB_HUBS)


@pytest.fixture
def changed(seed):
    """The seed after a correction of one public event and the retraction of another,
    each through the record of change, so the changes feeds have entries."""
    corrected, retracted = Event.objects.public().order_by("slug")[:2]
    with record_change():
        Correction.objects.create(event=corrected, text="Es waren 3.000 Soldaten, nicht 300.")
    with record_change():
        retracted.retract("Die Aussage wurde falsch zugeordnet.")
    retracted.refresh_from_db()
    assert retracted.status == Status.RETRACTED
    assert retracted.retraction_reason == "Die Aussage wurde falsch zugeordnet."
    assert PublicChange.objects.filter(event__in=[corrected, retracted]).count() >= 2
    return seed


def absolute(href):
    return bool(SCHEME.match(href)) and (
        not href.lower().startswith(("http:", "https:")) or "://" in href
    )


def check(client, path, hubs, *, archive=None):
    """What is wrong with the document at `path` (the validator's rules, then WebSub's
    and RFC 5005's), as messages; [] when nothing is. `archive`: for a page of an
    archive, {rel: href} of the current, prev-archive and next-archive links it must
    have (and no others of them)."""
    response = client.get(path)
    if response.status_code != 200:
        return [f"status {response.status_code}"]
    url = "http://testserver" + path
    body = response.content
    media_type = response["Content-Type"].split(";")[0]
    found = problems(body, url, response["Content-Type"])
    links = head_links(body)

    def expect(condition, message):
        if not condition:
            found.append(message)

    selves = [(href, kind) for rel, href, kind in links if rel == "self"]
    expect(selves == [(url, media_type)], f"self links {selves}, not one to {url}")
    topic = bool(hubs) and "limit=" not in path and archive is None
    named = [href for rel, href, _ in links if rel == "hub"]
    expect(named == (hubs if topic else []), f"hub links {named}")
    markers = archive_markers(body)
    expect(markers == (archive is not None), f"{markers} fh:archive markers")
    history = {
        rel: href for rel, href, _ in links if rel in ("current", "prev-archive", "next-archive")
    }
    if archive is not None:
        expect(history == archive, f"history links {history}, not {archive}")
        kinds = {kind for rel, _, kind in links if rel in history}
        expect(kinds == {media_type}, f"history links of types {kinds}")
    else:
        expect("current" not in history and "next-archive" not in history, f"{history}")
    relative = [href for href in every_href(body) if not absolute(href)]
    expect(not relative, f"relative links {relative}")
    return found


def variants(client, names_, hubs, tag):
    """{path: what is wrong} of each of these documents, a timeline's and the site's,
    as they are, for a tag and with ?limit=2 — only those with something wrong."""
    found = {}
    for base in [SEED, "/"]:
        for name in names_:
            for query in ["", f"?tag={tag}", "?limit=2"]:
                path = base + name + query
                wrong = check(client, path, hubs)
                if wrong:
                    found[path] = wrong
    return found


def entries(body):
    """The entries (items) of a feed, whatever the format."""
    if body.startswith(b"{"):
        return json.loads(body)["items"]
    root = lxml.etree.fromstring(body)
    return root.findall("channel/item") or root.findall("{http://www.w3.org/2005/Atom}entry")


def published_tag():
    return Tag.objects.filter(events__status=Status.PUBLISHED).order_by("slug").first().slug


@pytest.mark.parametrize("names_", [FEEDS, CHANGES], ids=["feeds", "changes"])
def test_the_seed_feeds_pass_the_validator(client, seed, hubs, names_):
    assert variants(client, names_, hubs, published_tag()) == {}


@pytest.mark.parametrize("names_", [FEEDS, CHANGES], ids=["feeds", "changes"])
def test_after_a_correction_and_a_retraction_the_feeds_pass_the_validator(
    client, changed, hubs, names_
):
    assert variants(client, names_, hubs, published_tag()) == {}
    for name in CHANGES:  # the changes were listed: the rules saw entries
        assert len(entries(client.get(SEED + name).content)) >= 2, name


@pytest.mark.parametrize("kind", KINDS)
def test_archive_pages_pass_the_validator_and_link_as_rfc_5005_asks(
    client, timeline, many_events, hubs, kind
):
    many_events(120)
    call_command("make_archives", verbosity=0)
    for slug, base in [(timeline.slug, timeline.get_absolute_url()), (None, "/")]:
        live = f"{base}feed.{kind}"

        def page(number, slug=slug):
            return "http://testserver" + archives.page_path(slug, number, kind)

        assert check(client, live, hubs) == []
        rels = {rel: href for rel, href, _ in head_links(client.get(live).content)}
        assert rels["prev-archive"] == page(2)
        current = "http://testserver" + live
        expected = {
            1: {"current": current, "next-archive": page(2)},
            2: {"current": current, "prev-archive": page(1)},
        }
        for number, links in expected.items():
            path = page(number).removeprefix("http://testserver")
            assert check(client, path, hubs, archive=links) == []


def test_a_lone_archive_page_draws_only_the_validators_archive_incomplete_warning(
    client, timeline, many_events, hubs
):
    """One page and no other: nothing for prev-archive or next-archive to name. The
    service warns (ArchiveIncomplete, "add links … as appropriate"); RFC 5005 asks for
    neither link then, so the warning stands, and it is the only one."""
    many_events(archives.PAGE_SIZE)
    call_command("make_archives", verbosity=0)
    for kind in ["atom", "rss"]:
        path = archives.page_path(timeline.slug, 1, kind)
        response = client.get(path)
        found = problems(response.content, "http://testserver" + path)
        assert names(found) == ["ArchiveIncomplete"], found


# What an editor may type (validation allows it) and readers must be shown as typed.
TYPED = "Angaben <unbestätigt>, Quelle <https://www.whitehouse.gov/> & Co."


@pytest.mark.parametrize("name", FEEDS + CHANGES)
def test_angle_brackets_an_editor_types_stay_text(client, seed, name):
    event = Event.objects.get(slug="kirby-washington")
    event.summary = TYPED
    event.full_clean()
    with record_change():
        event.save()
    response = client.get(SEED + name)
    assert problems(response.content, "http://testserver" + SEED + name) == []
    if not name.endswith(".json"):  # what a reader shows (RSS: <description> is HTML)
        parsed = feedparser.parse(response.content)
        shown = [html.unescape(entry.summary) for entry in parsed.entries]  # as rendered
        assert any(TYPED in summary for summary in shown), shown


# The rules can fail: hand-written documents with known faults.

GOOD_ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">
  <id>urn:uuid:60a76c80-d399-11d9-b93c-0003939e0af6</id>
  <title>Beispiel</title>
  <updated>2024-10-23T12:00:00Z</updated>
  <author><name>Redaktion</name></author>
  <link href="http://testserver/feed.atom" rel="self" type="application/atom+xml"/>
  <link href="https://hub.example/" rel="hub"/>
  <entry>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <title>Eins</title>
    <updated>2024-10-23T12:00:00Z</updated>
    <link href="http://testserver/eins/" rel="alternate" type="text/html"/>
    <summary>Ein Ereignis.</summary>
  </entry>
</feed>
"""


def test_a_good_atom_snippet_has_no_problems():
    assert problems(GOOD_ATOM.encode(), "http://testserver/feed.atom") == []


FAULTS = [  # (what the good snippet says, what the bad one says instead)
    ('<link href="http://testserver/feed.atom" rel="self" type="application/atom+xml"/>', ""),
    ('rel="hub"', 'rel="hubb"'),
    ("<updated>2024-10-23T12:00:00Z</updated>\n    <link", "<updated>23.10.2024</updated>\n    <link"),
    ("</entry>", '<link href="/alt/" rel="alternate" type="text/html"/></entry>'),
    ("</feed>", '<fh:archive xmlns:fh="http://purl.org/syndication/history/1.0"/></feed>'),
]  # fmt: skip


def test_a_bad_atom_snippet_gets_the_validators_messages():
    bad = GOOD_ATOM
    for good, worse in FAULTS:
        assert good in bad
        bad = bad.replace(good, worse)
    found = problems(bad.encode(), "http://testserver/feed.atom")
    assert sorted(names(found)) == sorted([
        "MissingSelf",
        "UnregisteredAtomLinkRel",  # rel="hubb"
        "InvalidRFC3339Date",  # the entry's updated
        "DuplicateAtomLink",  # two alternates of type text/html in the entry
        "MisplacedMetadata",  # fh:archive after the entry
        "ArchiveIncomplete",  # fh:archive, and neither prev-archive nor next-archive
        "MissingCurrentInArchive",  # fh:archive, and no current
    ]), found  # fmt: skip


def test_a_bad_json_feed_gets_its_specs_messages():
    bad = b"""{"version": "https://jsonfeed.org/version/1.1", "title": "Beispiel",
      "home_page_url": "http://testserver/", "feed_url": "http://testserver/feed.json",
      "hubs": [{"url": "https://hub.example/"}], "links": [],
      "items": [{"id": 1, "content_html": "<p>x</p>", "date_published": "23.10.2024"}]}"""
    found = problems(bad, "http://testserver/feed.json")
    assert names(found) == [
        "JSONFeedUnknownKey",  # links: no JSON Feed key, and no extension (_links)
        "JSONFeedMissing",  # the hub's type
        "JSONFeedType",  # a number as the item's id
        "JSONFeedDate",
    ], found
