from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path

from articles.views import HomeView
from nejat import csp, revisions, schedule, second_factor, views
from nejat.cache import cached_until_content_changes as cached
from nejat.sitemaps import sitemaps

admin.site.site_header = admin.site.site_title = "NEJAT CMS"

SITEMAPS = sitemaps()

# Staff who forgot their password get a link by e-mail (Django's views, the admin's templates).
# The link sets a new password only: the second step is still asked at sign-in.
STAFF_PAGE = {"site_header": admin.site.site_header, "site_title": admin.site.site_title}
staff_password_reset = [
    path(route, view.as_view(extra_context=STAFF_PAGE), name=name)
    for route, view, name in (
        ("password-reset/", auth_views.PasswordResetView, "admin_password_reset"),
        ("password-reset/sent/", auth_views.PasswordResetDoneView, "password_reset_done"),
        (
            "password-reset/<uidb64>/<token>/",
            auth_views.PasswordResetConfirmView,
            "password_reset_confirm",
        ),
        ("password-reset/done/", auth_views.PasswordResetCompleteView, "password_reset_complete"),
    )
]

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
    path("preview/<str:token>/", views.shared_preview, name="shared_preview"),
    path("admin/recent-changes/", revisions.recent_changes, name="recent_changes"),
    path("admin/scheduled/", schedule.agenda, name="scheduled"),
    path("admin/", include(second_factor)),  # before the admin: its sign-in is the two-step one
    path("admin/", include(staff_password_reset)),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            views.media_file,
        )
    ]

handler404 = "nejat.views.page_not_found"
handler500 = "nejat.views.server_error"
