"""Merge communes into a new one from a date (the 2025 reform): households.merger does the work."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from households import merger
from households.models import Commune, Province


def _date(text: str) -> datetime.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CommandError(_("%(text)s is not a date: write 2025-07-01 or 01/07/2025.") % {"text": text})


def _commune(code: str) -> Commune | None:
    """The current commune with that code; else the latest one that held it (merged since), or None."""
    units = Commune.objects.filter(code=code).order_by("valid_until")
    return units.filter(valid_until__isnull=True).first() or units.last()


class Command(BaseCommand):
    help = (
        "Merge communes (given by their codes) into a new commune from a date, or into an existing "
        "commune: villages, households and officials move; closed years stay as they were. "
        "Example: merge_communes --into-code 23668 --into-name 'Tơ Tung' --province 64 --on 2025-07-01 23668"
    )

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="+", metavar="CODE", help="Codes of the communes to merge.")
        parser.add_argument("--into-code", required=True, help="Code of the commune they are merged into.")
        parser.add_argument(
            "--into-name",
            default="",
            help="Name of the new commune (without 'xã'); an existing commune with --into-code is taken.",
        )
        parser.add_argument("--province", default="", help="Code of the new commune's province.")
        parser.add_argument(
            "--kind",
            default=Commune.Kind.COMMUNE,
            choices=Commune.Kind.values,
            help="Kind of the new commune.",
        )
        parser.add_argument(
            "--on", required=True, type=_date, help="First day in the new commune (2025-07-01)."
        )
        parser.add_argument("--by", default="", help="Username recorded as the author of the changes.")
        parser.add_argument("--dry-run", action="store_true", help="Print what would move; write nothing.")

    def handle(self, *args, sources, into_code, into_name, province, kind, on, by, dry_run, **options):
        communes = []
        for code in dict.fromkeys(sources):
            commune = _commune(code)
            if commune is None:
                raise CommandError(_("No commune has the code %(code)s.") % {"code": code})
            communes.append(commune)
        into = self._into(into_code, into_name, province, kind, sources)
        user = None
        if by:
            user = get_user_model().objects.filter(username=by).first()
            if user is None:
                raise CommandError(_("No user is called %(name)s.") % {"name": by})
        try:
            if dry_run:
                plan = merger.merger_plan(sources=communes, into=into, on=on)
            else:
                plan = merger.communes_merge(sources=communes, into=into, on=on, by=user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written. The merger would do this:"))
        for line in merger.describe(plan):
            self.stdout.write(line)
        if not dry_run:
            self.stdout.write(self.style.SUCCESS(_("Merged into %(commune)s.") % {"commune": plan.into}))

    def _into(self, code, name, province_code, kind, sources):
        """An existing current commune with the code (not one of those merged), else a new one."""
        existing = Commune.objects.filter(code=code, valid_until__isnull=True).first()
        if existing is not None and code not in sources:
            if name and name != existing.name:
                raise CommandError(
                    _("%(commune)s already has the code %(code)s: leave out --into-name to merge into it.")
                    % {"commune": existing, "code": code}
                )
            return existing
        if not name:
            raise CommandError(_("Give the new commune's name (--into-name)."))
        province = Province.objects.filter(code=province_code, valid_until__isnull=True).first()
        if province is None:
            raise CommandError(
                _("No current province has the code %(code)s (--province).") % {"code": province_code}
            )
        return merger.NewCommune(name=name, code=code, province=province, kind=kind)
