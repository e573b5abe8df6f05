"""Settings for the NEJAT CMS: one file, every deployment difference read from the environment.

Without DATABASE_URL the project uses an embedded PostgreSQL 16 (the ``pgserver`` wheel) whose data
lives under ``var/pgdata``; it is started on the first connection (see ``nejat.ops.db.embedded``).
"""

import ipaddress
import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import csp.constants
import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NEJAT_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("NEJAT_ALLOW_INSECURE_KEY"):
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
# The site's public address (https://nejat.example): absolute addresses (canonical links, feeds,
# sitemaps, e-mails) use its host whatever the request's Host header said (nejat/security/hosts.py).
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
SITE_HOST = urlsplit(SITE_URL).netloc.lower() if SITE_URL else ""
if SITE_HOST and urlsplit(SITE_URL).hostname not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(urlsplit(SITE_URL).hostname)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation must come before django.contrib.admin to patch the admin.
    "modeltranslation",
    "nejat.editorial.admin_site.NewsroomAdminConfig",  # Django's admin, in the newsroom's order
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "taggit",
    "reversion",
    "procrastinate.contrib.django",  # the job queue (nejat/ops/jobs.py)
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "django_prose_editor",
    "ninja",  # the content API's documentation page, from our own static files
    "nejat",
    "nejat.security.antispam",
    "nejat.pages",
    "nejat.comments",
    "nejat.editorial.autosave",
    "articles",
    "publications",
    "media_gallery",
    "media_library",
    "wordpress",
    "subscriptions",
    "readership",
    "api",
    "anymail",
]

MIDDLEWARE = [
    # /healthz and /readyz for load balancers, before anything else (nejat/ops/health.py).
    "nejat.ops.health.HealthMiddleware",
    # The request's id and its access-log line, for kept pages too (nejat/ops/request_log.py).
    "nejat.ops.request_log.RequestLogMiddleware",
    # A host ALLOWED_HOSTS does not name: 400; the others in one form (nejat/security/hosts.py).
    "nejat.security.hosts.CanonicalHostMiddleware",
    # Then: a kept page is stored with every header the others add (nejat/delivery/page_cache.py).
    "nejat.delivery.page_cache.PageCacheMiddleware",
    # Other sites' scripts may read the content API: its CORS preflights (api/answers.py).
    "api.answers.PreflightMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "nejat.security.csp.SitePolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A WordPress address the site cannot answer: 301 to what it became (wordpress/redirects.py).
    "wordpress.redirects.OldAddressMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The Persian and Arabic admin's numbers in their own digits (nejat/editions/admin_digits.py).
    "nejat.editions.admin_digits.AdminDigitsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "nejat.security.second_factor.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: answers a locked-out sign-in (django-axes).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nejat.pages.context_processors.site",
            ],
        },
    },
]

