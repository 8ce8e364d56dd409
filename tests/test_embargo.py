"""Scheduled publishing: a draft with `publish_at` is public in every output from
that moment — not one second earlier — without anyone saving; freshness changes with
it. The clock is moved by the test."""

import datetime as dt

import feedparser
from icalendar import Calendar

from events import embargo
from events.models import Event, Status

from .conftest import MOMENT

SEED = "/timelines/nordkorea-soldaten-russland/"


def outputs(client):
    """What each output shows: titles (feeds, calendars, API, TimelineJS, CSV), the
    page's and the search's text, the sitemap's addresses."""

    def entries(path):
        return [e.title for e in feedparser.parse(client.get(path).content).entries]

    def summaries(path):
        return [
            str(e["SUMMARY"]) for e in Calendar.from_ical(client.get(path).content).walk("VEVENT")
        ]

    timelinejs = client.get(SEED + "timelinejs.json").json()
    return {
        "feed": entries(SEED + "feed.atom"),
        "rss": entries(SEED + "feed.rss"),
        "json feed": [i["title"] for i in client.get(SEED + "feed.json").json()["items"]],
        "calendar": summaries(SEED + "calendar.ics"),
        "page": client.get(SEED).content.decode(),
        "api": [e["title"] for e in client.get("/api/v1/events/").json()["results"]],
        "site": entries("/feed.atom"),
        "site calendar": summaries("/calendar.ics"),
        "sitemap": client.get("/sitemap.xml").content.decode(),
        "timelinejs": [e["text"]["headline"] for e in timelinejs["events"]],
        "csv": client.get(SEED + "events.csv").content.decode(),
        "search": client.get(SEED, {"q": "Sperrfrist"}).content.decode(),
    }


def test_an_embargoed_draft_is_public_exactly_from_its_moment(client, seed, make_event, clock):
    draft = make_event(timeline=seed, slug="sperrfrist", title="Nach der Sperrfrist",
                       publish_at=MOMENT)  # fmt: skip
    before = client.get(SEED + "feed.atom")
    clock(MOMENT - dt.timedelta(seconds=1))
    seen = outputs(client)
    assert not any("sperrfrist" in str(v).lower() for k, v in seen.items() if k != "search")
    assert "Nach der Sperrfrist" not in seen["search"]
    again = client.get(SEED + "feed.atom", HTTP_IF_NONE_MATCH=before["ETag"])
    assert again.status_code == 304  # nothing changed yet

    clock(MOMENT)  # nobody saves anything
    after = client.get(SEED + "feed.atom", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    seen = outputs(client)
    assert "Nach der Sperrfrist" in seen["page"] and "Nach der Sperrfrist" in seen["search"]
    assert "Nach der Sperrfrist" in seen["csv"] and SEED + "sperrfrist/" in seen["sitemap"]
    for name in ("feed", "rss", "json feed", "calendar", "api", "site", "site calendar",
                 "timelinejs"):  # fmt: skip
        assert any("Nach der Sperrfrist" in title for title in seen[name]), name
    published = Event.objects.get(pk=draft.pk)
    assert published.status == Status.PUBLISHED and published.publish_at is None
    assert published.first_published_at == MOMENT  # the scheduled moment, not when noticed
    assert published.revision == 1


def test_publishing_a_due_draft_happens_once(seed, make_event, clock):
    make_event(timeline=seed, slug="sperrfrist", title="Nach der Sperrfrist", publish_at=MOMENT)
    clock(MOMENT + dt.timedelta(seconds=5))
    assert embargo.publish_due() == 1
    assert embargo.publish_due() == 0  # another server, a moment later: nothing left


def test_the_api_and_the_desk_set_publish_at(client, seed, editor):
    client.force_login(editor)
    created = client.post("/api/v1/events/", {
        "timeline": seed.slug, "slug": "geplant", "title": "Geplant", "when": "24.10.2024",
        "publish_at": "2030-01-01T08:00:00Z",
    }, content_type="application/json")  # fmt: skip
    assert created.status_code == 201, created.json()
    assert created.json()["publish_at"] == "2030-01-01T09:00:00+01:00"
    assert created.json()["status"] == "draft"


def test_a_publication_that_fails_does_not_fail_the_site(client, seed, make_event, clock,
                                                         monkeypatch):  # fmt: skip
    make_event(timeline=seed, slug="sperrfrist", title="Nach der Sperrfrist", publish_at=MOMENT)
    clock(MOMENT)

    def broken(now=None):
        raise RuntimeError("a constraint nobody foresaw")

    monkeypatch.setattr(embargo, "publish_due", broken)
    response = client.get(SEED)
    assert response.status_code == 200 and "Nordkorea" in response.content.decode()


def test_a_moment_in_the_past_is_refused_and_nothing_is_saved(client, seed, editor, clock):
    client.force_login(editor)
    refused = client.post("/api/v1/events/", {
        "timeline": seed.slug, "slug": "zu-spaet", "title": "Zu spät", "when": "24.10.2024",
        "publish_at": "0001-01-01T00:00:00Z",
    }, content_type="application/json")  # fmt: skip
    assert refused.status_code == 400 and "publish_at" in refused.json()
    assert not Event.objects.filter(slug="zu-spaet").exists()
