"""Scheduled publishing: a draft with `publish_at` becomes public at that moment.

Nothing runs on a timer. Before each request, `publish_due()` publishes every draft
whose moment has come — as an editor's "publish" would, through the record of change,
so revisions, timeline versions (and with them every ETag), renderings and the
search document follow — and dates the first publication at the scheduled moment,
not when it was noticed. The state is in the database, so it holds across app
servers and restarts; each due event is locked (select_for_update) and checked
again, so it is published once however many servers notice it at the same time, and
one that fails to save (logged) does not hold back the others. A request before the moment finds nothing due:
never a second early.

Looking costs one indexed query; a worker looks at most once every
`settings.EMBARGO_LOOK_EVERY` seconds (1 by default), so a timeline can show an
embargoed event up to that late; `None` turns the looks off (the test settings,
whose query counts must not depend on the clock; the embargo tests turn them on).
"""

import logging
import time

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from .changes import record_change
from .middleware import DATABASE_DOWN
from .models import Event, Status

logger = logging.getLogger(__name__)
_next_look = 0.0


def publish_due(now=None):
    """Publish the drafts whose `publish_at` has come; how many."""
    now = now or timezone.now()
    due = Event.objects.filter(status=Status.DRAFT, publish_at__lte=now)
    if not due.exists():
        return 0
    published = 0
    with record_change(), transaction.atomic():
        for event in due.select_for_update(of=("self",)).select_related("timeline"):
            if event.status != Status.DRAFT:  # published meanwhile, by another server
                continue
            event.status = Status.PUBLISHED
            event.first_published_at = event.publish_at
            event.publish_at = None
            try:
                with transaction.atomic():  # a savepoint: a failure stays this event's
                    event.save()
            except DatabaseError:
                logger.exception("could not publish event %s at its scheduled moment", event.pk)
                continue
            published += 1
    return published


class PublishDueMiddleware:
    """Before any request: publish what is due (at most one look a second a worker)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        global _next_look
        every = getattr(settings, "EMBARGO_LOOK_EVERY", 1.0)
        moment = time.monotonic()
        if every is not None and moment >= _next_look:
            _next_look = moment + every
            try:
                publish_due()
            except DATABASE_DOWN:
                pass  # the request itself finds out, and answers 503
            except Exception:  # a publication that fails must not fail every request
                logger.exception("publishing the drafts whose embargo ended failed")
        return self.get_response(request)
