"""The background worker: django-tasks-db's `db_worker`, after recovering what stopped workers left.

Before it takes a task, it fails the task rows that ended worker processes of this machine left
RUNNING, and sends `worker_starting`, on which each app fails its jobs whose process is gone or
whose heartbeat is stale (povertyplan.background). Its worker id is its process identity, so that
the next worker can tell whether it still runs. It lives in households, the first app with
background tasks; the apps above connect to the signal.
"""

from django_tasks_db.management.commands import db_worker

from povertyplan import background


class Command(db_worker.Command):
    help = "Run the background worker (db_worker), after failing the jobs that stopped workers left running."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        identity = background.process_identity()
        if identity:
            parser.set_defaults(worker_id=identity)

    def handle(self, *args, **options):
        tasks = background.task_results_recover()
        jobs = sum(count or 0 for _receiver, count in background.worker_starting.send(sender=self.__class__))
        if tasks or jobs:
            self.stdout.write(f"Recovered what stopped workers left: {tasks} task(s), {jobs} job(s) failed.")
        super().handle(*args, **options)
