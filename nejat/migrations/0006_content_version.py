"""The content version without Redis (nejat/publishing/content_version.py): a sequence every process reads
and bumps. Tags' bulk writes refresh caches too (their base manager announces them)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("nejat", "0005_contributors"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="tag",
            options={
                "base_manager_name": "objects",
                "ordering": ["language", "name"],
                "verbose_name": "tag",
                "verbose_name_plural": "tags",
            },
        ),
        migrations.RunSQL(
            "CREATE SEQUENCE nejat_content_version",
            "DROP SEQUENCE nejat_content_version",
        ),
    ]