# --- Database: PostgreSQL only ------------------------------------------------------------------
PGDATA_DIR = VAR_DIR / "pgdata"
# Connections are kept this long (a new one costs about 2 ms) and checked before reuse, so a
# restarted database is reconnected to instead of failing a request.
DB_CONN_MAX_AGE = int(os.environ.get("DB_CONN_MAX_AGE", "60"))
DB_CONN_HEALTH_CHECKS = env_bool("DB_CONN_HEALTH_CHECKS", default=True)
if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"],
            conn_max_age=DB_CONN_MAX_AGE,
            conn_health_checks=DB_CONN_HEALTH_CHECKS,
        )
    }
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL (postgres://...).")
else:
    DATABASES = {
        "default": {
            "ENGINE": "nejat.ops.db.embedded",
            "NAME": "nejat",
            "USER": "postgres",
            # A Unix socket directory: the embedded server listens on no port.
            "HOST": str(PGDATA_DIR),
            "PGDATA": str(PGDATA_DIR),
            "PROJECT_DATABASE": "nejat",
            "CONN_MAX_AGE": DB_CONN_MAX_AGE,
            "CONN_HEALTH_CHECKS": DB_CONN_HEALTH_CHECKS,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Editions -----------------------------------------------------------------------------------
# Each edition is a language. The first is the default edition, served without a URL prefix.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("fa", _("Persian")),
    ("sq", _("Albanian")),
]
LANGUAGES_BIDI = ["ar", "fa"]
EDITION_NAMES = {"en": "English", "ar": "عربي", "fa": "فارسی", "sq": "Shqip"}
LOCALE_PATHS = [BASE_DIR / "locale"]
# The admin's menu and dashboard, most used first (nejat/editorial/admin_site.py).
ADMIN_ORDER = [
    "articles", "articles.article", "articles.category",
    "publications", "media_gallery", "media_library", "pages", "comments", "nejat",
]  # fmt: skip
FORMAT_MODULE_PATH = ["nejat.editions.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Tehran")

# An item belongs to an edition when it has text in that language: never fall back to English.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ()}
# Tags are separated by commas of every script, never by spaces (nejat.models).
TAGGIT_TAGS_FROM_STRING = "nejat.models.tags_from_string"
TAGGIT_STRING_FROM_TAGS = "nejat.models.string_from_tags"
# The tabbed translation admin would load jQuery UI from a CDN; serve our own copy instead.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"


def s3_media_backend(bucket, endpoint, cdn_url="", region=None):
    """The storage of MEDIA_STORAGE=s3 (nejat/media/storage.py); the tests build theirs here too."""
    from botocore.config import Config

    cdn = urlsplit(cdn_url)
    return {
        "BACKEND": "nejat.media.storage.MediaStore",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": region or None,
            # Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment.
            "addressing_style": "path",  # every S3-compatible store answers these addresses
            "custom_domain": (cdn.netloc + cdn.path.rstrip("/")) or None,
            "url_protocol": f"{cdn.scheme or 'https'}:",
            "querystring_auth": False,  # media is public: plain, cacheable addresses
            "file_overwrite": False,  # a new upload never replaces another's file
            "default_acl": None,  # the bucket's policy makes objects public
            # A slow store fails the request in seconds rather than holding a worker.
            "client_config": Config(
                connect_timeout=3, read_timeout=20, retries={"max_attempts": 3, "mode": "standard"}
            ),
        },
    }


# --- Static and media files ---------------------------------------------------------------------
STATIC_URL = os.environ.get("STATIC_URL", "/static/")
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media-files/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Files nobody may open by address (files kept from an admin form with an error): local disk,
# outside MEDIA_ROOT, served by nothing (nejat.editorial.autosave.models.PrivateStorage).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
# Uploads live on the local disk (MEDIA_ROOT), or with MEDIA_STORAGE=s3 in a bucket of any
# S3-compatible store (nejat/media/storage.py), which every app server shares.
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "local")
MEDIA_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if MEDIA_STORAGE == "s3":
    if not (os.environ.get("AWS_STORAGE_BUCKET_NAME") and os.environ.get("AWS_S3_ENDPOINT_URL")):
        raise ImproperlyConfigured(
            "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME and AWS_S3_ENDPOINT_URL "
            "(e.g. https://s3.eu-central-1.amazonaws.com)."
        )
    _bucket = os.environ["AWS_STORAGE_BUCKET_NAME"]
    _endpoint = os.environ["AWS_S3_ENDPOINT_URL"].rstrip("/")
    # Pages link to the CDN in front of the bucket when there is one, else to the bucket itself.
    MEDIA_URL = os.environ.get("MEDIA_CDN_URL") or f"{_endpoint}/{_bucket}/"
    MEDIA_BACKEND = s3_media_backend(
        _bucket,
        _endpoint,
        os.environ.get("MEDIA_CDN_URL", ""),
        os.environ.get("AWS_S3_REGION_NAME"),
    )
elif MEDIA_STORAGE != "local":
    raise ImproperlyConfigured("MEDIA_STORAGE is local (the default) or s3.")
