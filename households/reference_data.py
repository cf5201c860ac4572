"""Loading reference data (standards, ethnic groups, causes, needs, programmes) from fixtures/.

Called by data migrations with their historical models (`apps.get_model`), so a fresh database
has the reference data right after `migrate`. Idempotent: rows are matched on their codes.
"""

import json
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def read_fixture(relative: str):
    return json.loads((FIXTURES / relative).read_text(encoding="utf-8"))


def load_standard(get_model, relative: str) -> None:
    PovertyStandard = get_model("households", "PovertyStandard")
    Indicator = get_model("households", "Indicator")
    data = read_fixture(relative)
    standard, _ = PovertyStandard.objects.update_or_create(
        code=data["code"],
        defaults={
            "name": data["name"],
            "legal_basis": data["legal_basis"],
            "start_year": data["start_year"],
            "end_year": data["end_year"],
            "rule": data["rule"],
            "poverty_line_rural": data["poverty_line"]["rural"],
            "poverty_line_urban": data["poverty_line"]["urban"],
            "average_ceiling_rural": data["average_living_ceiling"]["rural"],
            "average_ceiling_urban": data["average_living_ceiling"]["urban"],
            "min_deprivations": data["min_deprivations"],
            "params": data.get("params") or {},
        },
    )
    for item in data["indicators"]:
        Indicator.objects.update_or_create(
            standard=standard,
            code=item["code"],
            defaults={
                key: item[key]
                for key in ("number", "dimension", "dimension_en", "name", "name_en", "deprived_when")
            },
        )


def load_reference_lists(get_model) -> None:
    Ethnicity = get_model("households", "Ethnicity")
    for item in read_fixture("reference/ethnicities.json"):
        Ethnicity.objects.update_or_create(
            code=item["code"], defaults={"name": item["name"], "is_minority": item["is_minority"]}
        )
    for model_name, relative in (
        ("PovertyCause", "reference/causes.json"),
        ("SupportNeed", "reference/needs.json"),
    ):
        model = get_model("households", model_name)
        for item in read_fixture(relative):
            model.objects.update_or_create(
                code=item["code"],
                defaults={"name": item["name"], "name_en": item["name_en"], "order": item["order"]},
            )


def load_programme(get_model, relative: str) -> None:
    Programme = get_model("plans", "Programme")
    Project = get_model("plans", "Project")
    data = read_fixture(relative)
    programme, _ = Programme.objects.update_or_create(
        code=data["code"],
        defaults={key: data[key] for key in ("name", "decision", "start_year", "end_year")},
    )
    order = 0
    for project in data["projects"]:
        order += 1
        parent, _ = Project.objects.update_or_create(
            programme=programme,
            code=project["code"],
            defaults={
                "short_name": project["short_name"],
                "name": project["name"],
                "order": order,
                "parent": None,
            },
        )
        for sub in project["subprojects"]:
            order += 1
            Project.objects.update_or_create(
                programme=programme,
                code=sub["code"],
                defaults={
                    "short_name": sub["short_name"],
                    "name": sub["name"],
                    "order": order,
                    "parent": parent,
                },
            )
