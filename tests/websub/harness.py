"""A real WebSub hub and a subscriber, on 127.0.0.1, for tests of pushing our feeds.

running_hub() starts Flask-WebSub's hub (tests/websub/hub_app.py) as a process of its own,
from its own virtualenv (.hub-venv, made by `make test-tools`), and yields the URL of its hub
endpoint. Subscriber is a small HTTP server in a thread that subscribes at a hub, answers the
hub's verification of intent, and keeps every content distribution the hub posts to it.

What the hub does, and wants (Flask-WebSub 0.4.1):
- a publisher pings it with a form POST of hub.mode=publish and hub.topic=TOPIC (not
  hub.url); it answers 202 at once, then fetches TOPIC and posts the body to every
  subscriber of exactly that URL;
- it posts nothing unless the topic's HTTP response has a Link header holding both
  rel="hub" and rel="self" (quoted, as it looks for those strings); a topic without them
  is logged as NotificationError in the hub's output, and the subscribers get nothing;
- the distribution carries the topic response's own headers (Content-Type, Link, ...), and
  X-Hub-Signature: sha512=HMAC when the subscriber gave a hub.secret.
The hub's log goes to this process's stderr, which pytest shows with a failing test.
"""

import contextlib
import dataclasses
import email.message
import os
import queue
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
HUB_VENV = HERE.parent.parent / ".hub-venv"
HUB_PYTHON = HUB_VENV / "bin" / "python"
HUB_APP = HERE / "hub_app.py"
NOT_INSTALLED = (
    f"The WebSub hub is not installed in {HUB_VENV}: run `make test-tools` "
    "(it installs tests/websub/requirements.txt there)."
)

# Requests to 127.0.0.1 go straight there, whatever proxy the environment names.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def post_form(url, fields, timeout=10):
    """POST fields as application/x-www-form-urlencoded; return (status, body text)."""
    data = urllib.parse.urlencode(fields).encode()
    try:
        with _opener.open(url, data=data, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def publish(hub_url, topic):
    """Ping the hub that topic has new content, as a publisher does; assert it accepted."""
    status, text = post_form(hub_url, {"hub.mode": "publish", "hub.topic": topic})
    assert status == 202, f"the hub refused to publish {topic}: {status} {text}"


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _hub_environment():
    """This environment without proxies (the hub talks to 127.0.0.1 only) and without
    DJANGO_* (Celery would try its Django fix-ups)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.lower().endswith("_proxy") and not k.startswith("DJANGO_")
    }
    env["NO_PROXY"] = env["no_proxy"] = "*"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _answers(url):
    """Whether an HTTP server answers at url (with any status)."""
    try:
        _opener.open(url, timeout=1).close()
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


@contextlib.contextmanager
def running_hub(start_timeout=30):
    """Start the hub on a free 127.0.0.1 port; yield its endpoint URL; stop it on exit.

    The endpoint is what goes in WEBSUB_HUBS, and where subscribers and publishers POST.
    The hub runs in a new session, so its whole process group is killed on exit.
    """
    if not HUB_PYTHON.exists():
        raise RuntimeError(NOT_INSTALLED)
    port = free_port()
    url = f"http://127.0.0.1:{port}/hub"
    with tempfile.TemporaryDirectory(prefix="websub-hub-") as state:
        process = subprocess.Popen(
            [HUB_PYTHON, HUB_APP, str(port), os.path.join(state, "subscriptions.sqlite3")],
            env=_hub_environment(),
            stdin=subprocess.DEVNULL,
            stdout=2,  # its log, like its errors, to this process's stderr
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + start_timeout
            while not _answers(url):
                if process.poll() is not None:
                    raise RuntimeError(
                        f"The WebSub hub exited with code {process.returncode} before "
                        "answering; its output is in the captured stderr. If it could not "
                        "import flask_websub or celery, run `make test-tools`."
                    )
                if time.monotonic() > deadline:
                    raise RuntimeError(f"The WebSub hub did not answer at {url} in time.")
                time.sleep(0.05)
            yield url
        finally:
            _stop(process)


def _stop(process):
    """SIGTERM the process group, then SIGKILL it if it lingers."""
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


@dataclasses.dataclass
class Delivery:
    """One content distribution the hub posted to a subscriber."""

    topic: str  # the topic the callback it came to was made for
    received: float  # time.monotonic() when its body had been read
    headers: email.message.Message  # case-insensitive: headers["Content-Type"]
    body: bytes


class Subscriber:
    """A WebSub subscriber: an HTTP server on a free 127.0.0.1 port, in a thread.

    Each subscribe() gets a callback URL of its own. The server answers the hub's
    verification GET with hub.challenge only for a topic it asked for at that callback, and
    puts every POST to a callback in a queue that next_delivery() reads. Use it as a context
    manager, or call close().
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._topics = {}  # callback path -> topic
        self._verified = {}  # callback path -> threading.Event
        self._denied = {}  # callback path -> the hub's hub.reason
        self._deliveries = queue.Queue()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def subscribe(self, hub_url, topic, secret=None, timeout=10):
        """Ask the hub for topic's updates; return once the hub has verified the intent."""
        with self._lock:
            path = f"/callback/{len(self._topics) + 1}"
            self._topics[path] = topic
            self._verified[path] = verified = threading.Event()
        fields = {
            "hub.mode": "subscribe",
            "hub.topic": topic,
            "hub.callback": self.base_url + path,
        }
        if secret:
            fields["hub.secret"] = secret
        status, text = post_form(hub_url, fields)
        assert status == 202, f"the hub refused the subscription: {status} {text}"
        if not verified.wait(timeout):
            raise TimeoutError(
                f"the hub did not verify the subscription to {topic} in {timeout} s"
            )
        if path in self._denied:
            raise AssertionError(f"the hub denied the subscription: {self._denied[path]}")

    def next_delivery(self, timeout=10):
        """The next content distribution received; TimeoutError if none comes in time."""
        try:
            return self._deliveries.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError(f"the hub delivered nothing in {timeout} s") from None

    def close(self):
        """Stop the server."""
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _handler(self):
        subscriber = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                """The hub's verification of intent (or its word that it denied)."""
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                with subscriber._lock:
                    topic = subscriber._topics.get(url.path)
                    verified = subscriber._verified.get(url.path)
                if topic is None or query.get("hub.topic") != topic:
                    return self._answer(404, b"")
                if query.get("hub.mode") == "denied":
                    subscriber._denied[url.path] = query.get("hub.reason", "")
                    verified.set()
                    return self._answer(200, b"")
                if query.get("hub.mode") != "subscribe" or "hub.challenge" not in query:
                    return self._answer(404, b"")
                self._answer(200, query["hub.challenge"].encode())
                verified.set()

            def do_POST(self):
                """A content distribution: kept for next_delivery()."""
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                received = time.monotonic()
                with subscriber._lock:
                    topic = subscriber._topics.get(urllib.parse.urlsplit(self.path).path)
                if topic is None:
                    return self._answer(404, b"")
                subscriber._deliveries.put(Delivery(topic, received, self.headers, body))
                self._answer(200, b"")

            def _answer(self, status, body):
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format, *args):
                pass

        return Handler
