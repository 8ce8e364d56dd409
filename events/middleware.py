"""`?lang=de` / `?lang=en`: one URL per language, for hreflang links and sharing.

Runs after LocaleMiddleware (which chose by cookie or Accept-Language), overrides its
choice and remembers it in the language cookie. The language switch is made of such
links, so it needs neither JavaScript nor a form.
"""

import logging
from urllib.parse import unquote

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)

LANGUAGES = {code for code, _ in settings.LANGUAGES}


class LanguageFromQueryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.GET.get("lang")
        if language not in LANGUAGES:
            return self.get_response(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        # Remember the choice, so the reader's next pages keep the language.
        if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


class RefuseNulMiddleware:
    """400 for a NUL character in the path or the query string, before anything looks
    at them. No slug, UUID, tag or search of ours contains one, and PostgreSQL cannot
    even compare text with one: each lookup that met it raised DataError (a 500).
    Listed before the export fast path, so it guards every view at once."""

    MESSAGE = "The address contains a NUL character (%00); no name on this site contains one."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": self.MESSAGE}, status=400)
            return HttpResponseBadRequest(self.MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """The database cannot be reached: a short 503 page (or JSON under /api/) that needs
    no database, instead of a traceback. Clients may retry after a minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            return database_unavailable(request, exception)
        return None


DATABASE_DOWN = (OperationalError, InterfaceError)


def database_unavailable(request, exception):
    logger.error("database unavailable: %s", exception)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": "Temporarily unavailable."}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "60"
    return response
