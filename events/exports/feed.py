"""RSS and Atom: feedgen writes the feed around the items, `write_item` each item.

feedgen writes the feed without items (once per document), and each item is written
by `write_item` from what readers are shown of its event (`events.rendering`), with
an XML writer, using the namespace prefixes feedgen declares on the root
(`PREFIXES`): an item costs some microseconds, a feedgen entry about a millisecond.

Spec: RSS 2.0 (rssboard.org), RFC 4287 (Atom), GeoRSS Simple for coordinates.
"""

import email.utils
import html

from django.conf import settings
from feedgen.feed import FeedGenerator

from . import feed_items, jsonfeed
from .printable import printable

TTL_MINUTES = 60
# (serializer, media type, the tag that closes the feed, the depth of an item in it)
KINDS = {
    "rss": ("rss_str", "application/rss+xml", "</channel>", 2),
    "atom": ("atom_str", "application/atom+xml", "</feed>", 1),
}
# What the items' prefixes stand for. feedgen declares all of them on the root of
# an RSS feed, and dc and georss on an Atom feed (its default namespace is Atom's),
# once the "dc" and "geo" extensions are loaded.
PREFIXES = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "georss": "http://www.georss.org/georss",
}
INDENT = "  "
HISTORY = "http://purl.org/syndication/history/1.0"  # RFC 5005


def render(selection, kind, entries=None):
    """The feed of `selection`, with `entries` (`feed_items.Entry`; by default one
    for each of the newest events)."""
    serializer, media_type, closing, depth = KINDS[kind]
    skeleton = getattr(build(selection, media_type), serializer)(pretty=True).decode()

    # The items go before the closing tag of the feed feedgen wrote without them,
    # after the links feedgen does not write (RSS: it writes only rel="self").
    head, tail = skeleton.rsplit(closing, 1)
    yield head.rstrip(" ").encode()
    yield write_links(selection, kind, depth).encode()
    for entry in feed_items.entries(selection) if entries is None else entries:
        yield write_item(entry, kind, depth).encode()
    yield (INDENT * (depth - 1) + closing + tail).encode()


def write(selection, kind, entries):
    """A feed of these entries in one of the feed formats: "rss", "atom", "json"."""
    if kind == "json":
        return jsonfeed.render(selection, entries)
    return render(selection, kind, entries)


def write_links(selection, kind, depth):
    """The feed's WebSub hubs (`rel="hub"`), related and archive links (RFC 5005),
    and, in an archive, `fh:archive`: atom:link in RSS, link in Atom."""
    pad = INDENT * depth
    tag = "atom:link" if kind == "rss" else "link"
    links = [(hub, "hub", None) for hub in selection.hubs] + list(selection.links)
    lines = [
        f'{pad}<{tag} href="{_attribute(href)}" rel="{rel}"'
        + (f' type="{media_type}"' if media_type else "")
        + "/>\n"
        for href, rel, media_type in links
    ]
    if selection.archive:
        lines.append(f'{pad}<fh:archive xmlns:fh="{HISTORY}"/>\n')
    return "".join(lines)


def build(selection, self_type):
    """The feed without its entries."""
    feed = FeedGenerator()
    feed.load_extension("dc")
    feed.load_extension("geo")
    feed.id(selection.id)
    feed.title(printable(selection.title))
    feed.description(printable(selection.description))  # RSS description, Atom subtitle
    feed.link(href=selection.self_url, rel="self", type=self_type)
    # feedgen takes the last link as RSS <link>: the HTML page.
    feed.link(href=selection.page_url, rel="alternate", type="text/html")
    feed.language(selection.language)
    feed.author({"name": settings.NEWSROOM_NAME})
    feed.logo(selection.logo_url)
    feed.icon(selection.icon_url)
    feed.generator(settings.NEWSROOM_NAME)
    feed.ttl(TTL_MINUTES)
    # Build dates come from the data, never the clock: the same data, the same bytes.
    feed.lastBuildDate(selection.updated)
    feed.updated(selection.updated)
    return feed


def write_item(entry, kind, depth):
    """The <item> (RSS) or <entry> (Atom) of a `feed_items.Entry`, as text: an
    element a line, indented to sit at `depth` in the feed.

    Written as lines of text (xml.sax's XMLGenerator cost five times as much), with
    text escaped as XML 1.0 needs (§2.4: &, <, >; in attributes also the quote, tab
    and line breaks, §3.3.3) and a CR as the reference &#13;, which a parser would
    otherwise read as LF (§2.11), as lxml writes it."""
    guid = _text(entry.id)
    title = _text(entry.title)
    summary = _text(entry.summary)
    # RSS readers take <description> as HTML: the summary, plain text, is escaped as
    # HTML first (Atom's <summary> and JSON Feed's summary are text as they are).
    described = _text(html.escape(entry.summary, quote=False))
    content = _text(entry.content_html)
    url = entry.url
    published = entry.published
    creator = _text(settings.NEWSROOM_NAME)
    if kind == "rss":
        # Spec: RSS 2.0, "Elements of <item>"; content:encoded from RSS 1.0 Content.
        lines = [
            "<item>",
            f"  <title>{title}</title>",
            f"  <link>{_text(url)}</link>",
            f"  <description>{described}</description>",
            f"  <content:encoded>{content}</content:encoded>",  # HTML, escaped
            f'  <guid isPermaLink="false">{guid}</guid>',
            *(f"  <category>{_text(name)}</category>" for name in entry.tags),
        ]
        if published:  # RFC 822
            moment = email.utils.format_datetime(feed_items.moment(published))
            lines.append(f"  <pubDate>{moment}</pubDate>")
    else:
        # Spec: RFC 4287 §4.1.2 (atom:entry); dates are RFC 3339 (§3.3).
        lines = [
            "<entry>",
            f"  <id>{guid}</id>",
            f"  <title>{title}</title>",
            f"  <updated>{entry.updated}</updated>",
            "  <author>",
            f"    <name>{creator}</name>",
            "  </author>",
            f'  <content type="html">{content}</content>',
            f'  <link href="{_attribute(url)}" rel="alternate" type="text/html"/>',
            f"  <summary>{summary}</summary>",
            *(f'  <category term="{_attribute(name)}" label="{_attribute(name)}"/>'
              for name in entry.tags),
        ]  # fmt: skip
        if published:
            lines.append(f"  <published>{published}</published>")
    lines.append(f"  <dc:creator>{creator}</dc:creator>")
    if entry.point:
        # Spec: GeoRSS Simple — "latitude longitude", in WGS84 decimal degrees.
        lines.append(f"  <georss:point>{' '.join(entry.point)}</georss:point>")
    lines.append("</item>" if kind == "rss" else "</entry>")
    pad = INDENT * depth
    return "".join(f"{pad}{line}\n" for line in lines)


def _text(value):
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r", "&#13;")
    )


def _attribute(value):
    value = _text(value).replace('"', "&quot;")
    return value.replace("\n", "&#10;").replace("\t", "&#9;")
