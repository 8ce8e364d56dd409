"""RSS 2.0 feed."""

from . import feed

content_type = "application/rss+xml; charset=utf-8"
reads_limit = True  # the newest events, up to ?limit= (selection.Params)


def render(selection):
    return feed.render(selection, "rss")
