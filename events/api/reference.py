"""The API's reference for people, at /api/docs/: every operation of the OpenAPI
schema (/api/schema/, for tools) with its parameters, request fields and answers,
as a plain page of the site's own. It replaces Swagger UI, which failed axe-core's
rules (contrast, buttons nested in buttons, no language) and needs JavaScript."""

from functools import cache

from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator
from rest_framework.permissions import SAFE_METHODS

from ..markup import render_markdown

JSON = "application/json"


def schema(language):
    """The OpenAPI schema with its texts in `language`."""
    with translation.override(language):
        return SchemaGenerator().get_schema(request=None, public=True)


@require_safe
def reference(request):
    return render(request, "api/reference.html", described(translation.get_language()))


@cache
def described(language):
    """What the page shows, in `language`: like the schema, it changes only with the
    code, so it is made once a language and process."""
    found = schema(language)
    with translation.override(language):
        return {
            "info": found["info"],
            "operations": list(operations(found)),
            "objects": list(objects(found)),
        }


def operations(found):
    for path, methods in found["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {}).get(JSON, {})
            yield {
                "id": operation["operationId"],
                "method": method.upper(),
                "path": path,
                "writes": method.upper() not in SAFE_METHODS,
                "description": text(operation.get("description", "")),
                "parameters": [
                    {
                        "name": parameter["name"],
                        "where": parameter["in"],
                        "type": type_name(parameter.get("schema", {})),
                        "required": parameter.get("required", False),
                        "description": text(parameter.get("description", "")),
                    }
                    for parameter in operation.get("parameters", [])
                ],
                "request": type_name(body.get("schema", {})),
                "request_object": object_name(body.get("schema", {})),
                "responses": [
                    {
                        "code": code,
                        "description": text(answer.get("description", "")),
                        "type": type_name(_answered(answer)),
                        "object": object_name(_answered(answer)),
                    }
                    for code, answer in operation.get("responses", {}).items()
                ],
            }


def objects(found):
    for name, shape in found["components"]["schemas"].items():
        required = set(shape.get("required", ()))
        yield {
            "name": name,
            "description": text(shape.get("description", "")),
            "values": [str(value) for value in shape.get("enum", ()) if value not in ("", None)],
            "fields": [
                {
                    "name": field,
                    "type": type_name(about),
                    "required": field in required,
                    "read_only": about.get("readOnly", False),
                    "description": text(about.get("description", "")),
                }
                for field, about in shape.get("properties", {}).items()
            ],
        }


def text(description):
    """A description as HTML: the schema writes Markdown (lists of enum values, code)."""
    return render_markdown(str(description)) if description else ""


def _answered(answer):
    return answer.get("content", {}).get(JSON, {}).get("schema", {})


def object_name(shape):
    """The object a schema refers to (described below on the page), or ""."""
    return shape["$ref"].rsplit("/", 1)[-1] if "$ref" in shape else ""


def type_name(shape):
    """A schema's type as a reader says it: "Event", "array of Tag", "string (date)"."""
    if "$ref" in shape:
        return shape["$ref"].rsplit("/", 1)[-1]
    for combined in ("allOf", "oneOf", "anyOf"):
        if combined in shape:
            return " | ".join(type_name(part) for part in shape[combined])
    kind = shape.get("type", "")
    if kind == "array":
        return _("array of %(type)s") % {"type": type_name(shape.get("items", {}))}
    if "format" in shape:
        return f"{kind} ({shape['format']})"
    return kind
