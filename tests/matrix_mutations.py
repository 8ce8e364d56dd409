"""The mutations of the change matrix: each an edit an editor makes, by the path an
editor really takes (admin form with inlines, admin action, admin delete, history
restore, API, import), and what every output must show right after it.

`prepare` runs before the outputs are read (and cached) the first time, `act` is the
edit, `expect` the checks (see `Check`); `revision` is how much the target event's
revision must grow: one save, one revision.
"""

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from events.models import Event, Person, Place, Quote, Tag, Timeline

ALL = frozenset({"timeline", "site", "event"})
SEED = "nordkorea-soldaten-russland"
KIRBY, AUSTIN, FLEET, TRAINING = (
    "kirby-washington",
    "austin-rom",
    "erste-schiffe-nach-wladiwostok",
    "weiterreise-zu-ausbildungsstaetten",
)


@dataclass(frozen=True)
class Check:
    kind: str  # shows, lacks, present, absent, document, unchanged
    slug: str = ""
    text: str = ""
    aspects: frozenset = frozenset({"presence"})
    scopes: frozenset = ALL

    def __str__(self):
        return f"{self.kind} {self.slug} {self.text!r}".strip()


def shows(slug, text, *aspects, scopes=ALL):
    return Check("shows", slug, text, frozenset(aspects), frozenset(scopes))


def lacks(slug, text, *aspects, scopes=ALL):
    return Check("lacks", slug, text, frozenset(aspects), frozenset(scopes))


def present(slug, scopes=ALL):
    return Check("present", slug, scopes=frozenset(scopes))


def absent(slug, scopes=ALL):
    return Check("absent", slug, scopes=frozenset(scopes))


def document(text, aspect):
    return Check("document", text=text, aspects=frozenset({aspect}))


def unchanged(scopes=ALL):
    return Check("unchanged", scopes=frozenset(scopes))


@dataclass(frozen=True)
class Mutation:
    id: str
    target: str  # slug of the event the event page and API detail follow
    act: object  # (world, desk) -> None
    expect: object  # world -> [Check]
    prepare: object = None  # (world, desk) -> None, before the outputs are first read
    revision: int | None = None  # growth of the target's revision
    extra: list = field(default_factory=list)


def pk(slug):
    return Event.objects.get(slug=slug).pk


def uuid_of(slug):
    return Event.objects.get(slug=slug).uuid


def quote_text(slug, row):
    return Event.objects.get(slug=slug).quotes.all()[row].text


# -- the editor's edits ----------------------------------------------------------------


def add_event(world, desk):
    desk.add("event", timeline=world.seed.pk, title="Neues Ereignis Zebu", slug="neues-zebu",
             start_date="2024-10-24", precision="day", status="published")  # fmt: skip


def publish_by_action(world, desk):
    desk.action("event", "publish", [pk("entwurf-dachs")])


def publish_by_api(world, desk):
    desk.api("post", f"events/{uuid_of('entwurf-dachs')}/publish/")


def create_by_api(world, desk):
    desk.api("post", "events/", {"timeline": SEED, "slug": "api-entwurf", "title": "API Entwurf",
                                 "start_date": "2024-10-25", "precision": "day"})  # fmt: skip


def retract_by_action(world, desk):
    desk.action("event", "retract", [pk(AUSTIN)], apply="1", reason="Grund Leguan")


def retract_by_api(world, desk):
    desk.api("post", f"events/{uuid_of(KIRBY)}/retract/", {"reason": "Grund Gecko"})


def prepare_restore(world, desk):
    desk.change("event", pk(KIRBY))  # the version as it is now ...
    desk.change("event", pk(KIRBY), title="John Kirby: Zwischentitel Otter")  # ... and a newer one


def restore(world, desk):
    original = desk.versions(Event.objects.get(slug=KIRBY))[0]
    desk.restore(pk(KIRBY), original)


def import_calendar(world, desk):
    calendar = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Partner//DE\r\nBEGIN:VEVENT\r\n"
        "UID:partner-1\r\nDTSTAMP:20241024T000000Z\r\nDTSTART;VALUE=DATE:20241024\r\n"
        "SUMMARY:Partnertermin Elch\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    upload = SimpleUploadedFile("partner.ics", calendar.encode(), "text/calendar")
    desk.action("timeline", "import_calendar", [world.seed.pk], apply="1", file=upload)
    assert Event.objects.filter(title="Partnertermin Elch", status="draft").exists()