# Serve MEDIA_ROOT from Django (development, small installs); set 0 where a web server does it.
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=MEDIA_STORAGE == "local")
STORAGES = {
    "default": MEDIA_BACKEND,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("NEJAT_PLAIN_STATIC")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or env_bool("NEJAT_PLAIN_STATIC")
WHITENOISE_ROOT = BASE_DIR / "static" / "root"  # files browsers ask for at /: favicon.ico
FILE_UPLOAD_PERMISSIONS = 0o644
MAX_PDF_UPLOAD_MB = int(os.environ.get("MAX_PDF_UPLOAD_MB", "40"))
MAX_IMAGE_UPLOAD_MB = int(os.environ.get("MAX_IMAGE_UPLOAD_MB", "15"))
# Where a linked video's poster comes from (media_gallery/posters.py): each site's oEmbed answer.
VIDEO_OEMBED_ENDPOINTS = {
    "youtube": "https://www.youtube.com/oembed",
    "vimeo": "https://vimeo.com/api/oembed.json",
    "aparat": "https://www.aparat.com/oembed",
}
MAX_VIDEO_UPLOAD_MB = int(os.environ.get("MAX_VIDEO_UPLOAD_MB", "200"))
# A ZIP of photos: at most this many files and this many MB once unpacked (zip bombs).
MAX_ZIP_PHOTOS = int(os.environ.get("MAX_ZIP_PHOTOS", "200"))
MAX_ZIP_UNPACKED_MB = int(os.environ.get("MAX_ZIP_UNPACKED_MB", "500"))
# Larger images are refused (decompression bombs): 40 million pixels is a 7,700 x 5,200 photo.
# Replaced and deleted uploads: `manage.py sweep_uploads` deletes them this long after, if unused.
UPLOAD_SWEEP_AFTER_HOURS = float(os.environ.get("UPLOAD_SWEEP_AFTER_HOURS", "24"))
# A preview link for reviewers (nejat/publishing/review.py) works this long after it was shown.
PREVIEW_LINK_HOURS = int(os.environ.get("PREVIEW_LINK_HOURS", "72"))
# Work on an uploaded PDF (nejat/media/pdf.py) runs in its own process with these limits.
PDF_SECONDS = int(os.environ.get("PDF_SECONDS", "10"))
PDF_MEMORY_MB = int(os.environ.get("PDF_MEMORY_MB", "1024"))
# Deleted items wait in the trash this long; `manage.py empty_trash` then deletes them.
TRASH_DAYS = int(os.environ.get("TRASH_DAYS", "30"))
# An admin form being edited keeps its draft (nejat.editorial.autosave) this long after the last
# change, at least every AUTOSAVE_MAX_SECONDS while the editor keeps typing, and when it is closed.
AUTOSAVE_SECONDS = int(os.environ.get("AUTOSAVE_SECONDS", "2"))
AUTOSAVE_MAX_SECONDS = int(os.environ.get("AUTOSAVE_MAX_SECONDS", "10"))
# Encode image renditions in a job of the queue, enqueued in the transaction that stores the
# image (nejat/media/jobs.py); 0 makes them during the save, in the request (the tests' default).
RENDITIONS_IN_BACKGROUND = env_bool("RENDITIONS_IN_BACKGROUND", default=True)

# The job queue (procrastinate, in PostgreSQL: docs/decisions/0004-job-queue.md). Every room's
# background work is in its jobs.py; `manage.py procrastinate worker` runs them (make run and
# make serve start one). A job of a worker that stopped sending heartbeats is run again.
PROCRASTINATE_IMPORT_PATHS = [
    "nejat.media.jobs",
    "nejat.publishing.jobs",
    "nejat.delivery.jobs",
    "nejat.ops.jobs",
    "nejat.ops.mail",
]
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = "jobs"  # an app's own background work, in its jobs.py
PROCRASTINATE_WORKER_DEFAULTS = {"install_signal_handlers": True}
# A worker silent this long has died: its jobs run again (nejat.ops.jobs.retry_stalled_jobs).
JOBS_STALLED_AFTER_SECONDS = int(os.environ.get("JOBS_STALLED_AFTER_SECONDS", "60"))
JOBS_KEEP_DAYS = int(os.environ.get("JOBS_KEEP_DAYS", "14"))  # succeeded jobs' record
# The queues the worker `manage.py serve` starts takes (all when empty), e.g. "media,mail" on
# app servers when a machine of its own runs the "backups" queue (docs/operations/jobs.md).
WORKER_QUEUES = env_list("WORKER_QUEUES")
# Nightly backup (nejat.ops.jobs.nightly_backup) into this folder; none when empty.
BACKUP_DIR = os.environ.get("BACKUP_DIR", "")
BACKUP_KEEP_DAYS = int(os.environ.get("BACKUP_KEEP_DAYS", "14"))
# A WordPress import started in the admin is run by a job worker (wordpress/jobs.py); the
# export may be this large.
MAX_WXR_UPLOAD_MB = int(os.environ.get("MAX_WXR_UPLOAD_MB", "200"))
# Seconds between two downloads from the old site when an import fetches its uploads.
WXR_FETCH_DELAY = float(os.environ.get("WXR_FETCH_DELAY", "1"))
# Only the tests' stand-in for an old site answers plain http on this machine's loopback.
WXR_FETCH_FROM_LOOPBACK = False
MAX_IMAGE_PIXELS = int(os.environ.get("MAX_IMAGE_PIXELS", str(40_000_000)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Security -----------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# Only staff have sessions (readers never get one: the page cache relies on it). A session ends
# after STAFF_IDLE_MINUTES without a request; each request starts the count again. Changing a
# password ends the account's other sessions (Django's session hash).
SESSION_COOKIE_AGE = int(os.environ.get("STAFF_IDLE_MINUTES", "120")) * 60
SESSION_SAVE_EVERY_REQUEST = True
# Cookies only over HTTPS unless DEBUG; SECURE_COOKIES=0 serves staff over plain HTTP on purpose.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_FAILURE_VIEW = "nejat.security.refusals.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# Behind nginx terminating TLS (deploy/): trust its X-Forwarded-Proto, send every request to
# HTTPS and tell browsers to keep to it (HSTS, a year, subdomains and preload; each its own
# variable, e.g. HSTS_PRELOAD=0 before the domain is ready for the preload list).
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY")
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=BEHIND_TLS_PROXY)
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", 31_536_000 if BEHIND_TLS_PROXY else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", default=BEHIND_TLS_PROXY)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", default=BEHIND_TLS_PROXY)
# Turned off on purpose by the variables above: not a warning of `check --deploy` any more.
SILENCED_SYSTEM_CHECKS = [
    check
    for check, turned_off in (
        ("security.W005", SECURE_HSTS_SECONDS and not SECURE_HSTS_INCLUDE_SUBDOMAINS),
        ("security.W021", SECURE_HSTS_SECONDS and not SECURE_HSTS_PRELOAD),
    )
    if turned_off
]
# Browser features the site never uses, denied to it and to the videos it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "ambient-light-sensor", "browsing-topics", "camera", "display-capture",
        "geolocation", "gyroscope", "hid", "magnetometer", "microphone", "midi", "payment",
        "serial", "usb", "xr-spatial-tracking",
    )
}  # fmt: skip


