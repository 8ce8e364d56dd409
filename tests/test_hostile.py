"""Property test: whatever an editor's text and dates hold, every output stays valid.

Hypothesis writes arbitrary Unicode (control characters, `]]>`, markup, emoji,
right-to-left marks, 100,000 characters) into every text field of an event, with any
valid fuzzy date and zone — around validation, as an old row or an import might — and
every page, feed, calendar and data export must still parse and stay escaped.
"""

import csv
import datetime as dt
import io
import json
import os

import feedparser
import icalendar
import lxml.etree
import lxml.html
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.dates import FuzzyDate
from events.exports.printable import printable
from events.models import Correction, Event, Place, Quote

from .text import storable

SEED = "/timelines/nordkorea-soldaten-russland/"
EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "300"))
TRIED = {"examples": 0}

NASTY = [
    "]]>", "<script>alert(1)</script>", "</script><script>x()</script>", "\x00\x01\x07\x1b\x7f",
    "\u202e\u200f שלום عربى", "🇰🇵👨‍👩‍👧‍👦💥", "&amp;&lt;&#0;&#x1F;", "=HYPERLINK(\"x\")", "BEGIN:VEVENT\r\nEND:VCALENDAR",
    "\r\n\r\n;,\\", "\ufeff\ufffe\uffff", "x" * 100_000, "'; DROP TABLE events; --", "{{ 7*7 }}",
]  # fmt: skip
TEXT = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=200),
    st.sampled_from(NASTY),
    st.lists(st.sampled_from(NASTY), min_size=1, max_size=4).map("".join),
)
ZONES = ["Europe/Berlin", "America/St_Johns", "Asia/Kathmandu", "Pacific/Kiritimati", "UTC",
         "Australia/Lord_Howe", "America/Los_Angeles"]  # fmt: skip


@st.composite
def fuzzy_dates(draw):
    precision = draw(
        st.sampled_from(["time", "day", "early-month", "mid-month", "late-month", "month", "year"])
    )
    start = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
    if precision in {"early-month", "mid-month", "late-month"}:
        start = start.replace(day={"early-month": 3, "mid-month": 15, "late-month": 25}[precision])
    fields = {"start_date": start, "precision": precision, "end_date": None,
              "start_time": None, "end_time": None, "time_zone": ""}  # fmt: skip
    if draw(st.booleans()):
        fields["end_date"] = start + dt.timedelta(days=draw(st.integers(0, 800)))
    if precision == "time":
        fields["start_time"] = draw(st.times())
        fields["time_zone"] = draw(st.sampled_from(ZONES))
    FuzzyDate(fields["start_date"], precision, fields["end_date"], fields["start_time"],
              fields["end_time"], fields["time_zone"])  # fmt: skip
    return fields


def write_hostile_event(texts, date_fields, n):
    event = Event.objects.get(slug="kirby-washington")
    for name, value in date_fields.items():
        setattr(event, name, value)
    event.set_interval()
    title, summary, body, reason, quote, place = (storable(t) for t in texts)
    Event.objects.filter(pk=event.pk).update(
        title=title[:300], summary=summary, body=body, retraction_reason=reason or "–",
        status="retracted" if n % 3 == 0 else "published",
        starts_on=event.starts_on, ends_on=event.ends_on, starts_at=event.starts_at,
        updated_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=n),
        **date_fields,
    )  # fmt: skip
    Quote.objects.filter(event=event).update(text=quote)
    Correction.objects.update_or_create(event=event, defaults={"text": summary})
    Place.objects.filter(pk=event.place_id).update(name=place[:200])
    cache.clear()
    return title[:300]


def check_outputs(client, title):
    for url in (SEED, SEED + "kirby-washington/"):
        response = client.get(url)
        assert response.status_code == 200, url
        page = lxml.html.fromstring(response.content)
        for script in page.xpath("//script"):
            assert script.get("type") == "application/ld+json"
            json.loads(script.text)
    for name in ("feed.rss", "feed.atom"):
        body = client.get(SEED + name).content
        lxml.etree.fromstring(body)
        parsed = feedparser.parse(body)
        assert not parsed.bozo, parsed.get("bozo_exception")
    items = json.loads(client.get(SEED + "feed.json").content)["items"]
    assert any(item["id"].endswith("a05") for item in items)
    json.loads(client.get(SEED + "timelinejs.json").content)
    calendar = client.get(SEED + "calendar.ics").content
    for line in calendar.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")
    assert len(icalendar.Calendar.from_ical(calendar).walk("VEVENT")) == 5
    csv.field_size_limit(10_000_000)
    text = client.get(SEED + "events.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert all(len(value) <= 32_767 for row in rows for value in row.values())
    row = next(r for r in rows if r["uuid"].endswith("a05"))
    expected = printable(title)
    if expected.startswith(("=", "+", "-", "@", "\t", "\r")):
        expected = "'" + expected
    assert row["title"] == expected


@settings(max_examples=EXAMPLES, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])  # fmt: skip
@given(texts=st.tuples(TEXT, TEXT, TEXT, TEXT, TEXT, TEXT), date_fields=fuzzy_dates())
def test_any_text_and_date_leave_every_output_valid(client, seed, texts, date_fields):
    TRIED["examples"] += 1
    title = write_hostile_event(texts, date_fields, TRIED["examples"])
    check_outputs(client, title)
