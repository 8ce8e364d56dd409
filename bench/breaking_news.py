"""Breaking news against a running cluster (deploy/cluster.py), through nginx: the load
and its measurements of issue 18, shared by `make bench-cluster` (bench/cluster.py, a
10,000-event timeline, 60 s) and the suite's short version (tests/test_cluster.py).

For `seconds`, at once:
- **one editor**, every `interval` seconds, in turn: changes an event's summary (API
  `PATCH`), publishes a draft (API `POST …/publish/`), adds a correction (API
  `POST …/corrections/`) — each carrying a marker of its own;
- **readers** load the timeline page, one request after the other;
- **pollers** fetch every export of the timeline and of the site (changes feeds
  included) in turn, each with the ETag it last got for that URL (`If-None-Match`),
  as fast as the machine allows;
- **a watcher** fetches the timeline's `feed.atom` (conditionally, every 50 ms) until
  each edit's marker shows in it: the time from sending the editor's save to the
  change being visible through nginx;
- with `faults`, at fixed fractions of the run: app server 2 stops (SIGTERM,
  gunicorn's graceful stop, without being taken out of nginx first: nginx finds out)
  and later starts again, Redis stops for `redis_seconds`, the worker stops for
  `worker_seconds`; the load lasts until the faults are over.

Every response is recorded (kind, status, latency). Per client and URL, a response
whose `Last-Modified` is older than one that client already got counts as a
regression (the app's Last-Modified grows with every version of a timeline, and of
the site). Afterwards `run()` waits for the worker's queue to empty and checks every
accepted edit — and every save answered with an error but made nevertheless — in the
API and in every output through nginx (`verify`), counts the documents each app server
wrote, from the `wrote … version …` lines of its log (`renders`), and, given a `Hub`
(a stand-in WebSub hub the cluster names in `WEBSUB_HUBS`), what it was told and
fetched.

Django must be set up in the calling process, on the cluster's database: `prepare()`
makes the editor with the ORM, and the checks read the job queue.
"""

import datetime as dt
import hashlib
import http.client
import json
import queue
import re
import secrets
import threading
import time
import traceback
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KINDS = ("summary", "publish", "correct")  # what the editor does, in turn
WATCH_EVERY = 0.05  # seconds between two polls of the watcher
# The outputs a change must reach, by what it changes: an edited summary shows in
# every export and the page; a published draft too (by its title); a correction in
# what shows an event's full text (feeds, changes feeds, the event page). The API
# (with the editor's token) is checked for every edit.
SHOWN_IN = {
    "summary": "all",
    "publish": "all",
    "correct": ("feed.rss", "feed.atom", "feed.json", "changes.rss", "changes.atom",
                "changes.json", "event page"),
}  # fmt: skip


@dataclass
class Target:
    """An event the editor works on."""

    pk: int
    uuid: str
    slug: str
    marker: str = ""  # a draft's: in its title, shown once it is published


@dataclass
class Newsroom:
    """The editor's account and what it works on (`prepare`)."""

    slug: str
    token: str
    username: str
    password: str
    run_id: str
    targets: list  # published events whose summary is changed or which are corrected
    drafts: list  # drafts to publish


@dataclass
class Edit:
    number: int
    kind: str
    target: Target
    marker: str
    sent: float = 0.0  # monotonic: when the save was sent
    answered: float = 0.0
    status: int = 0
    accepted: bool = False
    applied: bool | None = None  # for a save not accepted: whether it happened anyway
    visible: float | None = None  # when the watcher first got a feed.atom with the marker
    missing: list = field(default_factory=list)  # outputs without it after the run

    @property
    def to_visible(self):
        """Seconds from sending the save until the watcher had it."""
        return None if self.visible is None else self.visible - self.sent

    @property
    def after_answer(self):
        """Seconds from the save's answer (the change committed) until the watcher had
        it; 0 if it had it before the answer arrived."""
        return None if self.visible is None else max(0.0, self.visible - self.answered)


