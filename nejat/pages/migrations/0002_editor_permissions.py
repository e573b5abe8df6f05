"""Editors write pages, change the site settings, read and handle contact messages, and keep the
spam blocklist; nobody may add or delete contact messages or the settings row."""

from django.db import migrations

from nejat.security.roles import grant_permissions, model_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("antispam", "0001_initial"),
        ("nejat", "0002_staff_groups"),
    ]

    operations = [
        grant_permissions(
            {
                "Editors": [
                    *model_permissions("pages", ["page"]),
                    *model_permissions(
                        "pages", ["sitesettings", "contactmessage"], ["change", "view"]
                    ),
                    *model_permissions("antispam", ["blockedterm"]),
                ]
            }
        )
    ]
