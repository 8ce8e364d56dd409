from django.core.management.base import BaseCommand, CommandError

from events.timeline_transfer import TransferError, import_document, read_document


class Command(BaseCommand):
    help = "Load a timeline written by export_timeline; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as stream:
                timeline = import_document(read_document(stream))
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        except TransferError as error:
            raise CommandError(f"Nothing imported: {error}.") from error
        count = timeline.events.count()
        self.stdout.write(self.style.SUCCESS(f"Imported '{timeline.slug}' with {count} events."))
