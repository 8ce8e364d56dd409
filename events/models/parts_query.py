"""Events with their parts in one query.

What a page, an export or the API shows of an event besides its own row — people,
tags, quotes with their speakers, sources, corrections — comes as one JSON array per
part beside each event row (a correlated subquery each), and is put where Django's
prefetching would put it: `event.quotes.all()` then costs no query. One query for
any number of events, instead of one per part, so a whole timeline can also be
streamed with `.iterator()` without loading it all at once.

`attach` sets two private attributes of a QuerySet (`_result_cache`, `_prefetch_done`)
exactly as Django's own prefetching leaves them; there is no public way to hand
Django rows it did not fetch. It earns its place in query counts: with the public
`prefetch_related` a timeline page would cost 9 queries instead of 5 (the target is
at most 5 a request), an API list and `rendering.refresh` one more query per
part (six, speakers included).
"""

import datetime as dt
from functools import cache
from operator import attrgetter

from django.db import connection, models
from django.db.models import Aggregate, OuterRef, Subquery
from django.db.models.functions import JSONObject
from django.db.models.query import ModelIterable

# Part of an event -> the foreign key of the part to nest in it (quotes: the speaker).
PARTS = {"people": None, "tags": None, "quotes": "speaker", "sources": None, "corrections": None}
COLUMN = "_part_{}"  # the annotation that carries a part's JSON


class JSONGroupArray(Aggregate):
    """SQLite's json_group_array (rows in no set order: `attach` sorts them)."""

    function = "JSON_GROUP_ARRAY"
    output_field = models.JSONField()


def json_array(value, ordering, vendor):
    if vendor == "postgresql":
        from django.contrib.postgres.aggregates import JSONBAgg

        # Ordered by the database: its collation decides, as with any other query.
        return JSONBAgg(value, order_by=ordering)
    return JSONGroupArray(value)


def with_parts(events, names):
    """`events` (a QuerySet) carrying the named parts; iterating attaches them."""
    columns = _columns(events.model, tuple(names), connection.vendor)
    events = events.select_related("timeline", "place").annotate(**columns)
    events._iterable_class = WithParts
    return events


@cache
def _columns(model_of_events, names, vendor):
    """The annotations that carry the parts: built once (per process), as building
    them costs more than running the query."""
    columns = {}
    for name in names:
        relation = model_of_events._meta.get_field(name)
        model = relation.related_model
        link = relation.related_query_name() if relation.many_to_many else relation.field.name
        rows = model.objects.filter(**{link: OuterRef("pk")}).order_by().values(link)
        value = JSONObject(**_fields(model, nested=PARTS[name]))
        rows = rows.annotate(items=json_array(value, model._meta.ordering, vendor))
        rows = rows.values("items")
        columns[COLUMN.format(name)] = Subquery(rows, output_field=models.JSONField())
    return columns


def _fields(model, nested=None):
    fields = {f.attname: f.attname for f in model._meta.concrete_fields}
    if nested:
        target = model._meta.get_field(nested).related_model
        fields[nested] = JSONObject(
            **{f.attname: f"{nested}__{f.attname}" for f in target._meta.concrete_fields}
        )
    return fields


class WithParts(ModelIterable):
    def __iter__(self):
        for event in super().__iter__():
            attach(event)
            yield event


def attach(event):
    """Turn the JSON columns of a loaded event into its prefetched parts."""
    cache = event.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, nested in PARTS.items():
        column = COLUMN.format(name)
        if column not in event.__dict__:
            continue
        relation = event._meta.get_field(name)
        model = relation.related_model
        parts = [_instance(model, data, nested) for data in event.__dict__.pop(column) or []]
        if connection.vendor != "postgresql":
            parts.sort(key=attrgetter(*model._meta.ordering))
        if not relation.many_to_many:
            for part in parts:
                setattr(part, relation.field.name, event)
        # As Django's prefetch_related leaves it (its cache is named after the part).
        parts_queryset = getattr(event, name).get_queryset()
        parts_queryset._result_cache = parts
        parts_queryset._prefetch_done = True
        cache[name] = parts_queryset


def _instance(model, data, nested=None):
    fields = [f for f in model._meta.concrete_fields if f.attname in data]
    values = [_python(f, data[f.attname]) for f in fields]
    instance = model.from_db(connection.alias, [f.attname for f in fields], values)
    if nested:
        setattr(instance, nested, _instance(model._meta.get_field(nested).related_model,
                                            data[nested]))  # fmt: skip
    return instance


def _python(field, value):
    """A JSON value as the field holds it: SQLite gives its stored text, in UTC."""
    value = field.to_python(value)
    if isinstance(field, models.DateTimeField) and value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value
