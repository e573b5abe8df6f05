"""Create the "Editors" and "Moderators" groups with the least permissions their jobs need.

Editors publish content; moderators handle comments (their permissions arrive with the comments
app). Later content apps add their own models to "Editors" in migrations of their own.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = {
    "articles": ["article", "category", "taggedarticle"],
    "nejat": ["tag"],
}


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    Group.objects.get_or_create(name="Moderators")
    for app_label, models in EDITOR_PERMISSIONS.items():
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label, content_type__model__in=models
            )
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Moderators"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0001_initial"),
        ("nejat", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
