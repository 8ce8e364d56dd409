"""`make bench-cluster`: breaking news on two app servers behind nginx (issue 18).

Its own PostgreSQL database, `newsroom_bench_cluster` (dropped and made again), with
the seed and a 10,000-event timeline (bench/seed.py); the cluster of `make cluster`
(deploy/cluster.py) on ports of its own — nginx 8500, app servers 8501 and 8502 (two
gunicorn workers each), Redis 8579, one worker — in bench/work/cluster/; every export
and the page read once through nginx; then 60 s of the breaking-news load with its
faults (bench/breaking_news.py), the recovery and the checks of every edit in every
output, and the consistency of the two servers. Prints the figures and writes the
section "Breaking news, two app servers behind nginx" of bench/results.md.

`python bench/cluster.py --seconds 10 --events 1000` makes a short run (and writes
its figures too); `--no-faults` runs the load without them.
"""

import argparse
import os
import shutil
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import breaking_news as news  # noqa: E402
from deploy.cluster import NGINX, Cluster, create_database, interrupted  # noqa: E402

DATABASE = "postgres://postgres@127.0.0.1:5432/newsroom_bench_cluster"
FOLDER = ROOT / "bench" / "work" / "cluster"
HEADING = "## Breaking news, two app servers behind nginx"
FAULTS = {"stop app 2": "start app 2", "stop Redis": "start Redis", "stop worker": "start worker"}


def main():
    options = parse_arguments()
    signal.signal(signal.SIGTERM, interrupted)  # a `kill` stops the cluster, as Ctrl-C does
    started = time.monotonic()
    if FOLDER.exists():
        shutil.rmtree(FOLDER)
    slug = slug_of(options)
    hub = news.Hub(f"/timelines/{slug}/feed.atom")  # the worker tells it of every change
    cluster = Cluster(FOLDER, database_url=DATABASE, proxy_port=8500, app_ports=(8501, 8502),
                      redis_port=8579, environment={"WEBSUB_HUBS": hub.url})  # fmt: skip
    FOLDER.mkdir(parents=True)
    # This process writes the data and reads the job queue: Django on the same database.
    os.environ.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings", DATABASE_URL=DATABASE, DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=cluster.secret_key(), DOCUMENTS_DIR=str(FOLDER / "documents"),
    )  # fmt: skip
    os.environ.pop("REDIS_URL", None)
    print(f"a new database ({DATABASE.rsplit('/', 1)[1]}), the seed and "
          f"{options.events:,} events …", flush=True)  # fmt: skip
    drop_database(DATABASE)
    create_database(DATABASE)
    cluster.prepare()
    import django

    django.setup()
    seed(cluster, options.events)
    try:
        print("starting nginx, two app servers, Redis and the worker …", flush=True)
        cluster.start(prepare=False)
        newsroom = news.prepare(cluster, slug)
        warm_up(cluster, slug)
        print(f"{options.seconds} s of breaking news"
              f"{' with faults' if options.faults else ''} …", flush=True)  # fmt: skip
        results = news.run(cluster, newsroom, options.seconds, faults=options.faults,
                           readers=options.readers, pollers=options.pollers,
                           redis_seconds=min(10, options.seconds / 6), hub=hub)  # fmt: skip
        checked, problems = news.consistency(cluster, slug)
        names = news.document_names(cluster, slug, timeline_uuid(slug))
    finally:
        cluster.stop()
        hub.close()
    lines = section(cluster, options, results, checked, problems, names,
                    time.monotonic() - started)  # fmt: skip
    # bench/run.py sets the environment of its own benchmark when imported: only now.
    from bench.run import replace_section

    replace_section(HEADING, lines)
    if results.errors:
        print("\n".join(results.errors), file=sys.stderr)
        raise SystemExit(1)


def parse_arguments():
    parser = argparse.ArgumentParser(description="make bench-cluster; see bench/cluster.py")
    parser.add_argument("--seconds", type=int, default=60, help="of load (default 60)")
    parser.add_argument("--events", type=int, default=10_000, help="in the timeline")
    parser.add_argument("--readers", type=int, default=2, help="loading the page (2)")
    parser.add_argument("--pollers", type=int, default=4, help="fetching every export (4)")
    parser.add_argument("--no-faults", dest="faults", action="store_false",
                        help="no app server, Redis or worker stopped")  # fmt: skip
    return parser.parse_args()


