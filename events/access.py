"""Who counts as an editor: the one test behind every preview of unpublished work."""


def is_editor(user):
    return user.is_authenticated and user.is_staff and user.has_perm("events.view_event")
