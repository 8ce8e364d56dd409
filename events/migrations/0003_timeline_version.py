"""Timelines get a stable UUID (feed and calendar ids) and a content version."""

import uuid

import django.utils.timezone
from django.db import migrations, models


def give_each_timeline_its_uuid(apps, schema_editor):
    Timeline = apps.get_model("events", "Timeline")
    for timeline in Timeline.objects.filter(uuid__isnull=True):
        timeline.uuid = uuid.uuid4()
        timeline.save(update_fields=["uuid"])


class Migration(migrations.Migration):
    dependencies = [("events", "0002_editors_group")]

    operations = [
        migrations.AddField(
            model_name="timeline",
            name="uuid",
            field=models.UUIDField(null=True, editable=False, verbose_name="UUID"),
        ),
        migrations.RunPython(give_each_timeline_its_uuid, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="timeline",
            name="uuid",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="UUID"
            ),
        ),
        migrations.AddField(
            model_name="timeline",
            name="version",
            field=models.PositiveBigIntegerField(default=1, editable=False, verbose_name="version"),
        ),
        migrations.AddField(
            model_name="timeline",
            name="changed_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="content changed"
            ),
        ),
    ]
