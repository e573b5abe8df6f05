"""Editors write pages, change the site settings, read and handle contact messages, and keep the
spam blocklist; nobody may add or delete contact messages or the settings row."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = [
    "pages.add_page",
    "pages.change_page",
    "pages.delete_page",
    "pages.view_page",
    "pages.change_sitesettings",
    "pages.view_sitesettings",
    "pages.change_contactmessage",
    "pages.view_contactmessage",
    "antispam.add_blockedterm",
    "antispam.change_blockedterm",
    "antispam.delete_blockedterm",
    "antispam.view_blockedterm",
]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    for dotted in EDITOR_PERMISSIONS:
        app_label, codename = dotted.split(".")
        editors.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    editors = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    if editors:
        for dotted in EDITOR_PERMISSIONS:
            app_label, codename = dotted.split(".")
            editors.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("antispam", "0001_initial"),
        ("nejat", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
