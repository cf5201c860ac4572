import json
import uuid

import pytest
from django.urls import URLPattern, get_resolver, reverse
from jsonschema import Draft202012Validator

from assignments.models import SupportAction
from tests.api import assert_documented

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(client):
    response = client.get(reverse("api:schema"))
    assert_documented(response)
    assert response.status_code == 200
    return json.loads(response.content)


def _validator(document, name):
    return Draft202012Validator(
        {"$ref": f"#/components/schemas/{name}", "components": document["components"]},
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def test_the_document_is_served_without_signing_in_and_names_both_endpoints(document):
    assert document["openapi"] == "3.1.0"
    assert {"/api/my-households", "/api/support-actions", "/api/schema.json"} == set(document["paths"])
    assert document["servers"] == [{"url": "/"}]


def test_the_title_is_vietnamese(document):
    assert document["info"]["title"] == "Kế hoạch giảm nghèo: API cho ứng dụng ngoại tuyến"


def test_every_api_route_is_documented(document):
    api_urls = get_resolver().namespace_dict["api"][1]
    names = [pattern.name for pattern in api_urls.url_patterns if isinstance(pattern, URLPattern)]
    assert {reverse(f"api:{name}") for name in names} == set(document["paths"])


def test_the_component_schemas_are_valid_json_schema(document):
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def test_every_reference_resolves(document):
    text = json.dumps(document)
    refs = {part.split('"')[0] for part in text.split('"$ref": "#/components/schemas/')[1:]}
    assert refs and refs <= set(document["components"]["schemas"])


def test_enums_come_from_the_model_choices(document):
    properties = document["components"]["schemas"]["SupportActionInput"]["properties"]
    assert properties["kind"]["enum"] == ["knowledge", "labour", "materials"] == SupportAction.Kind.values
    assert properties["contributor"]["enum"] == SupportAction.Contributor.values


def test_the_request_schema_refuses_what_the_server_refuses(document):
    validator = _validator(document, "SupportActionInput")
    good = {
        "client_uuid": str(uuid.uuid4()),
        "household": 1,
        "kind": "labour",
        "date": "2023-03-01",
        "description": "Giúp ngày công",
        "quantity": 2,
        "unit": "ngày công",
        "value_vnd": 400000,
        "contributor": "official",
    }
    assert validator.is_valid(good)
    assert validator.is_valid(
        {key: good[key] for key in ("client_uuid", "household", "kind", "date", "description", "contributor")}
    )
    # The page's script sends the value and the quantity as typed; the server reads them.
    assert validator.is_valid({**good, "value_vnd": "1,5 triệu", "quantity": "1,5"})
    assert validator.is_valid({**good, "value_vnd": "", "quantity": ""})
    for bad in (
        {**good, "extra_field": 1},
        {**good, "kind": "money"},
        {**good, "value_vnd": 1.5},
        {**good, "value_vnd": [1]},
        {**good, "value_vnd": "1" * 41},
        {**good, "quantity": [2]},
        {**good, "value_vnd": -1},
        {**good, "household": "1"},
        {**good, "date": "01/03/2023"},
        {key: value for key, value in good.items() if key != "description"},
    ):
        assert not validator.is_valid(bad), bad


def test_session_and_csrf_are_documented(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes["session"] == {**schemes["session"], "type": "apiKey", "in": "cookie", "name": "sessionid"}
    assert schemes["csrf"]["in"] == "header"
    assert schemes["csrf"]["name"].lower() == "x-csrftoken"
    post = document["paths"]["/api/support-actions"]["post"]
    assert post["security"] == [{"session": [], "csrf": []}]
    assert {"200", "201", "400", "401", "403", "404"} <= set(post["responses"])
    assert document["paths"]["/api/schema.json"]["get"]["security"] == []


def test_the_schema_answers_405_to_a_post(client):
    response = client.post(reverse("api:schema"))
    assert response.status_code == 405
    assert response.json()["message"]


def test_the_request_schema_takes_an_optional_list_of_indicator_codes(document):
    validator = _validator(document, "SupportActionInput")
    good = {
        "client_uuid": str(uuid.uuid4()),
        "household": 1,
        "kind": "materials",
        "date": "2023-03-01",
        "description": "Bể chứa nước",
        "contributor": "official",
    }
    for indicators in (["water_source"], ["water_source", "latrine"], [], None):
        assert validator.is_valid({**good, "indicators": indicators}), indicators
    for indicators in ("water_source", [9], [None], {"code": "water_source"}, ["x"] * 51):
        assert not validator.is_valid({**good, "indicators": indicators}), indicators
    answer = document["components"]["schemas"]["SupportAction"]
    assert "indicators" in answer["required"] and answer["properties"]["indicators"]["type"] == "array"
