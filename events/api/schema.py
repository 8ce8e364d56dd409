from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework.permissions import SAFE_METHODS

from ..validators import CONTROL_CHARACTERS, validate_text

# validate_text as a pattern: what it refuses, negated (ECMA escapes, as in OpenAPI).
TEXT_PATTERN = "^[^" + CONTROL_CHARACTERS.pattern[1:-1].replace(r"\x", r"\u00") + "]*$"


class AutoSchema(SpectacularAutoSchema):
    """Reading needs no account (EditorsWrite): say so for safe methods. Free text
    refuses control characters (validate_text): say so with a pattern."""

    def get_auth(self):
        auth = super().get_auth()
        if self.method in SAFE_METHODS and {} not in auth:
            auth = [*auth, {}]
        return auth

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        if validate_text in field.validators:
            schema.setdefault("pattern", TEXT_PATTERN)


ERROR = {
    "type": "object",
    "description": _("`detail` for the request as a whole, or a list of messages per field."),
    "additionalProperties": True,
}
ERRORS = {
    "400": _("Invalid input; messages per field. Nothing was saved."),
    "401": _("The credentials given are not valid."),
    "403": _("Not allowed for this account (writing needs the Editors group), or CSRF missing."),
    "404": _("No such object, not public, or an invalid page cursor."),
    "412": _("The event changed since it was read (If-Match or revision); nothing was saved."),
    "429": _("Too many requests; try again later."),
}
# gunicorn's own answer (limit_request_line, 4094 bytes), before Django sees the request.
URI_TOO_LONG = {"description": _("The address is too long for the server (over 4 KB).")}


def add_error_responses(result, generator, request, public):
    """Postprocessing hook: document the error answers every operation can give, and
    that an empty query parameter (`?q=`) counts as absent (django-filter, DRF's
    pagination and ordering all read it so)."""
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
            operation["responses"].setdefault("414", URI_TOO_LONG)
            codes = ["400", "401", "403", "404", "429"]  # 404 also for a bad cursor
            if method in {"put", "patch", "post"} and "{" in path:
                codes.append("412")
            for code in codes:
                operation["responses"].setdefault(
                    code,
                    {
                        "description": ERRORS[code],
                        "content": {"application/json": {"schema": ERROR}},
                    },
                )
    return result
