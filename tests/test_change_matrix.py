"""Every change reaches every output at once: the matrix of mutations × outputs.

For each mutation (tests/matrix_mutations.py) every output (tests/matrix_outputs.py)
that can show what it changes is read — and so cached — before the edit, and read
again right after it; each pair must show the change on parsed content, an unrelated
timeline's ETags must stay as they were, and the target's revision must grow by what
one save makes. It runs in-process (with whatever cache the suite runs on: local
memory, or Redis in CI) and against a live gunicorn with several workers.
"""

import http.client
import itertools
import os
import subprocess
import sys
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import F

from events.exports import FORMATS
from events.models import Event, Timeline

from .client import Client
from .desk import Desk
from .matrix_mutations import MUTATIONS, make_world
from .matrix_outputs import OUTPUTS, View, read_rss_atom
from .processes import database_url
from .test_stress import free_port, wait_for

UNRELATED = [f"/timelines/andere/{name}" for name in FORMATS]


@dataclass(frozen=True)
class Target:
    slug: str
    uuid: str
    term: str  # what the search output looks for


def target_of(mutation):
    event = Event.objects.filter(slug=mutation.target).first()
    return Target(
        mutation.target, str(event.uuid) if event else "", mutation.target.replace("-", " ")
    )


def reads_of(mutation, world, target):
    """(output, check, target) for every pair of the matrix this mutation concerns."""
    for check in mutation.expect(world):
        for output in OUTPUTS:
            if output.per_event and check.slug not in {"", target.slug}:
                continue
            if output.applies(check.aspects, check.scopes):
                words = check.slug.replace("-", " ") if check.slug else target.term
                term = check.text if check.kind in {"shows", "lacks"} else words
                yield output, check, Target(target.slug, target.uuid, term)


def path_of(output, target):
    if output.scope == "event" and not target.uuid:
        return None  # the event does not exist yet: nothing of it can be cached
    return output.path("nordkorea-soldaten-russland", target)


def read(fetch, output, target):
    path = path_of(output, target)
    if path is None:
        return View(status=404)
    status, etag, body = fetch(path)
    assert status in {200, 404}, f"{output.name}: {path} answered {status}"
    if status == 404:
        return View(status=404)
    view = output.read(body, target)
    view.etag = etag or ""
    return view


def verdict(check, output, before, after):
    """None if the pair shows the change, else what is wrong."""
    item = after.items.get(check.slug)
    if output.name == "search":  # found by the words, or not
        found = check.slug in after.items
        wanted = check.kind in {"shows", "present"}
        if check.kind == "unchanged":
            return None if before.items.keys() == after.items.keys() else "results changed"
        return (
            None if found == wanted else f"search for {check.text or check.slug!r}: found={found}"
        )
    if check.kind == "shows":
        return (
            None if item and check.text in item else f"{check} — item: {(item or 'missing')[:300]}"
        )
    if check.kind == "lacks":
        return (
            None
            if item and check.text not in item
            else f"{check} — item: {(item or 'missing')[:300]}"
        )
    if check.kind == "present":
        return None if item else f"{check} — items: {sorted(after.items)}"
    if check.kind == "absent":
        return None if item is None else f"{check} — still there"
    if check.kind == "document":
        return (
            None if check.text in after.document else f"{check} — document: {after.document[:200]}"
        )
    if check.kind == "unchanged":
        same = before.etag == after.etag if before.etag else before.items == after.items
        return (
            None if same else f"changed although nothing public did ({before.etag} → {after.etag})"
        )
    raise AssertionError(check.kind)


