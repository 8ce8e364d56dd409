"""Who a client is: the API throttles and the admin's login lockout count the same
address — REMOTE_ADDR, or behind TRUSTED_PROXIES proxies the one they forwarded —
and every worker counts together."""

import pytest
from rest_framework.throttling import AnonRateThrottle

from tests.client import Client
from tests.processes import manage
from tests.test_stress import call, serve

API = "/api/v1/events/"
PASSWORD = "richtig-und-lang-42"


@pytest.fixture
def three_a_minute(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": None})


@pytest.fixture
def behind_one_proxy(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


def test_a_made_up_forwarded_for_is_ignored_without_trusted_proxies(client, seed, three_a_minute):
    statuses = [
        client.get(API, headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
        for n in range(6)
    ]
    assert statuses == [200, 200, 200, 429, 429, 429]


def test_behind_one_proxy_the_throttle_counts_the_forwarded_address(
    client, seed, three_a_minute, behind_one_proxy
):
    # The proxy appends the address it saw; whatever the client wrote before it is ignored.
    reader = [f"203.0.113.{n}, 198.51.100.7" for n in range(4)]
    statuses = [client.get(API, headers={"X-Forwarded-For": xff}).status_code for xff in reader]
    assert statuses == [200, 200, 200, 429]
    other = client.get(API, headers={"X-Forwarded-For": "198.51.100.8"})
    assert other.status_code == 200


@pytest.fixture
def chefin(db, django_user_model):
    return django_user_model.objects.create_superuser("chefin", password=PASSWORD)


def log_in(client, password, forwarded_for):
    response = client.post(
        "/admin/login/",
        {"username": "chefin", "password": password},
        headers={"X-Forwarded-For": forwarded_for},
    )
    return response.status_code


def test_login_guessing_with_made_up_forwarded_for_is_locked_out(chefin):
    guesser = Client()
    statuses = [log_in(guesser, "falsch", f"203.0.113.{n}") for n in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    assert log_in(guesser, PASSWORD, "198.51.100.7") == 429  # still the same address


def test_behind_one_proxy_a_guesser_locks_out_only_their_own_address(chefin, behind_one_proxy):
    from axes.models import AccessAttempt

    balancer = {"REMOTE_ADDR": "10.0.0.2"}  # every request comes from the load balancer
    guesser = Client(**balancer)
    statuses = [log_in(guesser, "falsch", f"198.51.100.{n}, 203.0.113.66") for n in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.66"]
    editor = Client(**balancer)
    assert log_in(editor, PASSWORD, "198.51.100.7") == 302  # to the admin, logged in
    assert "_auth_user_id" in editor.session


def test_trusted_proxies_come_from_the_environment():
    code = (
        "from axes.helpers import get_client_ip_address; from django.test import RequestFactory;"
        "from rest_framework.settings import api_settings;"
        "request = RequestFactory().get('/', HTTP_X_FORWARDED_FOR='203.0.113.1, 198.51.100.7, 10.0.0.3');"
        "print(api_settings.NUM_PROXIES, get_client_ip_address(request))"
    )
    result = manage("shell", "-c", code, DJANGO_SECRET_KEY="x" * 50, TRUSTED_PROXIES="2")
    assert result.stdout.split()[-2:] == ["2", "198.51.100.7"], result.stderr


def test_three_workers_count_together(tmp_path):
    """Against gunicorn with three workers: ten requests a minute means ten, not ten
    per worker, and a rotating X-Forwarded-For changes nothing."""
    served = serve(
        tmp_path,
        {"API_ANON_RATE": "10/minute", "GUNICORN_WORKERS": "3",
         "CACHE_KEY_PREFIX": f"throttle-test-{tmp_path.name}"},
    )  # fmt: skip
    port, _ = next(served)
    try:
        statuses = [
            call(port, "GET", API, headers={"X-Forwarded-For": f"203.0.113.{n}"})[0]
            for n in range(30)
        ]
    finally:
        next(served, None)
    assert statuses == [200] * 10 + [429] * 20