def drop_database(url):
    import psycopg

    server, _, name = url.rpartition("/")
    if "bench" not in name:
        raise SystemExit(f"{name}: only a database named for the bench is dropped")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed(cluster, events):
    """The timeline (bench/seed.py), its feed archive pages closed as after loading
    data (README, "Running in production"), statistics for the planner."""
    from django.db import connection

    from bench.seed import seed as make

    make([events])
    cluster.manage("make_archives")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def warm_up(cluster, slug):
    """Every export and the page once through nginx, as on a site that has run a
    while: the load measures changes, not a cold start."""
    connection = news.Connection(cluster.url)
    for path in [*news.export_paths(slug), f"/timelines/{slug}/"]:
        status, _, _ = connection.fetch("GET", path)
        if status != 200:
            raise SystemExit(f"{path}: {status}")
    connection.close()


def missing_text(counts):
    total = sum(counts.values())
    named = ", ".join(f"{name} {n}" for name, n in counts.most_common())
    return f"{total} ({named})" if total else "0"


def fault_row(results, label, start, end, taken=None):
    """A row of the faults table: requests begun in [start, end) (None: outside every
    fault's window)."""
    windows = [w for w in (results.window(a, b) for a, b in FAULTS.items()) if w]

    def inside(offset):
        if start is None:
            return not any(a <= offset < b for a, b in windows)
        return start <= offset < end

    reads = [x for x in results.failed_reads() if inside(x[1])]
    writes = [x for x in results.failed_writes() if inside(x[1])]
    pages = sorted(t for offset, _, t in results.samples["page"] if inside(offset))
    polls = sorted(t for offset, _, t in results.samples["poll"] if inside(offset))
    ms = lambda values, q: f"{news.percentile(values, q) * 1000:,.0f}"  # noqa: E731
    return (f"| {label} | {'' if start is None else f'{start:.1f}'} | "
            f"{'' if taken is None else f'{taken:.1f}'} | {len(reads)} | {len(writes)} | "
            f"{ms(pages, 0.5)} / {ms(pages, 0.99)} | {ms(polls, 0.99)} |")  # fmt: skip


def slug_of(options):
    return f"bench-{options.events}"


def timeline_uuid(slug):
    from events.models import Timeline

    return str(Timeline.objects.get(slug=slug).uuid)


# -- report -------------------------------------------------------------------------


def software():
    """nginx, Redis and PostgreSQL as this machine has them."""
    import re
    import subprocess

    from django.db import connection

    def ask(*command):
        done = subprocess.run(command, capture_output=True, text=True)
        return done.stdout + done.stderr

    nginx = re.search(r"nginx/([\d.]+)", ask(NGINX, "-v"))
    redis = re.search(r"v=([\d.]+)", ask("redis-server", "--version"))
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0].split()[0]
    return (f"nginx {nginx and nginx.group(1)}, Redis {redis and redis.group(1)}, "
            f"PostgreSQL {postgres}")  # fmt: skip


