"""The REST API as another program uses it."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token

from events.models import Event, Status
from tests.client import Client
from tests.test_when import EXAMPLES as WHEN_EXAMPLES

D = dt.date

API = "/api/v1/"
SEED_SLUG = "nordkorea-soldaten-russland"


def event_payload(**fields):
    return {
        "timeline": SEED_SLUG,
        "slug": "neues-ereignis",
        "title": "Neues Ereignis",
        "start_date": "2024-10-24",
        "precision": "day",
        **fields,
    }


def test_seed_events_with_labels(client, seed):
    data = client.get(API + "events/", {"timeline": SEED_SLUG}).json()
    assert [e["date"]["label"] for e in data["results"]] == [
        "Anfang Oktober 2024", "Oktober 2024", "Mitte Oktober 2024",
        "23. Oktober 2024", "23. Oktober 2024",
    ]  # fmt: skip
    kirby = data["results"][4]
    assert kirby["uuid"] == "5a3c1e0e-1b0d-4a51-9f2e-0c6a2d7b1a05"
    assert kirby["place"]["name"] == "Washington"
    assert [p["slug"] for p in kirby["people"]] == ["john-kirby"]
    assert kirby["quotes"][0]["speaker"]["name"] == "John Kirby"
    assert kirby["sources"][0]["url"].startswith("https://")
    assert kirby["date"]["interval"] == {
        "first_day": "2024-10-23", "last_day": "2024-10-23", "start": None, "end": None,
    }  # fmt: skip
    english = client.get(API + "events/", {"timeline": SEED_SLUG}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["results"][2]["date"]["label"] == "mid-October 2024"


def test_detail_by_uuid_and_by_timeline_and_slug(client, seed):
    by_uuid = client.get(API + "events/5a3c1e0e-1b0d-4a51-9f2e-0c6a2d7b1a04/")
    by_slug = client.get(API + f"timelines/{SEED_SLUG}/events/austin-rom/")
    assert by_uuid.json() == by_slug.json()
    assert by_uuid.json()["title"].startswith("Lloyd Austin")
    assert by_uuid["ETag"] == by_slug["ETag"]
    timelines = client.get(API + "timelines/").json()["results"]
    assert [t["slug"] for t in timelines] == [SEED_SLUG]
    assert client.get(API + f"timelines/{SEED_SLUG}/").json()["language"] == "de"


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"tag": "stellungnahme"}, 2),
        ({"person": "lloyd-austin"}, 1),
        ({"place": "wladiwostok"}, 1),
        ({"precision": "mid-month"}, 1),
        ({"from": "2024-10-21", "to": "2024-10-31"}, 3),  # overlaps: October, the two statements
        ({"from": "2024-10-05", "to": "2024-10-05"}, 2),  # early October and October
        ({"q": "beunruhigende"}, 1),
        ({"updated_since": "2030-01-01T00:00:00Z"}, 0),
        ({"status": "draft"}, 0),  # anonymous readers never see drafts
    ],
)
def test_filters(client, seed, params, count):
    data = client.get(API + "events/", params).json()
    assert len(data["results"]) == count


def test_editors_see_drafts(client, editor, seed, make_event):
    make_event(timeline=seed, slug="entwurf", title="Entwurf")
    assert client.get(API + "events/", {"status": "draft"}).json()["results"] == []
    client.force_login(editor)
    drafts = client.get(API + "events/", {"status": "draft"}).json()["results"]
    assert [e["slug"] for e in drafts] == ["entwurf"]


def test_drafts_are_hidden_from_the_public(client, seed, make_event):
    draft = make_event(timeline=seed, slug="entwurf", title="Entwurf")
    assert client.get(API + f"events/{draft.uuid}/").status_code == 404
    assert client.get(API + f"timelines/{SEED_SLUG}/events/entwurf/").status_code == 404


def test_cursor_pagination_reads_everything_once_in_order(
    client, timeline, many_events, django_assert_max_num_queries
):
    created = many_events(120)
    seen, url = [], API + "events/?page_size=50"
    while url:
        with django_assert_max_num_queries(8):
            page = client.get(url).json()
        seen += [e["slug"] for e in page["results"]]
        url = page["next"]
    assert seen == [e.slug for e in created]


def test_ordering(client, seed):
    newest = client.get(API + "events/", {"ordering": "-starts_on"}).json()["results"]
    assert newest[0]["date"]["start"] == "2024-10-23"


# -- writing -------------------------------------------------------------------------

ROLES = ["anonymous", "reader", "editor", "superuser"]


@pytest.fixture
def as_role(db, editor):
    def login(client, role):
        if role == "reader":
            client.force_login(User.objects.create_user("leserin", password="x"))
        elif role == "editor":
            client.force_login(editor)
        elif role == "superuser":
            client.force_login(User.objects.create_superuser("chefin", password="x"))
        return client

    return login


@pytest.mark.parametrize("role", ROLES)
def test_authorization_matrix(client, seed, as_role, role):
    as_role(client, role)
    allowed = role in {"editor", "superuser"}
    assert client.get(API + "events/").status_code == 200
    created = client.post(API + "events/", event_payload(), content_type="application/json")
    assert created.status_code == (201 if allowed else 403)
    austin = "events/5a3c1e0e-1b0d-4a51-9f2e-0c6a2d7b1a04/"
    updated = client.patch(API + austin, {"summary": "Neu."}, content_type="application/json")
    assert updated.status_code == (200 if allowed else 403)
    retracted = client.post(
        API + austin + "retract/", {"reason": "Falsch."}, content_type="application/json"
    )
    assert retracted.status_code == (200 if allowed else 403)
    austin_now = Event.objects.get(slug="austin-rom")
    assert (austin_now.status == Status.RETRACTED) is allowed
    assert Event.objects.filter(slug="neues-ereignis").exists() is allowed
    assert client.delete(API + austin).status_code in {403, 405}
    assert Event.objects.filter(slug="austin-rom").exists()


def test_session_writes_need_the_csrf_token(seed, editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    refused = client.post(API + "events/", event_payload(), content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    client.get("/admin/")  # any page that sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        API + "events/", event_payload(), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 201


def test_token_authentication(client, seed, editor):
    token = Token.objects.create(user=editor)
    response = client.post(
        API + "events/", event_payload(), content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )  # fmt: skip
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "draft" and body["date"]["label"] == "24. Oktober 2024"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"end_date": "2024-10-01"}, "end_date"),
        ({"precision": "time", "start_time": "14:30"}, "time_zone"),
        ({"title": "Bad\x07title"}, "title"),
        ({"body": "x" * 100_001}, "body"),
        ({"slug": "austin-rom"}, "__all__"),  # taken in this timeline
        ({"place": "atlantis"}, "place"),
        ({"start_date": "2024-02-30"}, "start_date"),
    ],
)
def test_bad_input_gets_400_with_the_field_and_saves_nothing(client, seed, editor, fields, field):
    client.force_login(editor)
    before = Event.objects.count()
    response = client.post(
        API + "events/", event_payload(**fields), content_type="application/json"
    )
    assert response.status_code == 400
    errors = response.json()
    assert field in errors or (field == "__all__" and "non_field_errors" in errors), errors
    assert Event.objects.count() == before


def test_stale_update_is_refused_with_412(client, seed, editor):
    client.force_login(editor)
    url = API + "events/5a3c1e0e-1b0d-4a51-9f2e-0c6a2d7b1a04/"
    etag = client.get(url)["ETag"]
    first = client.patch(url, {"summary": "Erste Änderung."}, content_type="application/json",
                         HTTP_IF_MATCH=etag)  # fmt: skip
    assert first.status_code == 200 and first["ETag"] != etag
    second = client.patch(url, {"summary": "Zweite Änderung."}, content_type="application/json",
                          HTTP_IF_MATCH=etag)  # fmt: skip
    assert second.status_code == 412
    assert "geändert" in second.json()["detail"]  # in the editor's language, like the 400s
    english = client.patch(url, {"summary": "Zweite Änderung."}, content_type="application/json",
                           HTTP_IF_MATCH=etag, HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert "has changed since you read it" in english.json()["detail"]
    assert Event.objects.get(slug="austin-rom").summary == "Erste Änderung."
    stale_revision = client.patch(
        url, {"summary": "Dritte.", "revision": 1}, content_type="application/json"
    )
    assert stale_revision.status_code == 412
    current = client.patch(
        url, {"summary": "Dritte.", "revision": 2}, content_type="application/json"
    )
    assert current.status_code == 200 and current.json()["revision"] == 3


def test_publish_and_retract_rules(client, seed, editor, make_event):
    client.force_login(editor)
    draft = make_event(timeline=seed, slug="entwurf")
    url = API + f"events/{draft.uuid}/"
    not_published = client.post(url + "retract/", {"reason": "x"}, content_type="application/json")
    assert not_published.status_code == 409
    assert not_published.json() == {
        "status": ["Nur ein veröffentlichtes Ereignis kann zurückgezogen werden."]
    }  # in the client's language, as every other message
    in_english = client.post(url + "retract/", {"reason": "x"}, content_type="application/json",
                             HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert in_english.json() == {"status": ["Only a published event can be retracted."]}
    published = client.post(url + "publish/")
    assert published.json()["status"] == "published"
    assert client.post(url + "retract/", {}, content_type="application/json").status_code == 400
    retracted = client.post(
        url + "retract/", {"reason": "Nicht bestätigt."}, content_type="application/json"
    )
    assert retracted.json()["retraction_reason"] == "Nicht bestätigt."


def test_anonymous_clients_are_throttled(client, seed, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": None})
    statuses = [client.get(API + "events/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_updated_since_finds_recent_changes(client, seed):
    event = Event.objects.get(slug="austin-rom")
    event.summary = "Aktualisiert."
    event.save()
    since = (event.updated_at - dt.timedelta(seconds=1)).isoformat()
    found = client.get(API + "events/", {"updated_since": since}).json()["results"]
    assert [e["slug"] for e in found] == ["austin-rom"]


@pytest.mark.parametrize(
    ("since", "count"),
    [
        ("0404-10-14T20:15:14+18:41", 5),
        ("0001-01-01T00:00:00+18:00", 5),
        ("2999-01-01T00:00:00Z", 0),
    ],
)
def test_updated_since_takes_any_iso_offset(client, seed, since, count):
    response = client.get(API + "events/", {"updated_since": since})
    assert response.status_code == 200
    assert len(response.json()["results"]) == count


@pytest.mark.parametrize(("text", "expected", "label"), [
    *WHEN_EXAMPLES,
    ("23.10.2024, 13:30 Uhr", ("time", D(2024, 10, 23), None, dt.time(13, 30), None,
                               "Europe/Berlin"), "23. Oktober 2024, 13:30 Uhr"),  # the timeline's
    ("23.10.2024, 11:00 Uhr (Rom)", ("time", D(2024, 10, 23), None, dt.time(11), None,
                                     "Europe/Rome"), "23. Oktober 2024, 11:00 Uhr"),  # the place's
])  # fmt: skip
def test_when_takes_the_date_as_a_newsroom_writes_it(client, seed, editor, text, expected,
                                                      label):  # fmt: skip
    """Every text the desk reads, the API reads the same (and stores the same)."""
    client.force_login(editor)
    payload = {
        k: v for k, v in event_payload(when=text).items() if k not in ("start_date", "precision")
    }
    created = client.post(API + "events/", payload, content_type="application/json")
    assert created.status_code == 201, created.json()
    event = Event.objects.get(slug="neues-ereignis")
    stored = (event.precision, event.start_date, event.end_date, event.start_time,
              event.end_time, event.time_zone)  # fmt: skip
    assert stored == expected
    assert created.json()["date"]["label"] == event.date_label("de")
    if expected[-1] in ("", "Europe/Berlin"):  # at home, a label names no place
        assert created.json()["date"]["label"] == label


def test_when_that_cannot_be_read_is_a_field_message_and_saves_nothing(client, seed, editor):
    client.force_login(editor)
    payload = {k: v for k, v in event_payload(when="irgendwann").items() if k != "start_date"}
    refused = client.post(API + "events/", payload, content_type="application/json")
    assert refused.status_code == 400
    assert "Ende Oktober 2024" in refused.json()["when"][0]
    assert not Event.objects.filter(slug="neues-ereignis").exists()
    no_date = {k: v for k, v in event_payload().items() if k != "start_date"}
    assert "when" in client.post(API + "events/", no_date, content_type="application/json").json()


# -- corrections ---------------------------------------------------------------------

AUSTIN_API = API + "events/5a3c1e0e-1b0d-4a51-9f2e-0c6a2d7b1a04/"


def correct(client, url, payload, **headers):
    return client.post(url + "corrections/", payload, content_type="application/json", **headers)


def test_an_editor_adds_a_correction(client, seed, editor):
    import feedparser

    client.force_login(editor)
    read = client.get(AUSTIN_API)
    before = read.json()
    text = "Austin sprach in Rom, nicht in Mailand."
    added = correct(client, AUSTIN_API, {"text": text}, HTTP_IF_MATCH=read["ETag"])
    assert added.status_code == 201, added.json()
    body = added.json()
    assert [c["text"] for c in body["corrections"]] == [text]
    assert body["revision"] == before["revision"] + 1
    now = client.get(AUSTIN_API)
    assert now.json() == body and added["ETag"] == now["ETag"] != read["ETag"]
    dated = correct(
        client, AUSTIN_API, {"text": "Zweite.", "published_at": "2024-10-25T10:00:00+02:00"}
    )
    assert dated.status_code == 201
    assert dated.json()["corrections"][0]["published_at"].startswith("2024-10-25")
    feed = feedparser.parse(client.get(f"/timelines/{SEED_SLUG}/changes.atom").content)
    assert not feed.bozo
    entries = [e for e in feed.entries if e.title.startswith("Korrektur")]
    assert len(entries) == 2
    assert any(text in e.content[0].value for e in entries)


@pytest.mark.parametrize("role", ["anonymous", "reader"])
def test_only_editors_add_corrections(client, seed, as_role, role):
    as_role(client, role)
    refused = correct(client, AUSTIN_API, {"text": "Nein."})
    assert refused.status_code in ({401, 403} if role == "anonymous" else {403})
    assert not Event.objects.get(slug="austin-rom").corrections.exists()


def test_a_draft_cannot_be_corrected(client, seed, editor, make_event):
    client.force_login(editor)
    draft = make_event(timeline=seed, slug="entwurf")
    refused = correct(client, API + f"events/{draft.uuid}/", {"text": "Korrektur."})
    assert refused.status_code == 409
    assert refused.json() == {
        "status": [
            "Nur ein veröffentlichtes oder zurückgezogenes Ereignis kann korrigiert werden."
        ]
    }
    assert not draft.corrections.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"text": "Böse\x07Korrektur"}, "text"),
        ({"text": "x" * 5001}, "text"),
        ({"text": ""}, "text"),
        ({}, "text"),
        ({"text": 12}, "text"),
        ({"text": "Gut.", "published_at": "gestern"}, "published_at"),
    ],
)
def test_a_bad_correction_gets_400_and_saves_nothing(client, seed, editor, payload, field):
    client.force_login(editor)
    revision = Event.objects.get(slug="austin-rom").revision
    refused = correct(client, AUSTIN_API, payload)
    assert refused.status_code == 400
    assert list(refused.json()) == [field] and refused.json()[field][0]
    austin = Event.objects.get(slug="austin-rom")
    assert not austin.corrections.exists() and austin.revision == revision


def test_a_stale_correction_is_refused_with_412(client, seed, editor):
    client.force_login(editor)
    etag = client.get(AUSTIN_API)["ETag"]
    assert correct(client, AUSTIN_API, {"text": "Erste."}, HTTP_IF_MATCH=etag).status_code == 201
    stale = correct(client, AUSTIN_API, {"text": "Zweite."}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    revision = Event.objects.get(slug="austin-rom").revision
    old = correct(client, AUSTIN_API, {"text": "Dritte.", "revision": revision - 1})
    assert old.status_code == 412
    assert Event.objects.get(slug="austin-rom").corrections.count() == 1
