"""Hostile requests get the answer a person or program should get: a 400 or 404 with a
message in the API's error shape, a form error naming the field, or an empty result —
never a 500, a traceback or a half-done write. Several of these only ever broke on
PostgreSQL (a NUL byte in a query is a DataError there), so CI runs them on both."""

import base64

import lxml.html
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import override_settings

from events.api.views import PreconditionFailed
from events.dates import is_iana_zone
from events.models import Event, Status, Timeline
from events.validators import validate_iana_zone
from tests.processes import manage

API = "/api/v1/"
SEED = "/timelines/nordkorea-soldaten-russland/"
AUSTIN = API + "events/5a3c1e0e-1b0d-4a51-9f2e-0c6a2d7b1a04/"
NUL_MESSAGE = "The address contains a NUL character (%00); no name on this site contains one."
CONTROL_MESSAGE = "Enthält Steuerzeichen; erlaubt sind nur Tabulator und Zeilenumbrüche."


def cursor(raw):
    return base64.b64encode(raw.encode()).decode()


def patch(client, data, **headers):
    return client.patch(AUSTIN, data, content_type="application/json", **headers)


# -- anonymous 500s --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "ordering"),
    [("p=garbage", None), ("r=1&p=2024-13-45", None), ("p=garbage", "-updated_at")],
)
def test_tampered_cursor_is_404(client, seed, raw, ordering):
    params = {"cursor": cursor(raw)} | ({"ordering": ordering} if ordering else {})
    response = client.get(API + "events/", params)
    assert response.status_code == 404
    assert response.json() == {"detail": "Ungültiger Zeiger"}  # DRF's "Invalid cursor"


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        (SEED + "?tag=%00", {}),
        (SEED + "?person=a%00", {}),
        (SEED + "?place=%00", {}),
        (SEED + "?q=Kirby%00", {}),
        (SEED + "feed.rss?tag=%00", {}),
        (SEED + "feed.rss?tag=%00", {"HTTP_IF_NONE_MATCH": "*"}),
        ("/feed.rss?tag=%00", {}),
        ("/admin/events/event/?q=%00", {}),
    ],
)
def test_nul_in_a_page_address_is_400(editor, client, seed, url, headers):
    if url.startswith("/admin/"):
        client.force_login(editor)
    response = client.get(url, **headers)
    assert response.status_code == 400
    assert response.content.decode() == NUL_MESSAGE


@pytest.mark.parametrize(
    "url",
    [
        "timelines/%00/",
        "timelines/nordkorea-soldaten-russland/events/%00/",
        "events/%00/",
        "events/?tag=%00",
        "events/?person=%00",
        "events/?place=%00",
        "events/?timeline=%00",
        "events/?q=%00",
        "events/?%00=1",
    ],
)
def test_nul_in_an_api_address_is_400(client, seed, url):
    response = client.get(API + url)
    assert response.status_code == 400
    assert response.json() == {"detail": NUL_MESSAGE}


@pytest.mark.parametrize("page_size", ["null", "0", "-1", "1.5", "\u0663"])
def test_page_size_that_is_no_whole_number_from_1_is_400(client, seed, page_size):
    response = client.get(API + "events/", {"page_size": page_size})
    assert response.status_code == 400
    assert response.json() == {"page_size": ["A whole number from 1 is needed."]}


@pytest.mark.parametrize(("page_size", "count"), [("", 5), ("2", 2), ("99999999999999999999", 5)])
def test_page_size_empty_is_the_default_and_a_huge_one_the_largest(client, seed, page_size, count):
    """The seed's five public events: one page of the default 50, or of the cap (500)."""
    response = client.get(API + "events/", {"page_size": page_size})
    assert len(response.json()["results"]) == count


@pytest.mark.parametrize(("method", "action"), [("post", "publish/"), ("post", "retract/"),
                                                ("patch", ""), ("put", "")])  # fmt: skip
