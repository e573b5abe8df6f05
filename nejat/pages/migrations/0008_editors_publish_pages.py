"""Editors publish standing pages (About Us, the footer's); Contributors do not write them."""

from django.db import migrations

from nejat.security.roles import grant_permissions, model_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0007_review_before_publishing"),
        ("nejat", "0005_contributors"),
    ]

    operations = [
        grant_permissions({"Editors": model_permissions("pages", ["page"], actions=["publish"])})
    ]
