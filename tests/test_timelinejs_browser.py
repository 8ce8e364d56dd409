"""Our timelinejs.json in Knight Lab's TimelineJS 3 itself (from node_modules), in chromium.

TimelineJS writes headlines, texts, dates, group labels, captions and credits with
innerHTML: whatever an editor typed there must show as text and never run.
"""

import datetime as dt
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import expect, sync_playwright

from events.models import Event, Person, Place, Quote, Source, Tag, Timeline

from .browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, other_site

DIST = Path(settings.BASE_DIR) / "node_modules/@knight-lab/timelinejs/dist"
EMBED = """<!doctype html><html><head><meta charset="utf-8"><title>embed</title>
<link rel="stylesheet" href="/tljs/css/timeline.css"><script src="/tljs/js/timeline.js"></script>
</head><body><div id="timeline-embed" style="height:600px"></div><script>
new TL.Timeline("timeline-embed", location.origin + "/timelines/boese/timelinejs.json",
                {script_path: location.origin + "/tljs/js/"});
</script></body></html>"""
IMG = '<img src=x onerror="window.__pwned=1">'
SCRIPT = "<script>window.__pwned=2</script>"
SVG = '"><svg onload=window.__pwned=3>'
ENTITIES = "&lt;img src=x onerror=alert(4)&gt;"  # TimelineJS turns these into markup itself


@pytest.fixture
def page():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM calls around the sync API
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser.new_page(viewport=DESKTOP)
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def hostile_timeline(transactional_db):
    timeline = Timeline.objects.create(
        title=f"{SCRIPT} Zeitleiste", slug="boese", description=SVG, is_public=True
    )
    for day, zone, place, tag in (
        (23, "Asia/Vladivostok", "Wladiwostok & Wonsan", IMG),
        (24, "Asia/Pyongyang", f"{SVG} {ENTITIES}", ENTITIES),
    ):
        event = Event.objects.create(
            timeline=timeline, slug=f"tag-{day}", title=f"{SCRIPT} Schiffe {day}",
            summary=f"{IMG} www.example.org'/onfocus='window.__pwned=5'/autofocus/x='",
            start_date=dt.date(2024, 10, day), precision="time", start_time=dt.time(14, 30),
            time_zone=zone, status="published",
            place=Place.objects.create(name=place, slug=f"ort-{day}"),
        )  # fmt: skip
        event.tags.add(Tag.objects.create(name=tag, slug=f"tag-{day}"))
        speaker = Person.objects.create(name=ENTITIES, slug=f"person-{day}")
        Quote.objects.create(event=event, speaker=speaker, text=f"{SVG} {IMG}")
        Source.objects.create(
            event=event, url="https://example.org/bericht", title=IMG, publisher=ENTITIES
        )
    return timeline


# `page` last: the browser closes before the database is flushed.
def test_hostile_texts_show_as_text_in_timelinejs(live_server, hostile_timeline, page):
    def serve(route):
        url = route.request.url
        path = urlsplit(url).path
        library = DIST / path.removeprefix("/tljs/")
        if path == "/embed/":
            route.fulfill(body=EMBED, content_type="text/html; charset=utf-8")
        elif path.startswith("/tljs/"):
            route.fulfill(path=library) if library.is_file() else route.fulfill(status=404)
        elif url.startswith(live_server.url):
            route.continue_()
        else:
            route.fulfill(status=404)  # nothing leaves the machine

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.route("**/*", serve)
    page.goto(live_server.url + "/embed/")

    current = page.locator(".tl-slide:not([inert])")  # the slide a reader sees
    expect(current.locator(".tl-headline")).to_have_text(f"{SCRIPT} Zeitleiste", timeout=30_000)
    page.locator(".tl-slidenav-next").first.click()
    expect(current.locator(".tl-headline")).to_have_text(f"{SCRIPT} Schiffe 23")
    expect(current.locator(".tl-headline")).to_be_visible()
    assert current.locator(".tl-headline-date").text_content() == (
        "23. Oktober 2024, 14:30 Uhr (Wladiwostok & Wonsan)"
    )
    assert page.locator(".tl-timegroup-message").all_text_contents() == [IMG, ENTITIES]
    page.locator(".tl-slidenav-next").first.click()
    expect(current.locator(".tl-headline")).to_have_text(f"{SCRIPT} Schiffe 24")
    assert current.locator(".tl-headline-date").text_content().endswith(f"({SVG} {ENTITIES})")
    source = current.locator(".tl-text-content a", has_text="onerror")  # a page, not media
    assert source.text_content() == IMG
    assert ENTITIES in current.locator(".tl-text-content").text_content()
    for link in current.locator("a").all():  # as a keyboard user tabbing through
        link.focus()
    page.wait_for_timeout(500)  # onerror and onload fire once the failed image is back
    assert dialogs == []
    assert page.evaluate("window.__pwned") is None


