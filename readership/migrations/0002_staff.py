"""Editors see what readers read (the admin home's charts, each item's views); moderators and
contributors do not."""

from django.db import migrations

from nejat.security.roles import grant_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("nejat", "0002_staff"),
        ("readership", "0001_initial"),
    ]

    operations = [grant_permissions({"Editors": ["readership.view_dailyviews"]})]
