"""Slugs that are free: a URL's last part is never taken twice."""

from django.utils.text import slugify


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
    base = slugify(name)[:max_length].strip("-") or fallback
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    return free_slug(base, taken, max_length)
