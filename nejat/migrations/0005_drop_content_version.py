from django.db import migrations

# The site-wide content version is retired: what it keyed is kept by cache tags
# (nejat/publishing/cache_tags.py). Its sequence, made by 0001, goes with it.
DROP = "DROP SEQUENCE IF EXISTS nejat_content_version"
CREATE = "CREATE SEQUENCE IF NOT EXISTS nejat_content_version"


class Migration(migrations.Migration):

    dependencies = [
        ("nejat", "0004_front_caches"),
    ]

    operations = [migrations.RunSQL(DROP, CREATE)]
