"""Editors publish publications; Contributors write newsletter issues, Pars Briefs and books and
submit them for review (an issue's items and entries are rows they add, change and remove)."""

from django.db import migrations

from nejat.security.roles import grant_permissions, model_permissions

ITEMS = ["newsletter", "brief", "book"]


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0006_review_before_publishing"),
        ("nejat", "0005_contributors"),
    ]

    operations = [
        grant_permissions(
            {
                "Editors": model_permissions("publications", ITEMS, actions=["publish"]),
                "Contributors": [
                    *model_permissions("publications", ITEMS, actions=["add", "change", "view"]),
                    *model_permissions("publications", ["newsletteritem", "briefentry"]),
                ],
            }
        )
    ]
