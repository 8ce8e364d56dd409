"""The editors' desk, used as an editor of the Editors group would use it."""

import datetime as dt
import re

import lxml.html
import pytest
from django.contrib.auth.models import User
from reversion.models import Version

from events.models import Event, Person, Place, Quote, Status

from .desk import Desk

ADMIN = "/admin/events/event/"
INLINES = ("quotes", "sources", "corrections")


def event_form(timeline, **fields):
    """POST data of the event form with empty inlines."""
    data = {
        "timeline": timeline.pk,
        "title": "Gipfeltreffen in Rom",
        "slug": "gipfeltreffen-in-rom",
        "summary": "",
        "body": "",
        "start_date": "2024-10-23",
        "end_date": "",
        "precision": "day",
        "start_time": "",
        "end_time": "",
        "time_zone": "",
        "status": "draft",
        "retraction_reason": "",
    }
    for prefix in INLINES:
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data | fields


def with_quote(form, person, text, quote=None, delete=False):
    """`form` with one row in the quotes inline (an existing `quote` when given)."""
    row = {
        "quotes-TOTAL_FORMS": "1",
        "quotes-0-speaker": person.pk,
        "quotes-0-text": text,
        "quotes-0-language": "de",
        "quotes-0-position": "0",
    }
    if quote is not None:
        row |= {
            "quotes-INITIAL_FORMS": "1",
            "quotes-0-id": quote.pk,
            "quotes-0-event": quote.event_id,
        }
    if delete:
        row["quotes-0-DELETE"] = "on"
    return form | row


def page_text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_event_list_shows_fuzzy_labels_in_date_order(editor_client, seed):
    html = editor_client.get(ADMIN).content.decode()
    assert re.findall(r'<td class="field-date">([^<]*)</td>', html) == [
        "Anfang Oktober 2024",
        "Oktober 2024",
        "Mitte Oktober 2024",
        "23. Oktober 2024",
        "23. Oktober 2024",
    ]
    assert "Erste Schiffe bringen nordkoreanische Soldaten nach Wladiwostok" in html


def period_filter(html):
    """The period filter's choices (their text) and the dates of the rows listed."""
    page = lxml.html.fromstring(html)
    heading = page.xpath('//details[@data-filter-title="Zeitraum"]')[0]
    choices = [a.text_content().strip() for a in heading.xpath(".//li/a")]
    return choices, [td.text_content() for td in page.xpath('//td[@class="field-date"]')]


def test_the_period_filter_finds_fuzzy_dates_by_what_they_cover(editor_client, seed):
    """By year, month and part of a month, as readers see dates: "Oktober 2024" is
    under each part of October; a day only under its own part."""
    choices, rows = period_filter(editor_client.get(ADMIN).content)
    assert choices == ["Alle", "2024"]
    choices, _rows = period_filter(editor_client.get(ADMIN + "?period=2024").content)
    assert choices == ["Alle", "2024", "Oktober 2024"]  # no month without events
    choices, rows = period_filter(editor_client.get(ADMIN + "?period=2024-10-late").content)
    assert choices == ["Alle", "2024", "Oktober 2024", "Anfang Oktober 2024",
                       "Mitte Oktober 2024", "Ende Oktober 2024"]  # fmt: skip
    assert rows == ["Oktober 2024", "23. Oktober 2024", "23. Oktober 2024"]
    _choices, rows = period_filter(editor_client.get(ADMIN + "?period=2024-10-early").content)
    assert rows == ["Anfang Oktober 2024", "Oktober 2024"]
    assert editor_client.get(ADMIN + "?period=2024-13").status_code == 200  # all, unfiltered
    counted = lxml.html.fromstring(editor_client.get(ADMIN + "?period=2024-10&_facets=1").content)
    assert "Ende Oktober 2024 (3)" in counted.text_content()  # the admin's own counts


def test_mid_month_event_is_listed_as_mitte_oktober(editor_client, timeline):
    form = event_form(timeline, precision="mid-month", start_date="2024-10-15")
    response = editor_client.post(ADMIN + "add/", form)
    assert response.status_code == 302, page_text(response)
    assert "Mitte Oktober 2024" in page_text(editor_client.get(ADMIN))


def test_english_interface_shows_english_labels(editor_client, seed):
    response = editor_client.get(ADMIN, HTTP_ACCEPT_LANGUAGE="en")
    assert "mid-October 2024" in page_text(response)


