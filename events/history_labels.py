"""Field labels as the admin's history keeps them.

Django stores the labels of the fields a save changed untranslated ("Changed Body.")
and translates them when the history is shown; these are those labels, so that the
history speaks the editor's language ("Text geändert", not "Body geändert"). A test
checks that every field of our models is here."""

from django.utils.translation import gettext_noop

LABELS = [
    gettext_noop("Accessed on"),
    gettext_noop("Body"),
    gettext_noop("Content language"),
    gettext_noop("Country"),
    gettext_noop("Description"),
    gettext_noop("End date"),
    gettext_noop("End time"),
    gettext_noop("Event"),
    gettext_noop("Language"),
    gettext_noop("Latitude"),
    gettext_noop("Longitude"),
    gettext_noop("Name"),
    gettext_noop("Occasion"),
    gettext_noop("Organisation"),
    gettext_noop("People"),
    gettext_noop("Place"),
    gettext_noop("Position"),
    gettext_noop("Precision"),
    gettext_noop("Public"),
    gettext_noop("Public text"),
    gettext_noop("Publish at"),
    gettext_noop("Published at"),
    gettext_noop("Publisher"),
    gettext_noop("Reason for retraction"),
    gettext_noop("Role"),
    gettext_noop("Slug"),
    gettext_noop("Source of the quote"),
    gettext_noop("Speaker"),
    gettext_noop("Start date"),
    gettext_noop("Status"),
    gettext_noop("Summary"),
    gettext_noop("Tags"),
    gettext_noop("Time"),
    gettext_noop("Time zone"),
    gettext_noop("Timeline"),
    gettext_noop("Title"),
    gettext_noop("URL"),
    gettext_noop("Verbatim text"),
]
