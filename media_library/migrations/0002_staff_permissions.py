"""Editors manage the library; Contributors add and describe images, and delete none."""

from django.db import migrations

from nejat.security.roles import grant_permissions, model_permissions


class Migration(migrations.Migration):
    dependencies = [("media_library", "0001_initial"), ("nejat", "0002_staff_groups")]

    operations = [
        grant_permissions(
            {
                "Editors": model_permissions("media_library", ["libraryimage"]),
                "Contributors": model_permissions(
                    "media_library", ["libraryimage"], actions=("add", "change", "view")
                ),
            }
        )
    ]