def run(mutation, world, desk, fetch):
    if mutation.prepare:
        mutation.prepare(world, desk)
    target = target_of(mutation)
    reads = list(reads_of(mutation, world, target))
    before = [read(fetch, output, t) for output, _, t in reads]
    unrelated = {path: fetch(path)[1] for path in UNRELATED}
    for path, _ in mutation.extra:
        fetch(path)  # read (and cached) before, like every output
    revision = (
        Event.objects.filter(slug=mutation.target).values_list("revision", flat=True).first()
    )

    mutation.act(world, desk)

    target = target_of(mutation)
    failures = []
    for (output, check, t), was in zip(reads, before, strict=True):
        problem = verdict(
            check, output, was, read(fetch, output, Target(t.slug, target.uuid, t.term))
        )
        if problem:
            failures.append(f"{output.name}: {problem}")
    for path, was_etag in unrelated.items():
        if fetch(path)[1] != was_etag:
            failures.append(f"unrelated timeline: {path} has a new ETag")
    for path, slug in mutation.extra:
        if slug not in read_rss_atom(fetch(path)[2]).items:
            failures.append(f"{path}: {slug} missing")
    if mutation.revision is not None:
        now = Event.objects.get(slug=mutation.target).revision
        if now - revision != mutation.revision:
            failures.append(f"revision {revision} → {now}, expected +{mutation.revision}")
    assert reads, "a mutation that no output can show tests nothing"
    assert not failures, f"{mutation.id}:\n" + "\n".join(failures)
    return len(reads)


@pytest.fixture
def world(db, tmp_path):
    return make_world(tmp_path)


@pytest.fixture
def desk(editor):
    client = Client()
    client.force_login(editor)
    return Desk(client)


def in_process(path):
    response = Client().get(path)
    return response.status_code, response.get("ETag"), response.content


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.id for m in MUTATIONS])
def test_change_reaches_every_output(world, desk, mutation):
    run(mutation, world, desk, in_process)


def test_matrix_has_twenty_kinds_of_mutation_and_every_output():
    assert len(MUTATIONS) >= 20
    names = {output.name for output in OUTPUTS}
    assert len(names) == 16
    assert {m.id.split(":")[0] for m in MUTATIONS} >= {
        "create", "publish", "edit own fields", "add quote", "edit quote", "delete quote",
        "add source", "delete source", "add correction", "retract", "restore from history",
        "delete draft", "rename tag", "delete tag", "rename person (listed)",
        "rename person (speaker only)", "delete person (listed)", "rename place",
        "change timeline title", "change timeline description", "change timeline language",
        "change timeline time zone", "unpublish timeline", "republish timeline",
        "import calendar as drafts", "import timeline",
    }  # fmt: skip


# -- the same matrix against a live gunicorn with several workers ------------------------


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory, django_db_setup, django_db_blocker):
    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.fail("the live matrix needs the test database in a file (tests/settings.py)")
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_DEBUG": "0",
           "DJANGO_SECRET_KEY": "matrix-" + "x" * 40, "DJANGO_SETTINGS_MODULE": "tests.settings",
           "API_ANON_RATE": "100000/minute", "GUNICORN_BIND": f"127.0.0.1:{port}",
           "GUNICORN_WORKERS": "3", "GUNICORN_ACCESSLOG": "/dev/null",
           "DOCUMENTS_DIR": str(tmp_path_factory.mktemp("documents")),
           "THROTTLE_DIR": str(tmp_path_factory.mktemp("throttle"))}  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wait_for(port, seconds=30)
    yield port
    process.terminate()
    process.wait(timeout=20)


FRESH_VERSIONS = itertools.count(1_000, 1_000)


def live(port):
    """GET from the server on a new connection each time: any worker may answer."""

    def fetch(path):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, response.getheader("ETag"), body

    return fetch


@pytest.fixture
def committed_desk(transactional_db, editor):
    """An editor's desk on a database whose writes commit, so the server's workers see
    them (the test database is emptied afterwards)."""
    client = Client()
    client.force_login(editor)
    return Desk(client)


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.id for m in MUTATIONS])
def test_change_reaches_every_output_of_a_live_server(
    gunicorn, committed_desk, tmp_path, mutation
):
    world = make_world(tmp_path)
    # The server and its workers' page caches outlive each test's database, which
    # starts again from the same seed: versions no earlier test had, or a page cached
    # by the previous test under the same version and change time (whole seconds, as
    # changes within a second move it a second on) would be served as this one's.
    Timeline.objects.update(version=F("version") + next(FRESH_VERSIONS))
    run(mutation, world, committed_desk, live(gunicorn))
