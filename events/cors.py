"""Cross-origin reads: other sites' scripts may read what anyone may read.

TimelineJS on a newspaper's article page fetches timelinejs.json from here; a feed
reader in the browser fetches the feeds; a dashboard reads the API. Every GET and HEAD
of the exports, the oEmbed answer and the API's public reads carries
`Access-Control-Allow-Origin: *` — never with credentials, so a cross-origin request
carries no cookie and sees what an anonymous reader sees (a browser refuses a
credentialed answer with `*`). Writes, pages and the desk get no CORS header at all.

Not django-cors-headers: it answers only requests that name an Origin, and so must
`Vary: Origin` — every shared cache (nginx, a CDN) would then keep one copy of each
export per site that embeds it. The same `*` on every answer needs no Vary.
"""

import re

from django.http import HttpResponse

from .exports import FORMATS, SITE_FORMATS

READS = re.compile(
    "^/(?:"
    + "|".join(
        [
            r"timelines/[^/]+/(?:" + "|".join(map(re.escape, FORMATS)) + ")",
            r"timelines/[^/]+/[^/]+\.ics",
            r"(?:timelines/[^/]+/)?archive/\d+\.(?:atom|rss|json)",
            "(?:" + "|".join(map(re.escape, SITE_FORMATS)) + ")",
            r"api/v1/.*",
            r"api/schema/",
            r"oembed",
        ]
    )
    + ")$"
)
SAFE = {"GET", "HEAD"}
HEADERS = {
    "Access-Control-Allow-Origin": "*",
    # What a script may read of the answer: freshness, and the links to hubs and pages.
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Link",
}
PREFLIGHT = {
    **HEADERS,
    "Access-Control-Allow-Methods": "GET, HEAD",
    # Conditional requests: a poller's If-None-Match is not "simple", so it asks first.
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since, Accept, Accept-Language",
    "Access-Control-Max-Age": "86400",
}


class PublicReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not READS.match(request.path_info):
            return self.get_response(request)
        asked = request.headers.get("Access-Control-Request-Method")
        if request.method == "OPTIONS" and asked:  # a browser's preflight
            allowed = PREFLIGHT if asked.upper() in SAFE else {}
            return HttpResponse(status=204, headers=allowed)
        response = self.get_response(request)
        if request.method in SAFE:
            for name, value in HEADERS.items():
                response[name] = value
        return response
