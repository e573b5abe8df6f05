"""Editors prepare, test, send and follow mailings."""

from django.db import migrations

from nejat.security.roles import grant_permissions, model_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("subscriptions", "0003_mailings"),
    ]

    operations = [grant_permissions({"Editors": model_permissions("subscriptions", ["mailing"])})]
