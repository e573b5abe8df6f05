"""Editors publish media; Contributors write galleries, videos, cartoons and news pictures and
submit them for review (their galleries' photos are rows they add, change and remove)."""

from django.db import migrations

from nejat.security.roles import grant_permissions, model_permissions

ITEMS = ["gallery", "video", "cartoon", "newspic"]


class Migration(migrations.Migration):
    dependencies = [
        ("media_gallery", "0007_review_before_publishing"),
        ("nejat", "0005_contributors"),
    ]

    operations = [
        grant_permissions(
            {
                "Editors": model_permissions("media_gallery", ITEMS, actions=["publish"]),
                "Contributors": [
                    *model_permissions("media_gallery", ITEMS, actions=["add", "change", "view"]),
                    *model_permissions("media_gallery", ["photo"]),
                ],
            }
        )
    ]
