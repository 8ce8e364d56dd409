import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from events import search
from events.models import Event, Person, Place, Tag, Timeline
from tests.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP
from tests.client import Client


@pytest.fixture
def client():
    """Django's test client, reading streamed exports whole (see tests/client.py)."""
    return Client()


@pytest.fixture(autouse=True)
def empty_cache():
    from django.core.cache import cache, caches

    from events import document_files

    cache.clear()
    caches["throttle"].clear()
    document_files.clear()
    yield
    cache.clear()
    caches["throttle"].clear()
    document_files.clear()


@pytest.fixture
def timeline(db):
    return Timeline.objects.create(
        title="Testzeitleiste", slug="test", language="de", is_public=True
    )


@pytest.fixture
def inbox(db):
    """A timeline that calendars are imported into."""
    return Timeline.objects.create(title="Eingang", slug="eingang", time_zone="Europe/Berlin")


@pytest.fixture
def make_event(timeline):
    counter = iter(range(1, 10_000))

    def make(**fields):
        n = next(counter)
        fields.setdefault("timeline", timeline)
        fields.setdefault("title", f"Ereignis {n}")
        fields.setdefault("slug", f"ereignis-{n}")
        fields.setdefault("start_date", dt.date(2024, 10, 23))
        return Event.objects.create(**fields)

    return make


@pytest.fixture
def place(db):
    return Place.objects.create(
        name="Rom", slug="rom", country="Italien", latitude=41.9, longitude=12.5
    )


@pytest.fixture
def person(db):
    return Person.objects.create(name="Erika Muster", slug="erika-muster", role="Ministerin")


@pytest.fixture
def tag(db):
    return Tag.objects.create(name="Stellungnahme", slug="stellungnahme")


@pytest.fixture
def seed(db):
    call_command("load_seed", verbosity=0)
    return Timeline.objects.get(slug="nordkorea-soldaten-russland")


@pytest.fixture
def kirby_at_1430(seed):
    """The seed's Kirby statement as an exact time: 23 October 2024, 14:30 New York."""
    kirby = Event.objects.get(slug="kirby-washington")
    kirby.precision, kirby.start_time, kirby.time_zone = (
        "time",
        dt.time(14, 30),
        "America/New_York",
    )
    kirby.save()
    return kirby


@pytest.fixture
def english():
    """Messages in English, for tests that read what a function raises (a request
    takes the language of its client, German by default)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium under Playwright (which downloads no browser here)."""
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make around it are ordinary synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def site(live_server, transactional_db):
    """The seed timeline, served by a live server: its address."""
    call_command("load_seed", verbosity=0)
    return live_server.url


@pytest.fixture
def page(browser):
    """A desktop window in a German browser."""
    context = browser.new_context(viewport=DESKTOP, locale="de-DE")
    yield context.new_page()
    context.close()


# The moment the embargo tests schedule a publication for; `clock` starts before it.
MOMENT = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves (for the test and a live server in its process), five
    minutes before MOMENT; every request looks for what is due (embargo)."""
    now = {"value": MOMENT - dt.timedelta(minutes=5)}
    monkeypatch.setattr(timezone, "now", lambda: now["value"])
    monkeypatch.setattr(settings, "EMBARGO_LOOK_EVERY", 0, raising=False)

    def move(to):
        now["value"] = to

    return move


def editors_group():
    """The Editors group as its migration makes it; a test on a committed database
    (transaction=True) empties the tables, so the next one makes it again."""
    import importlib

    from django.apps import apps

    if not Group.objects.filter(name=settings.EDITORS_GROUP).exists():
        importlib.import_module("events.migrations.0002_editors_group").create_editors_group(
            apps, None
        )
    return Group.objects.get(name=settings.EDITORS_GROUP)


@pytest.fixture
def editor(db, django_user_model):
    user = django_user_model.objects.create_user("redakteurin", password="x", is_staff=True)
    user.groups.add(editors_group())
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def many_events(timeline, person, tag, place):
    """`many_events(n)`: n published events, one a day from 2020, with a person, tag and place."""
    from django.utils import timezone

    def make(count):
        start = dt.date(2020, 1, 1)
        events = []
        for n in range(count):
            event = Event(
                timeline=timeline,
                title=f"Ereignis Nummer {n}",
                slug=f"nummer-{n}",
                summary="Eine kurze Zusammenfassung.",
                start_date=start + dt.timedelta(days=n),
                place=place,
                status="published",
                first_published_at=timezone.now(),
            )
            event.set_interval()
            event.search_text = search.normalize(f"{event.title} {event.summary}")
            events.append(event)
        created = Event.objects.bulk_create(events, batch_size=500)
        Event.tags.through.objects.bulk_create(
            [Event.tags.through(event_id=e.pk, tag_id=tag.pk) for e in created], batch_size=500
        )
        Event.people.through.objects.bulk_create(
            [Event.people.through(event_id=e.pk, person_id=person.pk) for e in created],
            batch_size=500,
        )
        return created

    return make


def pytest_terminal_summary(terminalreporter):
    from .test_hostile import TRIED
    from .test_stress import REPORT

    for line in REPORT:
        terminalreporter.write_line(line)
    if TRIED["examples"]:
        failed = len(terminalreporter.stats.get("failed", []))
        terminalreporter.write_line(
            f"hostile examples tried: {TRIED['examples']}, "
            f"invalid outputs: {'see failures' if failed else 0}"
        )
