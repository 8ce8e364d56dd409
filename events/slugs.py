"""Slugs that are free: a URL's last part is never taken twice."""

from django.utils.text import slugify

# What Django's slugify drops and the admin's own script (URLify) spells out: slugs made
# here match those an editor sees filled in while typing a name ("Weißes Haus").
SPELLED_OUT = str.maketrans({"ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O",
                             "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L"})  # fmt: skip


def slug_of(text):
    """The slug of a name or title, as the desk's form would fill it in."""
    return slugify(str(text).translate(SPELLED_OUT))


def free_slug(base, taken, max_length):
    """`base`, or `base-2`, `base-3` … — the first not in `taken`, at most
    `max_length` characters long."""
    base = base[:max_length]
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base[: max_length - len(str(n)) - 1]}-{n}"
    return candidate


def free_slug_for(model, name, fallback):
    """A slug for a new `model` object called `name` that no other has."""
    max_length = model._meta.get_field("slug").max_length
    base = slug_of(name)[:max_length].strip("-") or fallback
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    return free_slug(base, taken, max_length)
