"""The Editors group: everything an editor does all day, nothing an administrator does."""

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations

# model -> actions granted. Deleting an event is allowed for drafts only (the admin
# refuses published ones); deleting a quote, source or correction is an edit that
# history keeps.
EDITOR_PERMISSIONS = {
    "timeline": ("view", "add", "change"),
    "event": ("view", "add", "change", "delete"),
    "quote": ("view", "add", "change", "delete"),
    "source": ("view", "add", "change", "delete"),
    "correction": ("view", "add", "change", "delete"),
    "place": ("view", "add", "change"),
    "person": ("view", "add", "change"),
    "tag": ("view", "add", "change"),
}


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=settings.EDITORS_GROUP)
    codenames = [
        f"{action}_{model}" for model, actions in EDITOR_PERMISSIONS.items() for action in actions
    ]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="events", codename__in=codenames)
    )


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=settings.EDITORS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
