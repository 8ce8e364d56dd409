"""The outputs of the change matrix: every place a reader, subscriber or program sees
an event, each read the way its client reads it (feedparser, icalendar with
recurring-ical-events, lxml, csv, json) into a `View`: the text of each event's item
by the event's slug, and the document's own text (titles, descriptions).

Each output says what it can show of an event (`aspects`) and whose it is (`scope`):
"timeline" outputs belong to the seed timeline, "site" ones to all public timelines,
"event" ones follow the event wherever it goes (the API by UUID).
"""

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from urllib.parse import quote, urlparse

import feedparser
import icalendar
import lxml.etree
import lxml.html
import recurring_ical_events

FEED = {"title", "label", "summary", "body", "quotes", "first_quote", "speaker", "sources",
        "first_source", "corrections", "retraction", "place", "tags", "first_tag", "url",
        "timeline_language"}  # fmt: skip
DOCUMENT = {"timeline_title", "timeline_description"}


@dataclass
class View:
    items: dict = field(default_factory=dict)  # event slug -> text of its item
    document: str = ""
    etag: str = ""
    status: int = 200


def slug_of(url):
    """The event slug of an event URL (/timelines/<timeline>/<event>/)."""
    parts = [p for p in urlparse(url).path.split("/") if p]
    return parts[2] if len(parts) == 3 and parts[0] == "timelines" else None


def flat(*texts):
    return " ".join(" ".join(str(t) for t in texts if t).split())


def read_rss_atom(body):
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    items = {
        slug_of(e.link): flat(e.title, e.get("summary"), *(c.value for c in e.get("content", [])),
                              *(t.term for t in e.get("tags", [])), e.link)
        for e in parsed.entries
    }  # fmt: skip
    return View(items, flat(parsed.feed.get("title"), parsed.feed.get("subtitle")))


def read_json_feed(body):
    feed = json.loads(body)
    items = {
        slug_of(i["url"]): flat(i["title"], i.get("summary"), i["content_html"],
                                *i.get("tags", []), i["url"])
        for i in feed["items"]
    }  # fmt: skip
    return View(items, flat(feed["title"], feed.get("description")))


def read_calendar(body):
    """As a calendar app shows it: every occurrence over the years the events span."""
    calendar = icalendar.Calendar.from_ical(body)
    occurrences = recurring_ical_events.of(calendar).between(
        dt.date(1990, 1, 1), dt.date(2100, 1, 1)
    )
    items = {}
    for vevent in occurrences:
        categories = vevent.get("categories")
        names = [str(c) for cat in (categories if isinstance(categories, list) else [categories])
                 if cat is not None for c in cat.cats]  # fmt: skip
        items[slug_of(str(vevent["url"]))] = flat(
            vevent.get("summary"), vevent.get("description"), vevent.get("location"),
            vevent.get("status"), *names, vevent["url"], f"SEQUENCE:{vevent.get('sequence')}",
        )  # fmt: skip
    return View(items, flat(calendar.get("x-wr-calname"), calendar.get("x-wr-caldesc")))


def read_timelinejs(body):
    data = json.loads(body)
    items = {}
    for slide in data["events"]:
        media = slide.get("media", {})
        text = lxml.html.fromstring(f"<div>{slide['text']['text']}</div>")
        links = [a.get("href") for a in text.iter("a")]
        items[slide["unique_id"]] = flat(
            lxml.html.fromstring(f"<p>{slide['text']['headline']}</p>").text_content(),
            text.text_content(), slide.get("display_date"), slide.get("group"),
            media.get("caption"), media.get("credit"), *links,
        )  # fmt: skip
    title = data["title"]["text"]
    return View(
        items,
        flat(
            lxml.html.fromstring(f"<div>{title['headline']} {title['text']}</div>").text_content()
        ),
    )


def read_csv(body):
    rows = csv.DictReader(io.StringIO(body.decode("utf-8-sig")))
    return View({slug_of(row["url"]): flat(*row.values()) for row in rows})


def read_timeline_page(body):
    page = lxml.html.fromstring(body.decode())
    items = {}
    for article in page.xpath("//ol[@class='events']/li/article"):
        link = article.xpath(".//h3/a")[0]
        items[slug_of(link.get("href"))] = flat(article.text_content(), link.get("href"))
    header = page.xpath("//main//h1") + page.xpath("//main//*[contains(@class, 'lead')]")
    return View(items, flat(*(node.text_content() for node in header)))


