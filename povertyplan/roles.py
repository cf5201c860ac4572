"""Role names: the one vocabulary every app shares.

A role is a Django group (created after every migrate by `accounts`), so coarse verbs are model
permissions on the group. Row scope (which commune, which households) lives in the selectors.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    COMMUNE_OFFICER = "commune_officer", _("Commune labour–social affairs officer")
    OFFICIAL = "official", _("Official in charge of households")
    UPPER_OFFICE = "upper_office", _("Upper-level office")
    NONE = "none", _("No role")


# Roles that are granted through a group (the administrator is a superuser).
GROUP_ROLES = (Role.COMMUNE_OFFICER, Role.OFFICIAL, Role.UPPER_OFFICE)

# Model permissions per role group: "app.codename" strings, or "app.*" for add/change/view of the app.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.COMMUNE_OFFICER: (
        "households.add_household",
        "households.change_household",
        "households.view_household",
        "households.add_member",
        "households.change_member",
        "households.delete_member",
        "households.view_member",
        "households.add_assessment",
        "households.change_assessment",
        "households.view_assessment",
        "households.add_reviewround",
        "households.change_reviewround",
        "households.view_reviewround",
        "households.add_villagemeeting",
        "households.change_villagemeeting",
        "households.view_villagemeeting",
        "households.view_povertystandard",
        "households.view_indicator",
        "households.view_province",
        "households.view_district",
        "households.view_commune",
        "households.view_village",
        "households.view_ethnicity",
        "households.view_povertycause",
        "households.view_supportneed",
        "households.import_lists",
        "accounts.view_department",
        "accounts.add_department",
        "accounts.change_department",
        "accounts.view_official",
        "plans.add_plan",
        "plans.change_plan",
        "plans.view_plan",
        "plans.view_programme",
        "plans.view_project",
        "plans.add_responsibility",
        "plans.change_responsibility",
        "plans.delete_responsibility",
        "plans.view_responsibility",
        "plans.add_exitregistration",
        "plans.change_exitregistration",
        "plans.view_exitregistration",
        "assignments.add_assignment",
        "assignments.change_assignment",
        "assignments.view_assignment",
        "assignments.add_supportaction",
        "assignments.change_supportaction",
        "assignments.view_supportaction",
    ),
    Role.OFFICIAL: (
        "households.view_household",
        "households.view_member",
        "households.view_assessment",
        "plans.view_exitregistration",
        "assignments.view_assignment",
        "assignments.view_supportaction",
        "assignments.add_supportaction",
    ),
    Role.UPPER_OFFICE: (
        "households.view_household",
        "households.view_member",
        "households.view_assessment",
        "households.view_reviewround",
        "households.view_villagemeeting",
        "plans.view_plan",
        "plans.view_exitregistration",
        "assignments.view_assignment",
        "assignments.view_supportaction",
    ),
}
