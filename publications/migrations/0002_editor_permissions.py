"""Editors add, change, delete and view books, newsletter issues and Pars Briefs (with their rows)."""

from django.db import migrations

from nejat.security.roles import grant_permissions, model_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("nejat", "0002_staff_groups"),
        ("publications", "0001_initial"),
    ]

    operations = [
        grant_permissions(
            {
                "Editors": model_permissions(
                    "publications", ["book", "brief", "briefentry", "newsletter", "newsletteritem"]
                )
            }
        )
    ]
