"""Every admin change form survives what editors do all day: open a saved item and save it again.

The models come from ``admin.site._registry``, so a model registered later is covered without
anyone remembering to add it. The data is the demo site (images, PDFs, tags in several editions,
inline rows) plus what the demo lacks (comments, contact messages, blocked terms, settings).
Each staff role tries each model in the English admin and in the right-to-left Persian one.
"""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core import validators
from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import FieldFile
from django.forms.models import _get_foreign_key
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.models import Article
from nejat.comments.models import Comment
from nejat.media.richtext import RichTextField
from nejat.models import set_edition_tags
from nejat.pages.models import ContactMessage, SiteSettings
from nejat.publishing import Publishable, Status
from nejat.security.antispam.models import BlockedTerm
from tests.conftest import with_second_step
from tests.helpers.forms import form_fields
from wordpress.models import ImportRun

ROLES = ("Editors", "Contributors", "Moderators", "superuser")
ADMIN_LANGUAGES = ("en", "fa")
# The job queue's pages (procrastinate's admin) are read-only: there is no form to save.
READ_ONLY_APPS = {"procrastinate"}
MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label not in READ_ONLY_APPS),
    key=lambda model: model._meta.label,
)
# A model with a date or time field in its form goes round again in the far zones (Makefile,
# test-zones): a publish time moved by the zone's offset on a second save would show there.
# Editors and contributors (who see its fields differently) take it round; a superuser's form
# is an editor's, and a moderator opens none of them.
DATED_ROLES = ("Editors", "Contributors")
MODELS_AND_ROLES = [
    pytest.param(model, role, marks=pytest.mark.dates)
    if role in DATED_ROLES
    and any(isinstance(field, models.DateField) and field.editable for field in model._meta.fields)
    else (model, role)
    for model in MODELS
    for role in ROLES
]
PLAIN_STATIC = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


def richest(model):
    """The item with the most files attached: the one most likely to break a second save."""
    file_fields = [f.name for f in model._meta.fields if isinstance(f, models.FileField)]
    items = list(model.objects.order_by("pk")[:100])
    assert items, f"no {model._meta.label} in the demo data"
    return max(items, key=lambda item: sum(bool(getattr(item, name)) for name in file_fields))


@pytest.fixture(scope="module")
def demo_site(demo_content, django_db_blocker):
    """The demo content with what it lacks, loaded once for the module and rolled back after it."""
    in_module = override_settings(MEDIA_ROOT=demo_content, RENDITIONS_IN_BACKGROUND=False)
    with django_db_blocker.unblock(), in_module:
        article = richest(Article)
        assert article.pdf and article.featured_image_picture.has_renditions
        set_edition_tags(
            article,
            {"en": ["Rights", "Schools"], "fa": ["آموزش", "تهران"], "ar": ["تعليم"]},
        )
        SiteSettings.load()
        ContactMessage.objects.create(
            name="Demo Reader", email="reader@example.org", subject="Hello",
            message="An invented message.", language="en",
        )  # fmt: skip
        for status in (Comment.Status.PENDING, Comment.Status.APPROVED):
            Comment.objects.create(
                content_type=ContentType.objects.get_for_model(Article),
                object_id=article.pk,
                name="نام خواننده",
                email="reader@example.org",
                text="دیدگاهی ساختگی.",
                status=status,
                language="fa",
            )
        BlockedTerm.objects.create(value="casino", note="demo")
        finished = ImportRun(edition="fa", state=ImportRun.State.DONE, report="post 1 created")
        finished.export.save("site.xml", ContentFile(b"<rss><channel/></rss>"), save=True)
        # A failed sign-in, its lock and a session (django-axes' admin pages).
        client = {"user_agent": "Demo browser", "ip_address": "192.0.2.1", "username": "demo",
                  "http_accept": "text/html", "path_info": "/admin/login/"}  # fmt: skip
        AccessAttempt.objects.create(**client, get_data="", post_data="", failures_since_start=5)
        AccessFailureLog.objects.create(**client, locked_out=True)
        AccessLog.objects.create(**client)
        for name in ROLES[:-1]:
            user = User.objects.create_user(name.lower(), is_staff=True)
            user.groups.add(Group.objects.get(name=name))
        root = User.objects.create_superuser("root", "root@example.org", None)
        TOTPDevice.objects.create(user=root, name="default")  # two-step sign-in's admin pages
        StaticDevice.objects.create(user=root, name="backup").token_set.create(token="a1b2c3d4")
        yield demo_content


@pytest.fixture(autouse=True)
def _plain_static_and_media(settings, demo_site):
    """The demo's files stay in the module's media folder for every test of the module."""
    settings.STORAGES = {**settings.STORAGES, "staticfiles": PLAIN_STATIC}
    settings.MEDIA_ROOT = demo_site
    settings.RENDITIONS_IN_BACKGROUND = False


@pytest.fixture
def staff_client(client, db, request):
    """A client logged in as the role the test is parametrised with."""
    role = request.node.callspec.params["role"]
    username = "root" if role == "superuser" else role.lower()
    if role == "superuser":  # superusers use two steps (nejat/security/second_factor.py)
        return with_second_step(client, User.objects.get(username=username))
    client.force_login(User.objects.get(username=username))
    return client


def as_their_own(item, user):
    """A contributor opens only their own unpublished items (``nejat.publishing.review``): make the
    item theirs, a draft, for the contributor's turn."""
    if user.groups.filter(name="Contributors").exists() and isinstance(item, Publishable):
        type(item).objects.filter(pk=item.pk).update(created_by=user, status=Status.DRAFT)
        item.refresh_from_db()
    return item


def admin_url(name, language, *args):
    with translation.override(language):
        return reverse(f"admin:{name}", args=args)


def url_name(model, view):
    return f"{model._meta.app_label}_{model._meta.model_name}_{view}"


def values(item):
    """What the database holds for ``item``, as an editor would notice a change: every
    language column, file names and rendition manifests. Left out: times the database sets on
    save and columns it generates (search vectors); times are compared to the second, the
    precision of the admin's time field."""
    state = {}
    for field in item._meta.concrete_fields:
        if isinstance(field, models.GeneratedField) or getattr(field, "auto_now", False):
            continue
        value = getattr(item, field.attname)
        if value is None and isinstance(field, (models.CharField, models.TextField)):
            value = ""  # both mean "no text in this language"; the admin saves ""
        elif isinstance(value, FieldFile):
            value = value.name
        elif isinstance(value, datetime.datetime):
            value = value.replace(microsecond=0)
        state[field.attname] = value
    return state


def snapshot(model, pk):
    """The item, its tags and the rows of every inline of its admin, fresh from the database."""
    item = model.objects.get(pk=pk)
    state = {"item": values(item)}
    if hasattr(item, "tags"):
        state["tags"] = sorted((getattr(tag, "language", ""), tag.name) for tag in item.tags.all())
    for inline in admin.site._registry[model].inlines:
        foreign_key = _get_foreign_key(model, inline.model, fk_name=inline.fk_name)
        rows = inline.model.objects.filter(**{foreign_key.name: item}).order_by("pk")
        state[inline.model._meta.label] = [values(row) for row in rows]
    return state


def differences(after, before):
    """``{"item.title_fa": (before, after), ...}``: what changed, readable in a failure."""
    changed = {}
    for part in before.keys() | after.keys():
        old, new = before.get(part), after.get(part)
        if isinstance(old, dict) and isinstance(new, dict):
            for key in old.keys() | new.keys():
                if old.get(key) != new.get(key):
                    changed[f"{part}.{key}"] = (old.get(key), new.get(key))
        elif old != new:
            changed[part] = (old, new)
    return changed


def field_to_change(model, data):
    """A plain text field of the form that an editor would retype: titles and names first."""
    plain = (validators.MaxLengthValidator, validators.ProhibitNullCharactersValidator)
    candidates = []
    for name, value in data.items():
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: S112 - not a model field (a tag field, a management field)
            continue
        if (
            isinstance(field, (models.CharField, models.TextField))
            and not isinstance(field, (models.SlugField, models.URLField, models.EmailField))
            and not isinstance(field, RichTextField)
            and field.editable
            and not field.choices
            and isinstance(value, str)
            and all(isinstance(v, plain) for v in field.validators)
        ):
            preferred = name.startswith(("title", "name", "site_name", "caption", "subject"))
            candidates.append((not preferred, not value, name))
    return min(candidates)[2] if candidates else None


def form_errors(response):
    html = response.content.decode()
    start = html.find('class="errornote"')
    return html[start : start + 3000] if start >= 0 else html[:3000]


@pytest.mark.parametrize("language", ADMIN_LANGUAGES)
@pytest.mark.parametrize(
    ("model", "role"),
    MODELS_AND_ROLES,
    ids=lambda value: getattr(getattr(value, "_meta", None), "label", value),
)
def test_change_form_round_trips(staff_client, model, role, language):
    user = User.objects.get(pk=staff_client.session["_auth_user_id"])
    item = as_their_own(richest(model), user)
    change_url = admin_url(url_name(model, "change"), language, item.pk)
    opts = model._meta
    if not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        expected = 200 if user.has_perm(f"{opts.app_label}.view_{opts.model_name}") else 403
        assert staff_client.get(change_url).status_code == expected
        if expected == 200:  # a read-only view: a crafted POST changes nothing
            before = snapshot(model, item.pk)
            assert staff_client.post(change_url, {}).status_code == 403
            assert snapshot(model, item.pk) == before
        return

    page = staff_client.get(change_url)
    assert page.status_code == 200
    data = form_fields(page.content.decode(), f"{opts.model_name}_form")
    data["_save"] = "Save"
    before = snapshot(model, item.pk)

    # 1. Saved again unchanged: nothing is lost, not one language column, tag, file or row.
    response = staff_client.post(change_url, data)
    assert response.status_code == 302, form_errors(response)
    assert differences(snapshot(model, item.pk), before) == {}

    # 2. One field changed: the change is kept and everything else stays as it was.
    name = field_to_change(model, data)
    if name is None:  # only choices are editable (a moderator's comment status)
        choices = [n for n in data if n in {f.name for f in opts.fields if f.choices}]
        if not choices:  # nothing is editable (django-axes' records of sign-ins)
            return
        name = choices[0]
        current = getattr(item, name)
        data[name] = next(value for value, _ in opts.get_field(name).choices if value != current)
    else:
        max_length = opts.get_field(name).max_length or 1000
        data[name] = ("ویرایش " if language == "fa" else "Edited ") + data[name][: max_length - 8]
    response = staff_client.post(change_url, data)
    assert response.status_code == 302, form_errors(response)
    after = snapshot(model, item.pk)
    assert after["item"].pop(name) == data[name].strip()
    # What the change itself derives (who moderated, an author's slug) may follow it.
    readonly = set(admin.site._registry[model].get_readonly_fields(page.wsgi_request, item))
    changed = {name}
    if translated := getattr(opts.get_field(name), "translated_field", None):
        changed.add(translated.name)  # django-modeltranslation mirrors ``title_en`` in ``title``
    for field in opts.concrete_fields:
        if field.name in readonly or not field.editable or field.name in changed:
            before["item"].pop(field.attname, None)
            after["item"].pop(field.attname, None)
    assert differences(after, before) == {}


@pytest.mark.parametrize("language", ADMIN_LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_admin_page_of_the_model_opens(staff_client, model, role, language):
    """The list, add form, history and delete confirmation: open where the role may, 403 where
    it may not, never a 500."""
    user = User.objects.get(pk=staff_client.session["_auth_user_id"])
    item = as_their_own(richest(model), user)
    opts = model._meta

    def allowed(*actions):
        return any(user.has_perm(f"{opts.app_label}.{a}_{opts.model_name}") for a in actions)

    model_admin = admin.site._registry[model]
    request = staff_client.get(admin_url("index", language)).wsgi_request
    pages = {
        "changelist": ((), allowed("view", "change")),
        "add": ((), model_admin.has_add_permission(request)),
        "history": ((item.pk,), allowed("view", "change")),
        "delete": ((item.pk,), model_admin.has_delete_permission(request, item)),
    }
    for view, (args, may) in pages.items():
        url = admin_url(url_name(model, view), language, *args)
        response = staff_client.get(url)
        if not may:
            assert response.status_code == 403, url
        elif response.status_code == 302:  # a one-row model's list opens its only row
            changelist = admin_url(url_name(model, "changelist"), language)
            assert response["Location"].startswith(changelist), url
        else:
            assert response.status_code == 200, url


def test_every_staff_group_is_tried(db):
    """A group added later must join ROLES, so its permissions are tried on every model."""
    assert set(Group.objects.values_list("name", flat=True)) <= set(ROLES)
