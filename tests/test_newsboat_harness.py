"""The newsboat harness (tests/newsboat.py) against a static feed on 127.0.0.1, in RSS 2.0
and Atom: what a subscriber who has read everything sees after the feed changes."""

import datetime as dt
import email.utils
import hashlib
import http.server
import threading

import pytest

from tests.newsboat import Newsboat

PUBLISHED = {1: "2024-10-23T10:00:00Z", 2: "2024-10-23T11:00:00Z", 3: "2024-10-24T10:00:00Z"}
V1 = [(1, "Erste Fassung", "2024-10-23T10:00:00Z"), (2, "Zweites", "2024-10-23T11:00:00Z")]
V2 = [
    (1, "Berichtigte Fassung", "2024-10-24T09:00:00Z"),  # corrected: content and <updated>
    (2, "Zweites", "2024-10-24T09:30:00Z"),  # only <updated> (Atom) is new
    (3, "Drittes", "2024-10-24T10:00:00Z"),  # new
]


def rfc822(rfc3339):
    return email.utils.format_datetime(dt.datetime.fromisoformat(rfc3339), usegmt=True)


def feed(kind, items):
    """An RSS 2.0 or Atom feed of (n, content, updated) items, item n with guid
    urn:test:n and the date PUBLISHED[n] (RSS has no <updated>)."""
    if kind == "rss":
        entries = "".join(
            f"<item><title>Item {n}</title><link>http://example.test/{n}</link>"
            f'<guid isPermaLink="false">urn:test:{n}</guid><description>{content}</description>'
            f"<pubDate>{rfc822(PUBLISHED[n])}</pubDate></item>"
            for n, content, _ in items
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            "<title>Test</title><link>http://example.test/</link><description>Test</description>"
            f"{entries}</channel></rss>"
        ).encode()
    entries = "".join(
        f"<entry><id>urn:test:{n}</id><title>Item {n}</title>"
        f'<link href="http://example.test/{n}"/><published>{PUBLISHED[n]}</published>'
        f'<updated>{updated}</updated><content type="html">{content}</content></entry>'
        for n, content, updated in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<id>urn:test:feed</id><title>Test</title><updated>2024-10-24T10:00:00Z</updated>"
        f'<link href="http://example.test/"/>{entries}</feed>'
    ).encode()


def etag(body):
    return f'"{hashlib.sha256(body).hexdigest()[:16]}"'


class Feed(http.server.BaseHTTPRequestHandler):
    """Serves `body` at any path, with an ETag of its bytes, and 304 when it matches."""

    body = b""
    answered = []  # (If-None-Match, status) of every request

    def do_GET(self):
        tag = etag(Feed.body)
        fresh = self.headers.get("If-None-Match") == tag
        Feed.answered.append((self.headers.get("If-None-Match"), 304 if fresh else 200))
        if fresh:
            self.send_response(304)
            self.send_header("ETag", tag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("ETag", tag)
        self.send_header("Content-Length", str(len(Feed.body)))
        self.end_headers()
        self.wfile.write(Feed.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def served():
    """The feed's URL on 127.0.0.1; set `Feed.body` to what it serves."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Feed)
    httpd.daemon_threads = True
    Feed.body, Feed.answered = b"", []
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/feed"
    httpd.shutdown()
    httpd.server_close()


def by_guid(newsboat):
    return {item["guid"]: item for item in newsboat.items()}


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_a_new_guid_is_unread_a_corrected_one_silently_replaced(tmp_path, served, kind):
    """Read everything, then the feed corrects item 1 and adds item 3: only item 3 is
    unread; item 1 shows the correction but stays read (its date is the first one)."""
    newsboat = Newsboat(tmp_path)
    newsboat.subscribe(served)
    Feed.body = feed(kind, V1)
    newsboat.reload()
    assert [item["guid"] for item in newsboat.unread()] == ["urn:test:2", "urn:test:1"]
    assert newsboat.unread_count() == 2  # newsboat's own count agrees with its cache
    newsboat.mark_all_read()
    assert newsboat.unread() == [] and newsboat.unread_count() == 0
    first = by_guid(newsboat)

    Feed.body = feed(kind, V2)
    newsboat.reload()
    assert [item["guid"] for item in newsboat.unread()] == ["urn:test:3"]
    assert newsboat.unread_count() == 1
    items = by_guid(newsboat)
    assert items["urn:test:3"]["content"] == "Drittes"
    assert items["urn:test:3"]["title"] == "Item 3"
    assert items["urn:test:1"]["content"] == "Berichtigte Fassung"
    assert not items["urn:test:1"]["unread"]
    assert items["urn:test:1"]["date"] == first["urn:test:1"]["date"]
    assert items["urn:test:2"] == first["urn:test:2"]  # a new <updated> alone: nothing


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_reset_unread_on_update_brings_back_a_corrected_item(tmp_path, served, kind):
    """A reader with `reset-unread-on-update` for the feed sees the corrected item 1
    unread again; item 2, whose Atom <updated> alone changed, stays read."""
    newsboat = Newsboat(tmp_path, reset_unread_on_update=True)
    newsboat.subscribe(served)
    Feed.body = feed(kind, V1)
    newsboat.reload()
    newsboat.mark_all_read()
    Feed.body = feed(kind, V2)
    newsboat.reload()
    assert [item["guid"] for item in newsboat.unread()] == ["urn:test:3", "urn:test:1"]
    assert by_guid(newsboat)["urn:test:1"]["content"] == "Berichtigte Fassung"


def test_newsboat_asks_conditionally_from_its_third_download(tmp_path, served):
    """Newsboat keeps the ETag from the second download on (not the first) and sends it
    back; the server's 304 leaves what the reader has as it was."""
    newsboat = Newsboat(tmp_path)
    newsboat.subscribe(served)
    Feed.body = feed("rss", V1)
    for _ in range(3):
        newsboat.reload()
    assert Feed.answered == [(None, 200), (None, 200), (etag(Feed.body), 304)]
    assert len(newsboat.items()) == 2
