"""The SQL functions the search columns call, built from ``nejat.editions.normalization_table``."""

from django.db import migrations

from nejat.publishing.search import search_normalization


class Migration(migrations.Migration):
    dependencies = [("nejat", "0002_staff_groups")]

    operations = [search_normalization(recompute=False)]
