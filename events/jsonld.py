"""schema.org JSON-LD for pages: an ItemList per timeline, a NewsArticle per event."""

import json

from django.utils.safestring import mark_safe

from .dates import Precision

CONTEXT = "https://schema.org"


def to_script(data):
    """JSON that is safe inside <script type="application/ld+json">."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return mark_safe(text)


def timeline_item_list(timeline, events, absolute):
    return {
        "@context": CONTEXT,
        "@type": "ItemList",
        "name": timeline.title,
        "description": timeline.description,
        "url": absolute(timeline.get_absolute_url()),
        "inLanguage": timeline.language,
        "itemListOrder": "https://schema.org/ItemListOrderAscending",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "url": absolute(event.get_absolute_url()),
                "name": event.title,
            }
            for position, event in enumerate(events, start=1)
        ],
    }


def _when(fuzzy):
    interval = fuzzy.interval
    if fuzzy.precision == Precision.TIME:
        return interval.start.isoformat(), (interval.end or interval.start).isoformat()
    return interval.first_day.isoformat(), interval.last_day.isoformat()


def news_article(event, absolute, language):
    start, end = _when(event.fuzzy_date)
    happening = {
        "@type": "Event",
        "name": event.title,
        "startDate": start,
        "endDate": end,
        "eventStatus": "https://schema.org/EventScheduled",
    }
    if event.place_id:
        place = {"@type": "Place", "name": event.place.name}
        if event.place.country:
            place["address"] = event.place.country
        if event.place.has_coordinates:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(event.place.latitude),
                "longitude": float(event.place.longitude),
            }
        happening["location"] = place
    article = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "headline": event.title[:110],
        "description": event.summary,
        "url": absolute(event.get_absolute_url()),
        "mainEntityOfPage": absolute(event.get_absolute_url()),
        "identifier": f"urn:uuid:{event.uuid}",
        "inLanguage": event.timeline.language,
        "dateModified": event.updated_at.isoformat(),
        "temporalCoverage": event.date_label(language),
        "about": happening,
        "keywords": [tag.name for tag in event.tags.all()],
        "isPartOf": {
            "@type": "CreativeWork",
            "name": event.timeline.title,
            "url": absolute(event.timeline.get_absolute_url()),
        },
        "correction": [
            {
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": correction.published_at.isoformat(),
            }
            for correction in event.corrections.all()
        ],
    }
    if event.first_published_at:
        article["datePublished"] = event.first_published_at.isoformat()
    if event.is_retracted:
        article["correction"].append(
            {"@type": "CorrectionComment", "text": event.retraction_reason}
        )
    return article
