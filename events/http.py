"""The one HTTP layer of every export: conditional GET, caching, content types.

Freshness comes from `events.changes` (a timeline's version and change time), known
from one small query before anything is rendered: a matching `If-None-Match` or
`If-Modified-Since` gets 304 at once. Otherwise the document is sent from this
server's file of that version (`events.document_files`), written on the first
request after a change from what readers are shown of its events (`events.rendering`).
Public pages are kept in Django's cache (local memory, or Redis in production) under
a key that contains the version. Formats never touch headers.
"""

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from functools import cache as cache_once
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import FileResponse, HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language, override

from . import document_files
from .middleware import DATABASE_DOWN, database_unavailable
from .models import Timeline
from .output_version import OUTPUT_VERSION

MAX_AGE = 300  # seconds a client or CDN may reuse a document without asking
CACHE_SECONDS = 24 * 3600  # how long a rendered page stays in the cache at most


@dataclass(frozen=True)
class Freshness:
    subject: str  # what the documents are of: a timeline, or the site
    key: str  # changes whenever the content may have changed
    last_modified: dt.datetime


def timeline_freshness(slug):
    """Freshness of a public timeline's exports, or None if there is no such timeline.

    One indexed lookup, as SQL compiled once: this runs on every poll, and building the
    ORM query each time cost more than the database answering it (~400 of ~550 µs).
    """
    rows = _versions(*with_slug(_freshness_query(), slug))
    return _freshness(f"timeline:{rows[0][0]}", rows) if rows else None


def site_freshness():
    """Freshness of the site-wide exports: every public timeline's version, from SQL
    compiled once, as for one timeline."""
    return _freshness("site", _versions(*_site_query()))