@dataclass
class Results:
    seconds: float
    readers: int
    pollers: int
    interval: float
    samples: dict  # kind -> [(started offset s, status, latency s)]
    edits: list
    faults: list  # (name, started offset s, finished offset s)
    regressions: list  # (client, url, newest seen, older got, offset s)
    reconnects: int
    errors: list  # exceptions in the load's threads
    begun: float = 0.0  # monotonic: when the load began (offsets count from it)
    renders: dict = field(default_factory=dict)
    nginx: dict = field(default_factory=dict)
    verified_after: float | None = None  # seconds after the load until all outputs agreed
    verify_rounds: list = field(default_factory=list)  # Counter a round: output -> edits missing
    jobs_left: int | None = None
    render_seconds: float | None = None  # one cold render of the timeline's feed.atom
    hub: dict = field(default_factory=dict)  # what the WebSub hub got (`Hub.figures`)

    # -- figures --------------------------------------------------------------------

    def kinds(self):
        """Per kind: requests, per second, p50 and p99 ms, 304s, 5xx, failed."""
        rows = {}
        for kind, samples in sorted(self.samples.items()):
            latencies = sorted(latency for _, _, latency in samples)
            statuses = Counter(status for _, status, _ in samples)
            rows[kind] = {
                "requests": len(samples),
                "rps": len(samples) / self.seconds,
                "p50": percentile(latencies, 0.50) * 1000,
                "p99": percentile(latencies, 0.99) * 1000,
                "not_modified": statuses[304],
                "server_errors": sum(n for status, n in statuses.items() if status >= 500),
                "failed": statuses[0],  # no answer at all
            }
        return rows

    def server_errors(self):
        return [
            (kind, offset, status)
            for kind, samples in self.samples.items()
            for offset, status, _ in samples
            if status >= 500 or status == 0
        ]

    def failed_reads(self, start=0.0, end=float("inf")):
        """Reads (page, exports, watcher) that got a 5xx or no answer in [start, end)."""
        return [
            (kind, offset, status)
            for kind, offset, status in self.server_errors()
            if kind in {"page", "poll", "watch"} and start <= offset < end
        ]

    def window(self, stopped, started, slack=2.0):
        """(start, end) offsets of a fault: from its stop to its start, plus slack."""
        times = {name: (begun, done) for name, begun, done in self.faults}
        if stopped not in times:
            return None
        end = times[started][1] if started in times else self.seconds
        return times[stopped][0], end + slack

    def latencies(self, kind, start=0.0, end=float("inf")):
        """Sorted latencies (s) of the requests of `kind` begun in [start, end)."""
        return sorted(t for offset, _, t in self.samples[kind] if start <= offset < end)

    def visibility(self, since="sent"):
        """Seconds from the save (`since` "sent": sending it, "answered": its answer)
        until visible, of the accepted edits that became visible; sorted."""
        seen = [e for e in self.edits if e.accepted and e.visible is not None]
        return sorted(e.to_visible if since == "sent" else e.after_answer for e in seen)

    def accepted(self):
        return [e for e in self.edits if e.accepted]

    def refused(self):
        """Saves that got no success: a 5xx, or no answer."""
        return [e for e in self.edits if not e.accepted]

    def lost(self):
        """Accepted saves (and saves that happened although their answer was an
        error) that the API or an output that shows them lacks after the run."""
        return [e for e in self.edits if (e.accepted or e.applied) and e.missing]

    def failed_writes(self, start=0.0, end=float("inf")):
        return [
            (kind, offset, status)
            for kind, offset, status in self.server_errors()
            if kind == "edit" and start <= offset < end
        ]


def percentile(values, q):
    """The q-quantile of sorted `values` (nearest rank); 0 for none."""
    if not values:
        return 0.0
    return values[min(len(values) - 1, max(0, round(q * len(values) + 0.5) - 1))]


# -- HTTP ---------------------------------------------------------------------------