def import_timeline(world, desk):
    path = world.tmp_path / "ziel.json"
    call_command("export_timeline", "ziel", "-o", str(path), verbosity=0)
    document = json.loads(path.read_text())
    document["timeline"] |= {
        "slug": "importiert",
        "uuid": str(uuid.uuid4()),
        "title": "Importiert",
    }
    for n, event in enumerate(document["events"]):
        event |= {"uuid": str(uuid.uuid4()), "slug": f"importiert-{n}"}
    path.write_text(json.dumps(document))
    call_command("import_timeline", str(path), verbosity=0)


def tag_gone(world):
    return [lacks(AUSTIN, "Stellungnahme", "tags", "first_tag")]


def speaker_of(slug):
    return Quote.objects.filter(event__slug=slug).first().speaker


MUTATIONS = [
    Mutation("create: admin add form, published", "neues-zebu", add_event,
             lambda w: [present("neues-zebu"), shows("neues-zebu", "Neues Ereignis Zebu", "title")]),
    Mutation("create: API, a draft", KIRBY, create_by_api,
             lambda w: [unchanged(), absent("api-entwurf")]),
    Mutation("publish: admin action", "entwurf-dachs", publish_by_action,
             lambda w: [present("entwurf-dachs")], revision=0),
    Mutation("publish: API", "entwurf-dachs", publish_by_api,
             lambda w: [present("entwurf-dachs")], revision=0),
    Mutation("edit own fields: admin form", KIRBY,
             lambda w, d: d.change("event", pk(KIRBY), title="John Kirby: Neue Überschrift Quokka"),
             lambda w: [shows(KIRBY, "Neue Überschrift Quokka", "title")], revision=1),
    Mutation("edit own fields: API", KIRBY,
             lambda w, d: d.api("patch", f"events/{uuid_of(KIRBY)}/", {"summary": "Zusammenfassung Wombat"}),
             lambda w: [shows(KIRBY, "Zusammenfassung Wombat", "summary")], revision=1),
    Mutation("change tags and people: admin form", KIRBY,
             lambda w, d: d.change("event", pk(KIRBY), tags=Tag.objects.get(slug="truppenverlegung").pk,
                                   people=Person.objects.get(slug="beobachterin-tukan").pk),
             lambda w: [shows(KIRBY, "Truppenverlegung", "tags"), lacks(KIRBY, "Stellungnahme", "tags"),
                        shows(KIRBY, "Beobachterin Tukan", "people")], revision=1),
    Mutation("change people: API", KIRBY,
             lambda w, d: d.api("patch", f"events/{uuid_of(KIRBY)}/", {"people": ["beobachterin-tukan"]}),
             lambda w: [shows(KIRBY, "Beobachterin Tukan", "people")], revision=1),
    Mutation("add quote: admin inline", AUSTIN,
             lambda w, d: d.add_inline(pk(AUSTIN), "quotes", speaker=speaker_of(AUSTIN).pk,
                                       text="Zitat Kakadu", language="de", position=5),
             lambda w: [shows(AUSTIN, "Zitat Kakadu", "quotes")], revision=1),
    Mutation("edit quote: admin inline", AUSTIN,
             lambda w, d: d.edit_inline(pk(AUSTIN), "quotes", 0, text="Erstes Zitat Koala"),
             lambda w: [shows(AUSTIN, "Erstes Zitat Koala", "first_quote", "quotes")], revision=1),
    Mutation("delete quote: admin inline", AUSTIN,
             lambda w, d: d.edit_inline(pk(AUSTIN), "quotes", 1, delete=True),
             lambda w: [lacks(AUSTIN, w.notes["second quote"], "quotes")], revision=1),
    Mutation("add source: admin inline", KIRBY,
             lambda w, d: d.add_inline(pk(KIRBY), "sources", url="https://example.org/pelikan",
                                       title="Quelle Pelikan", publisher="", accessed_on="", position=5),
             lambda w: [shows(KIRBY, "Quelle Pelikan", "sources")], revision=1),
    Mutation("delete source: admin inline", KIRBY,
             lambda w, d: d.edit_inline(pk(KIRBY), "sources", 0, delete=True),
             lambda w: [lacks(KIRBY, "Pressebriefing im Weißen Haus", "sources", "first_source")], revision=1),
    Mutation("add correction: admin inline", KIRBY,
             lambda w, d: d.add_inline(pk(KIRBY), "corrections", published_at="2024-10-25T10:00",
                                       text="Korrektur Tapir"),
             lambda w: [shows(KIRBY, "Korrektur Tapir", "corrections")], revision=1),
    Mutation("edit event and two inlines in one save: admin form", KIRBY,
             lambda w, d: d.edit_inline(pk(KIRBY), "quotes", 0, text="Zitat Nandu", also={
                 "title": "John Kirby: Titel Nandu", "sources-0-title": "Quelle Nandu"}),
             lambda w: [shows(KIRBY, "Titel Nandu", "title"), shows(KIRBY, "Quelle Nandu", "sources", "first_source"),
                        shows(KIRBY, "Zitat Nandu", "first_quote", "quotes"),
                        shows(KIRBY, f"SEQUENCE:{w.notes['kirby revision'] + 1}", "sequence")],
             revision=1),
    Mutation("retract: admin action", AUSTIN, retract_by_action,
             lambda w: [shows(AUSTIN, "Grund Leguan", "retraction")], revision=1),
    Mutation("retract: API", KIRBY, retract_by_api,
             lambda w: [shows(KIRBY, "Grund Gecko", "retraction")], revision=1),
    Mutation("restore from history: admin", KIRBY, restore,
             lambda w: [shows(KIRBY, "Mindestens 3.000", "title"), lacks(KIRBY, "Otter", "title")],
             prepare=prepare_restore, revision=1),
    Mutation("move public → public: admin form", KIRBY,
             lambda w, d: d.change("event", pk(KIRBY), timeline=w.ziel.pk),
             lambda w: [absent(KIRBY, scopes={"timeline"}),
                        shows(KIRBY, "/timelines/ziel/kirby-washington/", "url", scopes={"site", "event"})],
             revision=1, extra=[("/timelines/ziel/feed.atom", KIRBY)]),
    Mutation("move public → non-public: API", KIRBY,
             lambda w, d: d.api("patch", f"events/{uuid_of(KIRBY)}/", {"timeline": "intern"}),
             lambda w: [absent(KIRBY)], revision=1),
    Mutation("delete draft: admin", KIRBY,
             lambda w, d: d.delete("event", pk("entwurf-dachs")),
             lambda w: [unchanged(), absent("entwurf-dachs")]),
    Mutation("rename tag: admin", AUSTIN,
             lambda w, d: d.change("tag", Tag.objects.get(slug="stellungnahme").pk, name="Erklärung Marabu"),
             lambda w: [shows(AUSTIN, "Erklärung Marabu", "tags", "first_tag"),
                        lacks(AUSTIN, "Stellungnahme", "tags", "first_tag")], revision=1),
    Mutation("delete tag: admin", AUSTIN,
             lambda w, d: d.chief().delete("tag", Tag.objects.get(slug="stellungnahme").pk),
             tag_gone, revision=1),
    Mutation("delete tag: admin bulk action", AUSTIN,
             lambda w, d: d.chief().action("tag", "delete_selected",
                                           [Tag.objects.get(slug="stellungnahme").pk], post="yes"),
             tag_gone, revision=1),
    Mutation("rename person (listed): admin", AUSTIN,
             lambda w, d: d.change("person", Person.objects.get(slug="beobachterin-tukan").pk, name="Person Okapi"),
             lambda w: [shows(AUSTIN, "Person Okapi", "people")], revision=1),
    Mutation("rename person (speaker only): admin", TRAINING,
             lambda w, d: d.change("person", Person.objects.get(slug="maria-sacharowa").pk, name="Sprecherin Ibis"),
             lambda w: [shows(TRAINING, "Sprecherin Ibis", "speaker", "first_quote"),
                        lacks(TRAINING, "Sacharowa", "speaker", "first_quote")], revision=1),
    Mutation("delete person (listed): admin", AUSTIN,
             lambda w, d: d.chief().delete("person", Person.objects.get(slug="beobachterin-tukan").pk),
             lambda w: [lacks(AUSTIN, "Tukan", "people")], revision=1),
    Mutation("rename place: admin", AUSTIN,
             lambda w, d: d.change("place", Place.objects.get(slug="rom").pk, name="Rom Flamingo"),
             lambda w: [shows(AUSTIN, "Rom Flamingo", "place")], revision=1),
    Mutation("delete unused place: admin", AUSTIN,
             lambda w, d: d.chief().delete("place", Place.objects.create(name="Nirgendwo", slug="nirgendwo").pk),
             lambda w: [unchanged()], revision=0),
    Mutation("change timeline title: admin", KIRBY,
             lambda w, d: d.change("timeline", w.seed.pk, title="Zeitleiste Alpaka"),
             lambda w: [document("Zeitleiste Alpaka", "timeline_title")], revision=0),
    Mutation("change timeline description: admin", KIRBY,
             lambda w, d: d.change("timeline", w.seed.pk, description="Beschreibung Lama"),
             lambda w: [document("Beschreibung Lama", "timeline_description")], revision=0),
    Mutation("change timeline language: admin", FLEET,
             lambda w, d: d.change("timeline", w.seed.pk, language="en"),
             lambda w: [shows(FLEET, "early October 2024", "timeline_language")], revision=0),
    Mutation("change timeline time zone: admin", KIRBY,
             lambda w, d: d.change("timeline", w.seed.pk, time_zone="America/New_York"),
             lambda w: [lacks(KIRBY, "Uhr (Washington)", "label")], revision=0),
    Mutation("unpublish timeline: admin", KIRBY,
             lambda w, d: d.change("timeline", w.seed.pk, is_public=""),
             lambda w: [absent(KIRBY), absent(FLEET)], revision=0),
    Mutation("republish timeline: admin", KIRBY,
             lambda w, d: d.change("timeline", w.seed.pk, is_public="on"),
             lambda w: [present(KIRBY), present(FLEET)],
             prepare=lambda w, d: d.change("timeline", w.seed.pk, is_public=""), revision=0),
    Mutation("import calendar as drafts: admin action", KIRBY, import_calendar,
             lambda w: [unchanged()], revision=0),
    Mutation("import timeline: management command", KIRBY, import_timeline,
             lambda w: [unchanged(scopes={"timeline", "event"}),
                        present("importiert-0", scopes={"site"})], revision=0),
]  # fmt: skip


