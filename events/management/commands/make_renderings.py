"""`manage.py make_renderings`: make what readers are shown of every event whose
rendering is missing or out of date (`events.rendering`). A step of every deploy,
after `migrate`: when a release changes what renderings depend on, the first reader
of a large timeline would otherwise wait for all of them (15 s at 10,000 events,
bench/results.md). Does nothing, in one query, when all are current."""

import time

from django.core.management.base import BaseCommand

from events import rendering


class Command(BaseCommand):
    help = "Make the renderings of events that lack a current one."

    def handle(self, *args, **options):
        started = time.monotonic()
        made = rendering.refresh_stale()
        self.stdout.write(f"Renderings made: {made} ({time.monotonic() - started:.1f} s).")
