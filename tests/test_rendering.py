"""What readers are shown of an event is made once per revision (`events.rendering`):
an edit makes one rendering, documents are written from the kept ones, and the bytes
equal those written from renderings made anew."""

import ast
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import override_settings

from events import document_files, rendering
from events.exports import FORMATS, SITE_FORMATS
from events.models import Event, EventRendering

DEAD_CACHE = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2},
    }
}


def forget_everything():
    """As after a deploy to new servers: no cache, no documents."""
    cache.clear()
    document_files.clear()


@pytest.fixture
def made(monkeypatch):
    """The pks of the events whose rendering was made."""
    pks = []
    original = rendering.make

    def counting(event):
        pks.append(event.pk)
        return original(event)

    monkeypatch.setattr(rendering, "make", counting)
    return pks


def edit(event, text):
    event.summary = text
    event.save()


@pytest.mark.parametrize("chunk", [500, 64])
# The changes feeds write what `events.public_changes` kept, not renderings.
@pytest.mark.parametrize("name", [name for name in FORMATS if not name.startswith("changes.")])
def test_one_edit_makes_one_rendering_and_the_bytes_match_renderings_made_anew(
    client, timeline, many_events, made, name, chunk, monkeypatch
):
    monkeypatch.setattr(rendering, "CHUNK", chunk)  # 64: the timeline spans 5 chunks
    events = many_events(300)  # written in bulk: no renderings yet
    url = timeline.export_url(name)
    client.get(url)
    assert len(made) == (50 if name.startswith("feed.") else 300)
    client.get(url)
    assert len(made) == (50 if name.startswith("feed.") else 300)  # kept

    newest = Event.objects.order_by("-first_published_at", "-uuid").first()
    made.clear()
    edit(newest, "Eine Korrektur in einem von 300 Ereignissen.")
    assert made == [newest.pk]  # by the record of change, in the editor's save
    made.clear()
    written = client.get(url).content
    assert made == []  # the document is written from kept renderings

    EventRendering.objects.all().delete()
    forget_everything()
    anew = client.get(url).content
    assert anew == written
    unfolded = anew.decode("utf-8-sig").replace("\r\n ", "")  # iCalendar folds lines
    assert "Eine Korrektur in einem von 300 Ereignissen." in unfolded
    assert len(events) == 300


def test_renderings_know_their_timeline(client, timeline, many_events, made):
    """A rendering holds labels in the timeline's language and zone and paths under
    its slug: when those change, the renderings are made again before use."""
    many_events(3)
    items = client.get(timeline.export_url("feed.json")).json()["items"]
    assert items[0]["title"] == "3. Januar 2020: Ereignis Nummer 2"
    made.clear()
    timeline.language = "en"
    timeline.save()
    items = client.get(timeline.export_url("feed.json")).json()["items"]
    assert len(made) == 3
    assert items[0]["title"] == "3 January 2020: Ereignis Nummer 2"
    assert items[0]["language"] == "en"


def test_a_deploy_that_changes_what_renderings_depend_on_makes_them_anew(
    client, timeline, many_events, made, monkeypatch
):
    many_events(5)
    url = timeline.export_url("calendar.ics")
    client.get(url)
    made.clear()
    monkeypatch.setattr(rendering, "RENDERING_VERSION", "another-release")
    document_files.clear()  # the release's OUTPUT_VERSION names new documents too
    client.get(url)
    assert len(made) == 5
    made.clear()
    document_files.clear()
    client.get(url)
    assert made == []


def test_the_rendering_version_covers_every_module_it_uses():
    """A change to any of our modules that `events.rendering` uses changes
    RENDERING_VERSION, so no kept rendering outlives the code that made it."""
    source = Path(rendering.__file__)
    tree = ast.parse(source.read_text())
    package = source.parent
    covered = {path.resolve() for path in rendering.DEPENDS_ON}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.level == 1
            and node.module != "output_version"
        ):
            base = package.joinpath(*(node.module or "").split("."))
            for alias in node.names:
                candidates = [
                    base / f"{alias.name}.py",
                    base.with_suffix(".py"),
                    base / "__init__.py",
                ]
                found = [c for c in candidates if c.exists()]
                assert found and found[0].resolve() in covered, f"{node.module}.{alias.name}"


def test_documents_carry_the_host(client, timeline, many_events, settings):
    settings.ALLOWED_HOSTS = ["testserver", "news.example"]
    many_events(3)
    here = client.get(timeline.export_url("feed.rss")).content
    there = client.get(timeline.export_url("feed.rss"), HTTP_HOST="news.example").content
    assert b"http://testserver/" in here and b"http://testserver/" not in there
    assert b"http://news.example/" in there


def urls_of(timeline, event):
    return [
        *[timeline.export_url(name) for name in FORMATS],
        *["/" + name for name in SITE_FORMATS],
        event.export_url(".ics"),
    ]


def test_any_export_costs_at_most_five_queries_at_any_size(
    client, timeline, many_events, monkeypatch, django_assert_max_num_queries
):
    """Whole timelines stream through one query, read a chunk at a time."""
    monkeypatch.setattr(rendering, "CHUNK", 100)  # 300 events: 3 chunks
    many_events(300)
    rendering.refresh(list(Event.objects.values_list("pk", flat=True)))
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


def test_documents_are_written_even_without_a_cache(client, timeline, many_events):
    many_events(300)
    urls = [timeline.export_url(name) for name in FORMATS]
    expected = {url: client.get(url).content for url in urls}
    document_files.clear()
    with override_settings(CACHES=DEAD_CACHE):
        cache.close()
        for url in urls:
            assert client.get(url).content == expected[url], url


def test_a_deploy_makes_the_renderings_before_any_reader_asks(
    timeline, many_events, made, monkeypatch
):
    from io import StringIO

    from django.core.management import call_command

    many_events(30)  # written in bulk: no renderings yet
    out = StringIO()
    call_command("make_renderings", stdout=out)
    assert "Renderings made: 30" in out.getvalue() and len(made) == 30
    call_command("make_renderings", stdout=out)  # nothing is out of date: nothing made
    assert "Renderings made: 0" in out.getvalue().splitlines()[-1] and len(made) == 30
    monkeypatch.setattr(rendering, "RENDERING_VERSION", "another-release")
    call_command("make_renderings", stdout=out)
    assert len(made) == 60
