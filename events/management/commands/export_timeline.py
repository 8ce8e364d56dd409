import json
import sys

from django.core.management.base import BaseCommand, CommandError

from events.models import Timeline
from events.timeline_transfer import export_document


class Command(BaseCommand):
    help = "Write one timeline, with everything in it, as a JSON document."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, slug, output, **options):
        timeline = Timeline.objects.filter(slug=slug).first()
        if timeline is None:
            raise CommandError(f"There is no timeline '{slug}'.")
        text = json.dumps(export_document(timeline), ensure_ascii=False, indent=2) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text)
        else:
            sys.stdout.write(text)