# Content-Security-Policy (django-csp). Public pages run only the site's own files: no inline
# script or style, frames only from the three video sites (and only once a reader presses play),
# nothing may frame the site. The admin gets STAFF_CONTENT_SECURITY_POLICY instead
# (nejat/security/csp.py): the rich-text editor's import map carries the request's nonce and the
# editor injects styles. CSP_REPORT_ONLY=1 sends both as Content-Security-Policy-Report-Only to
# roll out a change; the browser reports what it would block to /csp-report/ (logged by
# nejat.security.csp).
def _origins(*urls):
    """Where STATIC_URL or MEDIA_URL point away from the site (a CDN, a bucket), their origins."""
    return [f"{part.scheme}://{part.netloc}" for part in map(urlsplit, urls) if part.netloc]


_ASSETS = ["'self'", *_origins(STATIC_URL, MEDIA_URL)]
VIDEO_PLAYERS = [
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    "https://www.aparat.com",
]
_CSP_COMMON = {
    "default-src": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "font-src": _ASSETS,
    "img-src": _ASSETS,  # a body's image from another site is a tracker: it stays out
    "media-src": _ASSETS,
    "report-uri": ["/csp-report/"],
    "upgrade-insecure-requests": SECURE_SSL_REDIRECT,
}
_PUBLIC_CSP = _CSP_COMMON | {
    "script-src": _ASSETS,
    "style-src": _ASSETS,
    "frame-src": VIDEO_PLAYERS,
}
STAFF_CONTENT_SECURITY_POLICY = _CSP_COMMON | {
    "script-src": [*_ASSETS, csp.constants.NONCE],  # the request's nonce, when a page uses it
    "style-src": [*_ASSETS, "'unsafe-inline'"],  # the editor's injected styles, the admin's badges
    "img-src": [*_ASSETS, "data:", "blob:"],
    "frame-src": ["'none'"],
}
# Reports one address may send to /csp-report/ in a minute; the rest get 429 and are not logged.
CSP_REPORT_LIMIT = int(os.environ.get("CSP_REPORT_LIMIT", "30"))
if env_bool("CSP_REPORT_ONLY"):  # not a setting of that name: django-csp 3 read it differently
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _PUBLIC_CSP}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _PUBLIC_CSP}

