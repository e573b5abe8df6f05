import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

from nejat.delivery.page_cache import serve_cached_pages  # noqa: E402 - once Django is set up
from readership.beacon import serve_beacons  # noqa: E402

# Pages kept for anonymous readers, and their beacons, are answered before Django's middleware.
application = serve_beacons(serve_cached_pages(django_application))
