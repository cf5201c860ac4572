"""Load the demo commune (xã Kông Lơng Khơng: 2022 review, 2023 plan). Safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from demo import data, loader
from households.classification import Level
from households.models import Assessment, Household, Member
from plans.models import Plan


class Command(BaseCommand):
    help = (
        "Load the demo commune Kông Lơng Khơng: 1,160 households of the 2022 review, the 2023 plan, "
        "51 exit registrations with their officials, and demo users. Running it again adds nothing "
        "and resets the demo users' password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Print nothing.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even with DEBUG off (a public demo server, never production).",
        )

    def handle(self, *args, **options):
        # The demo sets a documented password on "admin": never let it slip into a production database.
        if not (settings.DEBUG or settings.TESTING or options["force"]):
            raise CommandError(
                _("The demo sets known passwords: run it with DEBUG=1, or with --force on a demo server.")
            )
        result = loader.load_demo()
        if options["quiet"] or options["verbosity"] == 0:
            return
        commune = result.commune
        review = Assessment.objects.filter(
            household__commune=commune, review_year=data.REVIEW_YEAR, kind=Assessment.Kind.PERIODIC
        )
        levels = review.aggregate(
            poor=Count("pk", filter=Q(classification=Level.POOR)),
            near_poor=Count("pk", filter=Q(classification=Level.NEAR_POOR)),
        )
        plan = Plan.objects.filter(commune=commune, year=data.PLAN_YEAR).first()
        lines = [
            _("Demo commune %(commune)s loaded in %(seconds)s s.")
            % {"commune": commune.name, "seconds": number_format(result.seconds, 1)},
            _(
                "%(households)s households and %(members)s members; %(year)s review: %(poor)s poor, "
                "%(near_poor)s near-poor."
            )
            % {
                "households": number_format(Household.objects.filter(commune=commune).count()),
                "members": number_format(Member.objects.filter(household__commune=commune).count()),
                "year": data.REVIEW_YEAR,
                "poor": number_format(levels["poor"]),
                "near_poor": number_format(levels["near_poor"]),
            },
        ]
        if plan is not None:
            lines.append(
                _(
                    "Plan %(year)s: %(registrations)s households registered to exit poverty, "
                    "%(actions)s support actions."
                )
                % {
                    "year": plan.year,
                    "registrations": plan.exit_registrations.count(),
                    "actions": plan.support_actions.count(),
                }
            )
        if result.created_total:
            created = result.created
            actions = created["support_actions"] + created.get("support_follow_ups", 0)
            main = created["households"] + created["exit_registrations"] + actions
            lines.append(
                _(
                    "Added in this run: %(households)s households, %(registrations)s exit registrations, "
                    "%(actions)s support actions and %(others)s other records."
                )
                % {
                    "households": number_format(created["households"]),
                    "registrations": created["exit_registrations"],
                    "actions": actions,
                    "others": result.created_total - main,
                }
            )
        else:
            lines.append(_("The demo data was already loaded; nothing was added."))
        lines.append(
            _("Demo users: %(users)s (password: %(password)s).")
            % {"users": ", ".join(loader.demo_usernames()), "password": data.DEMO_PASSWORD}
        )
        self.stdout.write("\n".join(lines))