# Two-step sign-in (django-two-factor-auth; nejat/security/second_factor.py): staff sign in with a
# password and then a six-digit code from an authenticator app, or one of their backup codes.
# Superusers and the groups TWO_FACTOR_REQUIRED_GROUPS names (e.g. "Editors,Moderators") must set
# it up before any admin page opens; anyone else on the staff may. A superuser resets another's.
TWO_FACTOR_REQUIRED_GROUPS = env_list("TWO_FACTOR_REQUIRED_GROUPS")
# Whether anyone must: on unless DEBUG, so that `make run`'s printed password opens the local demo
# (TWO_FACTOR_REQUIRED=1 asks there too); with DEBUG=0 it cannot be turned off.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", default=not DEBUG)
if not TWO_FACTOR_REQUIRED and not DEBUG:  # whatever starts the site: serve, a WSGI server, …
    raise ImproperlyConfigured(
        "TWO_FACTOR_REQUIRED=0 is for the local demo (DEBUG=1): staff sign in with two steps here."
    )
# Password-reset e-mails one address may ask for in an hour (nejat/security/password_reset.py).
PASSWORD_RESET_LIMIT = int(os.environ.get("PASSWORD_RESET_LIMIT", "5"))
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "NEJAT CMS")
# Where login_required sends a stranger (the two-step pages): the sign-in wizard, by its name.
LOGIN_URL = "two_factor:login"
LOGIN_REDIRECT_URL = "admin:index"
TWO_FACTOR_LOGIN_TIMEOUT = 600  # seconds between the password and the code

# Sign-in attempts (django-axes): after LOGIN_FAILURE_LIMIT failures a username, and separately an
# address, is locked for LOGIN_LOCKOUT_MINUTES; kept in the database, so every app server shares
# it; a superuser lifts a lock in the admin (Access attempts) or with `manage.py axes_reset`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_CLIENT_IP_CALLABLE = "nejat.security.antispam.forms.client_ip"
AXES_LOCKOUT_CALLABLE = "nejat.security.refusals.signing_in_paused"

# --- Site ---------------------------------------------------------------------------------------
SITE_NAME = os.environ.get("SITE_NAME", "NEJAT Society")
SITE_DESCRIPTION = os.environ.get(
    "SITE_DESCRIPTION",
    "News, reports and publications of the NEJAT Society in English, Arabic, Persian and Albanian.",
)
COPYRIGHT_FIRST_YEAR = 2003
SOCIAL_LINKS = {
    "Facebook": os.environ.get("SOCIAL_FACEBOOK", "https://www.facebook.com/"),
    "Twitter": os.environ.get("SOCIAL_TWITTER", "https://twitter.com/"),
    "Instagram": os.environ.get("SOCIAL_INSTAGRAM", "https://www.instagram.com/"),
    "YouTube": os.environ.get("SOCIAL_YOUTUBE", "https://www.youtube.com/"),
}
ARTICLES_PER_PAGE = 10
RECENT_POSTS_COUNT = 5
# Related articles under each article, after its own "Also read" (articles/related.py).
RELATED_ARTICLES = 4

# Mail is sent by a job-queue worker (nejat/ops/mail.py), through the backend EMAIL_BACKEND names.
EMAIL_BACKEND = "nejat.ops.mail.QueuedEmailBackend"
MAIL_DELIVERY_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
# Where contact messages go when the site settings in the admin name no address.
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "")

