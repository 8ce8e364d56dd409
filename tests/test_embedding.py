"""Other sites show a timeline: the embed route, the snippet the timeline page offers,
and oEmbed (oembed.com, 1.0)."""

import datetime as dt
import json
from urllib.parse import urlsplit

import lxml.html
import pytest

from events.models import Event, Status, Timeline

SEED = "/timelines/nordkorea-soldaten-russland/"
EMBED = SEED + "embed/"
HOST = "http://testserver"


def csp(response):
    return dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )


def test_the_embed_may_be_framed_by_any_site_and_nothing_else_may(client, seed):
    embed = client.get(EMBED)
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed and csp(embed)["frame-ancestors"] == "*"
    for path in ("/", SEED, SEED + "kirby-washington/"):
        page = client.get(path)
        assert page["X-Frame-Options"] == "DENY" and csp(page)["frame-ancestors"] == "'none'"


def test_the_embed_shows_the_public_timeline_and_opens_links_in_a_new_tab(client, seed, editor):
    Event.objects.create(timeline=seed, slug="entwurf", title="Noch geheim",
                         start_date=dt.date(2024, 10, 24), status=Status.DRAFT)  # fmt: skip
    client.force_login(editor)  # an editor sees drafts on the page, never in the embed
    page = lxml.html.fromstring(client.get(EMBED).content.decode())
    titles = page.xpath("//ol[@class='events']/li//h3/a/text()")
    assert len(titles) == 5 and "Noch geheim" not in titles
    assert page.xpath("//base/@target") == ["_blank"]
    assert page.xpath("//script/@src") == ["/static/newsroom/embed.js"]
    assert page.xpath("//link[@rel='canonical']/@href") == [HOST + SEED]


def test_the_frame_ancestors_come_from_a_setting(client, seed, settings):
    settings.EMBED_FRAME_ANCESTORS = ["https://zeitung.example", "https://*.zeitung.example"]
    assert csp(client.get(EMBED))["frame-ancestors"] == (
        "https://zeitung.example https://*.zeitung.example"
    )


def test_the_timeline_page_offers_the_snippet_to_copy(client, seed):
    page = lxml.html.fromstring(client.get(SEED).content.decode())
    snippet = lxml.html.fragments_fromstring(page.get_element_by_id("embed-snippet").text)
    frame, script = snippet
    assert frame.tag == "iframe" and frame.get("src") == HOST + EMBED
    assert frame.get("title") == "Nordkoreanische Soldaten in Russland"
    assert script.get("src") == HOST + "/static/newsroom/embed-host.js"
    label = page.xpath("//label[@for='embed-snippet']")
    assert label and label[0].text_content() == "Code zum Einbetten dieser Zeitleiste"


def oembed(client, **query):
    return client.get("/oembed", query)


@pytest.mark.parametrize("path", [SEED, EMBED, SEED + "kirby-washington/"])
def test_oembed_answers_a_rich_embed_with_every_required_field(client, seed, path):
    answer = oembed(client, url=HOST + path, format="json")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/json"
    data = json.loads(answer.content)
    # oEmbed 1.0, 2.3.4: version and type; for "rich": html, width, height.
    assert data["version"] == "1.0" and data["type"] == "rich"
    assert isinstance(data["width"], int) and isinstance(data["height"], int)
    frame = lxml.html.fragments_fromstring(data["html"])[0]
    assert urlsplit(frame.get("src")).path == EMBED
    kirby = Event.objects.get(slug="kirby-washington")
    at = f"event-{kirby.uuid}" if "kirby" in path else ""  # the item's id in the embed
    assert urlsplit(frame.get("src")).fragment == at
    assert data["title"] == "Nordkoreanische Soldaten in Russland"
    assert data["provider_name"] == "newsroom" and data["provider_url"] == HOST + "/"
    assert answer["Access-Control-Allow-Origin"] == "*"