class Connection:
    """One client's keep-alive connection to a server. A GET that fails on a connection
    used before, before any answer (the server closed it while idle), is sent once
    more on a new one, as browsers and HTTP libraries do; that is counted."""

    def __init__(self, url, timeout=60):
        parts = urllib.parse.urlsplit(url)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.connection = None
        self.reconnects = 0

    def fetch(self, method, path, body=None, headers=None):
        """(status, headers, body); status 0 when no answer came."""
        for attempt in (1, 2):
            reused = self.connection is not None
            if not reused:
                self.connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=self.timeout
                )
            try:
                self.connection.request(method, path, body=body, headers=headers or {})
                response = self.connection.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException) as error:
                self.close()
                stale = isinstance(error, ConnectionResetError | BrokenPipeError |
                                   http.client.RemoteDisconnected)  # fmt: skip
                if reused and stale and attempt == 1 and method == "GET":
                    self.reconnects += 1
                    continue
                return 0, {}, b""
            if response.will_close:
                self.close()
            return response.status, response.headers, data
        raise AssertionError("unreachable")

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def last_modified(headers):
    value = headers.get("Last-Modified") if headers else None
    try:
        return parsedate_to_datetime(value).timestamp() if value else None
    except (TypeError, ValueError):
        return None


class Versions:
    """What one client got of each URL: a Last-Modified older than the newest it
    already got is a regression."""

    def __init__(self, client, regressions, clock):
        self.client, self.regressions, self.clock = client, regressions, clock
        self.newest = {}

    def saw(self, path, headers):
        stamp = last_modified(headers)
        if stamp is None:
            return
        newest = self.newest.get(path)
        if newest is not None and stamp < newest:
            self.regressions.append((self.client, path, newest, stamp, self.clock()))
        self.newest[path] = max(stamp, newest or stamp)


def export_paths(slug):
    """Every export of the timeline and of the site."""
    from events.exports import FORMATS, SITE_FORMATS

    return [f"/timelines/{slug}/{name}" for name in FORMATS] + [f"/{n}" for n in SITE_FORMATS]


# -- preparing ----------------------------------------------------------------------


def prepare(cluster, slug, *, targets=20, drafts=12):
    """The editor (group Editors, staff, a password and an API token), the timeline's
    newest public events to change and correct, and `drafts` drafts made through the
    API (with today's date: they come last on the page), to publish."""
    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from rest_framework.authtoken.models import Token

    from events.models import Event

    run_id = secrets.token_hex(3).upper()
    password = secrets.token_urlsafe(18)
    user, _ = User.objects.get_or_create(username="eilmeldung")
    user.is_staff = True
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=settings.EDITORS_GROUP))
    token = Token.objects.get_or_create(user=user)[0].key
    newest = (
        Event.objects.public()
        .filter(timeline__slug=slug)
        .order_by("-first_published_at", "-pk")
        .values_list("pk", "uuid", "slug")[:targets]
    )
    newsroom = Newsroom(slug, token, user.username, password, run_id,
                        [Target(pk, str(uuid), event_slug) for pk, uuid, event_slug in newest],
                        [])  # fmt: skip
    api = Connection(cluster.url)
    today = dt.date.today().isoformat()
    for n in range(drafts):
        marker = f"BN{run_id}D{n:03d}"
        status, _, body = api.fetch(
            "POST", "/api/v1/events/", headers=editor_headers(newsroom),
            body=json.dumps({"timeline": slug, "slug": f"eilmeldung-{run_id.lower()}-{n}",
                             "title": f"Eilmeldung {marker}: Truppen verlegt",
                             "summary": f"Erste Meldung {marker}.",
                             "start_date": today, "precision": "day"}),
        )  # fmt: skip
        if status != 201:
            raise RuntimeError(f"could not make a draft: {status} {body[:500]!r}")
        made = json.loads(body)
        pk = Event.objects.get(uuid=made["uuid"]).pk
        newsroom.drafts.append(Target(pk, made["uuid"], made["slug"], marker))
    api.close()
    return newsroom


def editor_headers(newsroom):
    return {"Authorization": f"Token {newsroom.token}", "Content-Type": "application/json"}


# -- a WebSub hub ----------------------------------------------------------------------


