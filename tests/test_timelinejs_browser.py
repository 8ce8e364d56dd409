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

from .browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP

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
    assert current.locator(".tl-caption").text_content() == IMG
    assert current.locator(".tl-credit").text_content() == ENTITIES
    for link in current.locator("a").all():  # as a keyboard user tabbing through
        link.focus()
    page.wait_for_timeout(500)  # onerror and onload fire once the failed image is back
    assert dialogs == []
    assert page.evaluate("window.__pwned") is None
