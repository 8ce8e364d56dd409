"""Nothing unpublished reaches anyone outside the Editors group, in any output; and
who may do what in the admin."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from events.models import Event, Status, Timeline

SEED = "/timelines/nordkorea-soldaten-russland/"
SECRET = "Streng geheimer Entwurf 7f3a"
PUBLIC_OUTPUTS = [
    "/", SEED, SEED + "?q=geheimer", SEED + "?q=7f3a", "/sitemap.xml", "/robots.txt",
    SEED + "feed.rss", SEED + "feed.atom", SEED + "feed.json", SEED + "calendar.ics",
    SEED + "timelinejs.json", SEED + "events.csv", "/feed.rss", "/feed.atom", "/feed.json",
    "/calendar.ics", "/api/v1/events/", "/api/v1/events/?status=draft", "/api/v1/events/?q=7f3a",
    "/api/v1/timelines/", "/timelines/intern/", "/timelines/intern/feed.rss",
]  # fmt: skip


@pytest.fixture
def secrets(seed, make_event):
    draft = make_event(timeline=seed, slug="entwurf-7f3a", title=SECRET, summary=SECRET)
    # Under embargo until tomorrow: a draft like any other until then.
    make_event(timeline=seed, slug="sperrfrist-7f3a", title=SECRET, summary=SECRET,
               publish_at=timezone.now() + dt.timedelta(days=1))  # fmt: skip
    hidden = Timeline.objects.create(title=SECRET + " Zeitleiste", slug="intern", is_public=False)
    make_event(timeline=hidden, slug="intern-7f3a", title=SECRET, status=Status.PUBLISHED)
    return draft


@pytest.mark.parametrize("role", ["anonymous", "reader", "staff-without-rights"])
def test_no_unpublished_text_in_any_output(client, secrets, role):
    if role == "reader":
        client.force_login(User.objects.create_user("leser"))
    elif role == "staff-without-rights":
        client.force_login(User.objects.create_user("praktikant", is_staff=True))
    for url in PUBLIC_OUTPUTS:
        text = client.get(url).content.decode("utf-8", "replace")
        assert SECRET not in text and "entwurf-7f3a" not in text and "intern-7f3a" not in text, url
        assert "sperrfrist-7f3a" not in text, url
    for url in (SEED + "entwurf-7f3a/", SEED + "entwurf-7f3a.ics", f"/api/v1/events/{secrets.uuid}/",
                SEED.replace("nordkorea-soldaten-russland", "intern") + "intern-7f3a/"):  # fmt: skip
        assert client.get(url).status_code == 404, url


def test_editors_do_see_drafts(client, secrets, editor):
    client.force_login(editor)
    assert SECRET in client.get(SEED).content.decode()
    assert SECRET in client.get(f"/api/v1/events/{secrets.uuid}/").content.decode()
    assert SECRET not in client.get(SEED + "feed.rss").content.decode()  # feeds stay public-only


ADMIN_URLS = {
    "list": "/admin/events/event/",
    "add": "/admin/events/event/add/",
    "change": "/admin/events/event/{pk}/change/",
    "history": "/admin/events/event/{pk}/history/",
    "timelines": "/admin/events/timeline/",
    "users": "/admin/auth/user/",
}
EXPECTED = {  # role -> pages it may open (others: login redirect or 403)
    "anonymous": set(),
    "reader": set(),
    "staff-without-rights": set(),
    "editor": {"list", "add", "change", "history", "timelines"},
    "superuser": set(ADMIN_URLS),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_admin_authorization_matrix(client, seed, editor, role):
    users = {
        "reader": lambda: User.objects.create_user("leser"),
        "staff-without-rights": lambda: User.objects.create_user("praktikant", is_staff=True),
        "editor": lambda: editor,
        "superuser": lambda: User.objects.create_superuser("chefin"),
    }
    if role != "anonymous":
        client.force_login(users[role]())
    pk = Event.objects.get(slug="austin-rom").pk
    for name, url in ADMIN_URLS.items():
        response = client.get(url.format(pk=pk))
        allowed = response.status_code == 200
        assert allowed == (name in EXPECTED[role]), (role, name, response.status_code)


def test_failed_bulk_action_changes_nothing(editor_client, seed, make_event, monkeypatch):
    drafts = [make_event(timeline=seed, slug=f"entwurf-{n}") for n in range(3)]
    calls = []
    original = Event.publish

    def publish_then_fail(self):
        calls.append(self.pk)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        original(self)

    monkeypatch.setattr(Event, "publish", publish_then_fail)
    with pytest.raises(RuntimeError):
        editor_client.post(
            "/admin/events/event/",
            {"action": "publish", "_selected_action": [d.pk for d in drafts]},
        )
    assert not Event.objects.filter(
        pk__in=[d.pk for d in drafts], status=Status.PUBLISHED
    ).exists()


def test_seed_load_is_all_or_nothing(db, monkeypatch):
    from django.db.models import Model

    from events.models import Quote

    original = Model.save_base

    def fail_on_quotes(self, *args, **kwargs):
        if isinstance(self, Quote):
            raise RuntimeError("crash while loading")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Model, "save_base", fail_on_quotes)
    with pytest.raises(RuntimeError):
        call_command("load_seed", verbosity=0)
    assert not Timeline.objects.exists() and not Event.objects.exists()
