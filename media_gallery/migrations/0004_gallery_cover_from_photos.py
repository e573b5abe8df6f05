from django.db import migrations, models


def mark_uploaded_covers(apps, schema_editor):
    """Until now an uploaded cover was told from the first photo's by its folder."""
    Gallery = apps.get_model("media_gallery", "Gallery")
    Gallery.objects.filter(cover__startswith="galleries/covers/").update(cover_from_photos=False)


class Migration(migrations.Migration):
    dependencies = [("media_gallery", "0003_search_vectors")]

    operations = [
        migrations.AddField(
            model_name="gallery",
            name="cover_from_photos",
            field=models.BooleanField(
                default=True, editable=False, verbose_name="cover is the first photo"
            ),
        ),
        migrations.RunPython(mark_uploaded_covers, migrations.RunPython.noop),
    ]
