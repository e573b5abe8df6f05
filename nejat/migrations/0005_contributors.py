"""The "Contributors" group (WordPress's contributor): they write articles and submit them for
review; Editors publish them (nejat/publishing/review.py). Later apps grant their own models."""

from django.db import migrations

from nejat.security.roles import grant_permissions, model_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("nejat", "0004_stale_upload"),
        ("articles", "0011_review_before_publishing"),
    ]

    operations = [
        grant_permissions(
            {
                "Editors": model_permissions("articles", ["article"], actions=["publish"]),
                "Contributors": [
                    *model_permissions("articles", ["article"], actions=["add", "change", "view"]),
                    *model_permissions("articles", ["taggedarticle"]),
                    *model_permissions("articles", ["category"], actions=["view"]),
                    *model_permissions("nejat", ["tag"], actions=["add", "view"]),
                ],
            }
        )
    ]
