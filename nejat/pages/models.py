from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from nejat.media.images import ResponsiveImageField, rendition_field
from nejat.media.richtext import RichTextField
from nejat.publishing import Publishable, PublishableQuerySet
from nejat.publishing.public_changes import PublicChangesQuerySet
from nejat.publishing.search import searchable
from nejat.security.antispam.models import Submission


@searchable(title="A", lead="B", body="C")
class Page(Publishable):
    """A standing page (About Us, a privacy notice), with drafts and scheduling like articles."""

    class Placement(models.TextChoices):
        NONE = "", _("not linked")
        ABOUT = "about", _('the menu\'s "About Us"')
        FOOTER = "footer", _("the footer")

    body = RichTextField(_("body"))
    image = ResponsiveImageField(
        _("image"), upload_to="pages/", blank=True, renditions_field="image_renditions"
    )
    image_renditions = rendition_field()
    image_alt = models.CharField(_("image alt text"), max_length=300, blank=True)
    placement = models.CharField(
        _("linked from"), max_length=10, choices=Placement.choices, blank=True, default=""
    )
    position = models.PositiveSmallIntegerField(_("position in the footer"), default=0)

    objects = PublishableQuerySet.as_manager()
    detail_url_name = "pages:detail"
    card_image_field, card_alt_field = "image", "image_alt"

    class Meta(Publishable.Meta):
        verbose_name = _("page")
        verbose_name_plural = _("pages")


class SiteSettings(models.Model):
    """The settings the organisation changes without a developer: one row, edited in the admin."""

    site_name = models.CharField(_("site name"), max_length=100, blank=True)
    description = models.CharField(
        _("site description"),
        max_length=300,
        blank=True,
        help_text=_(
            "One or two sentences about the site, for search engines and shared links, on pages "
            "without a summary of their own (the home page, lists, contact)."
        ),
    )
    copyright_first_year = models.PositiveSmallIntegerField(
        _("first year in the copyright line"),
        default=2003,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    contact_email = models.EmailField(
        _("staff contact address"),
        blank=True,
        help_text=_("Contact us messages are emailed here (they are always kept in the admin)."),
    )
    facebook = models.URLField(_("Facebook"), blank=True)
    twitter = models.URLField(_("Twitter / X"), blank=True)
    instagram = models.URLField(_("Instagram"), blank=True)
    youtube = models.URLField(_("YouTube"), blank=True)
    telegram = models.URLField(_("Telegram"), blank=True)

    SOCIAL_FIELDS = ["facebook", "twitter", "instagram", "youtube", "telegram"]
    changes_public_pages = (
        True  # saving or deleting one refreshes cached pages (nejat.publishing.public_changes)
    )
    objects = PublicChangesQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self):
        return str(_("Site settings"))

    @classmethod
    def load(cls):
        """The one row, created with the defaults from the environment the first time."""
        social = settings.SOCIAL_LINKS
        row, _created = cls.objects.get_or_create(
            pk=1,
            defaults={
                "site_name_en": settings.SITE_NAME,
                "copyright_first_year": settings.COPYRIGHT_FIRST_YEAR,
                "contact_email": settings.CONTACT_EMAIL,
                "facebook": social.get("Facebook", ""),
                "twitter": social.get("Twitter", ""),
                "instagram": social.get("Instagram", ""),
                "youtube": social.get("YouTube", ""),
            },
        )
        return row

    def social_links(self):
        """(network name in the active language, address) for each network with an address."""
        return [
            (str(self._meta.get_field(name).verbose_name), getattr(self, name))
            for name in self.SOCIAL_FIELDS
            if getattr(self, name)
        ]


class ContactMessage(Submission):
    """A message sent through Contact us: stored before anything else can fail."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        HANDLED = "handled", _("Handled")
        SPAM = "spam", _("Spam")

    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email"))
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("message"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW, db_index=True
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    emailed_at = models.DateTimeField(_("emailed to staff"), null=True, blank=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject
