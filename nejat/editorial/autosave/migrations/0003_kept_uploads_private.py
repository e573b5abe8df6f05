"""Files kept from a form with an error move to private storage (no address serves them), and
those kept before, public under MEDIA_ROOT/kept-uploads/ with their EXIF and GPS, are deleted
(at most a day old: a form whose kept file is gone asks for it again)."""

from django.db import migrations, models

import nejat.editorial.autosave.models


def delete_public_kept_uploads(apps, schema_editor):
    from django.core.files.storage import default_storage

    def delete_under(folder):
        try:
            folders, files = default_storage.listdir(folder)
        except (FileNotFoundError, NotADirectoryError):
            return
        for name in files:
            default_storage.delete(f"{folder}/{name}")
        for name in folders:
            delete_under(f"{folder}/{name}")

    delete_under("kept-uploads")
    apps.get_model("autosave", "KeptUpload").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("autosave", "0002_drafts_per_form"),
    ]

    operations = [
        migrations.AlterField(
            model_name="keptupload",
            name="file",
            field=models.FileField(
                max_length=300,
                storage=nejat.editorial.autosave.models.private_files,
                upload_to=nejat.editorial.autosave.models.kept_upload_path,
            ),
        ),
        migrations.RunPython(delete_public_kept_uploads, migrations.RunPython.noop),
    ]
