"""``manage.py add_staff NAME --role editor|contributor|moderator``: a staff account in its group.

The password is asked for twice, never taken from the command line (it would stay in the shell's
history); when the input is not a terminal (a script), it is read from the first line given.
It must pass the site's password rules. Editors and superusers set up the two-step sign-in the
first time they sign in (``nejat.security.second_factor``).
"""

import getpass
import sys

from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

ROLES = {"editor": "Editors", "contributor": "Contributors", "moderator": "Moderators"}


class Command(BaseCommand):
    help = "Add a staff account (an editor, a contributor or a moderator), asking for a password."
    stealth_options = ("stdin",)  # call_command(..., stdin=...): the tests

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=sorted(ROLES), required=True)
        parser.add_argument("--email", default="")

    def handle(self, username, role, email, **options):
        stdin = options.get("stdin", sys.stdin)
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"There is already an account named {username!r}.")
        user = User(username=username, email=email, is_staff=True)
        password = self.password(stdin)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        user.set_password(password)
        with transaction.atomic():
            user.save()
            user.groups.add(Group.objects.get(name=ROLES[role]))
        self.stdout.write(
            f"{username} is one of the {ROLES[role]} and can sign in at /admin/ "
            "(in Persian: /fa/admin/)."
        )

    def password(self, stdin):
        if not stdin.isatty():
            return stdin.readline().rstrip("\n")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ; nothing was saved.")
        return first
