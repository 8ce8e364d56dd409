"""Atom 1.0 feed (RFC 4287)."""

from . import feed

content_type = "application/atom+xml; charset=utf-8"
reads_limit = True  # the newest events, up to ?limit= (selection.Params)


def render(selection):
    return feed.render(selection, "atom")
