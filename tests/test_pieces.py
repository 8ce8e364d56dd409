"""Documents are assembled from cached per-event pieces: an edit renders one piece,
and the assembled bytes equal a full render."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from events import documents
from events.exports import FORMATS, SITE_FORMATS, pieces
from events.exports.selection import Selection
from events.models import Event

DEAD_CACHE = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2},
    }
}


def forget_everything():
    """As after a deploy to new servers: no pieces, no documents."""
    cache.clear()
    documents.clear()


@pytest.fixture
def loads(monkeypatch):
    """Counts the events each document had to load and render."""
    loaded = []
    original = Selection.load

    def counting(self, pks):
        loaded.extend(pks)
        return original(self, pks)

    monkeypatch.setattr(Selection, "load", counting)
    return loaded


@pytest.mark.parametrize("chunk", [1000, 64])
@pytest.mark.parametrize("name", list(FORMATS))
def test_one_edit_renders_one_piece_and_the_bytes_match_a_full_render(
    client, timeline, many_events, loads, name, chunk, monkeypatch
):
    monkeypatch.setattr(pieces, "CHUNK", chunk)  # 64: the timeline spans 5 chunks
    events = many_events(300)
    url = timeline.export_url(name)
    client.get(url)
    assert len(loads) == (50 if name.startswith("feed.") else 300)

    newest = Event.objects.order_by("-first_published_at", "-uuid").first()
    newest.summary = "Eine Korrektur in einem von 300 Ereignissen."
    newest.save()
    loads.clear()
    assembled = client.get(url).content
    assert loads == [newest.pk]  # one piece rendered, the rest from the cache

    forget_everything()
    full = client.get(url).content
    assert assembled == full
    unfolded = full.decode("utf-8-sig").replace("\r\n ", "")  # iCalendar folds lines
    assert "Eine Korrektur in einem von 300 Ereignissen." in unfolded
    assert len(events) == 300


def test_pieces_know_the_host(client, timeline, many_events, settings):
    settings.ALLOWED_HOSTS = ["testserver", "news.example"]
    many_events(3)
    here = client.get(timeline.export_url("feed.rss")).content
    there = client.get(timeline.export_url("feed.rss"), HTTP_HOST="news.example").content
    assert b"http://testserver/" in here and b"http://testserver/" not in there


def urls_of(timeline, event):
    return [
        *[timeline.export_url(name) for name in FORMATS],
        *["/" + name for name in SITE_FORMATS],
        event.export_url(".ics"),
    ]


def edit(event, text):
    event.summary = text
    event.save()


def test_any_export_costs_at_most_five_queries_at_any_size(
    client, timeline, many_events, monkeypatch, django_assert_max_num_queries
):
    """Whole timelines stream through one query, however many chunks they fill."""
    monkeypatch.setattr(pieces, "CHUNK", 40)  # 300 events: 8 chunks
    many_events(300)
    newest = Event.objects.order_by("-first_published_at", "-uuid").first()  # in every feed
    for url in urls_of(timeline, newest):
        forget_everything()
        with django_assert_max_num_queries(5, info=f"{url}, nothing cached"):
            cold = client.get(url).content
        edit(newest, f"Geändert für {url}.")
        with django_assert_max_num_queries(5, info=f"{url}, after an edit"):
            edited = client.get(url).content
        with django_assert_max_num_queries(1, info=f"{url}, from its file"):
            again = client.get(url)
        assert again.content == edited != cold
        assert again.streamed  # sent from the file, not from memory


def test_documents_assemble_chunk_by_chunk_even_without_a_cache(
    client, timeline, many_events, monkeypatch
):
    monkeypatch.setattr(pieces, "CHUNK", 40)
    many_events(300)
    urls = [timeline.export_url(name) for name in FORMATS]
    expected = {url: client.get(url).content for url in urls}
    documents.clear()
    with override_settings(CACHES=DEAD_CACHE):
        cache.close()
        for url in urls:
            assert client.get(url).content == expected[url], url


def test_an_export_is_written_once_per_version_and_old_versions_go(client, timeline, many_events):
    events = many_events(3)
    url = timeline.export_url("calendar.ics")
    client.get(url)
    before = sorted(documents.root().glob("*/*"))
    client.get(url)
    assert sorted(documents.root().glob("*/*")) == before and len(before) == 1
    edit(events[0], "Neu.")
    assert b"Neu." in client.get(url).content
    after = sorted(documents.root().glob("*/*"))
    assert len(after) == 1 and after != before  # the new version replaced the old one
    assert after[0].read_bytes() == client.get(url).content


def test_the_documents_folder_is_trimmed_oldest_first(client, timeline, many_events):
    many_events(3)
    for name in FORMATS:
        client.get(timeline.export_url(name))
    files = sorted(documents.root().glob("*/*"), key=lambda p: p.stat().st_mtime)
    total = sum(p.stat().st_size for p in files)
    documents.trim(total - 1)
    left = sorted(documents.root().glob("*/*"), key=lambda p: p.stat().st_mtime)
    assert left and files[0] not in left and left == files[len(files) - len(left) :]
    assert sum(p.stat().st_size for p in left) <= (total - 1) * 3 // 4


def test_a_disk_that_cannot_keep_documents_only_slows_answers_down(
    client, timeline, many_events, settings, tmp_path
):
    many_events(3)
    url = timeline.export_url("calendar.ics")
    expected = client.get(url).content
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.DOCUMENTS_DIR = blocker / "documents"  # cannot be made: a file is in the way
    response = client.get(url)
    assert response.status_code == 200 and response.content == expected
    assert int(response["Content-Length"]) == len(expected)
    head = client.head(url)
    assert head.status_code == 200 and int(head["Content-Length"]) == len(expected)


def test_one_edit_renders_one_entry_of_a_timeline_page(client, timeline, many_events, monkeypatch):
    from events import views

    rendered = []
    original = views.render_to_string

    def counting(name, context=None, *args, **kwargs):
        rendered.append(context["event"].pk)
        return original(name, context, *args, **kwargs)

    monkeypatch.setattr(views, "render_to_string", counting)
    events = many_events(120)
    url = timeline.get_absolute_url()
    client.get(url)
    assert len(rendered) == 50

    events[10].summary = "Nur dieser Eintrag ist neu."
    events[10].save()
    rendered.clear()
    assembled = client.get(url).content
    assert rendered == [events[10].pk]
    assert "Nur dieser Eintrag ist neu." in assembled.decode()
    forget_everything()
    assert client.get(url).content == assembled
    rendered.clear()
    client.get(url, {"lang": "en"})  # the entries say their dates in the reader's language
    assert len(rendered) == 50


def test_a_deploy_that_changes_the_code_renders_every_piece_anew(
    client, timeline, many_events, loads, monkeypatch
):
    many_events(5)
    url = timeline.export_url("calendar.ics")
    client.get(url)
    monkeypatch.setattr(pieces, "OUTPUT_VERSION", "another-release")
    documents.clear()
    loads.clear()
    client.get(url)
    assert len(loads) == 5