def test_end_before_start_is_a_form_error_and_nothing_is_saved(editor_client, timeline):
    form = event_form(timeline, end_date="2024-10-01")
    response = editor_client.post(ADMIN + "add/", form)
    assert response.status_code == 200
    assert "Das Ende liegt vor dem Anfang." in page_text(response)
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "Gipfel\x07treffen"}, "Steuerzeichen"),
        ({"title": "x" * 301}, "höchstens 300 Zeichen"),
        ({"precision": "time", "start_time": "14:30"}, "braucht eine Zeitzone"),
        (
            {"precision": "time", "start_time": "14:30", "time_zone": "Mond/Basis"},
            "IANA",
        ),
        ({"status": "retracted"}, "öffentliche Begründung"),
        ({"start_date": "2024-13-45"}, "gültiges Datum"),
    ],
)
def test_bad_input_gets_a_field_message_and_saves_nothing(
    editor_client, timeline, fields, message
):
    response = editor_client.post(ADMIN + "add/", event_form(timeline, **fields))
    assert response.status_code == 200
    assert message in page_text(response)
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", "gültige"),
        ("ftp://example.org/bericht.pdf", "gültige"),
    ],
)
def test_bad_inline_saves_nothing(editor_client, timeline, url, message):
    form = event_form(timeline) | {
        "sources-TOTAL_FORMS": "1",
        "sources-0-url": url,
        "sources-0-title": "Quelle",
        "sources-0-position": "0",
    }
    response = editor_client.post(ADMIN + "add/", form)
    assert message in page_text(response)
    assert not Event.objects.exists()


def test_add_event_with_a_quote(editor_client, timeline, person):
    text = "Was genau sie da machen – das muss sich noch zeigen."
    form = with_quote(event_form(timeline), person, text)
    assert editor_client.post(ADMIN + "add/", form).status_code == 302
    event = Event.objects.get()
    assert event.quotes.get().speaker == person
    assert Version.objects.get_for_object(event).count() == 1


def test_place_people_and_speaker_are_named_on_the_form_without_popups(
    editor_client, timeline, person
):
    """A new place, new people and a new speaker, written into the event form: made when
    it is saved (with their history), or found when the newsroom has them."""
    form = with_quote(event_form(timeline), person, "Wir rufen zur Zurückhaltung auf.") | {
        "quotes-0-speaker": "",
        "quotes-0-new_speaker": "antonio guterres",  # named below, with role: the same
        "new_place": "Genf, Schweiz",
        "new_people": f"Antonio Guterres, Generalsekretär, Vereinte Nationen\n\n{person.name.upper()}\n",
    }
    response = editor_client.post(ADMIN + "add/", form)
    assert response.status_code == 302, page_text(response)
    event = Event.objects.get()
    assert (event.place.name, event.place.country, event.place.slug) == ("Genf", "Schweiz", "genf")
    guterres = Person.objects.get(name="Antonio Guterres")  # one, not two
    assert (guterres.role, guterres.organisation) == ("Generalsekretär", "Vereinte Nationen")
    assert set(event.people.all()) == {guterres, person}  # the one the newsroom has
    assert event.quotes.get().speaker == guterres
    assert Version.objects.get_for_object(event.place).count() == 1
    again = event_form(timeline, slug="zweites", new_place="genf, schweiz")
    assert editor_client.post(ADMIN + "add/", again).status_code == 302
    assert Event.objects.get(slug="zweites").place == event.place  # found, not made again


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"new_place": "Genf\x07, Schweiz"}, "new_place", "Steuerzeichen"),
    ({"new_place": "x" * 201}, "new_place", "länger als 200"),
    ({"new_place": ", Schweiz"}, "new_place", "Namen schreiben"),
    ({"new_people": "Antonio Guterres\n" + "y" * 300}, "new_people", "länger als 200"),
    ({"quotes-0-new_speaker": "Antonio Guterres"}, "new_speaker", "nicht beides"),  # and one
    ({"quotes-0-speaker": ""}, "speaker", "erforderlich"),  # neither
])  # fmt: skip
def test_a_new_entry_that_cannot_be_made_is_a_field_message_and_nothing_is_saved(
    editor_client, timeline, person, fields, field, message
):
    form = with_quote(event_form(timeline), person, "Ein Zitat.") | fields
    response = editor_client.post(ADMIN + "add/", form)
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())
    errors = page.xpath(f'//div[contains(@class, "field-{field}")]//ul[@class="errorlist"]')
    assert errors and message in errors[0].text_content(), page_text(response)[:3000]
    assert not Event.objects.exists() and Person.objects.count() == 1
    assert not Place.objects.exclude(pk__in=[]).filter(name__startswith="Genf").exists()


