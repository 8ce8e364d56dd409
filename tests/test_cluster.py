"""The production shape under breaking news, briefly: the cluster of `make cluster`
(deploy/cluster.py: nginx in front of two gunicorn app servers, Redis, the worker) on
this suite's database, with the seed and a timeline of 40 events (bench/seed.py),
under a few seconds of the load of `make bench-cluster` (bench/breaking_news.py): an
editor saving every second (through the API), readers, pollers with `If-None-Match`, a
watcher, a stand-in WebSub hub — while app server 2 stops and starts again, Redis
stops for two seconds and the worker restarts. Then: no read fails; a save fails only
when app server 2 stops under it, and is then not made; no client is shown an older
version after a newer one; every accepted save is in the API and in every output
through nginx, and was announced to the hub; each server writes a document version
at most once; both servers answer every export with the same ETag and bytes, and 304
to each other's ETag.
"""

import pytest
from django.core.management import call_command
from django.db import connection

from bench import breaking_news as news
from bench.seed import seed
from deploy.cluster import Cluster

from .conftest import editors_group
from .processes import database_url
from .test_stress import free_port

SLUG = "bench-40"  # bench/seed.py's timeline of 40 events
SECONDS = 8
# Makes pytest-django set up the test database (which it does only for a session
# with tests that ask for one): the fixtures below write to it and then empty it.
# Each test runs in a transaction of its own and reads only.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, django_db_setup, django_db_blocker):
    """The cluster on the test database, with the seed, 40 more events and the editor;
    stopped, and the database emptied, however the tests end."""
    name = str(connection.settings_dict["NAME"])
    if "test" not in name:  # it is emptied afterwards: never any other database
        pytest.fail(f"not a test database: {name}")
    if connection.vendor == "sqlite" and "memory" in name:
        pytest.fail("the cluster needs the test database in a file (tests/settings.py)")
    hub = news.Hub(f"/timelines/{SLUG}/feed.atom")
    running = Cluster(
        tmp_path_factory.mktemp("cluster"), database_url=database_url(),
        proxy_port=free_port(), app_ports=(free_port(), free_port()), redis_port=free_port(),
        settings_module="tests.settings",  # static files from their folders: no collectstatic
        proxy_max_age=1, environment={"WEBSUB_HUBS": hub.url},
    )  # fmt: skip
    with django_db_blocker.unblock():
        try:
            editors_group()
            call_command("load_seed", verbosity=0)
            seed([40])
            call_command("make_renderings", verbosity=0)
            call_command("make_archives", verbosity=0)
            running.start(prepare=False)
            yield running, news.prepare(running, SLUG, targets=10, drafts=4), hub
        finally:
            running.stop()
            hub.close()
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="module")
def load(cluster):
    running, newsroom, hub = cluster
    results = news.run(running, newsroom, SECONDS, readers=2, pollers=2, interval=1.0,
                       redis_seconds=2, worker_seconds=1, hub=hub)  # fmt: skip
    assert not results.errors, "\n".join(results.errors)
    return results


def test_the_load_reached_both_servers_and_every_fault_happened_under_it(load):
    assert [name for name, *_ in load.faults] == [
        "stop app 2", "start app 2", "stop Redis", "start Redis", "stop worker", "start worker",
    ]  # fmt: skip
    assert all(done < load.seconds for _, _, done in load.faults)
    assert len(load.nginx["upstreams"]) == 2, load.nginx["upstreams"]
    kinds = load.kinds()
    assert kinds["page"]["requests"] > 0 and kinds["poll"]["requests"] > 0
    assert kinds["poll"]["not_modified"] > 0


def test_no_read_fails_not_even_while_app_server_2_is_down(load):
    assert load.failed_reads() == []
    start, end = load.window("stop app 2", "start app 2")
    assert sum(1 for offset, _, _ in load.samples["poll"] if start <= offset < end) > 0


def test_a_save_fails_only_if_its_server_stops_under_it_and_then_nothing_is_saved(load):
    """nginx sends a write once: one that app server 2 had taken but not begun when it
    stopped gets 502 (README, "Scaling out"); it must not have happened either. Every
    other answer is a success."""
    start, end = load.window("stop app 2", "start app 2")
    for edit in load.refused():
        assert edit.status == 502 and start <= edit.sent - load.begun < end, edit
        assert edit.applied is False, edit
    assert {kind for kind, _, _ in load.server_errors()} <= {"edit"}


def test_every_accepted_edit_reaches_the_api_and_every_output(load):
    accepted = load.accepted()
    assert {e.kind for e in accepted} == set(news.KINDS), [(e.kind, e.status) for e in load.edits]
    assert load.jobs_left == 0
    assert [(e.kind, e.marker, e.missing) for e in load.lost()] == []
    assert load.verified_after is not None


def test_the_worker_announced_every_edit_to_the_hub_its_restart_notwithstanding(load):
    assert load.hub["pinged after"] == load.hub["edits"] > 0, load.hub


def test_the_hub_fetches_every_change_through_nginx_not_its_old_copy(load):
    """The worker refreshes nginx's copy of each changed feed just before it pings
    the hub (WEBSUB_REFRESH_PROXY): every save reaches the hub in a fetch through
    nginx (a fetch may still lack a save made after its job refreshed the feed; that
    save's own job brings it)."""
    assert load.hub["fetches"] > 0, load.hub
    assert None not in load.hub["delivered"].values(), load.hub["delivered"]


def test_every_edit_became_visible_through_nginx_during_the_run(load):
    assert len(load.visibility()) == len(load.accepted())


def test_no_client_saw_an_older_version_after_a_newer_one(load):
    assert load.regressions == []


def test_each_server_writes_a_document_version_at_most_once(load):
    figures = news.render_figures(load.renders)
    assert figures["cluster"]["renders"] > 0
    for server in ("app1", "app2"):
        assert figures[server]["repeated"] == [], figures[server]["repeated"]


def test_both_servers_answer_every_export_alike_and_304_to_each_other(cluster, load):
    running, *_ = cluster
    checked, problems = news.consistency(running, SLUG)
    assert problems == []
    assert checked == len(news.export_paths(SLUG))
