"""The schema of the endpoints that are not declared resources: the public ledger, the roll-ups
and the writes. A write's body is described from the very form the page reads it with
(``api.writes.WRITES``), so the schema and the validation cannot drift apart."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import translation

from doanket.api.resources import BIGGEST
from doanket.api.writes import FORM_FIELDS_LEFT_OUT, REPORT_BODY, WRITES, Write
from doanket.petitions.services import channels_for_staff

ANY: dict[str, Any] = {"description": "a figure (number), a text, true/false, or null"}
_PUBLIC_ENTRY = {
    "type": "object",
    "required": ["index", "fields", "entry"],
    "properties": {
        "index": {"type": "integer"},
        "fields": {"type": "object", "additionalProperties": True, "description": "the entry as published"},
        "entry": {"type": "string", "description": "the exact published text (its leaf hash is in the log)"},
    },
}
_LEDGER_CAMPAIGN = {
    "id": {"type": "integer"},
    "name": {"type": "string"},
    "unit_name": {"type": "string"},
    "kind": {"type": "string"},
    "starts_on": {"type": "string", "format": "date"},
    "ends_on": {"type": "string", "format": "date", "nullable": True},
    "received": {"type": "integer", "description": "đồng"},
    "donations": {"type": "integer"},
    "allocated": {"type": "integer", "description": "đồng"},
    "disbursed": {"type": "integer", "description": "đồng"},
}
_PERIOD = {
    "type": "object",
    "nullable": True,
    "required": ["key", "start", "end"],
    "properties": {
        "key": {"type": "string"},
        "start": {"type": "string", "format": "date"},
        "end": {"type": "string", "format": "date"},
    },
}
_COUNTS = {name: {"type": "integer"} for name in ("expected", "arrived", "on_time", "approved")}

SCHEMAS: dict[str, Any] = {
    "LedgerCampaigns": {
        "type": "object",
        "required": [*_LEDGER_CAMPAIGN, "entries"],
        "properties": {**_LEDGER_CAMPAIGN, "entries": {"type": "integer", "description": "published entries"}},
    },
    "LedgerCampaign": {
        "type": "object",
        "required": [*_LEDGER_CAMPAIGN, "purpose", "allocations", "more_allocations"],
        "properties": {
            **_LEDGER_CAMPAIGN,
            "purpose": {"type": "string"},
            "allocations": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["index", "fields", "entry", "paid", "payments"],
                    "properties": {
                        **_PUBLIC_ENTRY["properties"],  # type: ignore[dict-item]
                        "paid": {"type": "integer", "description": "đồng"},
                        "payments": {"type": "array", "items": _PUBLIC_ENTRY},
                    },
                },
            },
            "more_allocations": {"type": "boolean", "description": "only the first 200 are listed"},
        },
    },
    "LedgerEntries": {
        "type": "object",
        "required": ["index", "date", "amount", "donor", "description", "corrects", "entry"],
        "properties": {
            "index": {"type": "integer"},
            "date": {"type": "string", "format": "date"},
            "amount": {"type": "integer", "description": "đồng"},
            "donor": {"type": "string", "nullable": True, "description": "null: anonymous, or not to be published"},
            "description": {"type": "string"},
            "corrects": {"type": "integer", "nullable": True, "description": "the entry this one corrects"},
            "entry": {"type": "string", "description": "the exact published text"},
        },
    },
    "Rollup": {
        "type": "object",
        "required": ["schedule_id", "unit_id", "period", "figures", "units", "missing", *_COUNTS],
        "properties": {
            "schedule_id": {"type": "integer"},
            "unit_id": {"type": "integer"},
            "period": _PERIOD,
            "previous_period": _PERIOD,
            "year_ago_period": _PERIOD,
            **_COUNTS,
            "missing": {"type": "integer"},
            "figures": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["code", "label", "type", "rollup", "value", "reported"],
                    "properties": {
                        "code": {"type": "string"},
                        "label": {"type": "string"},
                        "type": {"type": "string"},
                        "rollup": {"type": "string"},
                        "value": ANY,
                        "previous": ANY,
                        "year_ago": ANY,
                        "reported": {"type": "integer", "description": "approved reports carrying it"},
                        "choices": {"type": "object", "additionalProperties": {"type": "integer"}},
                    },
                },
            },
            "units": {
                "type": "array",
                "description": "the units directly below, each with its own figures",
                "items": {
                    "type": "object",
                    "required": ["unit_id", "name", "figures", *_COUNTS],
                    "properties": {
                        "unit_id": {"type": "integer"},
                        "name": {"type": "string"},
                        **_COUNTS,
                        "figures": {"type": "object", "additionalProperties": ANY},
                    },
                },
            },
        },
    },
    "ProgressUpdate": {
        "type": "object",
        "required": ["id", "text", "progress", "created_at", "assignment"],
        "properties": {
            "id": {"type": "integer"},
            "text": {"type": "string"},
            "progress": {"type": "integer"},
            "created_at": {"type": "string", "format": "date-time"},
            "assignment": {"$ref": "#/components/schemas/Assignments"},
        },
    },
    "ReportFiguresBody": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "values": {
                "type": "object",
                "additionalProperties": {
                    "nullable": True,
                    "description": "a figure (number or text as typed on the page), a text, true/false; null clears",
                },
                "description": "indicator code → figure; the codes not given keep their figures",
            },
            "submit": {"type": "boolean", "default": False, "description": "false: a draft; true: submitted"},
            "revision": {"type": "integer", "nullable": True, "description": "the report's revision read"},
        },
    },
}
assert set(SCHEMAS["ReportFiguresBody"]["properties"]) == set(REPORT_BODY)
CHOICES = {"channel": lambda: [value for value, _label in channels_for_staff()]}


def _form_field(name: str, field: forms.Field) -> dict[str, Any]:
    found: dict[str, Any]
    if isinstance(field, forms.ModelChoiceField):
        found = {"type": "integer", "minimum": 1, "maximum": BIGGEST, "description": "an id"}
    elif isinstance(field, forms.BooleanField):
        found = {"type": "boolean"}
    elif isinstance(field, forms.IntegerField):
        found = {"type": "integer"}
        if field.min_value is not None:
            found["minimum"] = field.min_value
        if field.max_value is not None:
            found["maximum"] = field.max_value
    elif isinstance(field, forms.DateField):
        found = {"type": "string", "format": "date", "description": "yyyy-mm-dd or dd/mm/yyyy"}
    elif isinstance(field, forms.ChoiceField):
        values = CHOICES[name]() if name in CHOICES else [str(v) for v, _label in list(field.choices) if v != ""]  # type: ignore[arg-type]
        found = {"type": "string", "enum": values}
    else:
        found = {"type": "string"}
        if isinstance(field, forms.EmailField):
            found["format"] = "email"
        if longest := getattr(field, "max_length", None):
            found["maxLength"] = longest
        if field.required:
            found["minLength"] = 1
    with translation.override("en"):  # the schema is the same whatever the caller's language
        label = str(field.label or name)
    found["description"] = f"{label} ({found['description']})" if "description" in found else label
    return found


def form_body(form: type[forms.Form]) -> dict[str, Any]:
    """A form's fields as a JSON body: the same names, types, bounds and choices."""
    fields = {name: f for name, f in form.base_fields.items() if name not in FORM_FIELDS_LEFT_OUT}
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [name for name, f in fields.items() if f.required],
        "properties": {name: _form_field(name, f) for name, f in fields.items()},
    }