class Hub:
    """A WebSub hub as the newsroom sees one (give the cluster `WEBSUB_HUBS=hub.url`):
    it takes `hub.mode=publish` pings (202) and, for each ping of the watched topic,
    fetches the topic at the address it names (nginx), as a hub does to send
    subscribers the new content. The worker sends the pings: jobs enqueued while it
    is stopped must arrive once it runs again."""

    def __init__(self, watch):
        self.watch = watch  # a path: the timeline's feed.atom
        self.pings = []  # (monotonic, topic)
        self.fetches = []  # (monotonic of the ping, of the answer, status, body)
        self.queue = queue.Queue()
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = urllib.parse.parse_qs(self.rfile.read(length).decode())
                topic = (form.get("hub.url") or [""])[0]
                now = time.monotonic()
                hub.pings.append((now, topic))
                if hub.watched(topic):
                    hub.queue.put((now, topic))
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.threads = [threading.Thread(target=self.server.serve_forever, daemon=True),
                        threading.Thread(target=self._fetch, daemon=True)]  # fmt: skip
        for thread in self.threads:
            thread.start()

    def watched(self, topic):
        parts = urllib.parse.urlsplit(topic)
        return parts.path == self.watch and not parts.query

    def _fetch(self):
        while True:
            item = self.queue.get()
            if item is None:
                return
            pinged, topic = item
            parts = urllib.parse.urlsplit(topic)
            connection = Connection(f"{parts.scheme}://{parts.netloc}")
            status, _, body = connection.fetch("GET", parts.path)
            connection.close()
            self.fetches.append((pinged, time.monotonic(), status, body))
            self.queue.task_done()

    def close(self):
        self.queue.put(None)
        self.threads[1].join(timeout=30)
        self.server.shutdown()
        self.server.server_close()

    def figures(self, edits, since):
        """Per accepted edit: whether a ping of the watched topic came after it, and
        when the hub first fetched a version that shows it; the fetches that lacked an
        edit committed before their ping (what subscribers were sent was stale)."""
        done = [e for e in edits if e.accepted or e.applied]
        watched = [t for t, topic in self.pings if self.watched(topic)]
        stale = 0
        for pinged, _, status, body in self.fetches:
            lacking = [e for e in done if e.answered and e.answered < pinged
                       and not superseded(e, done) and e.marker.encode() not in body]  # fmt: skip
            stale += bool(lacking) or status != 200
        delivered = {}
        for edit in done:
            got = [fetched for _, fetched, _, body in self.fetches if edit.marker.encode() in body]
            delivered[edit.number] = min(got) - edit.sent if got else None
        return {
            "pings": len(self.pings),
            "watched pings": len(watched),
            "fetches": len(self.fetches),
            "stale fetches": stale,
            "pinged after": sum(1 for e in done if any(t >= e.sent for t in watched)),
            "delivered": delivered,
            "edits": len(done),
        }


# -- the load -----------------------------------------------------------------------


