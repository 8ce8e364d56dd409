"""Reading pages the way a reader's browser and a crawler do: parsed, not grepped."""

import json

import lxml.html


def parse(response):
    assert response["Content-Type"].startswith("text/html")
    return lxml.html.fromstring(response.content.decode())


def texts(document, xpath):
    return [" ".join(node.text_content().split()) for node in document.xpath(xpath)]


def event_titles(document):
    return texts(document, "//ol[@class='events']/li//h3")


def event_dates(document):
    return texts(document, "//ol[@class='events']/li//p[@class='event-date']/time")


def json_ld(document):
    return [json.loads(s.text) for s in document.xpath("//script[@type='application/ld+json']")]


def alternates(document):
    return {
        (link.get("type"), link.get("href"))
        for link in document.xpath("//head/link[@rel='alternate'][@type]")
    }
