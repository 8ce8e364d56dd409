"""Load the seed timeline once; never duplicate it, never overwrite editors' work."""

import json
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand
from django.db import transaction

from events import rendering
from events.models import Event, Timeline, loading_data

SEED = Path(settings.BASE_DIR) / "fixtures" / "nordkorea-soldaten-russland.json"


class Command(BaseCommand):
    help = "Load the seed timeline from fixtures/ unless the database already has it."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=SEED, help="fixture to load")

    def handle(self, *args, file, **options):
        text = file.read_text(encoding="utf-8")
        records = json.loads(text)
        slugs = [r["fields"]["slug"] for r in records if r["model"] == "events.timeline"]
        uuids = [r["fields"]["uuid"] for r in records if r["model"] == "events.event"]
        if (
            Timeline.objects.filter(slug__in=slugs).exists()
            or Event.objects.filter(uuid__in=uuids).exists()
        ):
            self.stdout.write("Seed timeline already present; nothing loaded.")
            return
        created = 0
        with transaction.atomic(), loading_data():
            for deserialized in serializers.deserialize("json", text):
                if deserialized.object.pk is not None:
                    continue  # a place, person or tag that editors already have: keep theirs
                deserialized.save()
                created += 1
            rendering.refresh(Event.objects.filter(uuid__in=uuids).values_list("pk", flat=True))
        self.stdout.write(self.style.SUCCESS(f"Seed timeline loaded ({created} objects)."))
