"""`manage.py make_archives`: close the feed archive pages (`events.archives`) that
data loaded as it is (the seed, `import_timeline`) has filled — edits close them as
they go. A step of every deploy, after `migrate`; does nothing when none is full."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from events import archives
from events.changes import bump_versions
from events.models import Timeline


class Command(BaseCommand):
    help = "Close the feed archive pages that are full."

    def handle(self, *args, **options):
        with transaction.atomic():
            public = list(Timeline.objects.public().values_list("pk", flat=True))
            moved = archives.close_pages(public)
            # Their live feeds now link a newer page: a new version of them.
            bump_versions(moved, timezone.now())
        self.stdout.write(f"Archive pages closed for {len(moved)} timelines.")