def run(cluster, newsroom, seconds=60, *, faults=True, readers=2, pollers=4, interval=2.0,
        redis_seconds=10, worker_seconds=2, check=True, hub=None):  # fmt: skip
    """The breaking-news load on `cluster` for `seconds`; then (with `check`) the
    recovery, every edit checked in every output, the renders counted, and what the
    `hub` (a `Hub` the cluster names in WEBSUB_HUBS) got."""
    offsets = {name: _size(cluster.log(name)) for name in apps(cluster)}
    offsets["nginx"] = _size(_access_log(cluster))
    stop = threading.Event()
    lock = threading.Lock()
    samples = {kind: [] for kind in ("edit", "page", "poll", "watch")}
    edits, fault_times, regressions, errors = [], [], [], []
    connections = []
    begun = time.monotonic()

    def clock():
        return time.monotonic() - begun

    def record(kind, started, status):
        samples[kind].append((started - begun, status, time.monotonic() - started))

    def connect(url):
        connection = Connection(url)
        connections.append(connection)
        return connection

    def guarded(work):
        def thread():
            try:
                work()
            except Exception:
                errors.append(traceback.format_exc())
                stop.set()

        return threading.Thread(target=thread, daemon=True)

    page = f"/timelines/{newsroom.slug}/"
    feed = f"/timelines/{newsroom.slug}/feed.atom"
    paths = export_paths(newsroom.slug)

    def reader(number):
        connection = connect(cluster.url)
        while not stop.is_set():
            started = time.monotonic()
            status, _, _ = connection.fetch("GET", page)
            record("page", started, status)

    def poller(number):
        connection = connect(cluster.url)
        versions = Versions(f"poller {number}", regressions, clock)
        etags = {}
        while not stop.is_set():
            for path in paths:
                if stop.is_set():
                    break
                headers = {"If-None-Match": etags[path]} if path in etags else {}
                started = time.monotonic()
                status, answer, _ = connection.fetch("GET", path, headers=headers)
                record("poll", started, status)
                if status == 200 and answer.get("ETag"):
                    etags[path] = answer["ETag"]
                if status in {200, 304}:
                    versions.saw(path, answer)

    def watcher():
        connection = connect(cluster.url)
        versions = Versions("watcher", regressions, clock)
        etag, body = None, b""
        deadline = None
        while True:
            with lock:
                waiting = [
                    e for e in edits if e.visible is None and not (e.answered and not e.accepted)
                ]
            if stop.is_set():
                deadline = deadline or time.monotonic() + cluster.proxy_max_age + 30
                if not waiting or time.monotonic() > deadline:
                    return
            started = time.monotonic()
            status, answer, content = connection.fetch(
                "GET", feed, headers={"If-None-Match": etag} if etag else {}
            )
            got = time.monotonic()
            record("watch", started, status)
            if status == 200:
                etag, body = answer.get("ETag"), content
            if status in {200, 304}:
                versions.saw(feed, answer)
            for edit in waiting:
                if edit.marker.encode() in body:
                    edit.visible = got
            time.sleep(WATCH_EVERY)

    def editor():
        api = connect(cluster.url)
        targets, drafts = iter(_cycle(newsroom.targets)), iter(newsroom.drafts)
        number = 0
        while True:
            at = begun + 0.5 + number * interval
            if at - begun > seconds - 0.5 or stop.is_set():
                return
            if stop.wait(max(0.0, at - time.monotonic())):
                return
            kind = KINDS[number % len(KINDS)]
            draft = next(drafts, None) if kind == "publish" else None
            if kind == "publish" and draft is None:
                kind = "summary"
            target = draft or next(targets)
            marker = (
                target.marker if draft else f"BN{newsroom.run_id}{kind[0].upper()}{number:03d}"
            )
            edit = Edit(number, kind, target, marker)
            with lock:
                edits.append(edit)
            if kind == "summary":
                body = json.dumps({"summary": f"Neuer Stand {marker}: Truppen an der Grenze."})
                edit.sent = time.monotonic()
                edit.status, _, _ = api.fetch("PATCH", f"/api/v1/events/{target.uuid}/", body,
                                              editor_headers(newsroom))  # fmt: skip
                edit.accepted = edit.status == 200
                record("edit", edit.sent, edit.status)
            elif kind == "publish":
                edit.sent = time.monotonic()
                edit.status, _, _ = api.fetch("POST", f"/api/v1/events/{target.uuid}/publish/",
                                              "{}", editor_headers(newsroom))  # fmt: skip
                edit.accepted = edit.status == 200
                record("edit", edit.sent, edit.status)
            else:
                body = json.dumps(
                    {"text": f"Korrigiert {marker}: Die Zahl war zu hoch angegeben."}
                )
                edit.sent = time.monotonic()
                edit.status, _, _ = api.fetch("POST", f"/api/v1/events/{target.uuid}/corrections/",
                                              body, editor_headers(newsroom))  # fmt: skip
                edit.accepted = edit.status == 201
                record("edit", edit.sent, edit.status)
            edit.answered = time.monotonic()
            number += 1

    def fault_plan():
        down = redis_seconds
        plan = [(0.20, "stop app 2", lambda: cluster.stop_app(2)),
                (0.40, "start app 2", lambda: cluster.start_app(2)),
                (0.55, "stop Redis", cluster.stop_redis),
                (None, "start Redis", cluster.start_redis),
                (0.80, "stop worker", cluster.stop_worker),
                (None, "start worker", cluster.start_worker)]  # fmt: skip
        previous = 0.0
        for fraction, name, action in plan:
            wait = {"start Redis": down, "start worker": worker_seconds}.get(name)
            at = begun + fraction * seconds if fraction is not None else previous + wait
            time.sleep(max(0.0, at - time.monotonic()))
            started = time.monotonic()
            action()
            fault_times.append((name, started - begun, time.monotonic() - begun))
            previous = started

    threads = [guarded(lambda n=n: reader(n)) for n in range(readers)]
    threads += [guarded(lambda n=n: poller(n)) for n in range(pollers)]
    threads += [guarded(editor)]
    chores = [guarded(fault_plan)] if faults else []
    watching = guarded(watcher)
    for thread in [*threads, *chores, watching]:
        thread.start()
    stop.wait(seconds)
    for chore in chores:  # the faults happen under load: it lasts until they are over
        chore.join()
        stop.wait(max(0.0, begun + seconds - time.monotonic()) or 1.0)
    stop.set()
    elapsed = time.monotonic() - begun
    for thread in threads:
        thread.join()
    watching.join()
    for connection in connections:
        connection.close()
    results = Results(
        seconds=elapsed, readers=readers, pollers=pollers, interval=interval,
        samples=samples, edits=edits, faults=fault_times, regressions=regressions,
        reconnects=sum(c.reconnects for c in connections), errors=errors, begun=begun,
    )  # fmt: skip
    load_ended = _size(_access_log(cluster))
    if check:
        ended = time.monotonic()
        results.jobs_left = wait_for_jobs()
        results.verified_after = verify(cluster, newsroom, edits, since=ended,
                                        rounds=results.verify_rounds)  # fmt: skip
        results.renders = renders(cluster, offsets)
        results.nginx = nginx_summary(cluster, offsets["nginx"], load_ended)
        results.render_seconds = cold_render(cluster, feed)
        if hub is not None:
            deadline = time.monotonic() + 10  # the last fetches of the last pings
            while hub.queue.unfinished_tasks and time.monotonic() < deadline:
                time.sleep(0.1)
            results.hub = hub.figures(edits, begun)
    return results


