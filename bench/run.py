"""`make bench`: seed 100, 1,000 and 10,000 events into a separate database, serve them
with the production profile (gunicorn, 2 sync workers, debug off, whitenoise), and
measure every export and the timeline page against two baselines on the same server:
the same bytes as a static file (the floor) and the same feed and calendar made by
Django's syndication framework and django-ical; then every export with nothing cached,
in process, against the same peer. Prints tables, writes bench/results.md.

`--only nothing-cached` runs just that part and rewrites just its section of
bench/results.md; `--sizes 100,1000` limits the sizes; see bench/README.md.
"""

import argparse
import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
HOST, PORT = "127.0.0.1", 8765
SIZES = (100, 1_000, 10_000)
EXPORTS = ["feed.rss", "feed.atom", "feed.json", "calendar.ics", "timelinejs.json", "events.csv"]
BASELINES = {"feed.rss": "syndication", "feed.atom": "syndication", "calendar.ics": "django-ical"}
WRK_SECONDS = os.environ.get("BENCH_SECONDS", "1")
ROUNDS = 3  # floor, warm and 304 take turns this often; each figure is the median
COLD_REPEATS = 5
NOTHING_CACHED_ROUNDS = 3  # ours and the peer take turns this often (`--rounds`)
# A separate SQLite file under bench/work/ unless BENCH_DATABASE_URL names another
# database (PostgreSQL: one whose name says "bench"; it is emptied first).
DATABASE = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{WORK / 'bench.sqlite3'}"

os.environ.update(
    DJANGO_SETTINGS_MODULE="bench.settings",
    DATABASE_URL=DATABASE,
    DJANGO_DEBUG="0",
    DJANGO_SECRET_KEY="bench-only-" + "x" * 40,
    DJANGO_ALLOWED_HOSTS=f"{HOST},localhost,testserver",
    DOCUMENTS_DIR=str(WORK / "documents"),
)
# The production cache when this machine has it (BENCH_CACHE=locmem measures the
# default profile instead: each worker's own memory).
CACHE = os.environ.get("BENCH_CACHE", "redis")
if CACHE == "redis":
    os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
else:
    os.environ.pop("REDIS_URL", None)
sys.path.insert(0, str(ROOT))


def main():
    options = parse_arguments()
    sizes = options.sizes
    started = time.monotonic()
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    cache.clear()
    call_command("migrate", verbosity=0)
    empty_database()
    call_command("collectstatic", "--noinput", verbosity=0)
    from bench.seed import seed

    print(f"seeding {', '.join(f'{size:,}' for size in sizes)} events …", flush=True)
    seed(sizes)
    analyze()
    if options.only == "nothing-cached":
        rows = nothing_cached(sizes, options.rounds)
        section = nothing_cached_section(rows, options.rounds)
        replace_section(section[0], section)
        return
    if options.only == "layers":
        section = measure_layers(sizes[-1])
        replace_section(section[0], section)
        return
    queries = measure_in_process(sizes)
    write_floor_files(sizes)
    server = start_server()
    try:
        results = measure(server, queries, sizes)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    # In process, once the server is gone: it clears the cache the server used.
    results["nothing_cached"] = nothing_cached(sizes, options.rounds)
    results["layers"] = measure_layers(sizes[-1])
    report(results, sizes, options.rounds, time.monotonic() - started)


def parse_arguments():
    parser = argparse.ArgumentParser(description="make bench; see bench/README.md")
    parser.add_argument("--only", choices=["nothing-cached", "layers"], help="run only this part")
    parser.add_argument(
        "--sizes", default=",".join(map(str, SIZES)),
        type=lambda text: sorted({int(size) for size in text.split(",")}),
        help="timeline sizes to seed and measure, e.g. 100,1000 (default: all three)",
    )  # fmt: skip
    parser.add_argument("--rounds", type=int, default=NOTHING_CACHED_ROUNDS,
                        help="rounds of the nothing-cached part")  # fmt: skip
    return parser.parse_args()


def empty_database():
    """The SQLite file is new (bench/work/ was just removed); another database is
    emptied, and only one named for the bench."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        return
    if "bench" not in connection.settings_dict["NAME"]:
        raise SystemExit("BENCH_DATABASE_URL: the database's name must contain 'bench'")
    call_command("flush", "--noinput", verbosity=0)


def analyze():
    """Statistics for the planner after the bulk load, as autovacuum would make soon."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def database_name():
    from django.db import connection

    return connection.display_name  # "SQLite", "PostgreSQL"


# -- in process: queries and sizes --------------------------------------------------


