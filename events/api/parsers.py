"""DRF's JSON parser, answering 400 for a body nested too deeply to read."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        # Python's json module refuses `[[[[…` past the recursion limit with a
        # RecursionError, which DRF (catching ValueError) let through as a 500.
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply.") from None