# --- Cache ----------------------------------------------------------------------------------------
# Site settings and menu links are cached per edition. With several server processes set REDIS_URL
# so a change in the admin reaches all of them at once (each process's memory cache otherwise
# refreshes within SITE_CACHE_SECONDS).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        },
        # Each process also keeps its own copy of the pages it answered
        # (nejat/delivery/page_cache.py).
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "nejat-pages",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PAGE_CACHE_LOCAL_ENTRIES", "1000"))},
        },
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SITE_CACHE_SECONDS = int(os.environ.get("SITE_CACHE_SECONDS", "300"))
# Feeds and sitemaps: rebuilt at once when the admin changes content, else after this long.
# Whole pages for anonymous readers (nejat/delivery/page_cache.py): at most this long (0 turns it
# off; off by default with DEBUG, where templates change); a change refreshes them at once.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0" if DEBUG else "3600"))
# A page whose content changed is rendered again by one request; the others get the previous
# copy meanwhile, for at most this long (nejat/delivery/kept_pages.py).
PAGE_CACHE_RENDER_SECONDS = int(os.environ.get("PAGE_CACHE_RENDER_SECONDS", "5"))
# Kept pages name their cache tags for a CDN in front (Surrogate-Key, Cache-Tag).
PAGE_CACHE_TAG_HEADERS = env_bool("PAGE_CACHE_TAG_HEADERS")
# A CDN may serve a page this much longer while it revalidates it.
PAGE_CACHE_STALE_SECONDS = int(os.environ.get("PAGE_CACHE_STALE_SECONDS", "30"))
# Sent a PURGE request after every public change commits (nginx cache purge, a CDN's hook).
PAGE_CACHE_PURGE_URLS = env_list("PAGE_CACHE_PURGE_URLS")
# nginx's proxy cache in front of each app server (deploy/nginx/nejat.conf): its purge listeners,
# "http://10.0.0.1:8079,http://10.0.0.2:8079". Set, kept pages are kept by nginx too, and each
# change purges the pages that show it from every one (nejat/delivery/front_caches.py).
PAGE_CACHE_NGINX_PURGE_URLS = env_list("PAGE_CACHE_NGINX_PURGE_URLS")
# A CDN that purges by tag (the Surrogate-Key / Cache-Tag headers): sent {"tags": [...]} by POST,
# with the token as a bearer (Cloudflare's purge_cache API).
PAGE_CACHE_PURGE_TAGS_URL = os.environ.get("PAGE_CACHE_PURGE_TAGS_URL", "")
PAGE_CACHE_PURGE_TAGS_TOKEN = os.environ.get("PAGE_CACHE_PURGE_TAGS_TOKEN", "")
FEED_CACHE_SECONDS = int(os.environ.get("FEED_CACHE_SECONDS", "600"))

# --- Spam defences (contact form, comments) -------------------------------------------------------
ANTISPAM = {
    "MIN_SECONDS_TO_POST": float(os.environ.get("ANTISPAM_MIN_SECONDS", "3")),
    "FORM_MAX_AGE_SECONDS": 24 * 3600,
    "RATE_LIMIT": int(os.environ.get("ANTISPAM_RATE_LIMIT", "5")),
    "RATE_WINDOW_SECONDS": 10 * 60,
    "MAX_LINKS": int(os.environ.get("ANTISPAM_MAX_LINKS", "2")),
}
# How many reverse proxies stand in front of the site (trusts that many X-Forwarded-For hops).
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
CONTACT_MESSAGE_MAX_LENGTH = int(os.environ.get("CONTACT_MESSAGE_MAX_LENGTH", "5000"))

# Readers' e-mail subscriptions (subscriptions/; docs/operations/subscriptions.md).
SUBSCRIPTIONS = {
    # The address list mail comes from (the confirmation mail too).
    "FROM_EMAIL": os.environ.get("SUBSCRIPTIONS_FROM_EMAIL", DEFAULT_FROM_EMAIL),
    # How long a confirmation link works.
    "CONFIRM_DAYS": int(os.environ.get("SUBSCRIPTIONS_CONFIRM_DAYS", "3")),
    # Subscribe requests an address (client) may send in an hour.
    "RATE_LIMIT_PER_HOUR": int(os.environ.get("SUBSCRIPTIONS_RATE_LIMIT", "10")),
}
# Mailings (subscriptions/sending.py): senders at once per mailing, mails a minute in all (0: as
# fast as the server takes them), how long a sender's claim on a batch lasts before another
# sender may take it over, and tries of an address the server refuses for now (4xx).
MAILING_SENDERS = int(os.environ.get("MAILING_SENDERS", "2"))
MAILING_RATE_PER_MINUTE = int(os.environ.get("MAILING_RATE_PER_MINUTE", "0"))
MAILING_LEASE_SECONDS = int(os.environ.get("MAILING_LEASE_SECONDS", "60"))
MAILING_ATTEMPTS = int(os.environ.get("MAILING_ATTEMPTS", "3"))
# What readers read (readership/; docs/operations/readership.md): beacons gather in Redis with
# REDIS_URL (else in an unlogged PostgreSQL table) until the flush job counts them each minute.
# "Most read" lists that many articles of the last seven days. READERSHIP_BEACON=0: nothing is
# counted (pages carry no beacon).
READERSHIP = {
    "BEACON": env_bool("READERSHIP_BEACON", default=True),
    "REDIS_URL": os.environ.get("REDIS_URL", ""),
    "MOST_READ_COUNT": int(os.environ.get("MOST_READ_COUNT", "5")),
    # A visitor's views counted in a minute, at most, per web process (a reader does not read
    # that many pages a minute; a script sending beacons does): the rest are not counted.
    "BEACONS_PER_MINUTE": int(os.environ.get("READERSHIP_BEACONS_PER_MINUTE", "30")),
}
# The content API (api/; docs/api/index.md): requests a minute per client address that the
# page cache does not answer; any site's script may read it (GET only, no credentials).
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300/m")
if not re.fullmatch(r"[0-9]+/[smhd]", API_RATE_LIMIT):
    raise ImproperlyConfigured(f"API_RATE_LIMIT={API_RATE_LIMIT!r}: write requests/period, 300/m")