def test_oembed_honours_maxwidth_and_maxheight(client, seed):
    data = json.loads(oembed(client, url=HOST + SEED, maxwidth="400", maxheight="300").content)
    assert (data["width"], data["height"]) == (400, 300)
    frame = lxml.html.fragments_fromstring(data["html"])[0]
    assert (frame.get("width"), frame.get("height")) == ("400", "300")
    bigger = json.loads(oembed(client, url=HOST + SEED, maxwidth="5000", maxheight="9000").content)
    assert (bigger["width"], bigger["height"]) == (800, 600)  # at most what is asked


def test_oembed_refuses_what_it_cannot_embed(client, seed):
    assert oembed(client, url=HOST + SEED, format="xml").status_code == 501
    assert oembed(client, url=HOST + SEED, format="").status_code == 200  # json, the default
    for size in ("0", "-1", "300.5", "+300", " 300", "²", "①", "9" * 5000, "NaN"):
        refused = oembed(client, url=HOST + SEED, maxwidth=size)  # it could not be kept to
        assert refused.status_code == 400, size
        assert oembed(client, url=HOST + SEED, maxheight=size).status_code == 400, size
    assert oembed(client, url="http://[::1" + SEED).status_code == 404  # no address at all
    assert oembed(client, url="http://TESTSERVER" + SEED).status_code == 200  # hosts: any case
    assert oembed(client, url="http://testserver:80" + SEED).status_code == 200  # its port
    assert oembed(client, url=HOST + SEED.rstrip("/")).status_code == 200  # no last slash
    for url in (HOST + "/timelines/gibt-es-nicht/", HOST + "/admin/", "https://elsewhere.example"
                + SEED, HOST + SEED + "gibt-es-nicht/", "", "javascript:alert(1)"):  # fmt: skip
        assert oembed(client, url=url).status_code == 404, url
    Event.objects.filter(slug="austin-rom").update(status=Status.DRAFT, first_published_at=None)
    assert oembed(client, url=HOST + SEED + "austin-rom/").status_code == 404
    Timeline.objects.filter(pk=seed.pk).update(is_public=False)
    assert oembed(client, url=HOST + SEED).status_code == 404


def test_pages_lead_oembed_clients_to_their_answer(client, seed):
    for path in (SEED, SEED + "kirby-washington/"):
        page = lxml.html.fromstring(client.get(path).content.decode())
        (href,) = page.xpath("//link[@type='application/json+oembed']/@href")
        found = client.get(href.removeprefix(HOST))
        assert found.status_code == 200 and json.loads(found.content)["type"] == "rich"


def test_every_page_names_its_icon(client, seed):
    page = lxml.html.fromstring(client.get(SEED).content.decode())
    assert page.xpath("//link[@rel='icon']/@href") == ["/static/favicon.png"]
    icon = client.get("/favicon.ico")
    assert icon.status_code == 302 and icon["Location"] == "/static/favicon.png"


def test_an_event_s_oembed_opens_the_embed_where_the_event_stands(client, timeline, many_events):
    created = many_events(120)
    data = json.loads(oembed(client, url=HOST + created[110].get_absolute_url()).content)
    src = urlsplit(lxml.html.fragments_fromstring(data["html"])[0].get("src"))
    assert (src.query, src.fragment) == ("page=3", f"event-{created[110].uuid}")
    embed = lxml.html.fromstring(client.get(src.path + "?" + src.query).content.decode())
    assert embed.get_element_by_id(src.fragment).text_content().strip() == "Ereignis Nummer 110"


def test_the_snippet_survives_a_title_with_quotes_and_markup(client, seed):
    Timeline.objects.filter(pk=seed.pk).update(title='Der "Deal" & <mehr>')
    page = lxml.html.fromstring(client.get(SEED).content.decode())
    copied = page.get_element_by_id("embed-snippet").text  # what a reader copies
    frame = lxml.html.fragments_fromstring(copied)[0]
    assert frame.get("title") == 'Der "Deal" & <mehr>'
