import json

from django.core.management.base import BaseCommand, CommandError

from events.transfer import TransferError, import_document


class Command(BaseCommand):
    help = "Load a timeline written by export_timeline; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as stream:
                document = json.load(stream)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise CommandError(f"{file} is not valid JSON: {error}.") from error
        try:
            timeline = import_document(document)
        except TransferError as error:
            raise CommandError(f"Nothing imported: {error}.") from error
        count = timeline.events.count()
        self.stdout.write(self.style.SUCCESS(f"Imported '{timeline.slug}' with {count} events."))
