"""The project as a whole: migrations, system checks, settings, first-run commands."""

import os
import re
import subprocess
import sys
from io import StringIO

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from .processes import manage

ROOT = settings.BASE_DIR


def test_migrations_match_the_models(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_system_checks_pass():
    call_command("check", fail_level="WARNING")


def test_secret_key_is_required_to_serve_when_debug_is_off():
    result = manage("check", "--deploy")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
    server = subprocess.run(
        [sys.executable, "-c", "import newsroom.wsgi"], cwd=ROOT, capture_output=True,
        text=True, timeout=60,
        env={k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
    )  # fmt: skip
    assert server.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in server.stderr


def test_commands_that_serve_nothing_run_without_a_secret_key():
    result = manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr


def test_debug_is_off_unless_asked():
    result = manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEBUG)",
        DJANGO_SECRET_KEY="x",
    )  # fmt: skip
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_sqlite_is_tuned_for_a_web_server(tmp_path):
    code = (
        "from django.db import connection; c = connection.cursor();"
        "print(connection.vendor, c.execute('PRAGMA journal_mode').fetchone()[0],"
        " c.execute('PRAGMA busy_timeout').fetchone()[0])"
    )
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    result = manage("shell", "-c", code, DJANGO_DEBUG="1", DATABASE_URL=url)
    assert result.stdout.split()[-3:] == ["sqlite", "wal", "20000"]


def test_settings_defaults():
    assert settings.LANGUAGE_CODE == "de"
    assert [code for code, _ in settings.LANGUAGES] == ["de", "en"]
    assert settings.TIME_ZONE == "Europe/Berlin" and settings.USE_TZ


def test_ensure_admin_creates_a_working_account_once(db):
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    password = re.search(r"password: (\S+)", out.getvalue()).group(1)
    request = RequestFactory().post("/admin/login/")
    assert authenticate(request, username="admin", password=password).is_superuser
    again = StringIO()
    call_command("ensure_admin", stdout=again)
    assert "password" not in again.getvalue()


def test_cache_is_redis_when_asked():
    """The production profile's cache, when REDIS_URL is given (as .ci/run does)."""
    import os

    from django.core.cache import cache, caches

    expected = "RedisCache" if os.environ.get("REDIS_URL") else "LocMemCache"
    assert type(caches["default"]).__name__ == expected
    cache.set("probe", b"\x00bytes", 10)
    assert cache.get("probe") == b"\x00bytes"
