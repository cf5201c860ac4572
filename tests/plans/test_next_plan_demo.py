"""The demo's cycle: as `ldtbxh`, close the 2023 review and start 2024 from it, the 13 households
that did not exit carried forward with their officials.

The demo is loaded once for the module inside a transaction rolled back at the end.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from demo import data, loader
from households import review_status
from households import services as household_services
from plans.models import ExitRegistration, Plan


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        result = loader.load_demo()
        yield result
        transaction.set_rollback(True)


@pytest.fixture
def plan(loaded, db):
    return Plan.objects.get(commune=loaded.commune, year=2023)


def test_2024_starts_from_the_closed_2023_review_with_the_13_not_exited(client, plan):
    officer = get_user_model().objects.get(username="ldtbxh")
    client.force_login(officer)
    url = reverse("assignments:plan_next", args=[plan.pk])
    assert "Đợt rà soát định kỳ năm 2023 chưa kết thúc" in client.get(url).content.decode()

    household_services.review_round_close(
        review_round=review_status.periodic_round(commune=plan.commune, year=2023),
        decision_number="01/QĐ-UBND",
        decision_date=datetime.date(2023, 12, 20),
        by=officer,
    )
    page = client.get(url)
    start = page.context["start"]
    assert len(start.carried) == data.NOT_EXITED == 13
    assert all(item.official is not None for item in start.carried)
    assert start.candidates and all(
        c.household_id not in {i.household.pk for i in start.carried} for c in start.candidates
    )

    form = page.context["form"]
    sent = {name: form[name].value() for name in form.fields}
    sent = {name: value for name, value in sent.items() if value not in (False, None)}
    sent = {name: ("on" if value is True else value) for name, value in sent.items()}
    sent["registered_on"] = "02/01/2024"
    assert client.post(url, sent).status_code == 302

    new = Plan.objects.get(commune=plan.commune, year=2024)
    carried = set(new.exit_registrations.values_list("household_id", flat=True))
    assert carried == {item.household.pk for item in start.carried}
    assert new.assignments.filter(ended_on__isnull=True).count() == 13
    assert new.baseline_review_year == 2023 and new.responsibilities.count() == plan.responsibilities.count()
    assert set(ExitRegistration.objects.filter(plan=new).values_list("status", flat=True)) == {"registered"}
