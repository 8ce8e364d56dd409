"""What each caching layer still buys: the same request with the layer on and off.

In process (Django's test client, the whole middleware stack), after the server of
`make bench` has stopped. A layer is switched off by standing in for it with what
the code would do without it; everything else stays as in production.
"""

import io
import statistics
import time
from unittest import mock

REPEATS = 15  # requests a figure (the median); 3 for the slow ones


def measure(client_for, path_of, forget_everything, size):
    """Rows of (layer, request, ms on, ms off)."""
    from django.conf import settings
    from django.test import override_settings

    from events import document_files, http
    from events.models import EventRendering

    client = client_for()
    calendar, feed, page = (path_of(size, name) for name in ("calendar.ics", "feed.rss", "page"))
    rows = []

    def row(layer, request, on, off, repeats=REPEATS):
        rows.append((layer, request, _median(on, repeats), _median(off, repeats)))
        print(f"layers: {layer}: {rows[-1][2]:,.1f} / {rows[-1][3]:,.1f} ms", flush=True)

    def get(url, **headers):
        return lambda: _read(client.get(url, **headers))

    # Documents kept as files: a warm poll sends the file; without, it renders.
    rendering_anew = mock.patch.object(
        document_files,
        "open_document",
        lambda document, version, render: io.BytesIO(b"".join(render())),
    )
    for url in (feed, calendar):
        _read(client.get(url))
        row("documents as files", f"GET {url}, warm", get(url), _with(rendering_anew, get(url)),
            REPEATS if url == feed else 3)  # fmt: skip

    # The kept renderings of events: nothing cached, with and without them (as after a
    # deploy that changes what they depend on).
    timeline_events = EventRendering.objects.filter(event__timeline__slug=f"bench-{size}")

    def forgotten(also_renderings):
        def run():
            forget_everything()
            if also_renderings:
                timeline_events.delete()
            started = time.perf_counter()
            _read(client.get(calendar))
            return time.perf_counter() - started

        return run

    rows.append(("renderings kept with the events", f"GET {calendar}, nothing cached",
                 _median_timed(forgotten(False), 3), _median_timed(forgotten(True), 1)))  # fmt: skip
    print(f"layers: renderings: {rows[-1][2]:,.1f} / {rows[-1][3]:,.1f} ms", flush=True)

    # The page cache: a warm page from the cache, or rendered.
    _read(client.get(page))
    straight = mock.patch.object(
        http, "cached_page", lambda request, freshness, params, render: render()
    )
    row("page cache", f"GET {page}, warm", get(page), _with(straight, get(page)))

    # The export fast path: a poll that is answered 304, past or through the stack.
    etag = client.get(feed)["ETag"]
    revalidate = get(feed, HTTP_IF_NONE_MATCH=etag)
    without = [m for m in settings.MIDDLEWARE if m != "events.http.ExportFastPathMiddleware"]

    def through_the_stack():
        with override_settings(MIDDLEWARE=without):
            slow = client_for()
            _read(slow.get(feed, HTTP_IF_NONE_MATCH=etag))
            return _median(lambda: _read(slow.get(feed, HTTP_IF_NONE_MATCH=etag)), REPEATS)

    rows.append(("export fast path (middleware)", f"GET {feed}, 304",
                 _median(revalidate, REPEATS), through_the_stack()))  # fmt: skip
    return rows


def _read(response):
    return response.getvalue() if response.streaming else response.content


def _median(request, repeats):
    """Median milliseconds of `repeats` calls of `request` (after one to warm up)."""
    request()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        request()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _median_timed(run, repeats):
    """Median milliseconds that `run()` reports it took, `repeats` times."""
    return statistics.median(run() for _ in range(repeats)) * 1000


def _with(patch, request):
    def patched():
        with patch:
            return request()

    return patched


def _before(step, request):
    def run():
        step()
        return request()

    return run


def section(rows, size):
    lines = ["## What each layer buys", "",
             f"The same request with the layer and without it, at {size:,} events, in process "
             f"(median of {REPEATS}, of 3 for calendars, of one for renderings made anew). "
             f"Without a layer the code does what it would do without it: render instead of "
             f"sending the file, render the page, make the renderings, run the whole "
             f"middleware stack.", "",
             "| layer | request | with ms | without ms | buys |",
             "|---|---|---:|---:|---:|"]  # fmt: skip
    for layer, request, on, off in rows:
        lines.append(f"| {layer} | {request} | {on:,.2f} | {off:,.2f} | {off / on:,.1f}× |")
    return lines
