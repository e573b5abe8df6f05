"""The staff groups, with the least permissions their jobs need (nejat/security/roles.py).

Editors manage each edition's tags; contributors add tags to what they write; moderators'
permissions come with the comments app. Each content app gives the groups its own models."""

from django.db import migrations

from nejat.security.roles import grant_permissions, model_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("nejat", "0001_initial"),
    ]

    operations = [
        grant_permissions(
            {
                "Editors": model_permissions("nejat", ["tag"]),
                "Contributors": ["nejat.add_tag", "nejat.view_tag"],
                "Moderators": [],
            }
        )
    ]
