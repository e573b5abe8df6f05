"""Moderators handle comments and keep the list of blocked phrases, and nothing else; editors
moderate too."""

from django.db import migrations

from nejat.security.roles import grant_permissions, model_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("nejat", "0002_staff"),
        ("antispam", "0001_initial"),
        ("comments", "0001_initial"),
    ]

    operations = [
        grant_permissions(
            {
                "Moderators": [
                    *model_permissions("comments", ["comment"], ["change", "view"]),
                    *model_permissions("antispam", ["blockedterm"]),
                ],
                "Editors": model_permissions("comments", ["comment"], ["change", "view"]),
            }
        )
    ]
