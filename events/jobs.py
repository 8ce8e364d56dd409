"""Background jobs: what a change sets off that must not hold up the editor's request.

Jobs run on Django's Tasks API (the django-tasks backport) with its database backend
(django-tasks-db): a job is a row written in the transaction of the change that asks
for it — so it exists exactly when the change does, and survives restarts — and a
worker, `manage.py db_worker`, runs it. `make run` and `make serve` start one worker
beside the server; in production run one or more per site (README, "Background
jobs"). Chosen over Celery or RQ on Redis because the default profile must need
nothing but SQLite, and because a job row committed with its change cannot be lost
between the two.

A job that fails is enqueued again, `RETRY_DELAYS` later each time, and after the
last one is left failed (in the admin's task results, with its traceback). A job that
did part of its work raises `RetryLater` with what is left, and only that is retried.
"""

import datetime as dt
import functools
import logging

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

RETRY_DELAYS = (2, 10, 60, 300, 1800)  # seconds before the 2nd, 3rd, … attempt


class RetryLater(Exception):
    """Raised by a job that did part of its work: retry it with these arguments."""

    def __init__(self, message, *args, **kwargs):
        super().__init__(message)
        self.args_left, self.kwargs_left = args, kwargs


def retried(function):
    """A job (`@task`) that is tried again later when it raises.

    The wrapped function takes `attempt` (1 for the first run) as a keyword; the
    backend's own attempt count is always 1, since a retry is a new job."""

    @functools.wraps(function)
    def run(*args, attempt=1, **kwargs):
        try:
            return function(*args, **kwargs)
        except Exception as error:
            if isinstance(error, RetryLater):
                args, kwargs = error.args_left, error.kwargs_left
            if attempt > len(RETRY_DELAYS):
                logger.exception("%s failed %d times; given up", function.__name__, attempt)
                raise
            delay = RETRY_DELAYS[attempt - 1]
            logger.warning(
                "%s failed (attempt %d); trying again in %d s", function.__name__, attempt, delay
            )
            later = timezone.now() + dt.timedelta(seconds=delay)
            job.using(run_after=later).enqueue(*args, attempt=attempt + 1, **kwargs)
            raise  # this attempt is recorded as failed, with its traceback

    job = task(run)
    return job
