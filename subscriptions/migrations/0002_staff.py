"""Editors look after the subscribers and their suppressions (they send the mailings);
moderators and contributors see neither: the addresses are readers' personal data."""

from django.db import migrations

from nejat.security.roles import grant_permissions, model_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("nejat", "0002_staff"),
        ("subscriptions", "0001_initial"),
    ]

    operations = [
        grant_permissions(
            {
                "Editors": model_permissions(
                    "subscriptions", ["subscriber", "subscription", "suppression"]
                ),
            }
        )
    ]