def test_event_address_that_is_no_uuid_is_404(client, seed, editor, method, action):
    """These writes lock the event by its UUID: `ü` was a 500 (ValidationError)."""
    client.force_login(editor)
    url = API + "events/%C3%BC%C2%BA/" + action
    response = getattr(client, method)(url, {"reason": "x"}, content_type="application/json")
    assert response.status_code == 404
    assert response.json() == {"detail": "Nicht gefunden."}


@pytest.mark.parametrize("field", ["timeline", "place", "tags", "people"])
def test_nul_in_a_slug_sent_to_the_api_is_a_field_error(client, seed, editor, field):
    client.force_login(editor)
    value = ["\x00"] if field in {"tags", "people"} else "\x00"
    response = patch(client, {field: value})
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert Event.objects.get(slug="austin-rom").revision == 1


# -- editors' input ------------------------------------------------------------------


def test_control_character_in_an_api_retraction_is_a_field_error(client, seed, editor):
    client.force_login(editor)
    response = client.post(
        AUSTIN + "retract/", {"reason": "Falsch\x07."}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"reason": [CONTROL_MESSAGE]}
    assert Event.objects.get(slug="austin-rom").status == Status.PUBLISHED


def test_control_character_in_an_admin_retraction_is_a_form_error(editor_client, seed):
    austin = Event.objects.get(slug="austin-rom")
    response = editor_client.post(
        "/admin/events/event/",
        {"_selected_action": [austin.pk], "action": "retract", "apply": "1", "reason": "x\x1b"},
    )
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())
    errors = page.xpath("//textarea[@name='reason']/ancestor::div[1]//ul[@class='errorlist']")
    assert [e.text_content() for e in errors] == [CONTROL_MESSAGE]
    austin.refresh_from_db()
    assert austin.status == Status.PUBLISHED


@pytest.mark.parametrize(("field", "value"), [("title", 12), ("summary", 1.5), ("body", True)])
def test_number_for_a_text_field_is_a_field_error(client, seed, editor, field, value):
    """The schema says string; DRF's CharField would have saved "12"."""
    client.force_login(editor)
    response = patch(client, {field: value})
    assert response.status_code == 400
    assert response.json() == {field: ["Kein gültiger String."]}
    assert Event.objects.get(slug="austin-rom").revision == 1


def test_number_for_a_retraction_reason_is_a_field_error(client, seed, editor):
    client.force_login(editor)
    response = client.post(AUSTIN + "retract/", {"reason": 12}, content_type="application/json")
    assert response.json() == {"reason": ["Kein gültiger String."]}
    assert Event.objects.get(slug="austin-rom").status == Status.PUBLISHED


@pytest.mark.parametrize("method", ["post", "patch"])
def test_deeply_nested_json_is_400(client, seed, editor, method):
    client.force_login(editor)
    url = API + "events/" if method == "post" else AUSTIN
    response = getattr(client, method)(url, "[" * 100_000, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "JSON parse error - nested too deeply."}


@pytest.mark.parametrize("field", ["tags", "people"])
def test_too_many_slugs_is_a_field_error(
    client, seed, editor, field, django_assert_max_num_queries
):
    client.force_login(editor)
    with django_assert_max_num_queries(20):
        response = patch(client, {field: [f"s-{n}" for n in range(20_000)]})
    assert response.status_code == 400
    assert response.json() == {field: ["Dieses Feld darf nicht mehr als 100 Einträge enthalten."]}


@pytest.mark.parametrize("zone", ["localtime", "Factory"])
def test_only_named_iana_zones_are_time_zones(client, seed, editor, zone):
    assert not is_iana_zone(zone)
    with pytest.raises(ValidationError):
        validate_iana_zone(zone)
    client.force_login(editor)
    response = patch(client, {"precision": "time", "start_time": "14:30", "time_zone": zone})
    assert response.status_code == 400
    assert list(response.json()) == ["time_zone"]
    assert is_iana_zone("Europe/Berlin") and is_iana_zone("UTC")