def read_event_page(body, target):
    page = lxml.html.fromstring(body.decode())
    main = page.xpath("//main")[0]
    return View({target.slug: flat(main.text_content())}, flat(main.text_content()))


def read_sitemap(body):
    locs = lxml.etree.fromstring(body).findall(".//{*}loc")
    return View({slug_of(loc.text): loc.text for loc in locs if slug_of(loc.text)})


def read_api_list(body):
    data = json.loads(body)
    return View({e["slug"]: json.dumps(e, ensure_ascii=False) for e in data["results"]})


def read_api_detail(body, target):
    event = json.loads(body)
    return View({event["slug"]: json.dumps(event, ensure_ascii=False)})


@dataclass(frozen=True)
class Output:
    name: str
    scope: str  # "timeline", "site" or "event"
    aspects: frozenset
    path: object  # (timeline slug, target) -> path
    read: object  # (body, target) -> View

    @property
    def per_event(self):
        """Shows the target event alone (its page, its API answer)."""
        return self.name in {"event page", "API detail"}

    def applies(self, aspects, scopes):
        return bool(self.aspects & aspects) and self.scope in scopes


def output(name, scope, aspects, path, read):
    return Output(name, scope, frozenset({"presence", *aspects}), path, read)


def timeline_export(filename, aspects, read):
    return output(filename, "timeline", aspects,
                  lambda tl, t: f"/timelines/{tl}/{filename}", lambda body, t: read(body))  # fmt: skip


def site_export(filename, aspects, read):
    return output("site " + filename, "site", aspects,
                  lambda tl, t: f"/{filename}", lambda body, t: read(body))  # fmt: skip


CALENDAR = FEED | DOCUMENT | {"sequence"}
TIMELINEJS = {"title", "label", "summary", "quotes", "first_quote", "speaker", "first_source",
              "retraction", "first_tag", "url", "timeline_language", *DOCUMENT}  # fmt: skip
SPREADSHEET = {"title", "label", "summary", "retraction", "place", "people", "tags", "first_tag",
               "url", "timeline_language"}  # fmt: skip
PAGE = {"title", "label", "summary", "first_quote", "retraction", "place", "people", "tags",
        "first_tag", "url", *DOCUMENT}  # fmt: skip
# Pages and the API speak the reader's language, not the timeline's.
EVENT_PAGE = FEED - {"timeline_language"} | {"people", "timeline_title"}
API = FEED - {"label", "timeline_language"} | {"people"}
SEARCH = {"title", "summary", "body", "quotes", "first_quote", "speaker", "sources",
          "first_source", "corrections", "place", "people", "tags", "first_tag"}  # fmt: skip

OUTPUTS = [
    timeline_export("feed.rss", FEED | DOCUMENT, read_rss_atom),
    timeline_export("feed.atom", FEED | DOCUMENT, read_rss_atom),
    timeline_export("feed.json", FEED | DOCUMENT, read_json_feed),
    timeline_export("calendar.ics", CALENDAR, read_calendar),
    timeline_export("timelinejs.json", TIMELINEJS, read_timelinejs),
    timeline_export("events.csv", SPREADSHEET, read_csv),
    output("timeline page", "timeline", PAGE, lambda tl, t: f"/timelines/{tl}/", lambda b, t: read_timeline_page(b)),
    output("event page", "timeline", EVENT_PAGE, lambda tl, t: f"/timelines/{tl}/{t.slug}/", read_event_page),
    site_export("feed.rss", FEED, read_rss_atom),
    site_export("feed.atom", FEED, read_rss_atom),
    site_export("feed.json", FEED, read_json_feed),
    site_export("calendar.ics", FEED | {"sequence"}, read_calendar),
    output("sitemap", "site", {"url"}, lambda tl, t: "/sitemap.xml", lambda b, t: read_sitemap(b)),
    output("API list", "timeline", API, lambda tl, t: f"/api/v1/events/?timeline={tl}", lambda b, t: read_api_list(b)),
    output("API detail", "event", API, lambda tl, t: f"/api/v1/events/{t.uuid}/", read_api_detail),
    output("search", "timeline", SEARCH, lambda tl, t: f"/timelines/{tl}/?q={quote(t.term)}", lambda b, t: read_timeline_page(b)),
]  # fmt: skip