# -- the world they happen in ----------------------------------------------------------


@dataclass
class World:
    seed: Timeline
    ziel: Timeline
    intern: Timeline
    andere: Timeline
    tmp_path: object
    notes: dict


def make_world(tmp_path):
    """The seed timeline with an exact time, a draft and a speaker who is only quoted;
    a second public timeline, a non-public one, and an unrelated one."""
    call_command("load_seed", verbosity=0)
    seed = Timeline.objects.get(slug=SEED)
    kirby = Event.objects.get(slug=KIRBY)
    kirby.precision, kirby.start_time, kirby.time_zone = (
        "time",
        dt.time(14, 30),
        "America/New_York",
    )
    kirby.save()
    Event.objects.create(timeline=seed, title="Entwurf Dachs", slug="entwurf-dachs",
                         start_date=dt.date(2024, 10, 24))  # fmt: skip
    sacharowa = Person.objects.create(name="Maria Sacharowa", slug="maria-sacharowa")
    Quote.objects.create(event=Event.objects.get(slug=TRAINING), speaker=sacharowa,
                         text="Dazu äußern wir uns nicht.", language="de")  # fmt: skip
    Event.objects.get(slug=AUSTIN).people.add(
        Person.objects.create(name="Beobachterin Tukan", slug="beobachterin-tukan")
    )
    ziel = Timeline.objects.create(title="Zweite Zeitleiste", slug="ziel", is_public=True)
    Event.objects.create(timeline=ziel, title="Ziel Ereignis", slug="ziel-ereignis",
                         start_date=dt.date(2024, 11, 1), status="published")  # fmt: skip
    intern = Timeline.objects.create(title="Interne Zeitleiste", slug="intern", is_public=False)
    andere = Timeline.objects.create(title="Andere Zeitleiste", slug="andere", is_public=True)
    other = Event.objects.create(
        timeline=andere, title="Anderes Ereignis", slug="anderes-ereignis", status="published",
        start_date=dt.date(2023, 5, 5),
        place=Place.objects.create(name="Andernach", slug="andernach"),
    )  # fmt: skip
    other.tags.add(Tag.objects.create(name="Anderes Thema", slug="anderes-thema"))
    other.people.add(Person.objects.create(name="Otto Anders", slug="otto-anders"))
    notes = {"second quote": quote_text(AUSTIN, 1)[:40], "kirby revision": kirby.revision}
    return World(seed, ziel, intern, andere, tmp_path, notes)