def _body_of(write: Write) -> dict[str, Any]:
    if write.form is None:
        return {"$ref": "#/components/schemas/ReportFiguresBody"}
    return form_body(write.form)


def paths() -> dict[str, dict[str, Any]]:
    from doanket.api import schema as base  # the shared parts (it imports this module)

    def ok(description: str, schema: dict[str, Any]) -> dict[str, Any]:
        return {"description": description, "content": {"application/json": {"schema": schema}}}

    def ref(name: str) -> dict[str, Any]:
        return {"$ref": f"#/components/schemas/{name}"}

    query = [
        {"name": "after", "in": "query", "required": False, "schema": {"type": "string", "pattern": "^[0-9]{0,18}$"}}
    ]
    found: dict[str, dict[str, Any]] = {
        "/api/v1/ledger/": {
            "get": {
                "operationId": "list_ledger_campaigns",
                "summary": "Public: the campaigns that published their accounts (as the portal lists them)",
                "security": [],
                "parameters": query,
                "responses": {"200": ok("A page", base._page("LedgerCampaigns")), **base._errors(400)},
            }
        },
        "/api/v1/ledger/{id}/": {
            "get": {
                "operationId": "get_ledger_campaign",
                "summary": "Public: a campaign's totals and its published allocations and payments",
                "security": [],
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": base.ID_SCHEMA}],
                "responses": {"200": ok("A campaign", ref("LedgerCampaign")), **base._errors(404)},
            }
        },
        "/api/v1/ledger/{id}/entries/": {
            "get": {
                "operationId": "search_ledger_entries",
                "summary": "Public: a campaign's standing donations, searched as on the portal (50 a page)",
                "security": [],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": base.ID_SCHEMA},
                    {"name": "q", "in": "query", "required": False, "schema": {"type": "string"}},
                    {
                        "name": "amount",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string"},
                        "description": "đồng: 500.000, 500,000 or 500000",
                    },
                    {
                        "name": "date_from",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string"},
                        "description": "dd/mm/yyyy or yyyy-mm-dd",
                    },
                    {
                        "name": "date_to",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string"},
                        "description": "dd/mm/yyyy or yyyy-mm-dd",
                    },
                    {
                        "name": "page",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 1, "maximum": BIGGEST},
                    },
                ],
                "responses": {"200": ok("A page", base._page("LedgerEntries")), **base._errors(400, 404)},
            }
        },
        "/api/v1/rollups/{id}/": {
            "get": {
                "operationId": "get_rollup",
                "summary": "A schedule's roll-up for a unit and a period, as the roll-up page shows it",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": base.ID_SCHEMA},
                    {
                        "name": "unit",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 0, "maximum": BIGGEST},
                        "description": "the unit's id (by default the schedule's, or your topmost one under it)",
                    },
                    {
                        "name": "period",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string"},
                        "description": "2026-Q1, 2026-03, 2026 … as the schedule's frequency (by default the latest)",
                    },
                ],
                "responses": {"200": ok("The roll-up", ref("Rollup")), **base._errors(400, 401, 404, 429)},
            }
        },
    }
    key = {
        "name": "Idempotency-Key",
        "in": "header",
        "required": False,
        "schema": {"type": "string", "pattern": "^[!-~]{1,100}$"},
        "description": "a retry with the same key and request is answered as the first time, written once",
    }
    for write in WRITES:
        parameters = [key]
        if "{id}" in write.path:
            parameters.insert(0, {"name": "id", "in": "path", "required": True, "schema": base.ID_SCHEMA})
        answer = "ProgressUpdate" if write.answers == "ProgressUpdate" else write.answers.title()
        found.setdefault(write.path, {})["post"] = {
            "operationId": write.operation,
            "summary": write.summary,
            "parameters": parameters,
            "requestBody": {"required": True, "content": {"application/json": {"schema": _body_of(write)}}},
            "responses": {
                str(write.status): ok("Written", ref(answer)),
                **base._errors(400, 401, 403, 404, 409, 422, 429),
            },
        }
    return found