def test_history_and_restore_bring_back_the_old_text(editor_client, timeline):
    editor_client.post(ADMIN + "add/", event_form(timeline, summary="Erste Fassung."))
    event = Event.objects.get()
    event.publish()
    url = f"{ADMIN}{event.pk}/change/"
    editor_client.post(url, event_form(timeline, summary="Zweite Fassung.", status="published"))
    event.refresh_from_db()
    assert event.summary == "Zweite Fassung." and event.revision == 2

    history = editor_client.get(f"{ADMIN}{event.pk}/history/")
    versions = Version.objects.get_for_object(event).order_by("pk")
    assert len(versions) == 2
    assert page_text(history).count("redakteurin") >= 2
    first = versions[0]
    preview = editor_client.get(f"{ADMIN}{event.pk}/history/{first.pk}/")
    assert "Erste Fassung." in preview.content.decode()
    event.refresh_from_db()
    assert event.summary == "Zweite Fassung."  # a preview changes nothing

    editor_client.post(
        f"{ADMIN}{event.pk}/history/{first.pk}/",
        event_form(timeline, summary="Erste Fassung.", status="published"),
    )
    event.refresh_from_db()
    assert event.summary == "Erste Fassung."
    assert event.status == Status.PUBLISHED  # a restore never un-publishes
    assert event.revision == 3  # and never lowers the revision


def test_restore_brings_back_deleted_quotes(editor_client, timeline, person):
    text = "Ein wörtliches Zitat."
    editor_client.post(ADMIN + "add/", with_quote(event_form(timeline), person, text))
    event = Event.objects.get()
    quote = event.quotes.get()
    first = Version.objects.get_for_object(event).get()
    change = with_quote(event_form(timeline), person, text, quote=quote, delete=True)
    editor_client.post(f"{ADMIN}{event.pk}/change/", change)
    assert not Quote.objects.exists()
    restore = with_quote(event_form(timeline), person, text, quote=quote)
    editor_client.post(f"{ADMIN}{event.pk}/history/{first.pk}/", restore)
    assert [q.text for q in event.quotes.all()] == ["Ein wörtliches Zitat."]


