"""Editors publish galleries, videos, cartoons and news pictures; contributors write them for
review (their galleries' photos are rows they add, change and remove)."""

from django.db import migrations

from nejat.security.roles import grant_permissions, model_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("nejat", "0002_staff"),
        ("media_gallery", "0001_initial"),
    ]

    operations = [
        grant_permissions(
            {
                "Editors": [
                    *model_permissions(
                        "media_gallery", ["cartoon", "gallery", "newspic", "photo", "video"]
                    ),
                    *model_permissions(
                        "media_gallery", ["cartoon", "gallery", "newspic", "video"], ["publish"]
                    ),
                ],
                "Contributors": [
                    *model_permissions(
                        "media_gallery",
                        ["cartoon", "gallery", "newspic", "video"],
                        ["add", "change", "view"],
                    ),
                    *model_permissions("media_gallery", ["photo"]),
                ],
            }
        )
    ]
