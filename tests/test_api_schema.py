"""The OpenAPI schema is valid, and a schema-driven fuzzer finds no server error."""

import json

import lxml.html
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.specs.openapi import checks


def test_schema_is_valid_openapi_3(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    validate(schema)
    assert "/api/v1/events/{uuid}/retract/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/events/"]["get"]["parameters"]}
    assert {"timeline", "tag", "person", "place", "status", "precision", "from", "to", "q",
            "updated_since", "ordering", "cursor"} <= parameters  # fmt: skip


def test_the_reference_page_names_every_operation_and_field(client, db):
    """/api/docs/ is a page of our own (Swagger UI failed axe-core): every operation of
    the schema, with its parameters, and every field of every object, in the reader's
    language; no script, no CDN."""
    schema = json.loads(client.get("/api/schema/", HTTP_ACCEPT="application/json").content)
    page = lxml.html.fromstring(client.get("/api/docs/?lang=de").content)
    headings = {h.text_content() for h in page.xpath("//section/h3")}
    for path, methods in schema["paths"].items():
        for method in methods:
            assert f"{method.upper()} {path}" in headings
    events_list = page.get_element_by_id("v1_events_list")
    assert "updated_since" in events_list.text_content()
    fields = page.get_element_by_id("object-Event").xpath(".//tbody/tr/th/code/text()")
    assert set(fields) == set(schema["components"]["schemas"]["Event"]["properties"])
    assert page.xpath("//h1")[0].text_content() == "API-Referenz"
    publish = page.get_element_by_id("v1_events_publish_create").text_content()
    assert "Einen Entwurf veröffentlichen." in publish and "Zu viele Anfragen" in publish
    assert "Jedes Wort kommt im Ereignis vor" in events_list.text_content()
    ids = set(page.xpath("//@id"))
    targets = {href[1:] for href in page.xpath("//a/@href") if href.startswith("#")}
    assert targets <= ids, targets - ids  # every link on the page leads somewhere
    english = lxml.html.fromstring(client.get("/api/docs/?lang=en").content.decode())
    assert (
        "Publish a draft." in english.get_element_by_id("v1_events_publish_create").text_content()
    )
    assert not page.xpath("//script") and b"cdn." not in lxml.html.tostring(page)


@pytest.fixture
def fuzzable(seed, monkeypatch):
    """The seed, and throttling out of the fuzzer's way (it is tested on its own).

    The fuzzer calls the WSGI application directly, so, as Django's test client does,
    requests must not close the test's database connection when they end.
    """
    from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "allow_request", lambda *args: True)
    monkeypatch.setattr(UserRateThrottle, "allow_request", lambda *args: True)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield seed
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Loaded once at collection: the schema view needs no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
# A JSON Schema string may hold a NUL byte; every address and field of ours refuses
# one with 400 (tests/test_hostile_requests.py), which is no server error to find.
schema.config.generation.update(allow_x00=False)


@schema.parametrize()
# Derandomized: CI explores the same cases every run; raise max_examples to dig deeper.
@settings(
    max_examples=40, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck)
)
@pytest.mark.django_db
def test_fuzzed_requests_never_get_a_server_error(case, fuzzable):
    response = case.call()
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
    # Empty optional query parameters count as absent: deliberate leniency, so the
    # check that every schema-violating request is refused stays out.
    case.validate_response(response, excluded_checks=[checks.negative_data_rejection])
