"""`atelier worker`: runs the background tasks (django-tasks' database worker, `db_worker`) and writes the
« worker » heartbeat every 30 s from a thread, which /healthz and the « Tâches planifiées » page report.

Every option of `db_worker` is accepted (`--queue-name`, `--interval`, `--batch`, `--max-tasks`, `--worker-id`…);
code reloading is off unless `--reload` is given. SIGTERM or SIGINT stops it cleanly: the running task finishes,
then the process exits (a second signal stops the task).
"""

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from atelier.operations.heartbeat import HeartbeatThread


class Command(DbWorkerCommand):
    help = "Exécute les tâches de fond (envoi des messages…) et signale sa présence toutes les 30 secondes."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(reload=False)  # a production process: reloading would not stop tasks cleanly

    def handle(self, *args, **options):
        beat = HeartbeatThread("worker")
        beat.start()
        try:
            super().handle(*args, **options)
        finally:
            beat.stop()
            beat.join(timeout=5)
