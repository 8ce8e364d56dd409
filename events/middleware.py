"""`?lang=de` / `?lang=en`: one URL per language, for hreflang links and sharing.

Runs after LocaleMiddleware (which chose by cookie or Accept-Language), overrides its
choice and remembers it in the language cookie. The language switch is made of such
links, so it needs neither JavaScript nor a form.
"""

from django.conf import settings
from django.utils import translation

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
                max_age=365 * 24 * 3600,
                samesite="Lax",
                httponly=True,
            )
        return response
