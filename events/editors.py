"""Who counts as an editor: the one test behind every preview of unpublished work."""

from functools import wraps

from django.utils.cache import patch_cache_control


def is_editor(user):
    return user.is_authenticated and user.is_staff and user.has_perm("events.view_event")


def private_for_editors(view):
    """A page an editor sees may show drafts and non-public timelines: no shared cache
    (a proxy, a CDN) may keep it, nor a browser store it on disk."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if is_editor(request.user):
            patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapped
