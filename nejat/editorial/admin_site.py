"""The admin as a newsroom opens it: articles first, a shortcut to write one, and "View site"
opening the edition of the admin's language.

Django lists apps and models alphabetically ("Tags" came first, "Articles" fifth); the order is
the project's (``settings.ADMIN_ORDER``: "app" or "app.model" labels, the most used first;
what it does not name follows, alphabetically). The first model named there that the editor
may add is the dashboard's shortcut ("Add article"). The site is installed as Django's default
admin site (``NewsroomAdminConfig`` in ``INSTALLED_APPS``), so every app registers with it.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def position(label):
    """Where ``label`` ("app" or "app.model") comes in ``ADMIN_ORDER``; unnamed ones last."""
    order = settings.ADMIN_ORDER
    return order.index(label) if label in order else len(order)


class NewsroomAdminSite(admin.AdminSite):
    site_header = site_title = _("NEJAT CMS")  # in the admin's language

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        for app in apps:
            app["models"].sort(
                key=lambda m: (
                    position(f"{app['app_label']}.{m['object_name'].lower()}"),
                    m["name"],
                )
            )
        return sorted(apps, key=lambda app: (position(app["app_label"]), app["name"]))

    def each_context(self, request):
        context = super().each_context(request)
        context["site_url"] = reverse("home")  # in the admin's language: /fa/ from /fa/admin/
        context["shortcut"] = self.shortcut(context["available_apps"])
        return context

    @staticmethod
    def shortcut(apps):
        """The first model of the menu the editor may add: its name and its add address."""
        for app in apps:
            for model in app["models"]:
                if model.get("add_url"):
                    return {"name": model["model"]._meta.verbose_name, "url": model["add_url"]}
        return None


class NewsroomAdminConfig(AdminConfig):
    default_site = "nejat.editorial.admin_site.NewsroomAdminSite"
