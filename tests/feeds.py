"""Reading feeds as readers do: feedparser for RSS and Atom; JSON Feed by its spec
(feedparser 6 does not read JSON Feed)."""

import calendar
import datetime as dt
import json

import feedparser


def _time(struct):
    return dt.datetime.fromtimestamp(calendar.timegm(struct), dt.UTC) if struct else None


def read_entries(response):
    """The items of a feed response as plain dicts, whatever the format."""
    if response["Content-Type"].startswith("application/feed+json"):
        return [
            {
                "id": item["id"],
                "title": item["title"],
                "link": item["url"],
                "published": dt.datetime.fromisoformat(item["date_published"]),
                "updated": dt.datetime.fromisoformat(item["date_modified"]),
                "tags": item.get("tags", []),
                "content": item["content_html"],
            }
            for item in json.loads(response.content)["items"]
        ]
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return [
        {
            "id": entry.id,
            "title": entry.title,
            "link": entry.link,
            "published": _time(entry.get("published_parsed")),
            "updated": _time(entry.get("updated_parsed")) if "updated" in entry else None,
            "tags": [tag.term for tag in entry.get("tags", [])],
            "content": entry.content[0].value,
        }
        for entry in parsed.entries
    ]


def read_feed(response):
    """Feed-level title and HTML link, whatever the format."""
    if response["Content-Type"].startswith("application/feed+json"):
        document = json.loads(response.content)
        return {"title": document["title"], "link": document["home_page_url"]}
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return {"title": parsed.feed.title, "link": parsed.feed.link}