def measure_in_process(sizes):
    """SQL queries per request (cold after an edit, warm, 304) and response sizes."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=f"{HOST}:{PORT}")
    connection.features.supports_json_field  # noqa: B018 -- asked once per connection: not per request
    found = {}
    for size in sizes:
        for name in [*EXPORTS, "page"]:
            url = path_of(size, name)
            with CaptureQueriesContext(connection) as empty:  # no document written yet
                client.get(url)
            edit(size)
            with CaptureQueriesContext(connection) as cold:
                response = client.get(url)
            with CaptureQueriesContext(connection) as warm:
                client.get(url)
            etag = response.get("ETag", "")
            with CaptureQueriesContext(connection) as revalidate:
                client.get(url, HTTP_IF_NONE_MATCH=etag)
            found[size, name] = {
                "q_empty": len(empty.captured_queries),
                "q_cold": len(cold.captured_queries),
                "q_warm": len(warm.captured_queries),
                "q_304": len(revalidate.captured_queries) if etag else "–",
                "bytes": len(body(response)),
            }
    cache.clear()
    return found


def body(response):
    """The bytes of a response, also of one sent from a file."""
    return response.getvalue() if response.streaming else response.content


def path_of(size, name):
    base = f"/timelines/bench-{size}/"
    return base if name == "page" else base + name


_edits = 0


def edit(size):
    """A real edit, as an editor's save: one event of the timeline changes."""
    global _edits
    from events.models import Event

    _edits += 1
    event = (
        Event.objects.filter(timeline__slug=f"bench-{size}")
        .order_by("-first_published_at")
        .first()
    )
    event.summary = f"Geändert ({_edits})."
    event.save()


def write_floor_files(sizes):
    """The floor: the very bytes of each export as a static file, served by whitenoise."""
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST=f"{HOST}:{PORT}")
    for size in sizes:
        folder = Path(settings.STATIC_ROOT) / "floor" / f"bench-{size}"
        folder.mkdir(parents=True, exist_ok=True)
        for name in EXPORTS:
            (folder / name).write_bytes(body(client.get(path_of(size, name))))


# -- over HTTP ----------------------------------------------------------------------


def start_server():
    # No restarts after N requests: they would reset the memory figures mid-run.
    env = {**os.environ, "GUNICORN_BIND": f"{HOST}:{PORT}", "GUNICORN_WORKERS": "2",
           "GUNICORN_ACCESSLOG": "/dev/null", "GUNICORN_MAX_REQUESTS": "0"}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py")],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
        stderr=open(WORK / "gunicorn.log", "w"),  # noqa: SIM115 -- open while the server runs
    )  # fmt: skip
    for _ in range(100):
        try:
            get("/robots.txt")
            return server
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start; see bench/work/gunicorn.log")


def get(path, headers=None):
    connection = http.client.HTTPConnection(HOST, PORT, timeout=120)
    started = time.perf_counter()
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    return response, body, elapsed


def wrk(path, etag=None):
    """Requests per second and latency percentiles (ms) under load: 4 connections."""
    command = ["wrk", "-t2", "-c4", f"-d{WRK_SECONDS}s", "--latency"]
    if etag:
        command += ["-H", f"If-None-Match: {etag}"]
    output = subprocess.run([*command, f"http://{HOST}:{PORT}{path}"], capture_output=True,
                            text=True, check=True).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    percentiles = {p: _ms(re.search(rf"\s{p}%\s+([\d.]+\w+)", output).group(1)) for p in (50, 99)}
    return {"rps": rps, **{f"p{p}": v for p, v in percentiles.items()}}


def _ms(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def cold_latency(size, path):
    """Median latency of the first request right after an edit (ms)."""
    samples = []
    for _ in range(COLD_REPEATS):
        edit(size)
        samples.append(get(path)[2] * 1000)
    return statistics.median(samples)


def warm_up(path):
    for _ in range(6):  # every worker renders and caches
        get(path)


def worker_peak_memory(server):
    """Peak resident memory (VmHWM, MB) of each gunicorn worker."""
    children = subprocess.run(
        ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
    ).stdout.split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024)
    return peaks


def rounds(contenders):
    """Run the contenders (name -> path and headers) in turns, ROUNDS times, so that
    drifting load hurts all alike; the median of each."""
    runs = {name: [] for name in contenders}
    for _ in range(ROUNDS):
        for name, (path, etag) in contenders.items():
            runs[name].append(wrk(path, etag))
    return {
        name: {key: statistics.median(run[key] for run in found) for key in found[0]}
        for name, found in runs.items()
    }


