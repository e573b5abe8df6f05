from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from nejat.ops.jobs import run_queued_jobs


def demo_loaders():
    """``(app label, load)`` for each installed app with a ``demo`` module, in INSTALLED_APPS
    order: an app contributes invented demo content by having ``demo.load()``, which creates its
    items once and returns how many it created."""
    for app_config in apps.get_app_configs():
        if module_has_submodule(app_config.module, "demo"):
            yield app_config.label, import_module(f"{app_config.name}.demo").load


class Command(BaseCommand):
    help = "Create invented demo content once (a second run adds nothing)."

    def handle(self, *args, **options):
        for name, load in demo_loaders():
            with transaction.atomic():
                count = load()
            if count:
                self.stdout.write(self.style.SUCCESS(f"Demo {name}: {count} created."))
            else:
                self.stdout.write(f"Demo {name}: already present, nothing added.")
        run_queued_jobs(queues=["media"])  # the demo's images are ready when the command ends
