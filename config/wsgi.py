import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

from nejat.delivery.page_cache import serve_cached_pages  # noqa: E402 - once Django is set up

# Pages kept for anonymous readers are answered before Django builds a request.
application = serve_cached_pages(django_application)
