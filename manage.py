#!/usr/bin/env python
"""Django's command-line utility for the NEJAT CMS."""

import os
import sys

if __name__ == "__main__":
    if os.environ.get("NEJAT_DIE_WITH_PARENT"):  # a web server `manage.py serve` started
        from nejat.ops.processes import die_with_parent

        die_with_parent()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # A checkout with no configuration is a developer's: `manage.py …` runs as `make run` does
    # (DEBUG=1, the README's `embedded_db stop` included). A server's configuration sets
    # SECRET_KEY, and `serve --production` refuses DEBUG=1; the web servers never come here.
    if not os.environ.get("SECRET_KEY"):
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
