"""Lossless export and import between installations."""

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone

from events.models import Correction, Event, Person, Place, Quote, Source, Tag, Timeline

SEED = "/timelines/nordkorea-soldaten-russland/"
OUTPUTS = ["feed.rss", "feed.atom", "feed.json", "calendar.ics", "timelinejs.json", "events.csv"]


def export(tmp_path, name="export.json"):
    path = tmp_path / name
    call_command("export_timeline", "nordkorea-soldaten-russland", output=str(path))
    return path


def empty_the_database():
    for model in (Correction, Source, Quote, Event, Timeline, Place, Person, Tag):
        model.objects.all().delete()


@pytest.fixture
def rich_seed(seed, make_event, person):
    """The seed with a draft, a retraction, a correction and an exact time."""
    make_event(timeline=seed, slug="entwurf", title="Ein Entwurf")
    make_event(timeline=seed, slug="geplant", title="Geplant",
               publish_at=timezone.now() + dt.timedelta(days=30))  # fmt: skip
    Event.objects.get(slug="austin-rom").retract("Falsch zugeordnet.")
    kirby = Event.objects.get(slug="kirby-washington")
    kirby.precision, kirby.time_zone = "time", "America/New_York"
    kirby.start_time = dt.time(14, 30)
    kirby.save()
    Correction.objects.create(event=kirby, text="Uhrzeit ergänzt.")
    Quote.objects.create(event=kirby, speaker=person, text="Noch ein Zitat.")
    return seed


def test_export_import_export_gives_the_same_document_and_outputs(client, rich_seed, tmp_path):
    first = export(tmp_path, "first.json")
    document = json.loads(first.read_text())
    assert len(document["events"]) == 7 and document["timeline"]["uuid"]
    outputs = {name: client.get(SEED + name).content for name in OUTPUTS}

    empty_the_database()
    cache.clear()
    call_command("import_timeline", str(first), verbosity=0)

    second = export(tmp_path, "second.json")
    assert second.read_text() == first.read_text()
    for name in OUTPUTS:
        assert client.get(SEED + name).content == outputs[name], name
    assert Event.objects.get(slug="austin-rom").status == "retracted"
    assert Event.objects.get(slug="entwurf").status == "draft"
    assert Event.objects.get(slug="geplant").publish_at is not None  # still scheduled


def test_a_document_from_before_occasions_and_schedules_is_read(seed, tmp_path):
    """Fields added later (a quote's occasion and source, publish_at) may be missing."""
    path = export(tmp_path)
    document = json.loads(path.read_text())
    for event in document["events"]:
        event.pop("publish_at")
        for quote in event["quotes"]:
            quote.pop("occasion"), quote.pop("url")
    path.write_text(json.dumps(document))
    empty_the_database()
    call_command("import_timeline", str(path), verbosity=0)
    assert Quote.objects.count() and not Quote.objects.exclude(occasion="").exists()


def test_import_refuses_an_existing_timeline(seed, tmp_path):
    path = export(tmp_path)
    with pytest.raises(CommandError, match="exists already"):
        call_command("import_timeline", str(path))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="something"), "not a newsroom-timeline document"),
        (lambda d: d.update(version=99), "unsupported version"),
        (lambda d: d["events"][2].pop("title"), "events[2]: missing title"),
        (lambda d: d["events"][1].update(end_date="2020-01-01"), "events[1]: end_date"),
        (lambda d: d["events"][3]["quotes"][0].update(speaker="niemand"), "'niemand'"),
        (lambda d: d["events"][0].update(start_date="kein Datum"), "events[0]"),
        (lambda d: d["events"][4]["sources"][0].update(url="javascript:alert(1)"), "url"),
        (lambda d: d.update(events="viele"), "'events' must be a list"),
    ],
)
def test_malformed_document_is_refused_and_nothing_is_written(seed, tmp_path, change, message):
    document = json.loads(export(tmp_path).read_text())
    empty_the_database()
    change(document)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError, match=message.replace("[", r"\[").replace("]", r"\]")):
        call_command("import_timeline", str(path))
    assert not Timeline.objects.exists() and not Event.objects.exists()
    assert not Place.objects.exists() and not Quote.objects.exists()


def test_not_json_is_refused(db, tmp_path):
    path = tmp_path / "kaputt.json"
    path.write_text("{ nicht json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_timeline", str(path))
