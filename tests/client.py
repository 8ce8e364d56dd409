"""The test client, reading a streamed response whole, as a feed reader or a
calendar app receives it: exports are sent from files (`events.document_files`), and
assertions want `response.content` like for any other page."""

from functools import partial

import django.test
from django.http import HttpResponse


class Client(django.test.Client):
    def request(self, **request):
        response = super().request(**request)
        if not response.streaming:
            return response
        # Read to the end: the test client then closes the response (and the file).
        whole = HttpResponse(response.getvalue(), status=response.status_code)
        for header, value in response.items():
            whole[header] = value
        for name in ("client", "request", "wsgi_request", "resolver_match", "templates"):
            if hasattr(response, name):
                setattr(whole, name, getattr(response, name))
        whole.json = partial(self._parse_json, whole)
        whole.streamed = True  # it came as a stream: tests may ask
        return whole
