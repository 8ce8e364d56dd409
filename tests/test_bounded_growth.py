"""Anonymous requests cannot make the caches grow: what a query string adds beyond the
parameters a page or an export reads makes no entry, no folder and no file of its own."""

import os
import time

import lxml.html
import pytest
from icalendar import Calendar

from events import document_files

SEED = "/timelines/nordkorea-soldaten-russland/"


def rendered(response):
    """Whether the timeline page was rendered for this response (not taken from the cache)."""
    return "events/timeline.html" in [template.name for template in response.templates]


def language_switch(response):
    page = lxml.html.fromstring(response.content)
    return page.xpath("//a[@hreflang='en']/@href")


def test_junk_in_the_query_shares_the_page_of_the_plain_address(client, seed):
    first = client.get(SEED, {"junk": 0, "tag": "stellungnahme"})
    assert rendered(first)
    for n in range(1, 30):
        again = client.get(SEED, {"junk": n, "utm_source": f"x{n}", "tag": " stellungnahme "})
        assert not rendered(again) and again.content == first.content
    assert language_switch(first) == ["?lang=en&tag=stellungnahme"]  # the junk is not kept
    assert not rendered(client.get(SEED, {"tag": "stellungnahme", "page": "1"}))


def test_the_parameters_a_page_reads_each_have_their_entry(client, seed):
    for params in [{}, {"lang": "en"}, {"q": "Kirby"}, {"person": "john-kirby"}]:
        assert rendered(client.get(SEED, params)), params
        assert not rendered(client.get(SEED, params)), params


@pytest.mark.parametrize(
    "params", [{"page": "7"}, {"tag": "gibt-es-nicht"}, {"q": "nirgends"}], ids=str
)
def test_made_up_values_are_answered_but_not_kept(client, seed, params):
    for _ in range(2):
        response = client.get(SEED, params)
        assert response.status_code == 200 and rendered(response)
        assert "private" in response["Cache-Control"]


def folders():
    return sorted(document_files.root().glob("*/")) if document_files.root().exists() else []


def test_an_export_that_is_not_found_leaves_no_folder(client, seed):
    missing = [SEED + "feed.rss?tag=gibt-es-nicht", SEED + "gibt-es-nicht.ics",
               "/calendar.ics?tag=gibt-es-nicht", "/timelines/gibt-es-nicht/feed.rss"]  # fmt: skip
    for url in missing:
        assert client.get(url).status_code == 404, url
    assert folders() == []
    client.get(SEED + "feed.rss")
    assert len(folders()) == 1


def test_trimming_removes_folders_left_without_a_file(client, seed):
    client.get(SEED + "feed.rss")
    (kept,) = folders()
    old, fresh = document_files.root() / "old-and-empty", document_files.root() / "just-made"
    old.mkdir()
    fresh.mkdir()
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    document_files.trim(10**9)
    assert folders() == sorted([kept, fresh])  # a fresh one is about to get its file


# Files of one document for five values of ?limit=: feeds list the newest events up to
# the limit, calendars and data exports hold every event whatever it says.
FILES_FOR_FIVE_LIMITS = {
    SEED + "calendar.ics": 1,
    SEED + "events.csv": 1,
    SEED + "timelinejs.json": 1,
    "/calendar.ics": 1,
    SEED + "feed.rss": 5,
    SEED + "feed.atom": 5,
    SEED + "feed.json": 5,
}


@pytest.mark.parametrize(("url", "files"), FILES_FOR_FIVE_LIMITS.items())
def test_limit_keys_only_the_documents_that_read_it(client, seed, url, files):
    bodies = {client.get(url, {"limit": limit}).content for limit in range(1, 6)}
    assert len(bodies) == files
    assert len(document_files.files()) == files


def test_a_calendar_names_its_address_without_a_limit(client, seed):
    calendar = Calendar.from_ical(client.get(SEED + "calendar.ics", {"limit": 3}).content)
    assert calendar["SOURCE"] == f"http://testserver{SEED}calendar.ics"
