"""The WebSub harness works: a real hub process takes a subscription, and on a publish
fetches the topic and posts its bytes to the subscriber."""

import hashlib
import hmac
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.websub.harness import Subscriber, publish, running_hub

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Harness</title>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <updated>2024-10-23T12:00:00Z</updated>
  <entry>
    <title>Ereignis \xc3\xa4</title>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <updated>2024-10-23T12:00:00Z</updated>
  </entry>
</feed>
"""


@pytest.fixture
def hub():
    with running_hub() as url:
        yield url


@pytest.fixture
def subscriber():
    with Subscriber() as subscriber:
        yield subscriber


@pytest.fixture
def topic(hub):
    """A static Atom feed, advertising the hub in Link headers as the hub requires."""

    class Feed(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/atom+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(FEED)))
            self.send_header("Link", f'<{hub}>; rel="hub", <{url}>; rel="self"')
            self.end_headers()
            self.wfile.write(FEED)

        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Feed)
    url = f"http://127.0.0.1:{server.server_address[1]}/feed.atom"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield url
    server.shutdown()
    server.server_close()


def test_a_publish_reaches_the_subscriber_with_the_feeds_bytes(hub, subscriber, topic):
    subscriber.subscribe(hub, topic, secret="s3cret")
    publish(hub, topic)
    delivery = subscriber.next_delivery(timeout=10)
    assert delivery.topic == topic
    assert delivery.body == FEED
    assert delivery.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert f'<{topic}>; rel="self"' in delivery.headers["Link"]
    signature = hmac.new(b"s3cret", FEED, hashlib.sha512).hexdigest()
    assert delivery.headers["X-Hub-Signature"] == f"sha512={signature}"
