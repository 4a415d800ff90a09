"""The OpenAPI 3.0 schema of the API, built from the declared resources (``api/resources.py``)
and the units' endpoints: what the views answer is what the schema says."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from doanket.api import schema_more as more
from doanket.api.resources import BIGGEST, RESOURCES, Field, Resource
from doanket.organizations.models import Level, UnitKind

ERROR = {"$ref": "#/components/schemas/Error"}
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": BIGGEST}


def _field(spec: Field) -> dict[str, Any]:
    found: dict[str, Any] = {"type": spec.type}
    if spec.format:
        found["format"] = spec.format
    if spec.nullable:
        found["nullable"] = True
    if spec.description:
        found["description"] = spec.description
    if spec.type == "object":
        found["additionalProperties"] = True
    return found


def _errors(*codes: int) -> dict[str, Any]:
    words = {
        400: "Bad request: the body or a parameter is not valid (error.fields names each)",
        401: "No session or token",
        403: "A read token, a role without this right, or a session's missing CSRF token",
        404: "Not within your units",
        409: "The record's state does not allow it now (submitted meanwhile, changed by someone else)",
        422: "The Idempotency-Key was used for another request",
        429: "Rate limit",
    }
    return {str(c): {"description": words[c], "content": {"application/json": {"schema": ERROR}}} for c in codes}


def _page(item: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["results", "next"],
        "properties": {
            "results": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}},
            "next": {"type": "string", "nullable": True, "description": "the cursor of the next page (?after=)"},
        },
    }


def _paths_of(resource: Resource) -> dict[str, Any]:
    item = resource.name.title().replace("_", "")
    params: list[dict[str, Any]] = [
        # An id: 18 digits at most always fit a database integer (a longer cursor is a 400).
        {"name": "after", "in": "query", "required": False, "schema": {"type": "string", "pattern": "^[0-9]{0,18}$"}}
    ]
    for name, spec in resource.filters.items():
        schema: dict[str, Any] = {"type": spec.type}
        if spec.enum:
            schema["enum"] = list(spec.enum)
        if spec.type == "integer":
            schema["minimum"] = 0
            schema["maximum"] = BIGGEST
        params.append({"name": name, "in": "query", "required": False, "schema": schema})
    return {
        f"/api/v1/{resource.name}/": {
            "get": {
                "operationId": f"list_{resource.name}",
                "summary": resource.title,
                "parameters": params,
                "responses": {
                    "200": {"description": "A page", "content": {"application/json": {"schema": _page(item)}}},
                    **_errors(400, 401, 429),
                },
            }
        },
        f"/api/v1/{resource.name}/{{id}}/": {
            "get": {
                "operationId": f"get_{resource.name}",
                "summary": resource.title,
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": ID_SCHEMA}],
                "responses": {
                    "200": {
                        "description": "One record",
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{item}"}}},
                    },
                    **_errors(401, 404, 429),
                },
            }
        },
    }


UNIT = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "level": {"type": "string", "enum": list(Level.values)},
        "kind": {"type": "string", "enum": list(UnitKind.values)},
        "division_type": {"type": "string"},
        "official_code": {"type": "string"},
        "parent_id": {"type": "integer", "nullable": True},
        "valid_from": {"type": "string", "format": "date", "nullable": True},
        "valid_to": {"type": "string", "format": "date", "nullable": True},
        "is_sample": {"type": "boolean"},
    },
}


def build() -> dict[str, Any]:
    schemas: dict[str, Any] = {
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["code", "message", "message_en"],
                    "properties": {
                        "code": {"type": "string"},
                        "message": {"type": "string", "description": "Vietnamese"},
                        "message_en": {"type": "string", "description": "English"},
                        "fields": {
                            "type": "object",
                            "description": "what is wrong with each field of the request (__all__: the whole)",
                            "additionalProperties": {
                                "type": "object",
                                "required": ["message", "message_en"],
                                "properties": {"message": {"type": "string"}, "message_en": {"type": "string"}},
                            },
                        },
                    },
                }
            },
        },
        "Units": UNIT,
    }
    paths: dict[str, Any] = {
        "/api/v1/units/": {
            "get": {
                "operationId": "list_units",
                "summary": "Units of the organisation (in tree order)",
                "parameters": [
                    {
                        "name": "after",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "pattern": "^[0-9]*$"},
                    },
                    {"name": "q", "in": "query", "required": False, "schema": {"type": "string"}},
                    {"name": "level", "in": "query", "required": False, "schema": {"type": "string"}},
                    {"name": "kind", "in": "query", "required": False, "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {"description": "A page", "content": {"application/json": {"schema": _page("Units")}}},
                    **_errors(400, 401, 429),
                },
            }
        },
        "/api/v1/units/{id}/": {
            "get": {
                "operationId": "get_units",
                "summary": "A unit",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": ID_SCHEMA}],
                "responses": {
                    "200": {"description": "A unit", "content": {"application/json": {"schema": UNIT}}},
                    **_errors(401, 404, 429),
                },
            }
        },
    }
    for resource in RESOURCES:
        item = resource.name.title().replace("_", "")
        schemas[item] = {
            "type": "object",
            "required": list(resource.fields),
            "properties": {name: _field(spec) for name, spec in resource.fields.items()},
        }
        paths.update(_paths_of(resource))
    schemas.update(more.SCHEMAS)
    for path, operations in more.paths().items():
        paths.setdefault(path, {}).update(operations)
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Đoàn Kết API",
            "version": "1",
            "description": (
                "Read the records of your units as the pages show them, and write what integrations bring "
                "(progress updates, report figures, petitions, donations) through the pages' own rules. "
                "Authenticate with your session or with a token a unit administrator issued (Authorization: "
                "Bearer dk_…); writing needs a write token (or a session and its CSRF token). The public ledger "
                "needs neither. Errors carry a code and a message in Vietnamese and English, and for a bad "
                "request each field's. Pages: ?after=<next> until next is null. A write sent again with the "
                "same Idempotency-Key header is answered as the first time, and written once."
            ),
        },
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME},
            },
        },
        "security": [{"token": []}, {"session": []}],
        "paths": paths,
    }
