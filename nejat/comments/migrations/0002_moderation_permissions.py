"""Moderators see and moderate comments and keep the spam blocklist, and nothing else; editors
may moderate too. Nobody gets add or delete: comments are moderated, never written or erased."""

from django.db import migrations

from nejat.security.roles import grant_permissions, model_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("antispam", "0001_initial"),
        ("pages", "0002_editor_permissions"),
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
