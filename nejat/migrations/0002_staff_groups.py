"""Create the "Editors" and "Moderators" groups with the least permissions their jobs need.

Editors publish content; moderators handle comments (their permissions come with the comments
app). Later content apps give "Editors" their own models in migrations of their own.
"""

from django.db import migrations

from nejat.security.roles import grant_permissions, model_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0001_initial"),
        ("nejat", "0001_initial"),
    ]

    operations = [
        grant_permissions(
            {
                "Editors": [
                    *model_permissions("articles", ["article", "category", "taggedarticle"]),
                    *model_permissions("nejat", ["tag"]),
                ],
                "Moderators": [],
            }
        )
    ]
