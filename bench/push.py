"""Push latency: from an editor's save to the new feed at a WebSub subscriber.

Everything as in production, each its own process on 127.0.0.1: gunicorn (the bench's
two workers), one `manage.py db_worker` (`--interval 0.5`, as `make serve` starts
it), Flask-WebSub's hub (tests/websub/, from .hub-venv, made by `make test-tools`)
and a subscriber to the seed timeline's `feed.atom` and `changes.atom`. An editor
PATCHes the summary of an event through the API 20 times; each time we measure
from sending the request to the subscriber holding both new documents.

`python bench/push.py` (part of `make bench`) prints the figures and writes the
section "Push (WebSub)" of bench/results.md.
"""

import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault(
    "BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'work' / 'push.sqlite3'}"
)
sys.path.insert(0, str(ROOT))

from bench import run  # noqa: E402  (sets the bench's environment)

EDITS = 20
WORKER_INTERVAL = "0.5"
SLUG = "nordkorea-soldaten-russland"


def main():
    run.WORK.mkdir(parents=True, exist_ok=True)
    import django

    from tests.websub.harness import Subscriber, running_hub

    site = f"http://{run.HOST}:{run.PORT}"
    with running_hub() as hub:
        os.environ.update(WEBSUB_HUBS=hub, NEWSROOM_URL=site)
        django.setup()
        token, event = prepare()
        server = run.start_server()
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", WORKER_INTERVAL,
             "--no-reload", "--no-startup-delay"],
            cwd=ROOT, env=os.environ, stdout=subprocess.DEVNULL,
            stderr=open(run.WORK / "worker.log", "w"),  # noqa: SIM115 -- open while it runs
        )  # fmt: skip
        try:
            topics = [
                f"{site}/timelines/{SLUG}/feed.atom",
                f"{site}/timelines/{SLUG}/changes.atom",
            ]
            subscriber = Subscriber()
            for topic in topics:
                subscriber.subscribe(hub, topic)
            waits = [edit_and_wait(site, token, event, number, subscriber, topics)
                     for number in range(1, EDITS + 1)]  # fmt: skip
            subscriber.close()
        finally:
            for process in (worker, server):
                process.terminate()
                process.wait(timeout=20)
    report(sorted(waits))


def prepare():
    """A fresh database with the seed and an editor's API token; (token, event uuid)."""
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from events.models import Event

    path = Path(run.DATABASE.removeprefix("sqlite:///"))
    if run.DATABASE.startswith("sqlite:///") and path.exists():
        path.unlink()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("load_seed", verbosity=0)
    call_command("make_renderings", verbosity=0)
    editor = User.objects.create_user("push-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    token = Token.objects.create(user=editor).key
    return token, str(Event.objects.public().order_by("pk").first().uuid)


def edit_and_wait(site, token, event, number, subscriber, topics):
    """Seconds from sending the editor's save until both topics arrived with it."""
    text = f"Fassung Nummer {number} dieser Zusammenfassung."
    request = urllib.request.Request(
        f"{site}/api/v1/events/{event}/", method="PATCH",
        data=json.dumps({"summary": text}).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )  # fmt: skip
    started = time.monotonic()
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 200
    arrived = {}
    while len(arrived) < len(topics):
        delivery = subscriber.next_delivery(timeout=30)
        if text.encode() in delivery.body:
            arrived[delivery.topic] = delivery.received - started
    return max(arrived.values())


def report(waits):
    p50 = statistics.median(waits) * 1000
    p99 = waits[-1] * 1000  # of 20: the slowest
    lines = [
        "## Push (WebSub)", "",
        f"From an editor's save (API PATCH to gunicorn) until a subscriber holds the new "
        f"`feed.atom` and `changes.atom`, through one `db_worker` (polling every "
        f"{WORKER_INTERVAL} s) and Flask-WebSub's hub, all on 127.0.0.1; {len(waits)} "
        f"edits, {run.database_name()}.", "",
        "| edits | p50 ms | p99 ms (slowest) | fastest ms |", "|---:|---:|---:|---:|",
        f"| {len(waits)} | {p50:,.0f} | {p99:,.0f} | {waits[0] * 1000:,.0f} |",
    ]  # fmt: skip
    run.replace_section(lines[0], lines)


if __name__ == "__main__":
    main()
