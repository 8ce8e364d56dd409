"""The HTTP layer every export shares: conditional GET, HEAD, caching headers."""

import datetime as dt

import pytest
from django.utils.http import http_date

from events.models import Event, Quote

SEED = "/timelines/nordkorea-soldaten-russland/"
URLS = [SEED + "feed.rss", SEED + "feed.atom", SEED + "feed.json", "/feed.rss"]


@pytest.mark.parametrize("url", URLS)
def test_validators_and_cache_headers(client, seed, url):
    response = client.get(url)
    assert response["ETag"].startswith('"') and response["ETag"].endswith('"')
    assert response["Last-Modified"] == "Wed, 23 Oct 2024 21:00:00 GMT"
    assert response["Cache-Control"] == "public, max-age=300"
    assert "Accept-Language" not in response.get("Vary", "")
    assert int(response["Content-Length"]) == len(response.content)
    assert "Content-Disposition" not in response  # shown, not downloaded
    # The same headers from the file on the next request:
    again = client.get(url)
    assert dict(again.items()) == dict(response.items()) and again.content == response.content


@pytest.mark.parametrize(
    "header",
    [
        "{etag}",
        "W/{etag}",
        "{bare}",
        '"something-else", {etag}',
        "*",
    ],
)
def test_if_none_match_in_every_spelling_gets_304(
    client, seed, header, django_assert_max_num_queries
):
    etag = client.get(SEED + "feed.rss")["ETag"]
    value = header.format(etag=etag, bare=etag.strip('"'))
    with django_assert_max_num_queries(1):  # the freshness lookup, nothing rendered
        response = client.get(SEED + "feed.rss", HTTP_IF_NONE_MATCH=value)
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response.content == b""


def test_other_etag_gets_the_document(client, seed):
    response = client.get(SEED + "feed.rss", HTTP_IF_NONE_MATCH='"veraltet"')
    assert response.status_code == 200 and response.content


def test_if_modified_since_gets_304_until_a_change(client, seed):
    last_modified = client.get(SEED + "feed.atom")["Last-Modified"]
    assert client.get(SEED + "feed.atom", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    earlier = http_date(dt.datetime(2024, 10, 1, tzinfo=dt.UTC).timestamp())
    assert client.get(SEED + "feed.atom", HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


def test_an_edit_changes_etag_and_last_modified(client, seed, person):
    before = client.get(SEED + "feed.json")
    Quote.objects.create(event=Event.objects.get(slug="austin-rom"), speaker=person, text="Neu.")
    after = client.get(SEED + "feed.json", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert after["Last-Modified"] != before["Last-Modified"]
    assert "Neu." in after.content.decode()
    stale = client.get(SEED + "feed.json", HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
    assert stale.status_code == 200


def test_a_draft_edit_leaves_the_feed_alone(client, seed, make_event):
    before = client.get(SEED + "feed.rss")["ETag"]
    make_event(timeline=seed, title="Entwurf", slug="entwurf")
    assert client.get(SEED + "feed.rss")["ETag"] == before


def test_head_answers_headers_without_body(client, seed):
    get = client.get(SEED + "feed.rss")
    head = client.head(SEED + "feed.rss")
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == get["ETag"]
    assert head["Content-Type"] == get["Content-Type"]
    assert head["Content-Length"] == get["Content-Length"]


def test_cached_body_costs_one_query(client, seed, django_assert_max_num_queries):
    client.get(SEED + "feed.atom")
    with django_assert_max_num_queries(1):
        response = client.get(SEED + "feed.atom")
    assert b"Kirby" in response.content


def test_other_host_gets_its_own_etag(client, seed, settings):
    settings.ALLOWED_HOSTS = ["testserver", "news.example"]
    here = client.get(SEED + "feed.rss")
    there = client.get(SEED + "feed.rss", HTTP_HOST="news.example")
    assert here["ETag"] != there["ETag"]
    assert b"http://news.example/timelines/" in there.content


def test_post_is_refused(client, seed):
    assert client.post(SEED + "feed.rss").status_code == 405


def test_exports_do_not_follow_the_readers_language(client, seed):
    german = client.get(SEED + "feed.rss").content
    client.get(SEED, {"lang": "en"})  # leaves English active and remembered
    assert client.get(SEED + "feed.rss", HTTP_ACCEPT_LANGUAGE="en").content == german


def test_site_feed_revalidates_in_one_query_and_changes_with_any_timeline(
    client, seed, django_assert_max_num_queries
):
    first = client.get("/feed.atom")
    with django_assert_max_num_queries(1):
        assert client.get("/feed.atom", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    event = Event.objects.get(slug="austin-rom")
    event.summary = "Neu für alle Zeitleisten."
    event.save()
    second = client.get("/feed.atom", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and second["ETag"] != first["ETag"]
    assert "Neu für alle Zeitleisten." in second.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        SEED + "gibt-es-nicht.ics",
        SEED + "feed.rss?tag=gibt-es-nicht",
        "/feed.atom?tag=gibt-es-nicht",
        "/timelines/gibt-es-nicht/feed.rss",
    ],
)
@pytest.mark.parametrize("header", ["HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE"])
def test_what_does_not_exist_is_404_whatever_the_conditional_headers(client, seed, path, header):
    value = "*" if header == "HTTP_IF_NONE_MATCH" else http_date(dt.datetime.now().timestamp())
    assert client.get(path, **{header: value}).status_code == 404


def test_an_existing_event_calendar_revalidates_to_304(client, seed):
    path = SEED + "kirby-washington.ics"
    etag = client.get(path)["ETag"]
    assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(path, HTTP_IF_NONE_MATCH="*").status_code == 304