HOST = """<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Artikel</title>
<link rel="stylesheet" href="/tljs/css/timeline.css"><script src="/tljs/js/timeline.js"></script>
</head><body><h1>Ein Artikel einer Zeitung</h1><div id="timeline-embed" style="height:600px">
</div><script>
new TL.Timeline("timeline-embed", "%(export)s",
                {script_path: location.origin + "/tljs/js/", language: "de"});
</script></body></html>"""


def library(path):
    """What the newspaper's site serves of TimelineJS 3 (from node_modules)."""
    found = DIST / path.removeprefix("/tljs/")
    if not path.startswith("/tljs/") or not found.is_file():
        return None
    return found.read_bytes(), "text/css" if path.endswith(".css") else "text/javascript"


def test_timelinejs_on_another_site_renders_every_event_without_an_error(live_server, page):
    """TimelineJS 3 on a newspaper's page (another origin) loads timelinejs.json by its
    address: CORS lets it; every public event becomes a slide; no console error (a
    source's web page as media was a broken image on every slide that had one)."""
    from django.core.management import call_command

    call_command("load_seed", verbosity=0)
    export = live_server.url + "/timelines/nordkorea-soldaten-russland/timelinejs.json"
    host = (HOST % {"export": export}).encode()
    with other_site(lambda path: (host, "text/html") if path == "/" else library(path)) as site:
        assert urlsplit(site).netloc != urlsplit(live_server.url).netloc  # another origin
        read_on_another_site(site + "/", page)


def read_on_another_site(article, page):
    """What a reader of the article sees of the timeline, and every error on the way."""
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("requestfailed", lambda request: errors.append(f"failed: {request.url}"))
    page.goto(article)
    expect(page.locator(".tl-slide-titleslide .tl-headline")).to_have_text(
        "Nordkoreanische Soldaten in Russland", timeout=30_000
    )
    public = list(Event.objects.filter(status="published").values_list("title", flat=True))
    headlines = page.locator(".tl-slide:not(.tl-slide-titleslide) .tl-headline")
    expect(headlines).to_have_count(len(public))
    assert sorted(headlines.all_text_contents()) == sorted(public)
    markers = page.locator(".tl-timemarker")
    assert markers.count() == len(public)
    month = page.locator(".tl-timemarker", has_text="Weiterreise zu Ausbildungsstätten")
    assert "tl-timemarker-with-end" in month.get_attribute("class")  # "Oktober 2024", a span
    page.locator(".tl-slidenav-next").first.click()
    current = page.locator(".tl-slide:not([inert])")
    expect(current.locator("a", has_text="Das ganze Ereignis lesen")).to_have_count(1)
    page.wait_for_timeout(500)  # late failures: images, fonts
    # TimelineJS's own web fonts come from Google, which this machine cannot reach: the
    # article's business, not ours. Everything else must have loaded without an error.
    assert [e for e in errors if "fonts.g" not in e and "ERR_NAME_NOT_RESOLVED" not in e] == []
