from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from articles.views import HomeView

admin.site.site_header = admin.site.site_title = "NEJAT CMS"

# Every public page exists once per edition: /, /ar/, /fa/, /sq/.
urlpatterns = i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    path("", include("articles.urls")),
    path("publications/", include("publications.urls")),
    path("media/", include("media_gallery.urls")),
    path("", include("nejat.pages.urls")),
    path("", include("nejat.comments.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

handler404 = "nejat.views.page_not_found"
handler500 = "nejat.views.server_error"
