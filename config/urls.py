from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path

from articles.views import HomeView
from nejat.delivery import views
from nejat.delivery.page_cache import cached_until_content_changes as cached
from nejat.delivery.sitemaps import sitemaps
from nejat.editorial.link_search import link_search
from nejat.publishing import revisions, schedule
from nejat.security import csp, password_reset, second_factor
from readership import beacon
from subscriptions import bounces

SITEMAPS = sitemaps()

urlpatterns = [
    path(
        "sitemap.xml",
        cached(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cached(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("csp-report/", csp.report, name="csp_report"),
    # Page views, counted when the page has loaded (readership/beacon.py).
    path("hit/", beacon.hit, name="readership_hit"),
    # An e-mail service's bounces and complaints (subscriptions/bounces.py).
    path("anymail/", include(bounces.webhook_urls())),
]

# The admin site with the editors' own pages in it (admin:recent_changes, admin:scheduled).
ADMIN_PAGES = [
    path("recent-changes/", revisions.recent_changes, name="recent_changes"),
    path("scheduled/", schedule.agenda, name="scheduled"),
    *admin.site.get_urls(),
]

# Every public page exists once per edition: /, /ar/, /fa/, /sq/.
urlpatterns += i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    path("", include("articles.urls")),
    path("publications/", include("publications.urls")),
    path("media/", include("media_gallery.urls")),
    path("", include("nejat.pages.urls")),
    path("", include("nejat.comments.urls")),
    path("search/", views.SearchView.as_view(), name="search"),
    path("api/v1/", include("api.urls")),
    path("subscribe/", include("subscriptions.urls")),
    path("preview/<str:token>/", views.shared_preview, name="shared_preview"),
    path("admin/link-search/", link_search, name="link_search"),
    path("admin/", include(second_factor)),  # before the admin: its sign-in is the two-step one
    path("admin/", include(password_reset)),
    path("admin/", (ADMIN_PAGES, "admin", admin.site.name)),
    prefix_default_language=False,
)

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            views.media_file,
        )
    ]

handler404 = "nejat.delivery.views.page_not_found"
handler500 = "nejat.delivery.views.server_error"
