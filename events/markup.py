"""Editors write Markdown; readers get HTML that can carry no script.

Markdown renders (raw HTML in the source included), then nh3 — a binding of the
Rust sanitizer ammonia, well kept and fast — keeps only an allow-list of tags and
attributes and http/https/mailto links.
"""

import threading

import markdown
import nh3
from django.utils.safestring import mark_safe

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "i",
    "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


_local = threading.local()


def converter():
    """This thread's Markdown converter, reset: making one costs more than converting
    a typical body, and exports convert thousands."""
    if not hasattr(_local, "converter"):
        _local.converter = markdown.Markdown(
            extensions=["extra", "sane_lists"], output_format="html"
        )
    return _local.converter.reset()


def render_markdown(text):
    html = converter().convert(text)
    return mark_safe(
        nh3.clean(
            html,
            tags=TAGS,
            attributes=ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel="noopener noreferrer nofollow",
        )
    )
