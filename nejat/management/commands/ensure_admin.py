import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Make sure an admin account exists: DJANGO_SUPERUSER_USERNAME/_PASSWORD if set, "
        "else an 'admin' account whose generated password is printed once."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME")
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        if username:
            if User.objects.filter(username=username).exists():
                return
        elif User.objects.filter(is_superuser=True).exists():
            return
        username = username or "admin"
        generated = not password
        password = password or secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        if generated:
            self.stdout.write(
                self.style.WARNING(
                    "\n  Admin account created for this site (keep the password):\n"
                    f"    username: {username}\n    password: {password}\n"
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Admin account '{username}' created."))
