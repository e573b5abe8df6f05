"""Tags typed before the tag field took "،" and "؛" as separators: "آب، تهران، محیط زیست" was
stored as "آب،", "تهران،", "محیط", "زیست". Each tag whose name holds those commas becomes the
tags its parts name (existing ones where they exist), keeping every article it was on. Tags that
were split at spaces ("محیط", "زیست") cannot be told from real one-word tags: editors join them
again in the admin."""

import re

from django.db import migrations

from nejat.editions import edition_slugify, normalize

SEPARATORS = re.compile("[,،؛]")


def split_tags(apps, schema_editor):
    Tag = apps.get_model("nejat", "Tag")
    TaggedArticle = apps.get_model("articles", "TaggedArticle")
    for tag in Tag.objects.filter(name__regex="[،؛]"):
        names = {normalize(part, tag.language).strip() for part in SEPARATORS.split(tag.name)}
        parts = [
            tag_named(Tag, tag.language, name)
            for name in sorted(names)
            if edition_slugify(name, tag.language)  # a part of only punctuation: no tag
        ]
        for link in TaggedArticle.objects.filter(tag=tag):
            for part in parts:
                TaggedArticle.objects.get_or_create(
                    content_object_id=link.content_object_id, tag=part
                )
        tag.delete()
    # Pages kept by the page cache show the old tags: refresh them once this commits.
    from nejat.publishing.public_changes import content_changed_on_commit

    content_changed_on_commit()


def tag_named(Tag, language, name):
    tag = Tag.objects.filter(language=language, name=name).first()
    if tag is None:
        slug = base = edition_slugify(name, language)[:90]
        n = 0
        while Tag.objects.filter(language=language, slug=slug).exists():
            n += 1
            slug = f"{base}_{n}"
        tag = Tag.objects.create(language=language, name=name, slug=slug)
    return tag


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_list_indexes"),
        ("nejat", "0004_stale_upload"),
    ]

    operations = [migrations.RunPython(split_tags, migrations.RunPython.noop)]
