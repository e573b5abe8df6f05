"""Editors manage the image library; contributors add and describe images, but delete none."""

from django.db import migrations

from nejat.security.roles import grant_permissions, model_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("nejat", "0002_staff"),
        ("media_library", "0001_initial"),
    ]

    operations = [
        grant_permissions(
            {
                "Editors": model_permissions("media_library", ["libraryimage"]),
                "Contributors": model_permissions(
                    "media_library", ["libraryimage"], ["add", "change", "view"]
                ),
            }
        )
    ]