def _cycle(items):
    while True:
        yield from items


# -- after the run ------------------------------------------------------------------


def wait_for_jobs(seconds=60):
    """Wait until the worker has done every job that is due; how many are left."""
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + seconds
    while True:
        due = DBTaskResult.objects.ready().count() + DBTaskResult.objects.running().count()
        if not due or time.monotonic() > deadline:
            return due
        time.sleep(0.5)


def verify(cluster, newsroom, edits, *, since, seconds=None, rounds=None):
    """Check every accepted edit in the API (with the editor's token) and in every
    output that shows what it changed, through nginx, until all show it or `seconds`
    (by default nginx's max-age plus 30 s) have passed. Sets each edit's `missing`,
    appends to `rounds` how many (edit, output) pairs each round found missing;
    returns the seconds from `since` until all agreed (None: they did not)."""
    rounds = [] if rounds is None else rounds
    deadline = time.monotonic() + (seconds or cluster.proxy_max_age + 30)
    connection = Connection(cluster.url)
    for edit in edits:  # a save answered with an error: did it happen after all?
        if not edit.accepted:
            status, _, body = connection.fetch("GET", f"/api/v1/events/{edit.target.uuid}/",
                                               headers=editor_headers(newsroom))  # fmt: skip
            edit.applied = status == 200 and _in_api(edit, body.decode())
    accepted = [e for e in edits if e.accepted or e.applied]
    try:
        while True:
            outputs = read_outputs(connection, newsroom, accepted)
            for edit in accepted:
                edit.missing = missing(edit, outputs, superseded(edit, accepted))
            rounds.append(Counter(name for e in accepted for name in e.missing))
            if not any(e.missing for e in accepted):
                return time.monotonic() - since
            if time.monotonic() > deadline:
                return None
            time.sleep(1)
    finally:
        connection.close()


def superseded(edit, edits):
    """Whether a later summary of the same event replaced this one's: then only the
    changes feeds, which keep every change, still show it."""
    return edit.kind == "summary" and any(
        e.kind == "summary" and e.target.uuid == edit.target.uuid and e.number > edit.number
        for e in edits
    )


def missing(edit, outputs, replaced=False):
    """The outputs that should show `edit` but do not."""
    found = []
    for name, text in outputs.items():
        if isinstance(text, dict):  # one text per event
            text = text[edit.target.uuid]
        if replaced and "changes." not in name:
            continue
        if name == "api":
            if not _in_api(edit, text):
                found.append(name)
        elif shows(edit.kind, name) and edit.marker not in text:
            found.append(name)
    return found


