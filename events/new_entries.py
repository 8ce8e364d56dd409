"""Places and people an editor names on the event form ("Rom, Italien"; "John Kirby,
Sprecher, Weißes Haus"), without leaving it for a popup: found if the newsroom has
them, made if not. `read_*` checks the text (a field message, nothing saved); `*_named`
finds or makes the entry when the form is saved, in the same transaction."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Person, Place
from .slugs import free_slug_for
from .validators import validate_text


def _parts(text, names, model):
    """`text` split at commas into the fields `names` of `model`, each checked as the
    model checks it (length, control characters)."""
    parts = [part.strip() for part in str(text).split(",", len(names) - 1)]
    values = dict(zip(names, parts + [""] * (len(names) - len(parts)), strict=True))
    if not values[names[0]]:
        raise ValidationError(_("Write a name first."))
    for name, value in values.items():
        limit = model._meta.get_field(name).max_length
        if len(value) > limit:
            raise ValidationError(
                _("“%(part)s” is longer than %(limit)d characters.")
                % {"part": value[:40] + "…", "limit": limit}
            )
        validate_text(value)
    return values


def read_place(text):
    """ "Name, Land" -> {"name", "country"}."""
    return _parts(text, ["name", "country"], Place)


def read_people(text):
    """One person a line, "Name, Rolle, Organisation" -> a list of their fields."""
    lines = [line for line in str(text).splitlines() if line.strip()]
    return [_parts(line, ["name", "role", "organisation"], Person) for line in lines]


def place_named(fields):
    found = Place.objects.filter(name__iexact=fields["name"], country__iexact=fields["country"])
    return found.first() or Place.objects.create(
        **fields, slug=free_slug_for(Place, fields["name"], "ort")
    )


def person_named(fields):
    """The person of that name (the first, if several share it), or a new one."""
    found = Person.objects.filter(name__iexact=fields["name"]).order_by("pk").first()
    return found or Person.objects.create(
        **fields, slug=free_slug_for(Person, fields["name"], "person")
    )
