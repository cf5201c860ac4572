from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from povertyplan.background import worker_starting

        def recover_reports(sender, **kwargs) -> int:
            from reports import services  # not at start-up: it loads WeasyPrint

            return services.report_files_recover()

        # A worker starting (manage.py run_worker) fails the builds its stopped predecessors left.
        worker_starting.connect(recover_reports, weak=False, dispatch_uid="reports.files")
