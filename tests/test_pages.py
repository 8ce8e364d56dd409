"""The public pages, as a reader sees them."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Correction, Event, Quote, Source, Status, Tag, Timeline

from .pages import alternates, event_dates, event_titles, json_ld, parse, texts

SEED = "/timelines/nordkorea-soldaten-russland/"
SEED_TITLES = [
    "Erste Schiffe bringen nordkoreanische Soldaten nach Wladiwostok",
    "Weiterreise zu Ausbildungsstätten im Osten Russlands",
    "Weitere Schiffstransporte nach Wladiwostok",
    "Lloyd Austin: Beweise für nordkoreanische Soldaten in Russland",
    "John Kirby: Mindestens 3.000 nordkoreanische Soldaten in Russland",
]


def test_timeline_page_tells_the_seed_story_in_order_in_german(client, seed):
    page = parse(client.get(SEED))
    assert page.get("lang") == "de"
    assert event_titles(page) == SEED_TITLES
    assert event_dates(page) == [
        "Anfang Oktober 2024",
        "Oktober 2024",
        "Mitte Oktober 2024",
        "23. Oktober 2024",
        "23. Oktober 2024",
    ]
    assert texts(page, "//section[@class='period']/h2") == ["Oktober 2024"]
    assert [t.get("datetime") for t in page.xpath("//ol[@class='events']//time")] == [
        "2024-10", "2024-10", "2024-10", "2024-10-23", "2024-10-23",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "how", [{"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}, {"data": {"lang": "en"}}]
)
def test_timeline_page_in_english(client, seed, how):
    page = parse(client.get(SEED, **how))
    assert page.get("lang") == "en"
    assert event_dates(page)[:3] == ["early October 2024", "October 2024", "mid-October 2024"]
    assert "Subscribe" in texts(page, "//h2")


def test_language_choice_is_remembered(client, seed):
    client.get(SEED, {"lang": "en"})
    assert parse(client.get(SEED)).get("lang") == "en"


def test_timeline_page_offers_every_subscription(client, seed):
    page = parse(client.get(SEED))
    assert alternates(page) >= {
        ("application/rss+xml", SEED + "feed.rss"),
        ("application/atom+xml", SEED + "feed.atom"),
        ("application/feed+json", SEED + "feed.json"),
        ("application/rss+xml", SEED + "changes.rss"),
        ("application/atom+xml", SEED + "changes.atom"),
        ("application/feed+json", SEED + "changes.json"),
        ("text/calendar", SEED + "calendar.ics"),
    }
    hrefs = page.xpath("//section[@class='subscribe']//a/@href")
    assert "webcal://testserver" + SEED + "calendar.ics" in hrefs
    assert any(
        h.startswith("https://calendar.google.com/calendar/render?cid=webcal") for h in hrefs
    )
    assert page.xpath(f"//section[@class='subscribe']//a[@download][@href='{SEED}calendar.ics']")


def test_every_subscription_link_answers(client, seed):
    page = parse(client.get(SEED))
    links = {href for kind, href in alternates(page) if kind != "application/json+oembed"}
    links |= set(
        page.xpath(
            "//section[@class='subscribe']//a[not(starts-with(@href, 'webcal:'))][not(starts-with(@href, 'https:'))]/@href"
        )
    )
    event_page = parse(client.get(SEED + "kirby-washington/"))
    links |= set(event_page.xpath("//section[@class='add-to-calendar']//a[@download]/@href"))
    assert len(links) == 8  # three feeds, three changes feeds, two calendars
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert response["Content-Type"].split(";")[0] in {
            "application/rss+xml", "application/atom+xml", "application/feed+json", "text/calendar",
        }  # fmt: skip


def test_timeline_page_is_machine_readable(client, seed):
    page = parse(client.get(SEED))
    (item_list,) = json_ld(page)
    assert item_list["@type"] == "ItemList"
    assert [i["name"] for i in item_list["itemListElement"]] == SEED_TITLES
    assert page.xpath("//link[@rel='canonical']/@href") == ["http://testserver" + SEED]
    hreflang = dict(
        zip(
            page.xpath("//link[@hreflang]/@hreflang"),
            page.xpath("//link[@hreflang]/@href"),
            strict=True,
        )
    )
    assert hreflang["en"] == "http://testserver" + SEED + "?lang=en"
    assert hreflang["x-default"] == "http://testserver" + SEED
    assert page.xpath("//meta[@property='og:title']/@content") == [
        "Nordkoreanische Soldaten in Russland"
    ]


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"tag": "stellungnahme"}, SEED_TITLES[3:]),
        ({"person": "john-kirby"}, SEED_TITLES[4:]),
        ({"place": "wladiwostok"}, SEED_TITLES[2:3]),
        ({"q": "AUSBILDUNGSSTÄTTEN"}, [SEED_TITLES[1], SEED_TITLES[4]]),  # case, umlauts
        ({"q": "weissen haus"}, SEED_TITLES[4:]),  # ß and ss alike
        ({"q": "höchst beunruhigende"}, SEED_TITLES[4:]),  # words from a quote
        ({"tag": "truppenverlegung", "q": "schiffe"}, [SEED_TITLES[0], SEED_TITLES[2]]),
        ({"tag": "stellungnahme", "person": "lloyd-austin"}, SEED_TITLES[3:4]),
        ({"tag": "gibt-es-nicht"}, []),
    ],
)
def test_filters_combine(client, seed, params, titles):
    assert event_titles(parse(client.get(SEED, params))) == titles


def test_active_filters_are_visible_and_removable(client, seed):
    page = parse(client.get(SEED, {"tag": "stellungnahme", "q": "Rom"}))
    active = texts(page, "//div[@class='active-filters']//li")
    assert any("Schlagwort: Stellungnahme" in a for a in active)
    assert any("Suche: Rom" in a for a in active)
    removes = page.xpath("//div[@class='active-filters']//li/a/@href")
    assert "?q=Rom" in removes and "?tag=stellungnahme" in removes
    assert page.xpath("//select[@name='tag']/option[@selected]/@value") == ["stellungnahme"]


def test_retracted_event_stays_visible_and_marked(client, seed):
    Event.objects.get(slug="austin-rom").retract("Die Aussage wurde falsch zugeordnet.")
    page = parse(client.get(SEED))
    assert SEED_TITLES[3] in event_titles(page)
    (item,) = page.xpath("//li[contains(@class, 'is-retracted')]")
    assert "Zurückgezogen: Die Aussage wurde falsch zugeordnet." in " ".join(
        item.text_content().split()
    )
    event_page = parse(client.get(SEED + "austin-rom/"))
    assert (
        "Die Aussage wurde falsch zugeordnet."
        in texts(event_page, "//div[@class='retraction']")[0]
    )


def test_drafts_are_not_public(client, seed, make_event):
    draft = make_event(timeline=seed, title="Geheimer Entwurf", slug="entwurf")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Geheimer Entwurf" not in client.get(SEED).content.decode()
    assert "Geheimer Entwurf" not in client.get(SEED, {"q": "Geheimer"}).content.decode()
    assert b"/entwurf/" not in client.get("/sitemap.xml").content


def test_editor_previews_drafts_under_a_banner(editor_client, seed, make_event):
    draft = make_event(timeline=seed, title="Geheimer Entwurf", slug="entwurf")
    page = parse(editor_client.get(draft.get_absolute_url()))
    assert texts(page, "//p[@class='preview-banner']") == [
        "Vorschau: Dieses Ereignis ist ein Entwurf und nicht öffentlich."
    ]
    assert "Geheimer Entwurf" in event_titles(parse(editor_client.get(SEED)))


def test_non_public_timeline_is_a_404_for_readers(client, editor, seed):
    Timeline.objects.filter(pk=seed.pk).update(is_public=False)
    assert client.get(SEED).status_code == 404
    assert client.get(SEED + "kirby-washington/").status_code == 404
    assert "Nordkoreanische" not in client.get("/").content.decode()
    client.force_login(editor)
    page = parse(client.get(SEED))
    assert texts(page, "//p[@class='preview-banner']") == [
        "Vorschau: Diese Zeitleiste ist nicht öffentlich."
    ]


def test_404_page_helps(client, db):
    response = client.get("/timelines/gibt-es-nicht/")
    assert response.status_code == 404
    page = parse(response)
    assert texts(page, "//h1") == ["Seite nicht gefunden"]
    assert page.xpath("//main//a[@href='/']")


def test_event_page_shows_everything_about_the_event(client, seed, person):
    event = Event.objects.get(slug="kirby-washington")
    event.body = "**Fett** und <script>alert('x')</script> [Link](javascript:alert(1))"
    event.save()
    Correction.objects.create(
        event=event,
        text="Die Zahl wurde präzisiert.",
        published_at=dt.datetime(2024, 10, 24, 9, tzinfo=dt.UTC),
    )
    page = parse(client.get(SEED + "kirby-washington/"))
    assert texts(page, "//h1") == [SEED_TITLES[4]]
    assert texts(page, "//p[@class='event-date']/time") == ["23. Oktober 2024"]
    body = page.xpath("//div[@class='body']")[0]
    assert body.xpath(".//strong/text()") == ["Fett"]
    assert not page.xpath("//div[@class='body']//script")
    assert not [h for h in body.xpath(".//a/@href") if h.startswith("javascript")]
    captions = texts(page, "//figure[@class='quote']/figcaption")
    assert captions == ["John Kirby, Sprecher des Nationalen Sicherheitsrats (Weißes Haus)"] * 2
    assert page.xpath("//section[@class='sources']//a/@href") == [
        "https://www.whitehouse.gov/briefing-room/press-briefings/"
    ]
    assert texts(page, "//section[@class='corrections']//li") == [
        "24. Oktober 2024, 11:00 Uhr (Berlin): Die Zahl wurde präzisiert."
    ]
    osm = page.xpath("//a[contains(@href, 'openstreetmap.org')]/@href")[0]
    assert "mlat=38.897700" in osm and "mlon=-77.036500" in osm
    assert page.xpath("//a[@rel='prev']/@href") == [SEED + "austin-rom/"]
    assert not page.xpath("//a[@rel='next']")
    assert page.xpath(f"//a[@download][@href='{SEED}kirby-washington.ics']")
    google = page.xpath("//a[starts-with(@href, 'https://calendar.google.com')]/@href")[0]
    assert "dates=20241023%2F20241024" in google
    (article,) = json_ld(page)
    assert article["@type"] == "NewsArticle"
    assert article["identifier"] == f"urn:uuid:{event.uuid}"
    assert article["about"]["location"]["geo"]["latitude"] == 38.8977
    assert article["correction"][0]["text"] == "Die Zahl wurde präzisiert."


def test_script_in_any_text_is_shown_not_run(client, seed, person):
    hostile = "</script><script>alert(1)</script>"
    event = Event.objects.get(slug="austin-rom")
    event.title = hostile
    event.summary = hostile
    event.save()
    Quote.objects.create(event=event, speaker=person, text=hostile)
    Source.objects.create(event=event, url="https://example.org/", title=hostile)
    for url in (SEED, SEED + "austin-rom/"):
        page = parse(client.get(url))
        scripts = page.xpath("//script")
        assert all(s.get("type") == "application/ld+json" for s in scripts)
        assert any(hostile in t for t in texts(page, "//h1 | //h3"))
        for data in json_ld(page):
            assert hostile in str(data)


def test_home_lists_public_timelines_by_newest_activity(client, seed, make_event, timeline):
    make_event(status=Status.PUBLISHED)  # in "Testzeitleiste", changed just now
    Timeline.objects.create(title="Intern", slug="intern", is_public=False)
    page = parse(client.get("/"))
    assert texts(page, "//ol[@class='timelines']//h2") == [
        "Testzeitleiste",
        "Nordkoreanische Soldaten in Russland",
    ]
    assert ("application/rss+xml", "/feed.rss") in alternates(page)


def test_sitemap_and_robots(client, seed):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert sitemap.count("<url>") == 6  # the timeline and its five events
    assert "http://testserver" + SEED + "kirby-washington/" in sitemap
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in robots and "Sitemap: http://testserver/sitemap.xml" in robots


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), len(response.content)


def test_timeline_page_cost_does_not_grow_with_the_timeline(client, timeline, many_events):
    url = timeline.get_absolute_url()
    connection.features.supports_json_field  # noqa: B018 -- asked once a connection, not a request
    many_events(10)
    small_queries, _ = queries_for(client, url)
    small = parse(client.get(url))
    assert len(small.xpath("//li[contains(@class, 'axis-mark')]")) == 10  # one a event
    many_events_count = 1000
    Event.objects.all().delete()
    many_events(many_events_count)
    large_queries, large_size = queries_for(client, url)
    assert small_queries == large_queries <= 5  # the axis included
    page = parse(client.get(url))
    # 1,000 events on the axis: a bar a period, counted, each leading to its events.
    bars = page.xpath("//li[contains(@class, 'mark-count')]/a")
    assert 1 < len(bars) <= 40 and not page.xpath("//li[contains(@class, 'mark-day')]")
    counts = [int(bar.get("title").split(": ")[1].split()[0].replace(".", "")) for bar in bars]
    assert sum(counts) == many_events_count
    period = parse(client.get(url + bars[0].get("href").removeprefix(url)))
    assert len(event_titles(period)) == min(counts[0], 50)
    assert len(event_titles(page)) == 50
    assert large_size < 100_000
    assert texts(page, "//section[@class='period']/h2")[0] == "2020"  # long span: by year
    later = page.xpath("//nav[@class='pagination']//a[@rel='next']/@href")
    assert later == ["?page=2"]
    last = parse(client.get(url, {"page": 20}))
    assert event_titles(last)[-1] == "Ereignis Nummer 999"
    filtered = parse(client.get(url, {"q": "nummer 999"}))
    assert event_titles(filtered) == ["Ereignis Nummer 999"]


def test_event_page_cost_is_constant(client, timeline, many_events, django_assert_max_num_queries):
    events = many_events(300)
    with django_assert_max_num_queries(5):
        response = client.get(events[150].get_absolute_url())
    page = parse(response)
    assert page.xpath("//a[@rel='prev']/@href") == [events[149].get_absolute_url()]
    assert page.xpath("//a[@rel='next']/@href") == [events[151].get_absolute_url()]


def test_filter_choices_list_what_the_timeline_uses_by_name(client, timeline, make_event, place):
    first = make_event(status="published", slug="eins", place=place)
    second = make_event(status="published", slug="zwei")
    for name in ["Zoll", "Abkommen"]:
        first.tags.add(Tag.objects.create(name=name, slug=name.lower()))
    second.tags.add(Tag.objects.get(slug="zoll"))
    Tag.objects.create(name="Unbenutzt", slug="unbenutzt")
    page = parse(client.get(timeline.get_absolute_url()))
    assert page.xpath("//select[@name='tag']/option/text()")[1:] == ["Abkommen", "Zoll"]
    assert page.xpath("//select[@name='place']/option/@value")[1:] == [place.slug]
    assert page.xpath("//select[@name='person']/option/@value")[1:] == []


def test_an_english_page_says_its_german_content_is_german(client, seed):
    """Screen readers pronounce the German titles as German; the page says what language
    the events are in; dates and times read one way, with their zone."""
    page = parse(client.get(SEED, {"lang": "en"}))
    assert page.xpath("//html/@lang") == ["en"]
    assert page.xpath("//h1/@lang") == ["de"]
    assert set(page.xpath("//ol[@class='events']//h3/@lang")) == {"de"}
    assert texts(page, "//p[@class='content-language']") == [
        "The events of this timeline are written in German."
    ]
    assert not parse(client.get(SEED, {"lang": "de"})).xpath("//p[@class='content-language']")
    event = parse(client.get(SEED + "austin-rom/", {"lang": "en"}))
    record = texts(event, "//p[@class='record']")[0]
    assert "23 October 2024, " in record and "(Berlin)" in record and "p.m." not in record
    sources = texts(event, "//section[@class='sources']//time")
    assert sources == ["23 October 2024"]  # not "Oct. 23, 2024"


def test_a_missing_event_leads_back_to_its_timeline(client, seed):
    page = parse(client.get(SEED + "gibt-es-nicht/"))
    assert page.xpath("//main//a/@href")[0] == SEED
    assert not page.xpath("//link[@rel='canonical' or @hreflang]")
    assert page.xpath("//meta[@name='robots']/@content") == ["noindex"]


def test_a_date_fuzzy_dates_do_not_take_still_shows(client, seed):
    """A source accessed "3024" (a typo the admin accepts) or a correction dated in
    year 999: the event page shows them as Django writes such dates, not a 500."""
    from events.changes import record_change
    from events.models import Correction, Source

    kirby = Event.objects.get(slug="kirby-washington")
    with record_change():
        Source.objects.filter(event=kirby).update(accessed_on=dt.date(3024, 10, 23))
        Correction.objects.create(event=kirby, text="Alt.", published_at=dt.datetime(
            999, 12, 31, 12, tzinfo=dt.UTC))  # fmt: skip
    page = client.get(SEED + "kirby-washington/")
    assert page.status_code == 200
    assert "3024" in texts(parse(page), "//section[@class='sources']//time")[0]


def test_an_exact_time_stays_on_the_axis_whatever_its_zone(client, timeline, make_event):
    """The axis's days are the events' own; a time whose zone's day is the timeline's
    day before or after is drawn at the axis's end, not beyond it."""
    for zone, hour, slug in (("Pacific/Kiritimati", 0, "kiritimati"),
                             ("Pacific/Pago_Pago", 23, "pago-pago")):  # fmt: skip
        make_event(slug=slug, status="published", precision="time", start_date=dt.date(2024, 10, 23),
                   start_time=dt.time(hour, 30), time_zone=zone)  # fmt: skip
    page = parse(client.get(timeline.get_absolute_url()))
    lefts = [float(style.split("left: ")[1].split("%")[0])
             for style in page.xpath("//li[contains(@class, 'axis-mark')]/@style")]  # fmt: skip
    assert len(lefts) == 2 and all(0 <= left <= 100 for left in lefts)