def measure(server, queries, sizes):
    results = {"rows": [], "pages": {}, "memory": {"start": worker_peak_memory(server)}}
    for size in sizes:
        print(f"measuring {size} events …", flush=True)
        for name in EXPORTS:
            path = path_of(size, name)
            warm_up(path)
            etag = get(path)[0].getheader("ETag")
            floor_path = f"/static/floor/bench-{size}/{name}"
            row = {"size": size, "name": name, **queries[size, name]}
            row.update(rounds({"floor": (floor_path, None), "warm": (path, None),
                               "revalidate": (path, etag)}))  # fmt: skip
            row["cold_ms"] = cold_latency(size, path)
            results["rows"].append(row)
        page = path_of(size, "page")
        warm_up(page)
        results["pages"][size] = {
            **wrk(page),
            "cold_ms": cold_latency(size, page),
            **queries[size, "page"],
        }
        results["memory"][size] = worker_peak_memory(server)
    # The baselines last, on the same server: what they hold in memory (django-ical
    # builds a whole 25 MB calendar at once) must not count as ours.
    print("measuring the baselines …", flush=True)
    for row in results["rows"]:
        if row["name"] in BASELINES:
            baseline_path = f"/baseline/bench-{row['size']}/{row['name']}"
            row["baseline_ms"] = statistics.median(get(baseline_path)[2] * 1000 for _ in range(3))
            row["baseline_kind"] = BASELINES[row["name"]]
    results["memory"]["baselines"] = worker_peak_memory(server)
    return results


# -- in process: nothing cached ----------------------------------------------------


def nothing_cached(sizes, rounds):
    """Each export and the page as the first request after a deploy, a Redis flush or
    on a new host: everything forgotten before each request. Ours and the peer (where
    it has the format) take turns; the median time and the queries of a request."""
    from django.test import Client

    client = Client(HTTP_HOST=f"{HOST}:{PORT}")
    for name in [*EXPORTS, "page"]:  # imports and templates: paid once per process
        client.get(path_of(sizes[0], name))
        if name in BASELINES:
            client.get(f"/baseline/bench-{sizes[0]}/{name}")
    rows = []
    for size in sizes:
        print(f"nothing cached: {size:,} events …", flush=True)
        for name in [*EXPORTS, "page"]:
            contenders = {"ours": path_of(size, name)}
            if name in BASELINES:
                contenders["peer"] = f"/baseline/bench-{size}/{name}"
            times = {who: [] for who in contenders}
            row = {"size": size, "name": name}
            for _ in range(rounds):
                for who, url in contenders.items():
                    forget_everything()
                    milliseconds, row[f"{who}_sql"] = request_in_process(client, url)
                    times[who].append(milliseconds)
            rows.append(row | {f"{who}_ms": statistics.median(times[who]) for who in times})
    forget_everything()
    return rows


def measure_layers(size):
    """What each caching layer buys at `size` events (bench/layers.py)."""
    from django.test import Client

    from bench import layers

    rows = layers.measure(lambda: Client(HTTP_HOST=f"{HOST}:{PORT}"), path_of, forget_everything,
                          size)  # fmt: skip
    return layers.section(rows, size)


def forget_everything():
    """What a fresh deploy has: no cached page (every cache but the throttles'
    counts), no document file. The events' renderings stay, as a deploy keeps them
    (`manage.py make_renderings` makes those a release changed; bench/layers.py
    measures a render without them)."""
    from django.conf import settings
    from django.core.cache import caches

    from events import document_files

    for alias in settings.CACHES:
        if alias != "throttle":
            caches[alias].clear()
    document_files.clear()


