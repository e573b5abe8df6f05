"""Editors publish galleries, photos, videos, cartoons and news pictures."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["gallery", "photo", "video", "cartoon", "newspic"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="media_gallery", content_type__model__in=MODELS
        )
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for editors in apps.get_model("auth", "Group").objects.filter(name="Editors"):
        editors.permissions.remove(
            *Permission.objects.filter(content_type__app_label="media_gallery")
        )


class Migration(migrations.Migration):
    dependencies = [("media_gallery", "0001_initial"), ("nejat", "0002_staff_groups")]

    operations = [migrations.RunPython(grant, revoke)]
