"""The staff: their groups ("Editors", "Moderators"), the permissions data migrations give them,
and which pages are theirs.

Each app's migration lists what its models give which group; this module does the work.
"""

from functools import cache

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.urls import reverse
from django.utils import translation

ACTIONS = ("add", "change", "delete", "view")


@cache
def staff_prefixes():
    """The admin's address in every edition: /admin/, /fa/admin/, ..."""
    prefixes = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            prefixes.add(reverse("admin:index"))
    return tuple(prefixes)


def is_staff_page(request):
    """Pages for staff only: the admin and what lives under its address (sign-in, 2FA set-up)."""
    return request.path_info.startswith(staff_prefixes())


def model_permissions(app_label, models, actions=ACTIONS):
    """["articles.add_article", "articles.change_article", …] for each model and action."""
    return [f"{app_label}.{action}_{model}" for model in models for action in actions]


def _permissions(apps, dotted_names):
    Permission = apps.get_model("auth", "Permission")
    for dotted in dotted_names:
        app_label, codename = dotted.split(".")
        yield Permission.objects.get(content_type__app_label=app_label, codename=codename)


def grant_permissions(grants):
    """A RunPython operation: ``{"Editors": ["pages.add_page", …]}``, groups made if missing."""

    def forward(apps, schema_editor):
        # Permissions are normally made after all migrations; the groups need them now.
        for app_config in apps.get_app_configs():
            app_config.models_module = True
            create_permissions(app_config, verbosity=0, apps=apps)
            app_config.models_module = None
        Group = apps.get_model("auth", "Group")
        for group_name, dotted_names in grants.items():
            group, _created = Group.objects.get_or_create(name=group_name)
            group.permissions.add(*_permissions(apps, dotted_names))

    def backward(apps, schema_editor):
        Group = apps.get_model("auth", "Group")
        for group_name, dotted_names in grants.items():
            for group in Group.objects.filter(name=group_name):
                group.permissions.remove(*_permissions(apps, dotted_names))

    forward.grants = grants  # read again by restore_staff_groups()
    return migrations.RunPython(forward, backward)


def restore_staff_groups():
    """Make the staff groups again with every permission the migrations grant them.

    The groups are data that migrations create; emptying the database (a browser test's flush)
    loses them while Django makes permissions again. This reads the same grants from the
    migration files, so there is still one list of who may do what.
    """
    from django.contrib.auth.models import Group, Permission
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    for migration in loader.disk_migrations.values():
        for operation in migration.operations:
            grants = getattr(getattr(operation, "code", None), "grants", None) or {}
            for group_name, dotted_names in grants.items():
                group, _created = Group.objects.get_or_create(name=group_name)
                for dotted in dotted_names:
                    app_label, codename = dotted.split(".")
                    group.permissions.add(
                        Permission.objects.get(content_type__app_label=app_label, codename=codename)
                    )
