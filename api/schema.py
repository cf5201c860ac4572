"""The OpenAPI 3.1 document of the offline client's API, served at /api/schema.json.

Built from the same constants the code uses (model choices, form limits, paging bounds), so the
document cannot drift from what the server accepts. The title follows the interface language
(Vietnamese by default); descriptions are developer documentation, in English.
The component schemas are plain JSON Schema 2020-12: the tests validate every answer against them.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from api import serializers
from assignments.forms import SupportActionForm
from assignments.models import SupportAction
from households.classification import Level
from plans.models import ExitRegistration

API_VERSION = "1.2.0"  # 1.1: value_vnd and quantity may be sent as typed text; 1.2: indicators

DESCRIPTION = """\
JSON API used by the offline client (the phone app officials use in the villages).

**Sign-in.** Session cookie: sign in through the web sign-in page, then call the API
with the same cookies. Without a session every endpoint but this document answers 401 (JSON,
never a redirect to the sign-in page).

**CSRF.** Every POST must send the header `X-CSRFToken` with the value of the `csrftoken` cookie
(Django's CSRF protection). `GET /api/my-households` sets that cookie. A failed check answers 403.

**Scope.** Exactly the scope of the pages: an official sees the households they are currently in
charge of; a commune officer their commune; an upper office (read-only) the communes under it.
A household outside the caller's scope is 404, never 403, so its existence is not revealed.

**Idempotency.** The client makes a UUID per support entry (`client_uuid`) and may re-send it any
number of times: the first request stores the entry (201), every later one answers 200 with the
*stored* record, even if the re-sent body differs. A support logged for a household that was
meanwhile handed to another official is still stored, flagged `needs_review` with a
`review_reason` for the commune officer.

**Errors.** Every error is JSON: `{"message": "...", "errors": {"field": ["..."]}}`, in the
interface language (Vietnamese by default). `errors` is present when specific fields are at fault;
a rule spanning several fields is reported under `__all__`.
"""


def _choices(choices) -> str:
    return "; ".join(f"`{value}`: {label}" for value, label in choices)


def _error_response(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _component_schemas() -> dict:
    form_fields = SupportActionForm.base_fields
    iso_date = {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    kind = {
        "type": "string",
        "enum": list(SupportAction.Kind.values),
        "description": _choices(SupportAction.Kind.choices),
    }
    contributor = {
        "type": "string",
        "enum": list(SupportAction.Contributor.values),
        "description": _choices(SupportAction.Contributor.choices),
    }
    value_vnd = {
        "type": "integer",
        "minimum": 0,
        "maximum": serializers.MAX_DB_INTEGER,
        "description": "Value in đồng.",
    }
    quantity = {
        "type": ["number", "null"],
        "minimum": 0,
        "description": (
            f"A JSON number with at most {form_fields['quantity'].decimal_places} decimal places and "
            f"{form_fields['quantity'].max_digits} digits, or null. Needs a `unit`."
        ),
    }
    typed_quantity = {
        "type": ["number", "string", "null"],
        "description": (
            quantity["description"]
            + ' Or the text as the person typed it, read the Vietnamese way: "1,5" is 1.5, '
            '"1.500" is 1500, "2.5" is 2.5; "" means none.'
        ),
    }
    typed_value_vnd = {
        "type": ["integer", "string", "null"],
        "minimum": 0,
        "maximum": serializers.MAX_DB_INTEGER,
        "maxLength": form_fields["value_vnd"].max_length,
        "description": (
            "Value in đồng: the text as the person typed it (what the web page sends), read by the "
            'server: "1.500.000", "1 500 000 đ", "2tr", "2 triệu", "1,5 triệu", "500k", "500 nghìn". '
            'Ambiguous text such as "1,5" or "1.5" is refused (400) with a message saying how to type '
            'it. A whole number (JSON integer) is also accepted. Missing, null or "" means 0.'
        ),
    }
    indicator_codes = {
        "type": "array",
        "items": {"type": "string"},
        "description": (
            "Codes of the deprivation indicators the support addresses (e.g. `water_source` for a "
            "water tank), as in `deprived_indicators` of `GET /api/my-households`. Only indicators of "
            "the poverty standard in force on the support's `date` may be named: an unknown code, or "
            "one of another standard, is refused (400, `errors.indicators`)."
        ),
    }
    return {
        "SupportActionInput": {
            "type": "object",
            "additionalProperties": False,
            "required": list(serializers.SUPPORT_ACTION_REQUIRED),
            "properties": {
                "client_uuid": {
                    "type": "string",
                    "format": "uuid",
                    "description": "Made by the client, once per entry; re-sending it stores nothing new.",
                },
                "household": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": serializers.MAX_DB_INTEGER,
                    "description": "The household's `id`, as in `GET /api/my-households`.",
                },
                "kind": kind,
                "date": {
                    **iso_date,
                    "description": (
                        "YYYY-MM-DD. Not after today (Vietnam time), and in the year of the "
                        "household's plan (the plan of its latest assignment): a support counts under "
                        "the plan in force on its date. Otherwise 400, with the same message as the page."
                    ),
                },
                "description": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": form_fields["description"].max_length,
                },
                "quantity": typed_quantity,
                "unit": {
                    "type": ["string", "null"],
                    "maxLength": form_fields["unit"].max_length,
                    "description": "Unit of the quantity (days, head, kg…); required with `quantity`.",
                },
                "value_vnd": typed_value_vnd,
                "contributor": contributor,
                "indicators": {
                    **indicator_codes,
                    "type": ["array", "null"],
                    "maxItems": serializers.MAX_INDICATOR_CODES,
                    "description": indicator_codes["description"] + " Missing, null or [] means none.",
                },
            },
        },
        "SupportAction": {
            "type": "object",
            "additionalProperties": False,
            "required": [
                "id",
                "client_uuid",
                "household",
                "official",
                "kind",
                "date",
                "description",
                "quantity",
                "unit",
                "value_vnd",
                "contributor",
                "indicators",
                "needs_review",
                "review_reason",
                "created_at",
            ],
            "properties": {
                "id": {"type": "integer"},
                "client_uuid": {"type": "string", "format": "uuid"},
                "household": {"type": "integer", "description": "The household's id."},
                "official": {
                    "type": "integer",
                    "description": "Id of the official the entry is logged under.",
                },
                "kind": kind,
                "date": iso_date,
                "description": {"type": "string"},
                "quantity": quantity,
                "unit": {"type": "string"},
                "value_vnd": value_vnd,
                "contributor": contributor,
                "indicators": {**indicator_codes, "description": "Codes of the indicators it addresses."},
                "needs_review": {
                    "type": "boolean",
                    "description": "The commune officer must look at the entry (see `review_reason`).",
                },
                "review_reason": {
                    "type": "string",
                    "description": "Why it needs review; empty when it does not.",
                },
                "created_at": {"type": "string", "format": "date-time"},
            },
        },
        "Household": {
            "type": "object",
            "additionalProperties": False,
            "required": [
                "id",
                "code",
                "head_name",
                "village",
                "village_id",
                "address",
                "is_ethnic_minority",
                "latest_classification",
                "deprived_indicators",
                "exit_status",
                "last_support_date",
                "url",
            ],
            "properties": {
                "id": {"type": "integer"},
                "code": {"type": "string", "description": "Household code, unique in its commune."},
                "head_name": {"type": "string"},
                "village": {"type": "string", "description": "The village's name."},
                "village_id": {"type": "integer"},
                "address": {"type": "string"},
                "is_ethnic_minority": {"type": "boolean"},
                "latest_classification": {
                    "type": ["string", "null"],
                    "enum": [*Level.values, None],
                    "description": "Result of the latest periodic review: " + _choices(Level.choices),
                },
                "deprived_indicators": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "Codes of the indicators the latest periodic review found deprived.",
                },
                "exit_status": {
                    "type": ["string", "null"],
                    "enum": [*ExitRegistration.Status.values, None],
                    "description": "Exit registration of the latest plan: "
                    + _choices(ExitRegistration.Status.choices),
                },
                "last_support_date": {**iso_date, "type": ["string", "null"]},
                "url": {"type": "string", "description": "Path of the household's page."},
            },
        },
        "Error": {
            "type": "object",
            "additionalProperties": False,
            "required": ["message"],
            "properties": {
                "message": {"type": "string", "description": "A summary for the user."},
                "errors": {
                    "type": "object",
                    "description": "Messages per field of the request (`__all__`: several fields).",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                },
            },
        },
    }


def openapi_document() -> dict:
    """The whole document, as a dict ready for JSON."""
    csrf_header = settings.CSRF_HEADER_NAME.removeprefix("HTTP_").replace("_", "-")
    not_signed_in = _error_response("Not signed in.")
    wrong_method = _error_response("Method not allowed (the `Allow` header lists the right one).")
    support_action = {"application/json": {"schema": {"$ref": "#/components/schemas/SupportAction"}}}
    paging = [
        {
            "name": "offset",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 0, "default": 0},
            "description": "Rows to skip.",
        },
        {
            "name": "limit",
            "in": "query",
            "required": False,
            "schema": {
                "type": "integer",
                "minimum": 1,
                "maximum": serializers.HOUSEHOLDS_MAX_LIMIT,
                "default": serializers.HOUSEHOLDS_DEFAULT_LIMIT,
            },
            "description": "Rows per answer.",
        },
    ]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": _("Poverty-reduction plan: API for the offline client"),
            "version": API_VERSION,
            "description": DESCRIPTION,
        },
        "servers": [{"url": "/"}],
        "security": [{"session": []}],
        "paths": {
            reverse("api:my_households"): {
                "get": {
                    "operationId": "myHouseholds",
                    "summary": "The households the caller follows",
                    "description": (
                        "The households in the caller's scope, the same as the household list page "
                        "(archived ones left out), ordered by code. Long scopes come in pages: a "
                        '`Link: <…>; rel="next"` header points to the next one. Also sets the '
                        "`csrftoken` cookie."
                    ),
                    "parameters": paging,
                    "responses": {
                        "200": {
                            "description": "A JSON list (possibly empty).",
                            "headers": {
                                "Link": {
                                    "description": 'The next page, when there is one: `<url>; rel="next"`.',
                                    "schema": {"type": "string"},
                                }
                            },
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Household"},
                                    }
                                }
                            },
                        },
                        "400": _error_response("Bad `offset` or `limit`."),
                        "401": not_signed_in,
                        "405": wrong_method,
                    },
                }
            },
            reverse("api:support_actions"): {
                "post": {
                    "operationId": "recordSupportAction",
                    "summary": "Record one support given to a household",
                    "description": (
                        "Validated with the same rules as the page. An official logs for the households "
                        "they are (or were) in charge of; the commune officer for any household of the "
                        "commune; read-only roles get 403."
                    ),
                    "security": [{"session": [], "csrf": []}],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/SupportActionInput"}
                            }
                        },
                    },
                    "responses": {
                        "201": {"description": "Stored now.", "content": support_action},
                        "200": {
                            "description": "This `client_uuid` was stored before: the stored record.",
                            "content": support_action,
                        },
                        "400": _error_response(
                            "Not stored: malformed JSON, not an object, unknown or missing fields, or a "
                            "value the rules refuse (`errors` says which)."
                        ),
                        "401": not_signed_in,
                        "403": _error_response(
                            "CSRF check failed, or the caller's role may not log support."
                        ),
                        "404": _error_response(
                            "The household is not in the caller's scope (`errors.household`), or the "
                            "`client_uuid` belongs to a record the caller may not see (`errors.client_uuid`)."
                        ),
                        "405": wrong_method,
                        "413": _error_response("The body is too large."),
                        "415": _error_response(
                            "The body is sent with a content type other than `application/json`."
                        ),
                    },
                }
            },
            reverse("api:schema"): {
                "get": {
                    "operationId": "openapiDocument",
                    "summary": "This document",
                    "description": "Readable without signing in: it describes the API and holds no data.",
                    "security": [],
                    "responses": {
                        "200": {
                            "description": "The OpenAPI 3.1 document.",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        "405": wrong_method,
                    },
                }
            },
        },
        "components": {
            "schemas": _component_schemas(),
            "securitySchemes": {
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": settings.SESSION_COOKIE_NAME,
                    "description": f"Django session cookie, set by signing in at `{reverse('login')}`.",
                },
                "csrf": {
                    "type": "apiKey",
                    "in": "header",
                    "name": csrf_header,
                    "description": f"The value of the `{settings.CSRF_COOKIE_NAME}` cookie (Django CSRF).",
                },
            },
        },
    }
