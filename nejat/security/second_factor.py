"""Two-step sign-in for staff: a password, then a code from an authenticator app.

django-two-factor-auth (on django-otp) does the work: the sign-in wizard, TOTP set-up with a QR
code, backup codes for a lost phone. This module is the door to it:

- ``urlpatterns``: its views under the admin's address, in the admin's look and language
  (templates/two_factor/); the admin's own sign-in address leads to its wizard.
- ``SecondFactorRequiredMiddleware``: superusers and the groups TWO_FACTOR_REQUIRED_GROUPS names
  open no admin page before they have set it up and used it in this session (unless
  TWO_FACTOR_REQUIRED is off: the local demo's default).
- ``reset_second_factor``: a superuser's action on staff accounts, for someone whose phone and
  backup codes are both gone; they set it up again at their next sign-in.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.urls import path
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from two_factor import views

from nejat.security.roles import is_staff_page


def is_required(user):
    """Whether this account may not use the admin without a second step."""
    if not settings.TWO_FACTOR_REQUIRED:  # the local demo (DEBUG=1)
        return False
    groups = settings.TWO_FACTOR_REQUIRED_GROUPS  # none named: no query on each admin page
    return user.is_superuser or bool(groups and user.groups.filter(name__in=groups).exists())


class AdminLook:
    """The admin's header, user links and sidebar on the two-step pages."""

    def get_context_data(self, *args, **kwargs):
        return admin.site.each_context(self.request) | super().get_context_data(*args, **kwargs)


class SignIn(AdminLook, views.LoginView):
    def get(self, request, *args, **kwargs):
        """The blank form keeps nothing: the wizard's state is made when the password is posted,
        so a stranger's (or a bot's) visit stores no session row."""
        response = super().get(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()  # the template reads the wizard's state: before it goes
        request.session.pop(self.storage.prefix, None)
        return response


class SetUp(AdminLook, views.SetupView):
    pass


class QRCode(views.QRGeneratorView):
    def get_issuer(self):
        """The name the authenticator app shows beside the code: the site's, not the host's."""
        return settings.OTP_TOTP_ISSUER


class SetUpDone(AdminLook, views.SetupCompleteView):
    pass


class BackupCodes(AdminLook, views.BackupTokensView):
    pass


class Settings(AdminLook, views.ProfileView):
    pass


@method_decorator(login_required, name="dispatch")  # a stranger signs in, not the admin's index
class TurnOff(AdminLook, views.DisableView):
    pass


app_name = "two_factor"  # the library's views and templates reverse these names
urlpatterns = [
    path("login/", SignIn.as_view(), name="login"),
    path("two-step/", Settings.as_view(), name="profile"),
    path("two-step/set-up/", SetUp.as_view(), name="setup"),
    path("two-step/set-up/qr-code/", QRCode.as_view(), name="qr"),
    path("two-step/set-up/done/", SetUpDone.as_view(), name="setup_complete"),
    path("two-step/backup-codes/", BackupCodes.as_view(), name="backup_tokens"),
    path("two-step/turn-off/", TurnOff.as_view(), name="disable"),
]

# Pages a signed-in account without its second step may still open: these, the admin's sign-out
# and the admin's translations for scripts.
OPEN_BEFORE_SECOND_STEP = {("admin", "logout"), ("admin", "jsi18n")}


class SecondFactorRequiredMiddleware:
    """Sends an account that must use two steps to set them up (or to sign in again, if it has
    set them up but this session never gave a code) before any other admin page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not (user.is_authenticated and is_staff_page(request)) or user.is_verified():
            return None
        match = request.resolver_match
        if match.namespace == app_name or (match.namespace, match.url_name) in (
            OPEN_BEFORE_SECOND_STEP
        ):
            return None
        if not is_required(user):
            return None
        if user_has_device(user):
            logout(request)
            return redirect_to_login(request.get_full_path(), "two_factor:login")
        messages.warning(
            request, _("Your role needs two-step sign-in. Please set it up now: it takes a minute.")
        )
        return redirect("two_factor:setup")


@admin.action(description=_("Reset two-step sign-in"), permissions=["reset_second_factor"])
def reset_second_factor(modeladmin, request, queryset):
    """Removes the accounts' authenticator and backup codes: for a lost phone and lost codes."""
    for user in queryset:
        for device in devices_for_user(user, confirmed=None):
            device.delete()
        modeladmin.log_change(request, user, _("Two-step sign-in reset"))
    count = len(queryset)
    modeladmin.message_user(
        request,
        ngettext(
            "Two-step sign-in was reset for %(count)d account: it is set up again at the next "
            "sign-in.",
            "Two-step sign-in was reset for %(count)d accounts: each sets it up again at the "
            "next sign-in.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


class StaffUserAdmin(UserAdmin):
    """Django's user admin, showing who uses two steps; superusers can reset them."""

    list_display = [*UserAdmin.list_display, "uses_two_steps"]
    actions = [reset_second_factor]

    def get_queryset(self, request):
        authenticator = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(uses_two_steps=Exists(authenticator))

    @admin.display(description=_("two-step sign-in"), boolean=True, ordering="uses_two_steps")
    def uses_two_steps(self, user):
        return user.uses_two_steps

    def has_reset_second_factor_permission(self, request):
        return request.user.is_superuser
