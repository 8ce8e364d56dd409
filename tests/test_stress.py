"""A bounded stress run against a real server: editors writing through the API while
readers poll feeds, calendars and pages, on SQLite (WAL) or on PostgreSQL — whichever
DATABASE_URL this suite runs on. No 5xx, no "database is locked", no lost update."""

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from urllib.parse import urlparse

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR
SEED = "/timelines/nordkorea-soldaten-russland/"
EDITORS, EDITS_EACH = 4, 12
READERS, READS_EACH = 4, 25
TARGETS = ["5a3c1e0e-1b0d-4a51-9f2e-0c6a2d7b1a04", "5a3c1e0e-1b0d-4a51-9f2e-0c6a2d7b1a05"]
REPORT = []  # printed in the test summary (conftest.py)
READ_PATHS = [
    SEED + "feed.rss",
    SEED + "calendar.ics",
    SEED,
    "/api/v1/events/",
    SEED + "feed.json",
]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on port {port} after {seconds} s")


def stress_database(tmp_path):
    """A database of its own for the server: a SQLite file, or a fresh PostgreSQL one."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp_path / 'stress.sqlite3'}"
    import psycopg

    parts = urlparse(url)
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS newsroom_stress")
        connection.execute("CREATE DATABASE newsroom_stress")
    return parts._replace(path="/newsroom_stress").geturl()


@pytest.fixture
def server(tmp_path):
    yield from serve(tmp_path, {})


def serve(tmp_path, extra_env):
    """Start gunicorn on a database of its own, with `extra_env` over the defaults below;
    yields (port, editor token)."""
    env = {**os.environ, "DATABASE_URL": stress_database(tmp_path), "DJANGO_DEBUG": "0",
           "DJANGO_SECRET_KEY": "stress-" + "x" * 40, "API_ANON_RATE": "100000/minute",
           "API_USER_RATE": "100000/minute", "DJANGO_SETTINGS_MODULE": "tests.settings",
           "DOCUMENTS_DIR": str(tmp_path / "documents"), "THROTTLE_DIR": str(tmp_path / "throttle"),
           "GUNICORN_WORKERS": "4", **extra_env}  # fmt: skip
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    subprocess.run([*manage, "load_seed"], cwd=ROOT, env=env, check=True, capture_output=True)
    make_editor = (
        "from django.contrib.auth.models import Group, User; from rest_framework.authtoken.models import Token;"
        "u = User.objects.create_user('stress', is_staff=True); u.groups.add(Group.objects.get(name='Editors'));"
        "print(Token.objects.create(user=u).key)"
    )
    token = subprocess.run([*manage, "shell", "-c", make_editor], cwd=ROOT, env=env, check=True,
                           capture_output=True, text=True).stdout.split()[-1]  # fmt: skip
    port = free_port()
    env.update(GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_ACCESSLOG="/dev/null")
    # Its log goes to a file: a pipe nobody reads fills up (64 KB of warnings about
    # 4xx answers) and then blocks every worker mid-request, and the master on exit.
    with open(tmp_path / "gunicorn.log", "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"], cwd=ROOT,
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_for(port)
        yield port, token
    finally:
        stop(process)


def stop(process, seconds=5):
    """SIGTERM (gunicorn finishes the requests under way), then SIGKILL if it must."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def call(port, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    payload = json.dumps(body).encode() if body is not None else None
    connection.request(
        method, path, body=payload, headers={"Content-Type": "application/json", **(headers or {})}
    )
    response = connection.getresponse()
    content = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), content


def test_editors_and_readers_at_once(server):
    port, token = server
    auth = {"Authorization": f"Token {token}"}
    results, lock = [], threading.Lock()

    def editor(n):
        target = TARGETS[n % 2]  # two editors on each event
        for k in range(EDITS_EACH):
            status, headers, _ = call(port, "GET", f"/api/v1/events/{target}/", headers=auth)
            etag = headers.get("ETag")
            status, _, content = call(
                port, "PATCH", f"/api/v1/events/{target}/", {"summary": f"Editor {n}, edit {k}."},
                {**auth, "If-Match": etag},
            )  # fmt: skip
            revision = json.loads(content).get("revision") if status == 200 else None
            with lock:
                results.append(("edit", target, status, revision, content))

    def reader(n):
        for k in range(READS_EACH):
            path = READ_PATHS[(n + k) % len(READ_PATHS)]
            status, _, content = call(port, "GET", path)
            with lock:
                results.append(("read", path, status, None, content))

    threads = [threading.Thread(target=editor, args=(n,)) for n in range(EDITORS)]
    threads += [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    seconds = time.monotonic() - started

    statuses = [status for _, _, status, _, _ in results]
    assert len(results) == EDITORS * EDITS_EACH + READERS * READS_EACH
    assert not [s for s in statuses if s >= 500], statuses
    assert not [r for r in results if b"database is locked" in r[4]]
    edits = [r for r in results if r[0] == "edit"]
    assert {r[2] for r in edits} <= {200, 412}
    for target in TARGETS:
        revisions = [r[3] for r in edits if r[1] == target and r[2] == 200]
        # Every accepted edit made exactly one new revision: nothing was overwritten unseen.
        assert len(revisions) == len(set(revisions))
        assert sorted(revisions) == list(range(2, 2 + len(revisions)))
        final = json.loads(call(port, "GET", f"/api/v1/events/{target}/")[2])
        assert final["revision"] == 1 + len(revisions)
        feed = call(port, "GET", SEED + "feed.json")[2].decode()
        assert final["summary"] in feed  # the feeds show the last accepted edit
    conflicts = sum(1 for r in edits if r[2] == 412)
    REPORT.append(
        f"stress run on {os.environ.get('DATABASE_URL', 'sqlite').split(':')[0]}: "
        f"{len(results)} requests in {seconds:.1f} s, 0 server errors, "
        f"{len(edits) - conflicts} edits accepted, {conflicts} refused with 412, 0 lost updates"
    )


@pytest.fixture
def private_redis():
    """A Redis server of this test's own, so stopping it harms nobody else."""
    executable = shutil.which("redis-server")
    assert executable, "redis-server is needed (the production cache)"
    port = free_port()
    process = subprocess.Popen(
        [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wait_for(port)
    yield port, process
    process.kill()
    process.wait()


def test_redis_stopped_mid_run_costs_no_answer(tmp_path, private_redis):
    redis_port, redis = private_redis
    served = serve(tmp_path, {"REDIS_URL": f"redis://127.0.0.1:{redis_port}/0"})
    port, _ = next(served)
    try:
        answers = []
        for phase in ("with Redis", "Redis stopped"):
            if phase == "Redis stopped":
                redis.kill()
                redis.wait()
            for k in range(20):
                path = READ_PATHS[k % len(READ_PATHS)]
                status, _, content = call(port, "GET", path)
                answers.append((phase, path, status, content))
        assert [a for a in answers if a[2] != 200] == []
        feeds = [a[3] for a in answers if a[1].endswith("feed.rss")]
        assert len(set(feeds)) == 1  # the same feed with and without the cache
    finally:
        next(served, None)
    REPORT.append(f"Redis stopped mid-run: {len(answers)} requests, 0 errors")