# django-anymail: an e-mail service's webhooks (/anymail/<service>/tracking/) report bounces
# and complaints; they answer only with this secret set, as "user:password" in their address.
ANYMAIL = {"WEBHOOK_SECRET": os.environ.get("ANYMAIL_WEBHOOK_SECRET", "")}
# DKIM signatures on list mail handed to the site's own SMTP server.
DKIM_PRIVATE_KEY_FILE = os.environ.get("DKIM_PRIVATE_KEY_FILE", "")
DKIM_SELECTOR = os.environ.get("DKIM_SELECTOR", "nejat")
DKIM_DOMAIN = os.environ.get("DKIM_DOMAIN", "")

# --- Comments -------------------------------------------------------------------------------------
COMMENTS = {
    "MAX_LENGTH": int(os.environ.get("COMMENT_MAX_LENGTH", "3000")),
    # Approve at once a commenter whose earlier comment was approved (as WordPress can).
    "AUTO_APPROVE_KNOWN": env_bool("COMMENTS_AUTO_APPROVE_KNOWN"),
    # Addresses told of new pending comments, besides the Moderators group's members.
    "NOTIFY": env_list("COMMENTS_NOTIFY_EMAILS"),
}

# Every line carries the id of the request that wrote it ("-" outside requests); one access line
# per request (REQUEST_LOG=0 leaves that to nginx). nejat/ops/request_log.py.
REQUEST_LOG = env_bool("REQUEST_LOG", default=True)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "nejat.ops.request_log.RequestIdFilter"}},
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "line",
        }
    },
    "loggers": {"nejat.requests": {"level": "INFO"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Observability (docs/operations/monitoring.md) ------------------------------------------------
# /metrics for Prometheus (nejat/ops/metrics.py), answered second, after the health checks: no
# host check, no HTTPS redirect, no page cache, no edition prefix. Read from the addresses
# METRICS_ALLOW names (addresses or networks; loopback by default) and, when METRICS_TOKEN is set,
# only with `Authorization: Bearer <token>`; anyone else gets the site's 404.
MIDDLEWARE.insert(
    MIDDLEWARE.index("nejat.ops.health.HealthMiddleware") + 1, "nejat.ops.metrics.MetricsMiddleware"
)
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_ALLOW = env_list("METRICS_ALLOW", "127.0.0.0/8,::1")
for _network in METRICS_ALLOW:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as error:
        raise ImproperlyConfigured(f"METRICS_ALLOW: {error}") from error
# Errors to Sentry (nejat/ops/errors.py) when SENTRY_DSN is set; nothing is loaded otherwise.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from nejat.ops.errors import report_errors_to_sentry

    report_errors_to_sentry(
        SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT")
        or ("development" if DEBUG else "production"),
        release=os.environ.get("SENTRY_RELEASE") or None,  # else sentry-sdk's guess: the git commit
    )
# LOG_FORMAT=json: each log line a JSON object (nejat/ops/log_format.py); the default is text.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured("LOG_FORMAT is text (the default) or json.")
if LOG_FORMAT == "json":
    LOGGING["formatters"]["json"] = {"()": "nejat.ops.log_format.JsonFormatter"}
    LOGGING["handlers"]["console"]["formatter"] = "json"
