from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = _("Household registry")

    def ready(self):
        from households.imports import jobs
        from povertyplan.background import worker_starting

        def recover_imports(sender, **kwargs) -> int:
            return jobs.import_jobs_recover()

        # A worker starting (manage.py run_worker) fails the imports its stopped predecessors left.
        worker_starting.connect(recover_imports, weak=False, dispatch_uid="households.imports")
