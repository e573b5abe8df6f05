"""Editors write, publish and file articles; contributors write them for review."""

from django.db import migrations

from nejat.security.roles import grant_permissions, model_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("nejat", "0002_staff"),
        ("articles", "0001_initial"),
    ]

    operations = [
        grant_permissions(
            {
                "Editors": [
                    *model_permissions("articles", ["article", "category", "taggedarticle"]),
                    "articles.publish_article",
                ],
                "Contributors": [
                    *model_permissions("articles", ["article"], ["add", "change", "view"]),
                    *model_permissions("articles", ["taggedarticle"]),
                    "articles.view_category",
                ],
            }
        )
    ]
