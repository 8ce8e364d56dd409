"""URLs every page's head and header need: canonical, hreflang alternates, language switch."""

from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import get_language, get_language_info

from .filters import reader_params


def page_urls(request):
    """The language switch keeps the reader's filters and page, and nothing else of the
    query: a page cached for one query serves all that read the same (filters.py)."""
    base = request.build_absolute_uri(request.path)
    params = reader_params(request.GET)
    chosen = params.get("lang")
    codes = [code for code, _ in settings.LANGUAGES]
    current = get_language()
    switch = []
    for code in codes:
        switch.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": "?" + urlencode(sorted({**params, "lang": code}.items())),
                "current": code == current,
            }
        )
    return {
        "canonical_url": f"{base}?lang={chosen}" if chosen else base,
        "hreflang_urls": [(code, f"{base}?lang={code}") for code in codes] + [("x-default", base)],
        "language_switch": switch,
    }
