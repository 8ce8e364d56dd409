"""Cross-origin reads (events/cors.py): other sites' scripts read what anyone may read
— the exports, the API's public reads, oEmbed — and nothing else."""

import pytest

from events.exports import FORMATS, SITE_FORMATS

SEED = "/timelines/nordkorea-soldaten-russland/"
READS = [
    *(SEED + name for name in FORMATS),
    *("/" + name for name in SITE_FORMATS),
    SEED + "kirby-washington.ics",
    "/api/v1/events/",
    "/api/v1/timelines/nordkorea-soldaten-russland/",
    "/api/schema/",
]
ELSEWHERE = ["/", SEED, SEED + "kirby-washington/", "/admin/login/", "/sitemap.xml"]
ORIGIN = {"HTTP_ORIGIN": "https://zeitung.example"}


@pytest.mark.parametrize("path", READS)
def test_public_reads_may_be_read_from_any_site(client, seed, path):
    for method in (client.get, client.head):
        response = method(path, **ORIGIN)
        assert response.status_code == 200, path
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response
        assert "ETag" in response["Access-Control-Expose-Headers"]
        assert "origin" not in response.get("Vary", "").lower()  # one cached copy for all
    unconditional = client.get(path)  # the same answer whether an Origin is named or not
    assert unconditional["Access-Control-Allow-Origin"] == "*"


def test_a_poller_s_conditional_request_is_allowed_first(client, seed):
    asked = client.options(SEED + "timelinejs.json", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
                           HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match", **ORIGIN)  # fmt: skip
    assert asked.status_code == 204
    assert "If-None-Match" in asked["Access-Control-Allow-Headers"]
    assert asked["Access-Control-Allow-Methods"] == "GET, HEAD"
    write = client.options("/api/v1/events/", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST", **ORIGIN)
    assert "Access-Control-Allow-Methods" not in write
    assert "Access-Control-Allow-Origin" not in write


@pytest.mark.parametrize("path", ELSEWHERE)
def test_pages_and_the_desk_get_no_cors(client, seed, path):
    assert "Access-Control-Allow-Origin" not in client.get(path, **ORIGIN)


def test_writes_get_no_cors(client, seed, editor):
    client.force_login(editor)
    wrote = client.post("/api/v1/events/", {}, content_type="application/json", **ORIGIN)
    assert wrote.status_code == 400 and "Access-Control-Allow-Origin" not in wrote