def request_in_process(client, url):
    """Milliseconds and SQL queries of one request through the whole stack, body
    read (a streamed document is made while it is sent)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        body(response)
        elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url}: {response.status_code}")
    return elapsed * 1000, len(queries.captured_queries)


# -- report -------------------------------------------------------------------------


def nothing_cached_section(rows, rounds):
    cache = "Redis" if CACHE == "redis" else "local-memory"
    # One section a database, so that a run of this part alone on PostgreSQL keeps
    # the figures on SQLite.
    heading = "## Nothing cached" + ("" if database_name() == "SQLite" else f", {database_name()}")
    lines = [heading, "",
             f"In process (Django's test client, the whole middleware stack), {database_name()}, "
             f"{cache} cache, {os.cpu_count()} cores. Before each request every cache and the "
             f"documents folder are cleared, as after a deploy, a Redis flush or on a new "
             f"server; the events' renderings stay, as a deploy keeps them (without them: "
             f"\"What each layer buys\"). Ours and the peer (`baseline.py`: syndication, django-ical, with "
             f"`select_related`/`prefetch_related` of what its items show) take turns; "
             f"{rounds} rounds; ms = median, SQL = queries of one request. Feeds show the "
             f"newest 50 events, the page 50.", "",
             "| events | export | ours ms | ours SQL | peer ms | peer SQL | ours vs peer |",
             "|---:|---|---:|---:|---:|---:|---|"]  # fmt: skip
    for row in rows:
        ours, peer = row["ours_ms"], row.get("peer_ms")
        if peer is None:
            versus = "–"
        elif ours <= peer:
            versus = f"{peer / ours:.1f}× faster ({BASELINES[row['name']]})"
        else:
            versus = f"{ours / peer:.1f}× slower ({BASELINES[row['name']]})"
        lines.append(
            f"| {row['size']:,} | {row['name']} | {ours:,.1f} | {row['ours_sql']} | "
            f"{(peer and f'{peer:,.1f}') or '–'} | {row.get('peer_sql', '–')} | {versus} |"
        )
    return lines


def replace_section(heading, lines):
    """Put one section into bench/results.md in place of its previous figures."""
    path = ROOT / "bench" / "results.md"
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    before, found, after = text.partition(heading + "\n")
    rest = after[after.find("\n## ") + 1 :] if found and "\n## " in after else ""
    section = "\n".join(lines) + "\n"
    text = before.rstrip("\n") + "\n\n" + section + ("\n" + rest if rest else "")
    path.write_text(text)
    print(section)


def report(results, sizes, rounds, seconds):
    cache = "Redis" if CACHE == "redis" else "local-memory"
    lines = ["# Benchmark results", "",
             f"gunicorn, 2 sync workers, {database_name()}, {cache} cache, {os.cpu_count()} cores; "
             f"wrk -t2 -c4 -d{WRK_SECONDS}s; floor, warm and 304 in {ROUNDS} alternating "
             f"rounds, medians; cold = median of {COLD_REPEATS} first requests right after an "
             f"edit; SQL empty = the first request, no document written yet. Floor = the same "
             f"bytes as a static file (whitenoise) on the same server. "
             f"Ran in {seconds:.0f} s.", ""]  # fmt: skip
    lines += ["## Exports", "",
              "| events | export | bytes | floor req/s | warm req/s | warm/floor | 304 req/s | 304/floor "
              "| cold ms | baseline ms | cold vs baseline | SQL empty/cold/warm/304 |",
              "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]  # fmt: skip
    for row in results["rows"]:
        floor = row["floor"]["rps"]
        baseline = row.get("baseline_ms")
        speedup = f"{baseline / row['cold_ms']:.1f}× ({row['baseline_kind']})" if baseline else "–"
        lines.append(
            f"| {row['size']:,} | {row['name']} | {row['bytes']:,} | {floor:,.0f} | "
            f"{row['warm']['rps']:,.0f} | {row['warm']['rps'] / floor:.2f} | "
            f"{row['revalidate']['rps']:,.0f} | {row['revalidate']['rps'] / floor:.2f} | "
            f"{row['cold_ms']:.1f} | {(baseline and f'{baseline:,.1f}') or '–'} | {speedup} | "
            f"{row['q_empty']}/{row['q_cold']}/{row['q_warm']}/{row['q_304']} |"
        )
    lines += ["", "## Timeline page (50 events a page)", "",
              "| events | req/s | p50 ms | p99 ms | after an edit ms | bytes | SQL after an edit |",
              "|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    pages = results["pages"]
    for size, page in pages.items():
        lines.append(f"| {size:,} | {page['rps']:,.0f} | {page['p50']:.2f} | {page['p99']:.2f} | "
                     f"{page['cold_ms']:.1f} | {page['bytes']:,} | {page['q_cold']} |")  # fmt: skip
    if len(sizes) > 1:
        ratio = pages[sizes[-1]]["p50"] / pages[sizes[0]]["p50"]
        lines += ["", f"Page latency at {sizes[-1]:,} events: {ratio:.2f}× its latency at "
                  f"{sizes[0]:,} (target at 10,000 against 100: ≤ 1.5)."]  # fmt: skip
    lines += ["", "## Worker memory", "",
              "Peak resident memory (VmHWM) of each worker, in MB, after start, after the "
              "runs of each size and after the baselines (run last, in the same workers); "
              "growth = the most any worker's peak grew from start to after 10,000 events "
              "(target: < 100 MB).", "",
              "| after | worker 1 | worker 2 |", "|---|---:|---:|"]  # fmt: skip
    memory = results["memory"]
    for when, peaks in memory.items():
        label = when if isinstance(when, str) else f"{when:,} events"
        lines.append(f"| {label} | " + " | ".join(f"{m:.0f}" for m in peaks) + " |")
    growth = max(
        end - start for start, end in zip(memory["start"], memory[sizes[-1]], strict=True)
    )
    lines += ["", f"Growth: {growth:.0f} MB.", ""]
    lines += nothing_cached_section(results["nothing_cached"], rounds)
    lines += ["", *results["layers"]]
    text = "\n".join(lines) + "\n"
    (ROOT / "bench" / "results.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
