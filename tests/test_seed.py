"""The seed timeline: loads once, tells the story in order, never overwrites editors."""

import datetime as dt

from django.core.management import call_command

from events.models import Event, Place, Quote, Status

STORY = [
    ("Anfang Oktober 2024", "early October 2024", "Erste Schiffe", "Wonsan"),
    ("Oktober 2024", "October 2024", "Weiterreise", "Ausbildungsstätten im Osten Russlands"),
    ("Mitte Oktober 2024", "mid-October 2024", "Weitere Schiffstransporte", "Wladiwostok"),
    ("23. Oktober 2024", "23 October 2024", "Lloyd Austin", "Rom"),
    ("23. Oktober 2024", "23 October 2024", "John Kirby", "Washington"),
]


def test_seed_tells_the_story_in_order(seed):
    events = list(Event.objects.public().for_timeline(seed).chronological().with_details())
    told = [(e.date_label("de"), e.date_label("en"), e.title, e.place.name) for e in events]
    assert [(de, en, place) for de, en, _, place in told] == [
        (de, en, place) for de, en, _, place in STORY
    ]
    assert all(
        title.startswith(start)
        for (_, _, title, _), (_, _, start, _) in zip(told, STORY, strict=True)
    )
    assert all(e.status == Status.PUBLISHED and e.revision == 1 for e in events)
    assert seed.language == "de" and seed.time_zone == "Europe/Berlin" and seed.is_public


def test_seed_quotes_are_verbatim_with_speakers(seed):
    quotes = {(q.speaker.name, q.text) for q in Quote.objects.select_related("speaker")}
    assert ("Lloyd Austin", "Was genau sie da machen – das muss sich noch zeigen.") in quotes
    assert any(
        name == "John Kirby" and text.startswith("Wir wissen noch nicht, ob diese Soldaten")
        for name, text in quotes
    )
    assert any("sehr, sehr ernste Angelegenheit" in text for _, text in quotes)
    assert any("Zeichen der Schwäche und nicht der Stärke des Kremls" in t for _, t in quotes)


def test_seed_places_people_and_sources(seed):
    coordinates = {p.name: p.has_coordinates for p in Place.objects.all()}
    assert coordinates == {
        "Wonsan": True,
        "Wladiwostok": True,
        "Rom": True,
        "Washington": True,
        "Ausbildungsstätten im Osten Russlands": False,
    }
    kirby = Event.objects.get(slug="kirby-washington")
    assert [(p.name, p.role) for p in kirby.people.all()] == [
        ("John Kirby", "Sprecher des Nationalen Sicherheitsrats")
    ]
    assert kirby.sources.get().url.startswith("https://")
    assert {t.name for t in kirby.tags.all()} == {"Stellungnahme", "Ukraine-Krieg"}
    assert Event.objects.get(slug="austin-rom").people.filter(name="Wladimir Putin").exists()


def test_loading_again_neither_duplicates_nor_overwrites(seed):
    event = Event.objects.get(slug="kirby-washington")
    event.title = "Von der Redaktion geändert"
    event.save()
    call_command("load_seed", verbosity=0)
    assert Event.objects.count() == 5
    assert Event.objects.get(slug="kirby-washington").title == "Von der Redaktion geändert"


def test_seed_keeps_places_that_editors_already_have(db):
    rom = Place.objects.create(
        name="Rom", slug="rom", country="Italien", latitude=41.89, longitude=12.49
    )
    call_command("load_seed", verbosity=0)
    rom.refresh_from_db()
    assert float(rom.latitude) == 41.89
    assert Event.objects.get(slug="austin-rom").place == rom


def test_seed_events_lie_on_the_reported_days(seed):
    intervals = {e.slug: (e.starts_on, e.ends_on) for e in Event.objects.all()}
    october = dt.date(2024, 10, 1)
    assert intervals["erste-schiffe-nach-wladiwostok"] == (october, dt.date(2024, 10, 10))
    assert intervals["weitere-schiffstransporte"] == (dt.date(2024, 10, 11), dt.date(2024, 10, 20))
    assert intervals["weiterreise-zu-ausbildungsstaetten"] == (october, dt.date(2024, 10, 31))
    assert intervals["kirby-washington"] == (dt.date(2024, 10, 23),) * 2
