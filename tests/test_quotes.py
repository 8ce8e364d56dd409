"""A quote says where it was said and where it can be read: in every output that
shows quotes, in the API, and through an export and import of the timeline."""

import feedparser
from icalendar import Calendar

from events.changes import record_change
from events.models import Quote

SEED = "/timelines/nordkorea-soldaten-russland/"


def give_occasion(seed):
    quote = Quote.objects.filter(event__slug="kirby-washington").first()
    with record_change():
        quote.occasion = "Pressebriefing im Weißen Haus"
        quote.url = "https://www.whitehouse.gov/briefing-room/"
        quote.full_clean()
        quote.save()
    return quote


def test_every_output_that_shows_quotes_says_the_occasion(client, seed):
    quote = give_occasion(seed)
    feed = feedparser.parse(client.get(SEED + "feed.atom").content)
    kirby = next(e for e in feed.entries if "Kirby" in e.title)
    assert "(Pressebriefing im Weißen Haus)" in kirby.content[0].value
    assert 'href="https://www.whitehouse.gov/briefing-room/"' in kirby.content[0].value
    calendar = Calendar.from_ical(client.get(SEED + "calendar.ics").content)
    descriptions = [str(e["DESCRIPTION"]) for e in calendar.walk("VEVENT")]
    assert any(
        "(Pressebriefing im Weißen Haus)" in d and "briefing-room" in d for d in descriptions
    )
    slides = client.get(SEED + "timelinejs.json").json()["events"]
    assert any("(Pressebriefing im Weißen Haus)" in s["text"]["text"] for s in slides)
    page = client.get(quote.event.get_absolute_url()).content.decode()
    assert "Pressebriefing im Weißen Haus" in page and "briefing-room" in page
    api = client.get(f"/api/v1/events/{quote.event.uuid}/").json()
    assert {"occasion": "Pressebriefing im Weißen Haus",
            "url": "https://www.whitehouse.gov/briefing-room/"}.items() <= api["quotes"][0].items()  # fmt: skip


def test_a_quote_source_must_be_a_web_address(seed):
    import pytest
    from django.core.exceptions import ValidationError

    quote = Quote.objects.first()
    quote.url = "javascript:alert(1)"
    with pytest.raises(ValidationError) as caught:
        quote.full_clean()
    assert "url" in caught.value.message_dict
