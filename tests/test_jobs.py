"""Background jobs (events.jobs): asked for in the editor's transaction, run by a
worker process — the editor's request neither sends nor waits, and a job enqueued
while no worker runs is done when one starts."""

import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from events.models import Event

from .processes import database_url, manage

SLUG = "nordkorea-soldaten-russland"


@pytest.fixture
def hub():
    """A stand-in hub that keeps the forms POSTed to it: its URL and the forms."""
    forms = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            forms.append(dict(urllib.parse.parse_qsl(body)))
            self.send_response(202)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hub", forms
    server.shutdown()


def test_a_job_waits_in_the_database_until_a_worker_starts(
    transactional_db, editor_client, settings, hub
):
    url, forms = hub
    call_command("load_seed", verbosity=0)
    settings.WEBSUB_HUBS, settings.NEWSROOM_URL = [url], "https://news.example"
    event = Event.objects.public().first()
    answer = editor_client.patch(
        f"/api/v1/events/{event.uuid}/", {"summary": "Neu."}, content_type="application/json"
    )
    assert answer.status_code == 200
    assert forms == []  # the editor's request sent nothing and waited for nothing
    [job] = DBTaskResult.objects.all()
    assert job.status == "READY"

    # A worker that starts later — another process, as after a restart — does it.
    worker = manage(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload",
        DATABASE_URL=database_url(), DJANGO_SETTINGS_MODULE="tests.settings",
        WEBSUB_HUBS=url, NEWSROOM_URL="https://news.example",
    )  # fmt: skip
    assert worker.returncode == 0, worker.stderr
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL"
    topics = {form["hub.url"] for form in forms}
    assert {form["hub.mode"] for form in forms} == {"publish"}
    assert f"https://news.example/timelines/{SLUG}/feed.atom" in topics
    assert "https://news.example/changes.json" in topics
