"""Background tasks of the household registry (django-tasks, database backend): `manage.py db_worker`.

The ImportJob row, not the task result, is what the pages read: the services record progress,
results and failures there and never raise for a bad file.
"""

from django.utils import translation
from django_tasks import task

from households.imports import jobs
from households.models import ImportJob


@task()
def check_import_job(job_id: int, language: str) -> str:
    """Check a large uploaded file; returns the job's final status ("gone" if it was cancelled)."""
    job = ImportJob.objects.select_related("commune", "created_by").filter(pk=job_id).first()
    if job is None:
        return "gone"
    with translation.override(language):
        return jobs.import_job_check(job).status


@task()
def apply_import_job(job_id: int, by_id: int, language: str) -> str:
    """Write a large confirmed import; returns the job's final status."""
    with translation.override(language):
        job = jobs.import_job_write(job_id=job_id, by_id=by_id)
    return job.status if job is not None else "gone"