def _freshness(subject, rows):
    key = ",".join(f"{uuid}.{version}.{changed.isoformat()}" for uuid, version, changed in rows)
    latest = max((changed for *_, changed in rows), default=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    return Freshness(subject, f"{subject}:{key}", latest)


def _versions(sql, params):
    """(uuid, version, changed_at) of public timelines, straight from the cursor."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(uuid, version, _aware(changed)) for uuid, version, changed in cursor.fetchall()]


SLUG = "<slug>"  # stands for the slug while a query is compiled


def compiled_for_slug(rows):
    """The SQL of `rows`, a QuerySet filtered by `slug=SLUG`, with the place of the
    slug among its parameters: built once, run for any slug with `with_slug`."""
    sql, params = rows.query.sql_with_params()
    return sql, tuple(params), params.index(SLUG)


def with_slug(compiled, slug):
    """(SQL, parameters) of a query from `compiled_for_slug`, for `slug`."""
    sql, template, slot = compiled
    return sql, [*template[:slot], slug, *template[slot + 1 :]]  # a copy: threads share it


@cache_once
def _freshness_query():
    """`Timeline.objects.public()` — the one definition of a public timeline — for one
    slug, its version only."""
    return compiled_for_slug(
        Timeline.objects.public().filter(slug=SLUG).values_list("uuid", "version", "changed_at")
    )


@cache_once
def _site_query():
    rows = Timeline.objects.public().order_by("uuid").values_list("uuid", "version", "changed_at")
    return rows.query.sql_with_params()


def _aware(value):
    """A timestamp as the database hands it over raw: SQLite gives UTC text."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def etag_for(request, export_name, freshness, params_key):
    return (
        '"'
        + _digest(OUTPUT_VERSION, freshness.key, *_document(request, export_name, params_key))
        + '"'
    )


def document_for(request, export_name, freshness, params_key):
    """A name for an export's document that stays the same across its versions."""
    return _digest(freshness.subject, *_document(request, export_name, params_key))


def _document(request, export_name, params_key):
    return export_name, params_key, request.scheme, request.get_host()


def _digest(*parts):
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def etag_matches(header, etag, *, strong=False):
    """RFC 9110 weak comparison (If-None-Match), or with `strong` the strong one that
    If-Match asks for (§13.1.1), where a weak tag `W/"…"` matches nothing; also
    forgives clients that drop the quotes."""
    if header.strip() == "*":
        return True
    opaque = etag.strip('"')
    for candidate in header.split(","):
        candidate = candidate.strip()
        if strong and candidate.startswith("W/"):
            continue
        if candidate.removeprefix("W/").strip('"') == opaque:
            return True
    return False


def is_fresh(request, etag, last_modified):
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:  # takes precedence over If-Modified-Since
        return etag_matches(if_none_match, etag)
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and int(last_modified.timestamp()) <= since


def serve(request, export_name, export, freshness, render, *, params_key="", filename=None,
          exists=None, link=None):  # fmt: skip
    """Answer a GET or HEAD for an export: 304, or its document — from this server's
    copy (`events.document_files`), else rendered from `render()`, an iterable of bytes.

    `link`: the `Link` header, if any. `exists()` raises Http404 when what the
    request names (an event, a tag) is missing.
    A 304 comes from freshness alone, so it is asked first for a conditional request
    (`If-None-Match: *` must not answer for what does not exist); an unconditional one
    finds out while rendering, at no extra query."""
    etag = etag_for(request, export_name, freshness, params_key)
    headers = validators(etag, freshness.last_modified, MAX_AGE)
    if link:  # e.g. WebSub's hub and self (events.websub)
        headers["Link"] = link
    conditional = "If-None-Match" in request.headers or "If-Modified-Since" in request.headers
    if conditional and exists is not None:
        exists()
    if is_fresh(request, etag, freshness.last_modified):
        response = HttpResponseNotModified(headers=headers)
    else:
        document = document_for(request, export_name, freshness, params_key)
        file = document_files.open_document(document, etag.strip('"'), render)
        if request.method == "HEAD":
            size = file.seek(0, os.SEEK_END)  # a file, or bytes in memory (disk full)
            file.close()
            response = HttpResponse(content_type=export.content_type, headers=headers)
            response["Content-Length"] = str(size)
        else:  # sent from the file (sendfile under gunicorn), with its Content-Length
            response = FileResponse(file, content_type=export.content_type, headers=headers)
            del response["Content-Disposition"]  # the file's own name is no one's business
        if filename:
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def validators(etag, last_modified, max_age):
    """The headers of every document: its ETag and Last-Modified, and public for
    `max_age` seconds — a shared cache may be told to ask sooner
    (`settings.EXPORT_PROXY_MAX_AGE`, as `s-maxage`)."""
    shared = settings.EXPORT_PROXY_MAX_AGE
    return {
        "ETag": etag,
        "Last-Modified": http_date(last_modified.timestamp()),
        "Cache-Control": f"public, max-age={max_age}"
        + (f", s-maxage={int(shared)}" if shared else ""),
    }


def serve_fixed(request, content_type, body, last_modified, max_age):
    """Answer a GET or HEAD for a document that rarely changes and is built whole
    (a feed's archive page, `events.archives`): its ETag is its digest."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = validators(etag, last_modified, max_age)
    if is_fresh(request, etag, last_modified):
        return HttpResponseNotModified(headers=headers)
    response = HttpResponse(b"" if request.method == "HEAD" else body, content_type=content_type,
                            headers=headers)  # fmt: skip
    response["Content-Length"] = str(len(body))
    return response


def cached_page(request, freshness, params, render):
    """A public page from the cache, keyed by its timeline's version, its path, the
    query parameters it reads (`params`, normalized: the rest of a query string makes
    no entry of its own), the language and the host; `render()` only on a miss.

    As in Django's cache middleware, a response marked `Cache-Control: private` is not
    kept: the page says so of answers to made-up values (a page past the last, a
    filter that finds nothing)."""
    query = urlencode(sorted(params.items()))
    key = "page:" + _digest(
        OUTPUT_VERSION, freshness.key, request.path, query, get_language(), request.get_host()
    )
    cached = cache.get(key)
    if cached is not None:
        content, content_type = cached
        return HttpResponse(content, content_type=content_type)
    response = render()
    if response.status_code == 200 and "private" not in response.get("Cache-Control", ""):
        cache.set(key, (response.content, response["Content-Type"]), CACHE_SECONDS)
    return response


class ExportFastPathMiddleware:
    """GET and HEAD of an export go straight to its view, past sessions, users,
    languages, CSRF and messages, none of which an export uses: a poll then costs
    little more than the static file it stands in for. Listed right after
    SecurityMiddleware; every other request passes through unchanged."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in {"GET", "HEAD"} and request.path_info.endswith(EXPORT_SUFFIXES):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
            if match is not None and getattr(match.func, "is_export", False):
                # No LocaleMiddleware on this path: never inherit the language a previous
                # request left active in this thread (exports use their timeline's anyway).
                try:
                    with override(settings.LANGUAGE_CODE):
                        return match.func(request, *match.args, **match.kwargs)
                except DATABASE_DOWN as error:
                    return database_unavailable(request, error)
        return self.get_response(request)


def export_view(view):
    """Mark a view as an export: ExportFastPathMiddleware may call it directly."""
    view.is_export = True
    return view


EXPORT_SUFFIXES = (".rss", ".atom", ".json", ".ics", ".csv")
