import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command

from events.models import Event, Person, Place, Tag, Timeline


@pytest.fixture
def timeline(db):
    return Timeline.objects.create(
        title="Testzeitleiste", slug="test", language="de", is_public=True
    )


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
    return Place.objects.create(name="Rom", country="Italien", latitude=41.9, longitude=12.5)


@pytest.fixture
def person(db):
    return Person.objects.create(name="Lloyd Austin", slug="lloyd-austin", role="Minister")


@pytest.fixture
def tag(db):
    return Tag.objects.create(name="Stellungnahme", slug="stellungnahme")


@pytest.fixture
def seed(db):
    call_command("load_seed", verbosity=0)
    return Timeline.objects.get(slug="nordkorea-soldaten-russland")


@pytest.fixture
def editor(db, django_user_model):
    user = django_user_model.objects.create_user("redakteurin", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=settings.EDITORS_GROUP))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