def shows(kind, output):
    """Whether `output` (an export's name, "site " and one, "page", "event page")
    shows what an edit of `kind` changes."""
    shown = SHOWN_IN[kind]
    return shown == "all" or output.removeprefix("site ") in shown


def _in_api(edit, text):
    try:
        event = json.loads(text)
    except ValueError:
        return False
    if edit.kind == "summary":
        return edit.marker in event["summary"]
    if edit.kind == "publish":
        return event["status"] == "published" and edit.marker in event["title"]
    return any(edit.marker in c["text"] for c in event["corrections"])


def read_outputs(connection, newsroom, edits):
    """name -> text of every output, read through nginx as a reader reads them
    (iCalendar's folded lines unfolded); "event page" and "api" (read with the
    editor's token) -> {event uuid: text}."""
    outputs = {}
    for path in export_paths(newsroom.slug):
        name = path.removeprefix(f"/timelines/{newsroom.slug}/")
        name = name if name != path else "site " + path.lstrip("/")
        status, _, body = connection.fetch("GET", path)
        text = body.decode("utf-8", "replace").replace("\r\n ", "").replace("\n ", "")
        outputs[name] = text if status == 200 else f"<{status}>"
    outputs["page"] = _page_text(connection, newsroom.slug)
    pages, api = {}, {}
    for edit in edits:
        uuid = edit.target.uuid
        if uuid in api:
            continue
        path = f"/timelines/{newsroom.slug}/{edit.target.slug}/"
        status, _, body = connection.fetch("GET", path)
        pages[uuid] = body.decode() if status == 200 else f"<{status}>"
        status, _, body = connection.fetch("GET", f"/api/v1/events/{uuid}/",
                                           headers=editor_headers(newsroom))  # fmt: skip
        api[uuid] = body.decode() if status == 200 else f"<{status}>"
    outputs["event page"] = pages
    outputs["api"] = api
    return outputs


def _page_text(connection, slug):
    """The timeline page's last two pages: where the newest events are (the page is
    chronological, 50 events a page)."""
    status, _, body = connection.fetch("GET", f"/timelines/{slug}/")
    first = body.decode()
    numbers = [int(n) for n in re.findall(r"[?&;]page=(\d+)", first)] or [1]
    last = max(numbers)
    texts = [first] if last == 1 else []
    for number in sorted({max(1, last - 1), last}):
        if number > 1:
            status, _, body = connection.fetch("GET", f"/timelines/{slug}/?page={number}")
            texts.append(body.decode() if status == 200 else f"<{status}>")
    return "\n".join(texts)


def renders(cluster, offsets):
    """Per app server: how often it wrote each (document, version) during the run,
    from the `wrote <document> version <etag>` lines of its log."""
    found = {}
    for name in apps(cluster):
        with cluster.log(name).open("rb") as log:
            log.seek(offsets.get(name, 0))
            text = log.read().decode("utf-8", "replace")
        found[name] = Counter(re.findall(r"^wrote (\w+) version (\w+)$", text, re.MULTILINE))
    return found


def render_figures(found):
    """Renders per document version: per server and for the cluster."""
    rows = {}
    cluster = Counter()
    for name, counts in found.items():
        cluster.update(counts)
        rows[name] = {
            "renders": sum(counts.values()),
            "versions": len(counts),
            "max": max(counts.values(), default=0),
            "repeated": sorted((n, key) for key, n in counts.items() if n > 1),
        }
    rows["cluster"] = {
        "renders": sum(cluster.values()),
        "versions": len(cluster),
        "max": max(cluster.values(), default=0),
        "mean": sum(cluster.values()) / len(cluster) if cluster else 0.0,
        "by_servers": Counter(sum(1 for c in found.values() if key in c) for key in cluster),
    }
    return rows


