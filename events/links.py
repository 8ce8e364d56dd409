"""Links to other services: maps, calendar apps, webcal subscriptions."""

import datetime as dt
from urllib.parse import quote, urlencode

GOOGLE_CALENDAR = "https://calendar.google.com/calendar/render"


def openstreetmap_url(place):
    lat, lon = place.latitude, place.longitude
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=11/{lat}/{lon}"


def webcal_url(absolute_url):
    """The same calendar URL with the scheme calendar apps open for subscribing."""
    return "webcal://" + absolute_url.split("://", 1)[1]


def google_subscribe_url(absolute_url):
    return f"{GOOGLE_CALENDAR}?cid={quote(webcal_url(absolute_url), safe='')}"


def google_event_url(event, absolute_url):
    """Google Calendar's "add event" form, prefilled: all-day spans or exact instants."""
    interval = event.fuzzy_date.interval
    if interval.is_instant:
        instants = (interval.start, interval.end_or_default)
        dates = "/".join(t.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ") for t in instants)
    else:  # Google's end date is exclusive, like iCalendar's
        dates = f"{interval.first_day:%Y%m%d}/{interval.end_day_exclusive:%Y%m%d}"
    params = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": dates,
        "details": f"{event.summary}\n\n{absolute_url}".strip(),
    }
    if event.place_id:
        params["location"] = event.place.name
    return f"{GOOGLE_CALENDAR}?{urlencode(params)}"
