"""Cron job: delete old uploads (they hold personal data) and the files of finished imports."""

from django.core.management.base import BaseCommand, CommandError

from households.imports import jobs


class Command(BaseCommand):
    help = "Delete imports older than --days (default 7) and drop the stored files of finished ones."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="Keep the imports of the last N days.")

    def handle(self, *args, days: int, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more")
        deleted, emptied = jobs.import_jobs_purge(days=days)
        self.stdout.write(
            f"Deleted {deleted} import(s) older than {days} day(s); dropped {emptied} stored file(s)."
        )
