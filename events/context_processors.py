"""URLs every page's head and header need: canonical, hreflang alternates, language switch."""

from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import get_language, get_language_info


def page_urls(request):
    base = request.build_absolute_uri(request.path)
    chosen = request.GET.get("lang")
    codes = [code for code, _ in settings.LANGUAGES]
    current = get_language()
    switch = []
    for code in codes:
        params = request.GET.copy()
        params["lang"] = code
        switch.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": "?" + urlencode(sorted(params.items())),
                "current": code == current,
            }
        )
    return {
        "canonical_url": f"{base}?lang={chosen}" if chosen in codes else base,
        "hreflang_urls": [(code, f"{base}?lang={code}") for code in codes] + [("x-default", base)],
        "language_switch": switch,
    }
