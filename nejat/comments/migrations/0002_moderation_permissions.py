"""Moderators see and moderate comments and keep the spam blocklist, and nothing else; editors
may moderate too. Nobody gets add or delete: comments are moderated, never written or erased."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = {
    "Moderators": [
        "comments.view_comment",
        "comments.change_comment",
        "antispam.add_blockedterm",
        "antispam.change_blockedterm",
        "antispam.delete_blockedterm",
        "antispam.view_blockedterm",
    ],
    "Editors": ["comments.view_comment", "comments.change_comment"],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, dotted_names in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for dotted in dotted_names:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, dotted_names in PERMISSIONS.items():
        for group in Group.objects.filter(name=group_name):
            for dotted in dotted_names:
                app_label, codename = dotted.split(".")
                group.permissions.remove(
                    *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
                )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("antispam", "0001_initial"),
        ("pages", "0002_editor_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
