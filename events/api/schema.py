from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework.permissions import SAFE_METHODS


class AutoSchema(SpectacularAutoSchema):
    """Reading needs no account (EditorsWrite): say so for safe methods."""

    def get_auth(self):
        auth = super().get_auth()
        if self.method in SAFE_METHODS and {} not in auth:
            auth = [*auth, {}]
        return auth


ERROR = {
    "type": "object",
    "description": "`detail` for the request as a whole, or a list of messages per field.",
    "additionalProperties": True,
}
ERRORS = {
    "400": "Invalid input; messages per field. Nothing was saved.",
    "401": "The credentials given are not valid.",
    "403": "Not allowed for this account (writing needs the Editors group), or CSRF missing.",
    "404": "No such object, not public, or an invalid page cursor.",
    "412": "The event changed since it was read (If-Match or revision); nothing was saved.",
    "429": "Too many requests; try again later.",
}


def add_error_responses(result, generator, request, public):
    """Postprocessing hook: document the error answers every operation can give."""
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
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
