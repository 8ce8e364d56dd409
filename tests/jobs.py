"""Running the background jobs (events.jobs) in a test, as `manage.py db_worker` would."""

import contextlib
import threading
from unittest import mock

from django.db import connection
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def worker(batch=True, interval=0.05):
    return Worker(
        queue_names=["default"], interval=interval, batch=batch, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="tests", excluded_queue_names=[],
    )  # fmt: skip


def run_due_jobs():
    """Run every job that is due, here, then return (in the test's transaction: the
    worker must not close this thread's connection, as it does between jobs)."""
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        worker().run()


def pending():
    """The jobs waiting to run: (task path, args)."""
    rows = DBTaskResult.objects.ready().order_by("enqueued_at")
    return [(row.task_path, row.args_kwargs["args"]) for row in rows]


@contextlib.contextmanager
def worker_thread():
    """A worker in a thread of this process for as long as the block runs (the test
    database is this process's)."""
    running = worker(batch=False)

    def run():
        try:
            running.run()
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield running
    finally:
        running.running = False
        thread.join(10)
