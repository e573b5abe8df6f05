"""Editors pin and remove related articles; contributors do not see them."""

from django.db import migrations

from nejat.security.roles import grant_permissions, model_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("nejat", "0002_staff"),
        ("articles", "0003_related_suggestions"),
    ]

    operations = [
        grant_permissions({"Editors": model_permissions("articles", ["relatedsuggestion"])})
    ]