def document_names(cluster, slug, timeline_uuid):
    """document digest -> export name (as events.http names a document's folder)."""
    from events.exports import FORMATS, SITE_FORMATS
    from events.exports.selection import Params

    host = urllib.parse.urlsplit(cluster.url).netloc
    key = Params().key()  # no parameters
    names = {}
    for subject in {f"timeline:{timeline_uuid}", f"timeline:{timeline_uuid.replace('-', '')}"}:
        for name in FORMATS:
            names[_digest(subject, name, key, "http", host)] = f"{slug}/{name}"
    for name in SITE_FORMATS:
        names[_digest("site", name, key, "http", host)] = f"/{name}"
    return names


def _digest(*parts):
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def nginx_summary(cluster, offset, end=None):
    """From nginx's access log between the offsets `offset` and `end`: how the cache
    took the exports, which upstream answered what went upstream, and how long each
    background update of an export took (the `time` of the request that started it,
    logged as STALE when the update is done), by path."""
    with _access_log(cluster).open("rb") as log:
        log.seek(offset)
        lines = log.read((end - offset) if end else -1).decode("utf-8", "replace").splitlines()
    cache, upstreams, statuses = Counter(), Counter(), Counter()
    updates = defaultdict(list)
    for line in lines:
        match = re.match(
            r'\S+ (\d+) (\S+) "([^"]*)" upstream=(\S+) cache=(\S+) .* time=([\d.]+)$', line
        )
        if not match:
            continue
        status, method, uri, upstream, how, seconds = match.groups()
        statuses[status[0] + "xx"] += 1
        if (
            method == "GET"
            and uri.split("?")[0].endswith((".rss", ".atom", ".json", ".ics", ".csv"))
            and "/api/" not in uri
        ):
            cache[how] += 1
            if how == "STALE":
                updates[uri].append(float(seconds))
        for address in upstream.split(", "):
            if address != "-":
                upstreams[address] += 1
    return {"cache": cache, "upstreams": upstreams, "statuses": statuses,
            "requests": len(lines), "updates": dict(updates)}  # fmt: skip


def cold_render(cluster, path, tries=3):
    """Median seconds of a cold request for `path` at app server 1: a new document (a
    host name of its own, so it is written anew), as after a change."""
    times = []
    for n in range(tries):
        connection = Connection(cluster.app_url(1))
        started = time.monotonic()
        status, _, _ = connection.fetch(
            "GET", path, headers={"Host": f"localhost:{60000 + secrets.randbelow(5000) + n}"}
        )
        times.append(time.monotonic() - started)
        connection.close()
        if status != 200:
            return None
    return sorted(times)[len(times) // 2]


# -- consistency across servers -------------------------------------------------------


def consistency(cluster, slug, alternations=4):
    """For every export: both app servers, asked as nginx asks them (its Host), answer
    the same ETag and the same bytes; and a poll that alternates servers with the ETag
    it got from server 1 gets 304s. A list of what differs (empty: all agree)."""
    host = urllib.parse.urlsplit(cluster.url).netloc
    servers = [Connection(cluster.app_url(n)) for n in (1, 2)]
    problems = []
    checked = 0
    for path in export_paths(slug):
        answers = [s.fetch("GET", path, headers={"Host": host}) for s in servers]
        (one, one_headers, one_body), (two, two_headers, two_body) = answers
        if one != 200 or two != 200:
            problems.append(f"{path}: {one} and {two}")
            continue
        etag = one_headers.get("ETag")
        if etag != two_headers.get("ETag"):
            problems.append(f"{path}: ETag {etag} and {two_headers.get('ETag')}")
        if one_body != two_body:
            problems.append(f"{path}: bodies differ ({len(one_body)} and {len(two_body)} bytes)")
        for n in range(alternations):
            status, _, _ = servers[(n + 1) % 2].fetch(
                "GET", path, headers={"Host": host, "If-None-Match": etag}
            )
            if status != 304:
                problems.append(
                    f"{path}: If-None-Match {etag} at server {(n + 1) % 2 + 1}: {status}"
                )
        checked += 1
    for server in servers:
        server.close()
    return checked, problems


# -- helpers ------------------------------------------------------------------------


def apps(cluster):
    return [f"app{n}" for n in range(1, len(cluster.app_ports) + 1)]


def _access_log(cluster):
    return cluster.folder / "nginx" / "nginx-access.log"


def _size(path):
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0
