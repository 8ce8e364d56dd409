"""Documents are assembled from cached per-event pieces: an edit renders one piece,
and the assembled bytes equal a full render."""

import pytest
from django.core.cache import cache

from events.exports import FORMATS
from events.exports.selection import Selection
from events.models import Event


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


@pytest.mark.parametrize("name", list(FORMATS))
def test_one_edit_renders_one_piece_and_the_bytes_match_a_full_render(
    client, timeline, many_events, loads, name
):
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

    cache.clear()
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