def test_publish_and_retract_actions(editor_client, make_event):
    event = make_event()
    action = {"_selected_action": [event.pk]}
    editor_client.post(ADMIN, action | {"action": "publish"})
    event.refresh_from_db()
    assert event.status == Status.PUBLISHED

    confirm = editor_client.post(ADMIN, action | {"action": "retract"})
    assert "Öffentliche Begründung" in page_text(confirm)
    event.refresh_from_db()
    assert event.status == Status.PUBLISHED  # nothing happens before the reason is given

    editor_client.post(
        ADMIN, action | {"action": "retract", "apply": "1", "reason": "Quelle nicht bestätigt."}
    )
    event.refresh_from_db()
    assert event.status == Status.RETRACTED
    assert event.retraction_reason == "Quelle nicht bestätigt."
    history = page_text(editor_client.get(ADMIN + f"{event.pk}/history/"))
    assert "Status geändert." in history  # the publication, in the reader's language
    assert "Status und Begründung für den Rückzug geändert." in history
    in_english = editor_client.get(ADMIN + f"{event.pk}/history/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Changed Status and Reason for retraction." in page_text(in_english)


def test_the_desk_switches_its_language_in_one_click(editor_client):
    """The reader's pages may have set English (a cookie both share): the desk offers
    the other language among its links, a form that keeps the page."""
    page = lxml.html.fromstring(editor_client.get(ADMIN + "?status__exact=draft").content.decode())
    form = page.xpath('//form[@class="desk-language"]')[0]
    assert form.xpath(".//button/text()") == ["English"]
    data = {field.name: field.value for field in form.xpath(".//input")} | {"language": "en"}
    switched = editor_client.post(form.action, data)
    assert switched.url == ADMIN + "?status__exact=draft"
    english = lxml.html.fromstring(editor_client.get(switched.url).content.decode())
    assert english.xpath("//html/@lang") == ["en"]
    assert english.xpath('//form[@class="desk-language"]//button/text()') == ["Deutsch"]


def test_what_the_desk_refuses_is_said_in_its_language(editor_client, make_event):
    """Deleting a published event by its address: a page of ours, in German, with a
    way back — not Django's bare English "403 Forbidden"."""
    event = make_event(status=Status.PUBLISHED)
    refused = editor_client.get(ADMIN + f"{event.pk}/delete/")
    assert refused.status_code == 403
    page = lxml.html.fromstring(refused.content.decode())
    assert page.xpath("//html/@lang") == ["de"] and page.xpath("//main/h1/text()") == [
        "Nicht erlaubt"
    ]
    assert page.xpath('//main//a[text()="Zur Redaktion"]/@href') == ["/admin/"]


def test_published_events_cannot_be_deleted(editor_client, make_event):
    event = make_event(status=Status.PUBLISHED)
    response = editor_client.post(f"{ADMIN}{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()
    draft = make_event()
    editor_client.post(f"{ADMIN}{draft.pk}/delete/", {"post": "yes"})
    assert not Event.objects.filter(pk=draft.pk).exists()


def test_timeline_list_shows_counts_and_public_links(editor_client, seed):
    text = editor_client.get("/admin/events/timeline/").content.decode()
    assert "Nordkoreanische Soldaten in Russland" in text
    assert '<td class="field-event_count">5</td>' in text
    assert 'href="/timelines/nordkorea-soldaten-russland/feed.rss"' in text
    assert 'href="/timelines/nordkorea-soldaten-russland/calendar.ics"' in text


def test_autocomplete_finds_places(editor_client, seed):
    response = editor_client.get(
        "/admin/autocomplete/",
        {"term": "Wlad", "app_label": "events", "model_name": "event", "field_name": "place"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Wladiwostok (Russland)"]


def test_staff_without_editor_rights_is_refused(client, seed):
    user = User.objects.create_user("praktikant", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(ADMIN).status_code == 403
    form = event_form(seed)
    assert client.post(ADMIN + "add/", form).status_code == 403
    assert Event.objects.count() == 5


def test_anonymous_is_sent_to_login(client, seed):
    response = client.get(ADMIN)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize(("text", "label", "start"), [
    ("Ende Oktober 2024", "Ende Oktober 2024", dt.date(2024, 10, 21)),
    ("early to mid-October 2024", "Anfang bis Mitte Oktober 2024", dt.date(2024, 10, 1)),
    ("23.10.2024, 13:30 Uhr (America/New_York)", "23. Oktober 2024, 13:30 Uhr (New York)",
     dt.date(2024, 10, 23)),  # Rom lies in another zone: the zone's city names it
])  # fmt: skip
def test_an_editor_writes_when_as_the_newsroom_says_it(editor_client, seed, text, label, start):
    Desk(editor_client).change("event", Event.objects.get(slug="austin-rom").pk, when=text)
    event = Event.objects.get(slug="austin-rom")
    assert (event.date_label("de"), event.start_date) == (label, start)


def test_when_that_cannot_be_read_is_a_field_message(editor_client, seed):
    desk, austin = Desk(editor_client), Event.objects.get(slug="austin-rom")
    path = f"/admin/events/event/{austin.pk}/change/"
    data = desk.form(path) | {"when": ["irgendwann im Herbst"], "_save": ["Sichern"]}
    response = editor_client.post(path, data)
    assert response.status_code == 200
    assert any("Ende Oktober 2024" in message for message in desk.errors(response))
    assert Event.objects.get(pk=austin.pk).start_date == austin.start_date  # nothing saved


def test_the_form_says_the_date_back_and_keeps_it_when_untouched(editor_client, seed):
    desk, kirby = Desk(editor_client), Event.objects.get(slug="kirby-washington")
    data = desk.form(f"/admin/events/event/{kirby.pk}/change/")
    assert data["when"] == [kirby.date_label("de")]
    desk.change("event", kirby.pk, summary="Neu.")
    assert Event.objects.get(pk=kirby.pk).start_date == kirby.start_date


def test_the_form_says_back_what_when_means_as_it_is_typed(editor_client, seed):
    from .client import Client

    preview = "/admin/events/event/when/"
    said = editor_client.get(preview, {"text": "Ende Okt. 2024", "timeline": seed.pk}).json()
    assert said == {"label": "Ende Oktober 2024", "interval": "21.–31. Oktober 2024"}
    timed = editor_client.get(preview, {"text": "23.10.2024, 13:30 Uhr", "timeline": seed.pk})
    assert timed.json()["label"] == "23. Oktober 2024, 13:30 Uhr"  # the timeline's zone
    unreadable = editor_client.get(preview, {"text": "bald", "timeline": seed.pk}).json()
    assert "Ende Oktober 2024" in unreadable["error"]
    assert Client().get(preview, {"text": "2024"}).status_code == 302  # to the login
    page = editor_client.get("/admin/events/event/add/").content.decode()
    assert "newsroom/event-form" in page and 'data-preview="when-preview"' in page


def test_the_saved_date_is_said_back_without_javascript(editor_client, seed):
    austin = Event.objects.get(slug="austin-rom")
    page = editor_client.get(f"/admin/events/event/{austin.pk}/change/").content.decode()
    assert "Lesende sehen" in page or "Readers see" in page
    assert f"{austin.date_label('de')} · " in page


def test_save_as_new_makes_a_draft_with_everything_but_its_life(editor_client, seed):
    desk, austin = Desk(editor_client), Event.objects.get(slug="austin-rom")
    path = f"/admin/events/event/{austin.pk}/change/"
    data = desk.form(path) | {"title": ["Austin in Rom, Folgetag"], "_saveasnew": ["1"]}
    response = editor_client.post(path, data)
    assert response.status_code == 302, desk.errors(response)
    copy = Event.objects.get(title="Austin in Rom, Folgetag")
    assert copy.pk != austin.pk and copy.slug == "austin-rom-2"
    assert copy.status == Status.DRAFT and copy.first_published_at is None
    assert copy.place_id == austin.place_id
    assert set(copy.tags.all()) == set(austin.tags.all())
    assert set(copy.people.all()) == set(austin.people.all())
    assert [q.text for q in copy.quotes.all()] == [q.text for q in austin.quotes.all()]
    assert [s.url for s in copy.sources.all()] == [s.url for s in austin.sources.all()]
    assert Event.objects.get(pk=austin.pk).title != "Austin in Rom, Folgetag"  # untouched


def test_history_speaks_the_editors_language(editor_client, seed):
    """Django keeps the changed fields' labels untranslated and translates them when
    the history is shown: "Text geändert", never "Body geändert"."""
    from django.utils import translation
    from django.utils.text import capfirst

    from events import history_labels
    from events.models import Correction, Person, Place, Source, Tag, Timeline

    austin = Event.objects.get(slug="austin-rom")
    Desk(editor_client).change("event", austin.pk, body="Neuer Text.", summary="Neu.")
    history = editor_client.get(f"/admin/events/event/{austin.pk}/history/").content.decode()
    assert "Body" not in history
    assert re.search(r"(Zusammenfassung und Text|Text und Zusammenfassung) geändert", history)
    for model in (Event, Quote, Source, Correction, Timeline, Place, Person, Tag):
        for field in model._meta.get_fields():
            if getattr(field, "editable", False) and not field.auto_created:
                with translation.override(None):
                    assert capfirst(str(field.verbose_name)) in history_labels.LABELS, field


def test_the_preview_takes_any_timeline_value_without_failing(editor_client, seed):
    for value in ("abc", "-1", "99999", "1e5", "\u0661"):
        said = editor_client.get("/admin/events/event/when/", {"text": "2024", "timeline": value})
        assert said.status_code == 200 and said.json()["label"] == "2024", value


def test_the_desk_survives_odd_queries(editor_client, timeline, make_event):
    """The preview's ids in other digits, and a period list from the year 1000 to 2999
    (a column a period once made SQLite refuse the query)."""
    preview = editor_client.get(ADMIN + "when/", {"text": "Oktober 2024", "timeline": "²",
                                                  "place": "9" * 40})  # fmt: skip
    assert preview.status_code == 200 and preview.json()["label"] == "Oktober 2024"
    make_event(start_date=dt.date(1000, 1, 1), precision="year")
    make_event(start_date=dt.date(2999, 1, 1), precision="year")
    listed = editor_client.get(ADMIN, {"period": "2999"})
    assert listed.status_code == 200
    choices, rows = period_filter(listed.content)
    assert "1000" in choices and "2999" in choices and rows == ["2999"]


def test_a_place_named_on_the_form_gets_the_slug_the_form_would_fill_in(editor_client, timeline):
    """ "ß" spelled "ss", as the admin's own script writes it while a name is typed
    (Django's slugify would drop it: "weienfels")."""
    form = event_form(timeline, new_place="Weißenfels, Deutschland")
    assert editor_client.post(ADMIN + "add/", form).status_code == 302
    assert Event.objects.get().place.slug == "weissenfels"
