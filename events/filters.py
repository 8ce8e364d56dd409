"""The reader's filters on a timeline page: tag, person, place, search and period (what
the time axis links to), combinable."""

from dataclasses import dataclass, fields
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef, Value
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import Person, Place, Tag
from .paging import requested_page
from .periods import named_period, overlapping, value_of

MAX_QUERY_LENGTH = 200
KIND_LABELS = {"tag": _("Tag"), "person": _("Person"), "place": _("Place"), "q": _("Search"),
               "period": _("Period")}  # fmt: skip


@dataclass(frozen=True)
class PageFilters:
    tag: str = ""
    person: str = ""
    place: str = ""
    q: str = ""
    period: str = ""  # "2024", "2024-10", "2024-10-late" (events.periods)

    @classmethod
    def from_params(cls, params):
        values = {f.name: params.get(f.name, "").strip() for f in fields(cls)}
        values["q"] = " ".join(values["q"].split())[:MAX_QUERY_LENGTH]
        period = named_period(values["period"]) if values["period"] else None
        values["period"] = value_of(period) if period else ""  # one spelling, or none
        return cls(**values)

    def apply(self, events):
        if self.tag:
            events = events.filter(tags__slug=self.tag)
        if self.person:
            events = events.filter(people__slug=self.person)
        if self.place:
            events = events.filter(place__slug=self.place)
        if self.q:
            events = events.matching(self.q)
        if self.period:
            events = events.filter(overlapping(named_period(self.period)))
        return events

    def __bool__(self):
        return any(getattr(self, f.name) for f in fields(self))

    def querystring(self, **changes):
        """`?…` for these filters with `changes` (e.g. `page=2`); empty values are left out."""
        values = {k: v for k, v in {**vars(self), **changes}.items() if v}
        return "?" + urlencode(values) if values else "?"

    def active(self, facets):
        """(kind, label, link that removes just this filter) for each filter in use."""
        names = {kind: {o.slug: o.name for o in options} for kind, options in facets.items()}
        if self.period:
            names["period"] = {self.period: named_period(self.period).label(get_language())}
        return [
            {
                "kind": KIND_LABELS[f.name],
                "label": names.get(f.name, {}).get(value, value),
                "remove": self.querystring(**{f.name: ""}),
            }
            for f in fields(self)
            if (value := getattr(self, f.name))
        ]


def reader_params(query):
    """What a timeline page reads of its query string, normalized, without the empty
    values: the filters, the page number and `?lang=`. They key the page in the cache
    (events.http.cached_page) and are all that the page's own links keep, so
    `?utm_source=…`, `?page=1` or `?q=a++b` make no page of their own."""
    page = requested_page(query.get("page"))
    lang = query.get("lang")
    values = {
        **vars(PageFilters.from_params(query)),
        "page": page if page > 1 else "",
        "lang": lang if lang in dict(settings.LANGUAGES) else "",
    }
    return {name: value for name, value in values.items() if value}


# Filter -> the model of its choices and the event field that refers to them.
FACETS = {"tag": (Tag, "tags"), "person": (Person, "people"), "place": (Place, "place")}


@dataclass(frozen=True)
class Facet:
    slug: str
    name: str


def facets(events):
    """The tags, people and places that occur among `events`, each by name: one query.

    Each choice is asked whether some event has it (EXISTS, which stops at the first),
    rather than collecting the choices of every event: the catalogues are small, the
    timelines long."""
    kinds = [
        model.objects.filter(Exists(events.filter(**{field: OuterRef("pk")})))
        .annotate(kind=Value(kind, output_field=CharField()))
        .values_list("kind", "slug", "name")
        .order_by()
        for kind, (model, field) in FACETS.items()
    ]
    found = {kind: [] for kind in FACETS}
    for kind, slug, name in kinds[0].union(*kinds[1:], all=True).order_by("kind", "name"):
        found[kind].append(Facet(slug, name))
    return found
