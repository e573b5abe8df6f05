"""Editors publish galleries, photos, videos, cartoons and news pictures."""

from django.db import migrations

from nejat.security.roles import grant_permissions, model_permissions


class Migration(migrations.Migration):
    dependencies = [("media_gallery", "0001_initial"), ("nejat", "0002_staff_groups")]

    operations = [
        grant_permissions(
            {
                "Editors": model_permissions(
                    "media_gallery", ["gallery", "photo", "video", "cartoon", "newspic"]
                )
            }
        )
    ]
