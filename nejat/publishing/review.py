"""Review before publishing: Contributors write, Editors publish.

- **Who**: the "Contributors" group (WordPress's contributor) may add items of every content
  type and change their own while they are not published; they never publish, schedule, delete,
  or see other people's items. Editors hold ``publish_<model>`` (``nejat.publishing``).
  ``ReviewAdmin`` applies these rules in the admin, from the permissions, so a crafted POST is
  refused as a click would be.
- **Pending review** sits between draft and published. Submitting tells the editors by e-mail
  once the save has committed; the admin home lists what waits (``waiting_for_review``).
- **A shareable preview link** for an unpublished item: signed, expiring after
  ``PREVIEW_LINK_HOURS``, read-only (the page as readers will see it), ``noindex`` and never
  cached. A reviewer outside the admin (a lawyer, a translator) needs no account.
"""

import logging
import smtplib

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.mail import BadHeaderError, send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from nejat.editions import current_edition, edition_name, separator
from nejat.publishing import Status, publishable_models, user_can_publish

logger = logging.getLogger(__name__)
PREVIEW_SALT = "nejat.publishing.review.preview"
# Who holds a permission is the model backend's answer (django-axes' backend only counts sign-ins).
PERMISSIONS_BACKEND = "django.contrib.auth.backends.ModelBackend"


# --- The admin's rules ----------------------------------------------------------------------------


class ReviewAdmin(admin.ModelAdmin):
    """The rules of the module docstring, for ``PublishableAdminMixin``."""

    def can_publish(self, request):
        return user_can_publish(request.user, self.model)

    def has_publish_permission(self, request):
        """For actions marked ``permissions=["publish"]``."""
        return self.can_publish(request)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if self.can_publish(request) else queryset.filter(created_by=request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None or self.can_publish(request):
            return allowed
        return obj.created_by_id == request.user.pk and obj.status != Status.PUBLISHED

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.can_publish(request)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not self.can_publish(request):
            kwargs["choices"] = [(s.value, s.label) for s in (Status.DRAFT, Status.PENDING)]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if obj.status == Status.PUBLISHED and not self.can_publish(request):
            raise PermissionDenied  # the form offers no such choice: a crafted request
        submitted = obj.status == Status.PENDING and (
            not change or form.initial.get("status") != Status.PENDING
        )
        super().save_model(request, obj, form, change)
        if submitted:
            tell_editors(obj, request.user, request.build_absolute_uri(admin_url(obj)))

    @admin.display(description=_("preview link for reviewers"))
    def review_link(self, obj):
        """Links a reviewer without an account can open, one per edition the item has."""
        if obj is None or obj.pk is None or obj.is_published:
            return _("Once saved, an unpublished item has links here to share for review.")
        return format_html(
            "{} <span class='help'>{}</span>",
            format_html_join(
                separator(current_edition()), '<a href="{}" target="_blank" rel="noopener">{}</a>',
                ((preview_url(obj, code), edition_name(code)) for code in obj.editions()),
            ),
            _("Anyone with the link can read the piece for %(hours)d hours; search engines "
              "are told not to index it.") % {"hours": settings.PREVIEW_LINK_HOURS},
        )  # fmt: skip


def admin_url(item):
    return reverse(admin_urlname(item._meta, "change"), args=[item.pk])


# --- Telling the editors --------------------------------------------------------------------------


def editor_addresses(model):
    """The active staff who may publish ``model`` and have an e-mail address."""
    meta = model._meta
    users = get_user_model().objects.with_perm(
        f"{meta.app_label}.publish_{meta.model_name}", backend=PERMISSIONS_BACKEND
    )
    return sorted({user.email for user in users.filter(is_active=True, email__gt="")})


def tell_editors(item, author, link):
    """E-mail the editors that ``item`` waits for review (a mail job, committed with the
    item: ``nejat.ops.mail``). A mail that cannot be queued is logged; the item is saved
    either way."""
    recipients = editor_addresses(type(item))
    if not recipients:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        try:
            send_mail(
                subject=f"[Review] {str(item)[:80]}",
                message=f"{author} submitted “{item}” for review:\n{link}\n",
                from_email=None,
                recipient_list=recipients,
            )
        except (smtplib.SMTPException, OSError, BadHeaderError):
            logger.exception("%s %s submitted, but e-mailing the editors failed", item, item.pk)
            return False
    return True


def waiting_for_review(user):
    """(model's plural name, [(item, admin address)]) for what ``user`` may publish, oldest
    submission first: the admin home's list."""
    waiting = []
    for model in publishable_models():
        if user_can_publish(user, model):
            pending = model.objects.outside_trash().filter(status=Status.PENDING)
            items = pending.select_related("created_by").order_by("updated_at")
            rows = [(item, admin_url(item)) for item in items[:50]]
            if rows:
                waiting.append((model._meta.verbose_name_plural, rows))
    return waiting


# --- The shareable preview link ------------------------------------------------------------


def preview_url(item, code):
    token = signing.dumps([item._meta.label_lower, item.pk], salt=PREVIEW_SALT, compress=True)
    with translation.override(code):
        return reverse("shared_preview", kwargs={"token": token})


def previewed_item(token):
    """The unpublished item a preview link names, or None when the link is forged, expired,
    or names nothing (any more)."""
    try:
        label, pk = signing.loads(
            token, salt=PREVIEW_SALT, max_age=settings.PREVIEW_LINK_HOURS * 3600
        )
        model = apps.get_model(label)
    except (signing.BadSignature, LookupError, TypeError, ValueError):
        return None
    return model.objects.outside_trash().filter(pk=pk).first()
