"""Model rules: what the database and validation refuse, how revisions grow, what is public."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from events.models import Correction, Event, Person, Quote, Source, Status, Tag, Timeline


def test_slug_is_unique_within_a_timeline(make_event, timeline):
    make_event(slug="gipfel")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_event(slug="gipfel")
    other = Timeline.objects.create(title="Andere", slug="andere")
    assert make_event(slug="gipfel", timeline=other).pk


def test_database_refuses_end_before_start(make_event):
    event = make_event()
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(end_date=dt.date(2024, 10, 1))


def test_database_refuses_a_time_without_precision_time(make_event):
    event = make_event()
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(start_time=dt.time(9))


def test_database_refuses_published_without_publication_time(make_event):
    event = make_event()
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(status=Status.PUBLISHED)


def test_database_refuses_retraction_without_reason(make_event):
    event = make_event(status=Status.PUBLISHED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(status=Status.RETRACTED)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"end_date": dt.date(2024, 10, 1)}, "end_date"),
        ({"precision": "time"}, "start_time"),
        ({"precision": "time", "start_time": dt.time(9), "time_zone": "Berlin"}, "time_zone"),
        ({"time_zone": "Europe/Berlin"}, "time_zone"),
        ({"title": "Gipfel\x00treffen"}, "title"),
        ({"body": "x" * 100_001}, "body"),
        ({"status": Status.RETRACTED}, "retraction_reason"),
    ],
)
def test_validation_names_the_field(timeline, fields, field):
    event = Event(
        timeline=timeline, title="Gipfel", slug="gipfel", start_date=dt.date(2024, 10, 23)
    )
    for name, value in fields.items():
        setattr(event, name, value)
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert field in error.value.message_dict


def test_validation_messages_speak_german_and_english(timeline):
    event = Event(
        timeline=timeline,
        title="Gipfel",
        slug="gipfel",
        start_date=dt.date(2024, 10, 23),
        end_date=dt.date(2024, 10, 1),
    )
    messages = {}
    for language in ("de", "en"):
        with translation.override(language):
            with pytest.raises(ValidationError) as error:
                event.full_clean()
            messages[language] = [str(m) for m in error.value.message_dict["end_date"]]
    assert messages == {
        "de": ["Das Ende liegt vor dem Anfang."],
        "en": ["The end lies before the start."],
    }


def test_source_urls_are_web_addresses_only(make_event):
    source = Source(event=make_event(), url="javascript:alert(1)", title="x")
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert "url" in error.value.message_dict


def test_interval_is_stored_for_sorting(make_event):
    event = make_event(precision="mid-month", start_date=dt.date(2024, 10, 15))
    assert (event.starts_on, event.ends_on) == (dt.date(2024, 10, 11), dt.date(2024, 10, 20))


def test_timeline_sorts_by_interval_start_and_uuid_breaks_ties(make_event):
    month = make_event(precision="month", start_date=dt.date(2024, 10, 1))
    mid = make_event(precision="mid-month", start_date=dt.date(2024, 10, 11))
    early = make_event(precision="early-month", start_date=dt.date(2024, 10, 1))
    a, b = make_event(), make_event()
    same_day = sorted([a, b], key=lambda e: e.uuid)
    assert list(Event.objects.chronological()) == [early, month, mid, *same_day]


def test_draft_changes_keep_revision_one(make_event):
    event = make_event()
    event.title = "Neu"
    event.save()
    assert event.revision == 1 and event.first_published_at is None


def test_publishing_sets_first_publication_once(make_event):
    event = make_event()
    event.publish()
    published_at = event.first_published_at
    assert event.status == Status.PUBLISHED and published_at is not None
    event.retract("Falsche Quelle")
    event.refresh_from_db()
    assert event.first_published_at == published_at


def test_every_change_of_a_published_event_raises_the_revision(make_event, person, tag):
    event = make_event(status=Status.PUBLISHED)
    updated = event.updated_at
    revisions = [event.revision]

    def step():
        event.refresh_from_db()
        revisions.append(event.revision)

    event.title = "Geändert"
    event.save()
    step()
    quote = Quote.objects.create(event=event, speaker=person, text="Wörtlich.")
    step()
    quote.text = "Wörtlich, korrigiert."
    quote.save()
    step()
    Source.objects.create(event=event, url="https://example.org/", title="Quelle")
    step()
    Correction.objects.create(event=event, text="Ort korrigiert.")
    step()
    event.tags.add(tag)
    step()
    event.people.add(person)
    step()
    tag.events.remove(event)
    step()
    quote.delete()
    step()
    assert revisions == list(range(1, 11))
    assert event.updated_at > updated


def test_saving_without_change_keeps_the_revision(make_event):
    event = make_event(status=Status.PUBLISHED)
    event.save()
    event.refresh_from_db()
    assert event.revision == 1


def test_published_event_cannot_return_to_draft(make_event):
    event = make_event(status=Status.PUBLISHED)
    event.status = Status.DRAFT
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "status" in error.value.message_dict


def test_public_means_published_or_retracted_in_a_public_timeline(make_event, timeline):
    draft = make_event()
    published = make_event(status=Status.PUBLISHED)
    retracted = make_event(status=Status.PUBLISHED)
    retracted.retract("Nicht bestätigt")
    hidden_timeline = Timeline.objects.create(title="Intern", slug="intern", is_public=False)
    make_event(timeline=hidden_timeline, status=Status.PUBLISHED)
    assert set(Event.objects.public()) == {published, retracted}
    assert draft not in Event.objects.public()


def test_with_details_loads_every_part_in_one_query(
    make_event, person, tag, place, django_assert_num_queries
):
    other = Person.objects.create(name="Anton Beispiel", slug="anton-beispiel", role="Sprecher")
    zeta = Tag.objects.create(name="Zeitenwende", slug="zeitenwende")
    for n in range(5):
        event = make_event(status=Status.PUBLISHED, place=place)
        event.tags.add(zeta, tag)
        event.people.add(person, other)
        Quote.objects.create(event=event, speaker=person, text="Zweites", position=2)
        Quote.objects.create(event=event, speaker=other, text=f"Erstes {n} „ü“\n", position=1)
        Source.objects.create(event=event, url="https://example.org/a", title="Quelle",
                              accessed_on=dt.date(2024, 10, 24))  # fmt: skip
        Correction.objects.create(event=event, text="Berichtigt.",
                                  published_at=dt.datetime(2024, 10, 25, 8, 30, 1, 5, dt.UTC))  # fmt: skip
    make_event(status=Status.PUBLISHED, slug="ohne-teile")

    with django_assert_num_queries(1):
        loaded = list(Event.objects.public().order_by("pk").with_details())
        parts = [parts_of(event) for event in loaded]
    # The same objects, in the same order, as Django's own related queries give.
    assert parts == [parts_of(Event.objects.get(pk=event.pk)) for event in loaded]
    assert parts[0]["quotes"][0] == ("Anton Beispiel", "Sprecher", "Erstes 0 „ü“\n", 1)
    assert parts[0]["tags"] == ["Stellungnahme", "Zeitenwende"]
    assert parts[-1] == {"people": [], "tags": [], "quotes": [], "sources": [], "corrections": []}
    with django_assert_num_queries(1):  # streamed, too
        assert len([parts_of(e) for e in Event.objects.with_details().iterator(2)]) == 6


def parts_of(event):
    return {
        "people": [p.name for p in event.people.all()],
        "tags": [t.name for t in event.tags.all()],
        "quotes": [
            (q.speaker.name, q.speaker.role, q.text, q.position) for q in event.quotes.all()
        ],
        "sources": [(s.url, s.title, s.accessed_on, s.event_id) for s in event.sources.all()],
        "corrections": [(c.published_at, c.text, c.event.pk) for c in event.corrections.all()],
    }


def test_a_month_part_is_stored_from_its_first_day_whatever_day_was_given(make_event):
    """ "Ende Oktober 2024" entered as 01.10.2024 with "late in the month": accepted,
    stored as 21 October — no day invented by the editor drives the order."""
    event = make_event(start_date=dt.date(2024, 10, 1), precision="late-month")
    event.refresh_from_db()
    assert event.start_date == dt.date(2024, 10, 21)
    assert (event.starts_on, event.ends_on) == (dt.date(2024, 10, 21), dt.date(2024, 10, 31))
    assert event.date_label("de") == "Ende Oktober 2024"
    month = make_event(slug="monat", start_date=dt.date(2024, 10, 17), precision="month")
    assert month.start_date == dt.date(2024, 10, 1)
