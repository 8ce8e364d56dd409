"""Realistic timelines of 100, 1,000 and 10,000 events for the benchmark: German and
English text, places with and without coordinates, people, quotes, sources, tags,
corrections, every precision. Deterministic (a fixed random seed)."""

import datetime as dt
import random
import uuid

from django.utils import timezone

from events import rendering
from events.models import (
    Correction,
    Event,
    Person,
    Place,
    Quote,
    Source,
    Tag,
    Timeline,
    loading_data,
)  # fmt: skip

WORDS = {
    "de": (
        "Regierung Minister Truppen Grenze Verhandlungen Erklärung Sanktionen Hafen Schiff "
        "Soldaten Ausbildung Bericht Sprecher Pressekonferenz Gipfel Botschafter Abkommen "
        "Parlament Abstimmung Waffenruhe Flüchtlinge Hilfe Wirtschaft Energie Gespräche"
    ).split(),
    "en": (
        "government minister troops border talks statement sanctions port ship soldiers "
        "training report spokesman briefing summit ambassador agreement parliament vote "
        "ceasefire refugees aid economy energy negotiations"
    ).split(),
}
PLACES = [("Wladiwostok", 43.1155, 131.8855), ("Wonsan", 39.1528, 127.4436), ("Rom", 41.9028, 12.4964),
          ("Washington", 38.8977, -77.0365), ("Kiew", 50.4501, 30.5234), ("Moskau", 55.7558, 37.6173),
          ("Seoul", 37.5665, 126.978), ("Pjöngjang", 39.0392, 125.7625), ("Brüssel", 50.8503, 4.3517),
          ("Berlin", 52.52, 13.405), ("Kursk", 51.7373, 36.1874), ("Genf", 46.2044, 6.1432),
          ("Peking", 39.9042, 116.4074), ("Tokio", 35.6762, 139.6503), ("Warschau", 52.2297, 21.0122),
          ("Ausbildungsstätten im Osten Russlands", None, None)]  # fmt: skip
ZONES = ["Europe/Berlin", "America/New_York", "Asia/Seoul", "Europe/Moscow", "Asia/Tokyo"]


def sentence(rng, language, words=12):
    text = " ".join(rng.choice(WORDS[language]) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def seed(sizes=(100, 1_000, 10_000)):
    rng = random.Random(2024)
    with loading_data():
        places = [
            Place.objects.get_or_create(
                slug=f"bench-{n}",
                defaults={"name": name, "country": "", "latitude": lat, "longitude": lon},
            )[0]
            for n, (name, lat, lon) in enumerate(PLACES)
        ]
        people = [
            Person.objects.get_or_create(
                slug=f"bench-person-{n}",
                defaults={
                    "name": f"Person {n} Ким 김",
                    "role": "Sprecherin",
                    "organisation": "Amt",
                },
            )[0]
            for n in range(30)
        ]
        tags = [
            Tag.objects.get_or_create(slug=f"bench-tag-{n}", defaults={"name": f"Thema {n}"})[0]
            for n in range(15)
        ]
        for size in sizes:
            _timeline(rng, size, places, people, tags)


def _timeline(rng, size, places, people, tags):
    language = "de" if size != 1_000 else "en"
    timeline = Timeline.objects.create(
        title=f"Benchmark {size}", slug=f"bench-{size}", language=language, is_public=True,
        description=sentence(rng, language, 30),
    )  # fmt: skip
    start = dt.date(2000, 1, 1)
    now = timezone.now()
    events = []
    for n in range(size):
        day = start + dt.timedelta(days=n * 9000 // size + rng.randint(0, 2))
        kind = rng.random()
        fields = {"precision": "day", "start_date": day}
        if kind < 0.15:
            fields.update(precision="time", start_time=dt.time(rng.randint(0, 23), rng.choice([0, 15, 30, 45])),
                          time_zone=rng.choice(ZONES))  # fmt: skip
        elif kind < 0.30:
            part = rng.choice(["early-month", "mid-month", "late-month"])
            fields.update(
                precision=part,
                start_date=day.replace(
                    day={"early-month": 1, "mid-month": 11, "late-month": 21}[part]
                ),
            )
        elif kind < 0.40:
            fields.update(precision="month")
        elif kind < 0.45:
            fields.update(precision="year")
        elif kind < 0.50:
            fields.update(end_date=day + dt.timedelta(days=rng.randint(1, 12)))
        event = Event(
            timeline=timeline, slug=f"ereignis-{n}", title=sentence(rng, language, 8)[:-1],
            summary=sentence(rng, language, 30), body="\n\n".join(sentence(rng, language, 40) for _ in range(3)),
            place=rng.choice(places), status="published", uuid=uuid.UUID(int=rng.getrandbits(128)),
            first_published_at=now - dt.timedelta(minutes=size - n), created_at=now, updated_at=now,
            **fields,
        )  # fmt: skip
        event.set_interval()
        events.append(event)
    Event.objects.bulk_create(events, batch_size=1000)
    events = list(Event.objects.filter(timeline=timeline).order_by("pk"))
    Event.people.through.objects.bulk_create(
        [Event.people.through(event=e, person=p) for e in events for p in rng.sample(people, 2)],
        batch_size=2000,
    )
    Event.tags.through.objects.bulk_create(
        [Event.tags.through(event=e, tag=t) for e in events for t in rng.sample(tags, 2)],
        batch_size=2000,
    )
    Quote.objects.bulk_create(
        [Quote(event=e, speaker=rng.choice(people), text=sentence(rng, language, 25), language=language)
         for e in events if rng.random() < 0.6], batch_size=2000
    )  # fmt: skip
    Source.objects.bulk_create(
        [Source(event=e, url=f"https://example.org/{e.slug}", title=sentence(rng, language, 6), publisher="Agentur")
         for e in events], batch_size=2000
    )  # fmt: skip
    Correction.objects.bulk_create(
        [
            Correction(event=e, text=sentence(rng, language, 12), published_at=now)
            for e in events
            if rng.random() < 0.05
        ],
        batch_size=2000,
    )
    # What readers are shown and the search documents, as the record of change makes
    # them when events are saved.
    rendering.refresh([e.pk for e in events])
    return timeline
