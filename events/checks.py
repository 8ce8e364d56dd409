"""The secret key is required when debug is off: `check --deploy` and the WSGI
application (gunicorn, runserver) refuse to go on without it. Commands that serve
nothing (makemigrations, migrate, shell) still run, so a fresh shell can work."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

SECRET_KEY_MISSING = (
    "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
    "(for local work: DJANGO_DEBUG=1, as `make run` does)."
)


def secret_key_missing():
    try:
        return not settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to hand out an empty key
        return True


@register(Tags.security, deploy=True)
def secret_key_is_set(app_configs, **kwargs):
    return [Error(SECRET_KEY_MISSING, id="newsroom.E001")] if secret_key_missing() else []


def require_secret_key():
    if secret_key_missing():
        raise ImproperlyConfigured(SECRET_KEY_MISSING)


WEBSUB_WITHOUT_URL = (
    "WEBSUB_HUBS is set but NEWSROOM_URL is not: the topics announced to the hubs are "
    "URLs on NEWSROOM_URL (e.g. https://news.example.org)."
)


@register()
def websub_has_an_address(app_configs, **kwargs):
    """Hubs are told about URLs on NEWSROOM_URL (events.websub): without it, none."""
    if settings.WEBSUB_HUBS and not settings.NEWSROOM_URL:
        return [Error(WEBSUB_WITHOUT_URL, id="newsroom.E002")]
    return []
