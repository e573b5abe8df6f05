"""Editors publish newsletter and Pars Brief issues and books; contributors write them for
review (an issue's items and entries are rows they add, change and remove)."""

from django.db import migrations

from nejat.security.roles import grant_permissions, model_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("nejat", "0002_staff"),
        ("publications", "0001_initial"),
    ]

    operations = [
        grant_permissions(
            {
                "Editors": [
                    *model_permissions(
                        "publications",
                        ["book", "brief", "briefentry", "newsletter", "newsletteritem"],
                    ),
                    *model_permissions(
                        "publications", ["book", "brief", "newsletter"], ["publish"]
                    ),
                ],
                "Contributors": [
                    *model_permissions(
                        "publications", ["book", "brief", "newsletter"], ["add", "change", "view"]
                    ),
                    *model_permissions("publications", ["briefentry", "newsletteritem"]),
                ],
            }
        )
    ]
