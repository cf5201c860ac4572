"""Helpers for the API tests: every answer they receive is checked against the served OpenAPI document."""

import json

from django.urls import reverse
from jsonschema import Draft202012Validator

from api.schema import openapi_document


def assert_documented(response) -> None:
    """The answer's status is documented for its path and method, and its JSON body fits the schema."""
    document = openapi_document()
    path = response.request["PATH_INFO"]
    method = response.request["REQUEST_METHOD"].lower()
    operation = document["paths"][path][method]
    status = str(response.status_code)
    assert status in operation["responses"], f"{method.upper()} {path} answered undocumented {status}"
    assert response["Content-Type"].startswith("application/json")
    schema = operation["responses"][status]["content"]["application/json"]["schema"]
    validator = Draft202012Validator(
        {**schema, "components": document["components"]}, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    validator.validate(response.json())


def post_support(client, payload, **extra):
    """POST to /api/support-actions: a dict or list is sent as JSON, a str or bytes as it is."""
    body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    response = client.post(reverse("api:support_actions"), body, content_type="application/json", **extra)
    assert_documented(response)
    return response


def get_my_households(client, **params):
    response = client.get(reverse("api:my_households"), params)
    assert_documented(response)
    return response
