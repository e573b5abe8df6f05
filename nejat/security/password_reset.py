"""Staff who forgot their password get a link by e-mail: Django's views, the admin's templates.

The link sets a new password only: the second step (nejat.security.second_factor) is still asked at
sign-in. Asking sends mail, so one address may ask ``PASSWORD_RESET_LIMIT`` times an hour; the
counter is in the cache, which is Redis with REDIS_URL, so the limit holds across app servers.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path
from django.utils.translation import gettext_lazy as _

from nejat.security.antispam.forms import over_the_limit

WINDOW_SECONDS = 3600


def asked_too_often(request):
    """Count this request against its address; whether it went over the limit."""
    return over_the_limit(request, "password-reset", settings.PASSWORD_RESET_LIMIT, WINDOW_SECONDS)


class LimitedPasswordResetView(auth_views.PasswordResetView):
    def post(self, request, *args, **kwargs):
        if asked_too_often(request):
            form = self.get_form()
            form.add_error("email", _("Too many requests from your address. Try again in an hour."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


STAFF_PAGE = {"site_header": admin.site.site_header, "site_title": admin.site.site_title}
urlpatterns = [
    path(route, view.as_view(extra_context=STAFF_PAGE), name=name)
    for route, view, name in (
        ("password-reset/", LimitedPasswordResetView, "admin_password_reset"),
        ("password-reset/sent/", auth_views.PasswordResetDoneView, "password_reset_done"),
        (
            "password-reset/<uidb64>/<token>/",
            auth_views.PasswordResetConfirmView,
            "password_reset_confirm",
        ),
        ("password-reset/done/", auth_views.PasswordResetCompleteView, "password_reset_complete"),
    )
]
