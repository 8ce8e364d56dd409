"""Model rules: what the database and validation refuse, how revisions grow, what is public."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from events.models import Correction, Event, Quote, Source, Status, Timeline


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
        ({"precision": "mid-month", "start_date": dt.date(2024, 10, 1)}, "start_date"),
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


def test_with_details_costs_a_constant_number_of_queries(
    make_event, person, tag, place, django_assert_num_queries
):
    for _ in range(5):
        event = make_event(status=Status.PUBLISHED, place=place)
        event.tags.add(tag)
        event.people.add(person)
        Quote.objects.create(event=event, speaker=person, text="Zitat")
    with django_assert_num_queries(6):  # events + 5 prefetches
        events = list(Event.objects.public().with_details())
        labels = [e.date_label("de") for e in events]
        speakers = [q.speaker.name for e in events for q in e.quotes.all()]
        names = [t.name for e in events for t in e.tags.all()]
    assert len(labels) == len(speakers) == len(names) == 5
