"""Rules every editor-typed value obeys, shared by the admin, the API and imports."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, URLValidator
from django.utils.translation import gettext_lazy as _

from .dates import is_iana_zone

# C0 and C1 control characters except tab, line feed and carriage return, plus
# Unicode non-characters: none of them belongs in news text, and XML 1.0 (RSS,
# Atom) cannot carry most of them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def validate_text(value):
    if CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            _("Contains control characters; only tab and line breaks are allowed."),
            code="control_characters",
        )


def text_rules(max_length):
    """Validators for a free-text field: no control characters, at most `max_length`."""
    return [validate_text, MaxLengthValidator(max_length)]


def validate_iana_zone(value):
    if not is_iana_zone(value):
        raise ValidationError(_("Not a time zone of the IANA database."), code="unknown_time_zone")


validate_web_url = URLValidator(
    schemes=["http", "https"], message=_("Enter an http or https address.")
)
