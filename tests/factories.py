"""One factory per model. Names are Vietnamese (Faker vi_VN); units mirror the 2023 shape."""

import datetime
import uuid

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.models import Department, Official
from assignments.models import Assignment, SupportAction
from households.models import (
    Assessment,
    Commune,
    District,
    Household,
    Member,
    PovertyStandard,
    Province,
    ReviewRound,
    Village,
    VillageMeeting,
)
from households.services import household_search_key, member_search_key
from plans.models import ExitRegistration, Plan, Responsibility
from povertyplan.roles import Role


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province

    code = factory.Sequence(lambda n: f"{70 + n}")
    name = factory.Sequence(lambda n: f"Tỉnh thử {n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    province = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"{700 + n}")
    name = factory.Sequence(lambda n: f"Huyện thử {n}")


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune

    district = factory.SubFactory(DistrictFactory)
    province = factory.SelfAttribute("district.province")
    code = factory.Sequence(lambda n: f"{30000 + n}")
    name = factory.Sequence(lambda n: f"Xã thử {n}")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    commune = factory.SubFactory(CommuneFactory)
    name = factory.Sequence(lambda n: f"Làng thử {n}")
    search_key = factory.LazyAttribute(lambda o: member_search_key(full_name=o.name))


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    village = factory.SubFactory(VillageFactory)
    commune = factory.SelfAttribute("village.commune")
    code = factory.Sequence(lambda n: f"H{n:05d}")
    head_name = factory.Faker("name", locale="vi_VN")
    address = factory.LazyAttribute(lambda o: o.village.name)
    search_key = factory.LazyAttribute(
        lambda o: household_search_key(code=o.code, head_name=o.head_name, address=o.address)
    )


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    household = factory.SubFactory(HouseholdFactory)
    number = factory.Sequence(lambda n: n + 1)
    full_name = factory.Faker("name", locale="vi_VN")
    birth_year = 1985
    sex = Member.Sex.FEMALE
    relation = Member.Relation.SPOUSE
    search_key = factory.LazyAttribute(lambda o: member_search_key(full_name=o.full_name))


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    household = factory.SubFactory(HouseholdFactory)
    review_year = 2022
    standard = factory.LazyFunction(lambda: PovertyStandard.objects.get(code="2022-2025"))
    income_per_capita_month = 1_200_000
    computed_classification = "poor"
    classification = factory.SelfAttribute("computed_classification")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("mat-khau-thu")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    commune = factory.SubFactory(CommuneFactory)
    code = factory.Sequence(lambda n: f"dept-{n}")
    name = factory.Sequence(lambda n: f"Ban thử {n}")


class OfficialFactory(factory.django.DjangoModelFactory):
    """An official of a commune; pass role=… to put the user in that role's group."""

    class Meta:
        model = Official
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    full_name = factory.Faker("name", locale="vi_VN")
    position = "Công chức"
    commune = factory.SubFactory(CommuneFactory)

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        if create:
            obj.user.groups.add(Group.objects.get(name=Role(extracted or Role.OFFICIAL).value))


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        django_get_or_create = ("commune", "year")

    commune = factory.SubFactory(CommuneFactory)
    year = 2023
    baseline_review_year = 2022
    title = "Kế hoạch phụ trách, giúp đỡ các hộ thoát nghèo"
    legal_bases = "Căn cứ Quyết định số 90/QĐ-TTg"
    purposes = "Mục đích"
    requirements = "Yêu cầu"
    target_exits = 5
    time_frame = "Đến hết năm 2023"
    signer_name = "Trần Văn Nhơn"
    recipients = "Lưu: VT, VX."


class ResponsibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Responsibility

    plan = factory.SubFactory(PlanFactory)
    department = factory.SubFactory(DepartmentFactory, commune=factory.SelfAttribute("..plan.commune"))
    heading = "Công chức thử"
    tasks = "Nhiệm vụ một\nNhiệm vụ hai"


class ExitRegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExitRegistration

    household = factory.SubFactory(HouseholdFactory)
    plan = factory.SubFactory(PlanFactory, commune=factory.SelfAttribute("..household.commune"))
    registered_on = datetime.date(2023, 2, 10)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    household = factory.SubFactory(HouseholdFactory)
    plan = factory.SubFactory(PlanFactory, commune=factory.SelfAttribute("..household.commune"))
    official = factory.SubFactory(OfficialFactory, commune=factory.SelfAttribute("..household.commune"))
    started_on = datetime.date(2023, 2, 10)


class SupportActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportAction

    household = factory.SubFactory(HouseholdFactory)
    official = factory.SubFactory(OfficialFactory, commune=factory.SelfAttribute("..household.commune"))
    date = datetime.date(2023, 3, 1)
    kind = SupportAction.Kind.KNOWLEDGE
    description = "Hướng dẫn kỹ thuật chăm sóc bò"
    contributor = SupportAction.Contributor.OFFICIAL
    client_uuid = factory.LazyFunction(uuid.uuid4)


class ReviewRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewRound

    commune = factory.SubFactory(CommuneFactory)
    year = 2023
    starts_on = factory.LazyAttribute(lambda o: datetime.date(o.year, 9, 1))
    ends_on = factory.LazyAttribute(lambda o: datetime.date(o.year, 12, 14))


class VillageMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VillageMeeting

    round = factory.SubFactory(ReviewRoundFactory)
    village = factory.SubFactory(VillageFactory, commune=factory.SelfAttribute("..round.commune"))
    held_on = factory.LazyAttribute(lambda o: datetime.date(o.round.year, 11, 20))
    attendance = 40
