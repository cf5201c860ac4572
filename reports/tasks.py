"""Background tasks (django-tasks, database backend): run by `manage.py db_worker`.

bin/run starts a worker next to the development server; production runs one as a service
(README, "Reports").
"""

from django_tasks import task

from reports import services


@task()
def build_report_file(report_file_id: int) -> str:
    """Build a report file recorded as a ReportFile; returns its final status (done or failed).

    The ReportFile row, not the task result, is what the pages read: the build records its own
    progress and failure there (services.report_file_build never raises).
    """
    entry = services.report_file_build(report_file_id=report_file_id)
    return entry.status if entry is not None else "gone"