def section(cluster, options, results, checked, problems, names, seconds):

    kinds = results.kinds()
    edits = results.edits
    accepted = results.accepted()
    visible = results.visibility("answered")
    sent = results.visibility("sent")
    renders = news.render_figures(results.renders)
    render_ms = (results.render_seconds or 0) * 1000
    target = cluster.proxy_max_age + (results.render_seconds or 0)
    p50, p99 = news.percentile(visible, 0.5), news.percentile(visible, 0.99)
    by_kind = {kind: sum(1 for e in accepted if e.kind == kind) for kind in news.KINDS}
    nginx = results.nginx
    updates = sorted(nginx["updates"].get(f"/timelines/{slug_of(options)}/feed.atom", []))
    # nginx keeps a copy's expiry in whole seconds (valid_sec = ngx_time() + s-maxage,
    # stale once valid_sec < ngx_time()): fresh for s-maxage to s-maxage + 1 s. A save
    # committed just after an update read the database waits for the next one.
    bound = cluster.proxy_max_age + 1 + max(updates, default=0) + news.WATCH_EVERY
    exports = sum(nginx["cache"].values()) or 1
    lines = [
        HEADING, "",
        f"The production shape on this machine ({os.cpu_count()} cores, everything on it; "
        f"{software()}): nginx (1 worker process, deploy/nginx.conf: a shared cache "
        f"that honours `s-maxage`, revalidates with the ETag, serves the stale copy while "
        f"one request updates it, one request per document upstream; failing reads go to "
        f"the other server, `max_fails=1 fail_timeout=2s`) in front of two gunicorn app "
        f"servers ({cluster.workers_per_app} sync workers each, documents on their own "
        f"disk folders), Redis, one `db_worker` (`--interval 0.5`); exports "
        f"`Cache-Control: public, max-age=300, s-maxage={cluster.proxy_max_age}` "
        f"(`EXPORT_PROXY_MAX_AGE={cluster.proxy_max_age}`). A timeline of "
        f"{options.events:,} events (bench/seed.py) and the seed; every export and the "
        f"page read once before. For {results.seconds:.0f} s through nginx: one editor "
        f"every {results.interval:g} s changes a summary (API PATCH), publishes a draft "
        f"(API), adds a correction (API) in turn; {results.readers} readers "
        f"load the timeline page; {results.pollers} pollers fetch the "
        f"{len(news.export_paths('x'))} exports (timeline and site, changes feeds "
        f"included) with `If-None-Match`, as fast as they can; a watcher polls the "
        f"timeline's feed.atom every 50 ms for each edit's marker. Clients are Python "
        f"threads on the same cores (bench/breaking_news.py). Ran in {seconds:.0f} s.", "",
        "| kind | requests | per s | p50 ms | p99 ms | 304 | 5xx | no answer |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]  # fmt: skip
    labels = {"page": "reader: timeline page", "poll": "poller: exports",
              "watch": "watcher: feed.atom", "edit": "editor: saves"}  # fmt: skip
    for kind, row in kinds.items():
        lines.append(
            f"| {labels.get(kind, kind)} | {row['requests']:,} | {row['rps']:,.1f} | "
            f"{row['p50']:,.1f} | {row['p99']:,.1f} | {row['not_modified']:,} | "
            f"{row['server_errors']} | {row['failed']} |"
        )
    cache = ", ".join(f"{how} {n / exports:.1%}" for how, n in nginx["cache"].most_common())
    upstreams = ", ".join(f"{a} {n:,}" for a, n in sorted(nginx["upstreams"].items()))
    lines += [
        "",
        f"nginx: {nginx['requests']:,} requests; exports by cache status: {cache} "
        f"(UPDATING: the old copy while another request updates it; STALE: the request "
        f"that started that update, answered from the old copy at once — nginx logs it "
        f"when the update is done); "
        f"sent upstream: {upstreams}. Responses with a server error or none: "
        f"{len(results.server_errors())} (target 0), of them reads "
        f"{len(results.failed_reads())}, writes {len(results.failed_writes())}; "
        f"connections the client re-opened after nginx closed them idle: "
        f"{results.reconnects}.",
        "",
        f"**Edits:** {len(accepted)} of {len(edits)} accepted ({by_kind['summary']} "
        f"summaries, {by_kind['publish']} publications, {by_kind['correct']} "
        f"corrections); the editor's saves took p50 {kinds['edit']['p50']:,.0f} ms. "
        f"**From save to visible through nginx** (the timeline's feed.atom; "
        f"{len(visible)} of {len(accepted)} seen): from the save's answer (the change "
        f"committed) p50 {p50:.2f} s, p99 {p99:.2f} s, slowest "
        f"{max(visible, default=0):.2f} s; from sending the save p50 "
        f"{news.percentile(sent, 0.5):.2f} s, p99 {news.percentile(sent, 0.99):.2f} s. "
        f"Target ≤ s-maxage + one render = {cluster.proxy_max_age} s + {render_ms:,.0f} ms "
        f"(a cold feed.atom of this timeline at one app server, idle) = {target:.2f} s, "
        f"from the answer: {'met' if visible and max(visible) <= target else 'not met'} "
        f"({sum(1 for v in visible if v > target)} of {len(visible)} over). Under this "
        f"load nginx's background updates of that feed took p50 "
        f"{news.percentile(updates, 0.5) * 1000:,.0f} ms, slowest "
        f"{max(updates, default=0) * 1000:,.0f} ms ({len(updates)} updates, nginx's log), "
        f"and nginx keeps expiry times in whole seconds, so that it serves a copy as "
        f"fresh for s-maxage to s-maxage + 1 s: what the design bounds is s-maxage + 1 s "
        f"+ the slowest update (+ the watcher's 50 ms) = {bound:.2f} s, "
        f"{'met' if visible and max(visible) <= bound else 'not met'}.",
        "",
        f"**Older after newer:** {len(results.regressions)} responses (of the pollers' "
        f"and the watcher's, per client and URL by `Last-Modified`) showed an older "
        f"version than one the same client already had (target: never).",
        "",
        "**Renders** (`wrote … version …` in each server's log: a document version "
        "written to its disk; target: at most one per server):",
        "",
        "| server | renders | document versions | most of one version | versions written twice or more |",
        "|---|---:|---:|---:|---:|",
    ]  # fmt: skip
    for name in news.apps(cluster):
        row = renders[name]
        lines.append(f"| {name} | {row['renders']} | {row['versions']} | {row['max']} | "
                     f"{len(row['repeated'])} |")  # fmt: skip
    total = renders["cluster"]
    both = total["by_servers"].get(2, 0)
    lines += [
        f"| cluster | {total['renders']} | {total['versions']} | {total['max']} | {both} "
        f"written by both servers |",
        "",
        f"Per document version the cluster rendered {total['mean']:.2f} times on average "
        f"(one per cluster would be 1.00; at most one per server, 2.00).",
    ]  # fmt: skip
    lines += ["", "| document | versions | " + " | ".join(news.apps(cluster)) + " |",
              "|---|---:|" + "---:|" * len(news.apps(cluster))]  # fmt: skip
    documents = {}
    for name, counts in results.renders.items():
        for (doc, version), n in counts.items():
            documents.setdefault(names.get(doc, doc[:8]), {}).setdefault(version, {})[name] = n
    for document, versions in sorted(documents.items()):
        per_server = [
            sum(v.get(name, 0) for v in versions.values()) for name in news.apps(cluster)
        ]
        lines.append(
            f"| {document} | {len(versions)} | " + " | ".join(map(str, per_server)) + " |"
        )
    repeated = [(name, n, key) for name in news.apps(cluster)
                for n, key in renders[name]["repeated"]]  # fmt: skip
    if repeated:
        lines += ["", "Written more than once by one server: " + "; ".join(
            f"{name} {names.get(doc, doc[:8])} version {version[:8]} ×{n}"
            for name, n, (doc, version) in repeated[:10]
        ) + "."]  # fmt: skip
    lines += [
        "",
        "**Faults** (during the load; failed = answered 5xx or not at all, from the "
        "fault until 2 s after its end; reads: page, exports, watcher; writes: the "
        "editor's saves):",
        "",
        "| fault | at s | took s | failed reads | failed writes | page p50 / p99 ms | "
        "exports p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]  # fmt: skip
    for name, begun, _ in results.faults:
        if name in FAULTS:
            start, end = results.window(name, FAULTS[name])
            lines.append(fault_row(results, f"{name} … {FAULTS[name].split()[0]}", start, end,
                                   end - 2 - begun))  # fmt: skip
    lines.append(fault_row(results, "no fault (the rest of the run)", None, None))
    lost = results.lost()
    lines += [
        "",
        f"**Lost edits:** {len(lost)} of {len(accepted)} accepted edits missing from the "
        f"API (read with the editor's token) or an output that shows them (every export "
        f"of the timeline and the site, the page, the event page; corrections: the feeds "
        f"and changes feeds and the event page) through nginx after the run; "
        + (f"all agreed {results.verified_after:.1f} s after the load ended"
           if results.verified_after is not None else "they never all agreed")
        + f" ({len(results.verify_rounds)} rounds of reading everything, each some seconds; "
        f"edits missing in each: {'; '.join(map(missing_text, results.verify_rounds))}); "
        f"jobs left in the queue: {results.jobs_left}.",
    ]  # fmt: skip
    for edit in lost:
        lines.append(f"- {edit.kind} {edit.marker} ({edit.target.slug}): missing from "
                     f"{', '.join(edit.missing)}")  # fmt: skip
    for edit in results.refused():
        lines.append(f"- not accepted: {edit.kind} {edit.marker}, sent at "
                     f"{edit.sent - results.begun:.1f} s, answered {edit.status or 'nothing'}; "
                     f"{'saved nevertheless' if edit.applied else 'not saved'}")  # fmt: skip
    push = results.hub
    delays = sorted(d for d in push["delivered"].values() if d is not None)
    never = sum(1 for d in push["delivered"].values() if d is None)
    lines += [
        "",
        f"**Push (WebSub):** a hub (a stub in bench/breaking_news.py, named in "
        f"`WEBSUB_HUBS`) fetched the timeline's feed.atom through nginx at each ping of "
        f"it, as a hub does to send subscribers the new content. Pings: {push['pings']:,} "
        f"({push['watched pings']} of that feed); {push['pinged after']} of "
        f"{push['edits']} saves were followed by one (the worker's restart lost no job "
        f"when all are). Of the hub's {push['fetches']} fetches, {push['stale fetches']} "
        f"lacked a save committed before their ping (the worker fetches each changed "
        f"feed anew through nginx just before its ping, WEBSUB_REFRESH_PROXY; without "
        f"that, nginx handed the hub its copy from before the change); from save to a "
        f"fetch that showed it p50 {news.percentile(delays, 0.5):.2f} s, p99 "
        f"{news.percentile(delays, 0.99):.2f} s ({len(delays)} saves; {never} never "
        f"reached a subscriber).",
    ]  # fmt: skip
    lines += [
        "",
        f"**Consistency across servers** (after the run): {checked} exports asked of each "
        f"app server as nginx asks (its Host): "
        + ("the same ETag and byte-identical bodies from both; the ETag from server 1 "
           "sent to either server, alternating, got 304 every time."
           if not problems else "differences: " + "; ".join(problems[:10])),
    ]  # fmt: skip
    return lines


if __name__ == "__main__":
    main()
