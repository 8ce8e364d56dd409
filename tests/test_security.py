"""Security at the edges: headers, login guessing, CSRF, failing parts."""

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import override_settings

from tests.client import Client
from tests.processes import manage

SEED = "/timelines/nordkorea-soldaten-russland/"


@pytest.mark.parametrize(
    "url", ["/", SEED, SEED + "kirby-washington/", "/admin/login/", "/api/docs/"]
)
def test_security_headers_on_pages(client, seed, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("url", ["/", SEED, SEED + "kirby-washington/", "/api/docs/"])
def test_no_inline_script_on_our_pages(client, seed, url):
    import lxml.html

    page = lxml.html.fromstring(client.get(url).content)
    for script in page.xpath("//script"):
        assert script.get("src") or script.get("type") == "application/ld+json"


def test_hsts_in_production():
    code = "from django.conf import settings; print(settings.SECURE_HSTS_SECONDS, settings.SECURE_SSL_REDIRECT)"
    result = manage("shell", "-c", code, DJANGO_SECRET_KEY="x" * 50, DJANGO_HTTPS="1")
    assert result.stdout.split()[-2:] == ["31536000", "True"], result.stderr


def test_admin_login_guessing_is_locked_out(db, django_user_model):
    django_user_model.objects.create_superuser("chefin", password="richtig-und-lang-42")
    client = Client()
    statuses = [
        client.post("/admin/login/", {"username": "chefin", "password": "falsch"}).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks the door
    locked = client.post(
        "/admin/login/", {"username": "chefin", "password": "richtig-und-lang-42"}
    )
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_admin_state_changes_need_csrf(seed, editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post("/admin/events/event/add/", {"title": "x"})
    assert response.status_code == 403


@pytest.mark.parametrize("url", [SEED, SEED + "feed.rss", "/api/v1/events/"])
def test_database_unreachable_gives_503_not_a_traceback(client, seed, monkeypatch, url):
    def refuse(self):
        raise OperationalError("connection refused")

    from django.core.cache import cache

    cache.clear()
    with monkeypatch.context() as patched:
        patched.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
        patched.setattr(BaseDatabaseWrapper, "cursor", lambda self: refuse(self))
        response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert b"Traceback" not in response.content


DEAD_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.2,
            "SOCKET_TIMEOUT": 0.2,
        },
    }
}
DEAD_REDIS["throttle"] = DEAD_REDIS["default"]  # the API throttles count in Redis too


@pytest.mark.parametrize(
    "url", [SEED, SEED + "feed.rss", SEED + "calendar.ics", "/api/v1/events/"]
)
def test_a_stopped_cache_only_slows_answers_down(client, seed, url):
    with override_settings(CACHES=DEAD_REDIS):
        response = client.get(url)
        again = client.get(url)
    assert response.status_code == again.status_code == 200
    assert response.content == again.content
    assert b"Kirby" in response.content


@pytest.mark.parametrize("https", ["0", "1"])
def test_check_deploy_is_clean(https):
    """`manage.py check --deploy` at warning level, as in production (and as make serve
    runs it over plain HTTP, where only the four HTTPS-only checks are silenced)."""
    import subprocess
    import sys

    from django.conf import settings

    env = {"DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "k9Xq" * 10,
           "DJANGO_HTTPS": https, "DJANGO_ALLOWED_HOSTS": "news.example", "PATH": "/usr/bin:/bin"}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
