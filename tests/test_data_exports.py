"""TimelineJS and CSV, read the way TimelineJS and a spreadsheet program read them."""

import csv
import io
import json

import lxml.html
import pytest

from events.changes import record_change
from events.models import Event, Place, Source, Tag

from .text import storable

SEED = "/timelines/nordkorea-soldaten-russland/"


def timelinejs(client):
    response = client.get(SEED + "timelinejs.json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def test_timelinejs_document_has_what_the_embed_needs(client, seed):
    document = timelinejs(client)
    assert document["title"]["text"]["headline"] == "Nordkoreanische Soldaten in Russland"
    slides = document["events"]
    assert [s["display_date"] for s in slides] == [
        "Anfang Oktober 2024", "Oktober 2024", "Mitte Oktober 2024",
        "23. Oktober 2024", "23. Oktober 2024",
    ]  # fmt: skip
    for slide in slides:  # required by TimelineJS: start_date.year and text or media
        assert isinstance(slide["start_date"]["year"], int)
        assert slide["text"]["headline"] and slide["unique_id"]
    early, month, mid, austin, kirby = slides
    assert austin["text"]["headline"].startswith("Lloyd Austin")
    assert (early["start_date"], early["end_date"]) == (
        {"year": 2024, "month": 10, "day": 1}, {"year": 2024, "month": 10, "day": 10},
    )  # fmt: skip
    assert (month["start_date"], month["end_date"]) == (  # a span, not a point
        {"year": 2024, "month": 10, "day": 1}, {"year": 2024, "month": 10, "day": 31},
    )  # fmt: skip
    assert mid["end_date"] == {"year": 2024, "month": 10, "day": 20}
    assert kirby["start_date"] == {"year": 2024, "month": 10, "day": 23}
    assert kirby["group"] == "Stellungnahme" and early["group"] == "Truppenverlegung"
    # A source that is a web page is no image: a link in the text, not media.
    assert not any("media" in slide for slide in slides)
    text = lxml.html.fragment_fromstring(kirby["text"]["text"], create_parent="div")
    source = text.xpath('//a[@href="https://www.whitehouse.gov/briefing-room/press-briefings/"]')
    assert source and source[0].getparent().text_content().startswith("Quellen: ")
    assert text.xpath("//a")[-1].text_content() == "Das ganze Ereignis lesen"  # not a bare →
    assert "beunruhigende" in kirby["text"]["text"]


def test_timelinejs_shows_an_image_source_as_media_and_marks_a_retraction_once(client, seed):
    kirby = Event.objects.get(slug="kirby-washington")
    with record_change():
        Source.objects.create(event=kirby, url="https://example.org/bilder/kirby.JPG",
                              title="Kirby im Briefing-Raum", publisher="Weißes Haus")  # fmt: skip
        kirby.retract("Zahl nicht bestätigt.")
    slide = timelinejs(client)["events"][-1]
    assert slide["media"]["url"] == "https://example.org/bilder/kirby.JPG"
    assert slide["media"]["caption"] == "Kirby im Briefing-Raum"
    whole = slide["display_date"] + slide["text"]["headline"] + slide["text"]["text"]
    assert whole.count("Zurückgezogen") == 1 and "Zahl nicht bestätigt." in whole
    assert slide["display_date"] == "23. Oktober 2024"  # the date once, in its place
    assert "23. Oktober" not in slide["text"]["headline"]


def test_timelinejs_exact_time_and_escaping(client, kirby_at_1430):
    event = kirby_at_1430
    event.title = "<img src=x onerror=alert(1)> Kirby"
    event.save()
    kirby = timelinejs(client)["events"][-1]
    assert kirby["start_date"] == {"year": 2024, "month": 10, "day": 23, "hour": 14, "minute": 30}
    assert kirby["display_date"] == "23. Oktober 2024, 14:30 Uhr (Washington)"
    assert "<img" not in kirby["text"]["headline"] and "&lt;img" in kirby["text"]["headline"]


def text_of(html):
    return lxml.html.fragment_fromstring(html, create_parent="div").text_content()


def test_timelinejs_escapes_each_field_for_how_timelinejs_writes_it(client, kirby_at_1430):
    kirby = kirby_at_1430
    with record_change() as record:  # past validation, told as bulk writes are
        record.events_in_bulk([kirby.pk])
        record.parts(kirby.pk)
        Event.objects.filter(pk=kirby.pk).update(title="Wladiwostok & <i>Wonsan</i>")
        Place.objects.filter(pk=kirby.place_id).update(name="Wladiwostok & Wonsan")
        Tag.objects.filter(slug="stellungnahme").update(name='<img src=x onerror="alert(1)">')
        Source.objects.filter(event=kirby).update(title="<b>Briefing</b>", publisher="A & B")
    slide = timelinejs(client)["events"][-1]
    # sanitized by DOMPurify, then written as HTML: escaped once
    assert slide["text"]["headline"] == "Wladiwostok &amp; &lt;i&gt;Wonsan&lt;/i&gt;"
    assert ">&lt;b&gt;Briefing&lt;/b&gt;</a> (A &amp; B)" in slide["text"]["text"]
    # reduced to their text (stripMarkup), then written as HTML: escaped twice
    assert slide["display_date"] == "23. Oktober 2024, 14:30 Uhr (Wladiwostok &amp;amp; Wonsan)"
    assert text_of(text_of(slide["display_date"])).endswith("(Wladiwostok & Wonsan)")
    assert slide["group"] == "&amp;lt;img src=x onerror=&amp;quot;alert(1)&amp;quot;&amp;gt;"
    assert text_of(text_of(slide["group"])) == '<img src=x onerror="alert(1)">'
    assert slide["autolink"] is False  # linkify would copy quotes into an href


def read_csv(client):
    response = client.get(SEED + "events.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="nordkorea-soldaten-russland-events.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read UTF-8
    text = response.content.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_round_trip(client, seed):
    rows = read_csv(client)
    events = list(Event.objects.public().chronological())
    assert [r["uuid"] for r in rows] == [str(e.uuid) for e in events]
    for row, event in zip(rows, events, strict=True):
        assert row["title"] == event.title
        assert row["summary"] == event.summary
        assert row["start_date"] == event.start_date.isoformat()
        assert row["precision"] == event.precision
        assert int(row["revision"]) == event.revision
    assert rows[2]["date"] == "Mitte Oktober 2024"
    assert (rows[2]["first_day"], rows[2]["last_day"]) == ("2024-10-11", "2024-10-20")
    assert rows[4]["people"] == "John Kirby" and rows[4]["tags"] == "Stellungnahme; Ukraine-Krieg"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_neutralizes_formulas(client, seed, start):
    hostile = storable(start + 'HYPERLINK("http://evil.example","klick")\x00')
    austin = Event.objects.filter(slug="austin-rom")
    with record_change() as record:  # past validation, told as bulk writes are
        record.events_in_bulk(austin.values_list("pk", flat=True))
        austin.update(title=hostile, summary="Zeile 1\nZeile 2")
    row = next(r for r in read_csv(client) if r["uuid"].endswith("a04"))
    assert row["title"].startswith("'" + start)
    assert "\x00" not in row["title"]
    assert row["summary"] == "Zeile 1\nZeile 2"  # line breaks survive quoting