@pytest.mark.parametrize(
    "since", ["9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59.999999-00:01"]
)
def test_updated_since_past_the_end_of_time_finds_nothing(client, seed, since):
    response = client.get(API + "events/", {"updated_since": since})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_weak_etag_does_not_satisfy_if_match(client, seed, editor):
    client.force_login(editor)
    etag = client.get(AUSTIN)["ETag"]
    weak = patch(client, {"summary": "Schwach."}, HTTP_IF_MATCH="W/" + etag)
    assert weak.status_code == 412
    assert weak.json() == {"detail": str(PreconditionFailed.default_detail)}
    assert patch(client, {"summary": "Stark."}, HTTP_IF_MATCH=etag).status_code == 200
    assert Event.objects.get(slug="austin-rom").summary == "Stark."


@pytest.mark.parametrize("revision", ["abc", "1.5", "", [1], {"n": 1}])
@pytest.mark.parametrize("action", ["patch", "retract/", "publish/"])
def test_malformed_revision_is_a_field_error(client, seed, editor, revision, action):
    client.force_login(editor)
    data = {"revision": revision, "summary": "Neu.", "reason": "Falsch."}
    if action == "patch":
        response = patch(client, data)
    else:
        response = client.post(AUSTIN + action, data, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["revision"]
    assert Event.objects.get(slug="austin-rom").revision == 1


def test_revision_is_read_as_the_integer_field_reads_it(client, seed, editor):
    """DRF's IntegerField reads "1 " and "1.0" as 1: the check agrees with the field."""
    client.force_login(editor)
    assert patch(client, {"summary": "Eins.", "revision": "1 "}).status_code == 200
    assert patch(client, {"summary": "Zwei.", "revision": "1.0"}).status_code == 412
    assert Event.objects.get(slug="austin-rom").summary == "Eins."


# -- what an editor's session may see and keep ------------------------------------------


def test_view_on_site_redirect_needs_view_permission(client, seed, editor, make_event):
    draft = make_event(timeline=seed, slug="geheimer-entwurf")
    url = f"/admin/r/{ContentType.objects.get_for_model(Event).pk}/{draft.pk}/"
    client.force_login(User.objects.create_user("praktikant", password="x", is_staff=True))
    refused = client.get(url)
    assert refused.status_code == 404
    assert "geheimer-entwurf" not in refused.get("Location", "") + refused.content.decode()
    client.force_login(editor)
    allowed = client.get(url)
    assert allowed.status_code == 302 and allowed["Location"].endswith(draft.get_absolute_url())


def test_language_cookie_settings_over_https():
    code = (
        "from django.conf import settings as s; "
        "print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_HTTPONLY, s.LANGUAGE_COOKIE_SAMESITE)"
    )
    result = manage("shell", "-c", code, DJANGO_SECRET_KEY="x" * 50, DJANGO_HTTPS="1")
    assert result.stdout.split()[-3:] == ["True", "True", "Lax"], result.stderr


@override_settings(LANGUAGE_COOKIE_SECURE=True)
@pytest.mark.parametrize("way", ["query", "form"])
def test_language_cookie_is_secure_when_the_site_is(client, seed, way):
    if way == "query":
        response = client.get("/?lang=en")
    else:
        response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert (cookie.value, cookie["secure"], cookie["httponly"], cookie["samesite"]) == (
        "en", True, True, "Lax",
    )  # fmt: skip


@pytest.mark.parametrize("path", ["/", SEED, SEED + "kirby-washington/", "/timelines/intern/"])
def test_editor_previews_are_private(client, editor, seed, path):
    Timeline.objects.create(title="Intern", slug="intern", is_public=False)
    client.force_login(editor)
    response = client.get(path)
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    client.logout()  # a reader's copy stays shareable
    reader = client.get(path)
    assert reader.status_code == (404 if "intern" in path else 200)
    assert "private" not in reader.get("Cache-Control", "")
