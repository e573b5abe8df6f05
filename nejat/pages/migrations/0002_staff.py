"""Editors publish pages, keep the site's settings, read contact messages and keep the list of
blocked phrases."""

from django.db import migrations

from nejat.security.roles import grant_permissions, model_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("nejat", "0002_staff"),
        ("antispam", "0001_initial"),
        ("pages", "0001_initial"),
    ]

    operations = [
        grant_permissions(
            {
                "Editors": [
                    *model_permissions("pages", ["page"]),
                    "pages.publish_page",
                    *model_permissions(
                        "pages", ["sitesettings", "contactmessage"], ["change", "view"]
                    ),
                    *model_permissions("antispam", ["blockedterm"]),
                ],
            }
        )
    ]
