from django.core.management.base import BaseCommand, CommandError

from events.ics_import import CalendarImportError, import_calendar, read_source
from events.models import Timeline


class Command(BaseCommand):
    help = "Turn the VEVENTs of a calendar file or URL into draft events of a timeline."

    def add_arguments(self, parser):
        parser.add_argument("timeline")
        parser.add_argument("file_or_url")

    def handle(self, *args, timeline, file_or_url, **options):
        target = Timeline.objects.filter(slug=timeline).first()
        if target is None:
            raise CommandError(f"There is no timeline '{timeline}'.")
        try:
            report = import_calendar(target, read_source(file_or_url))
        except CalendarImportError as error:
            raise CommandError(f"Nothing imported: {error}.") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.created)} drafts created, {len(report.updated)} updated, "
                f"{len(report.kept)} left alone (published since)."
            )
        )
