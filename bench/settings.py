"""The production profile, plus the bench-only baseline URLs (bench/urls.py)."""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "django_ical"]  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
