"""Settings, driven by the environment.

Environment variables:
- ATELIER_SECRET_KEY      secret key (required when ATELIER_DEBUG is off)
- ATELIER_JOURNAL_KEY     key of the billing journal's HMAC chain (required when ATELIER_DEBUG is off)
- ATELIER_DEBUG           "1" for development (default "0")
- ATELIER_ALLOWED_HOSTS   comma-separated host names (default "127.0.0.1,localhost")
- ATELIER_DATA_DIR        where the embedded SQLite database lives (default ./var)
- DATABASE_URL            e.g. postgres://user@host:5432/atelier; SQLite in ATELIER_DATA_DIR when unset
- ATELIER_EMAIL_HOST, _PORT, _USER, _PASSWORD, _TLS, _FROM   SMTP server for customers' e-mail (console in DEBUG)
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _env_flag(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_flag("ATELIER_DEBUG")
SECRET_KEY = os.environ.get("ATELIER_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not os.environ.get("PYTEST_VERSION"):
        raise ImproperlyConfigured(
            "ATELIER_SECRET_KEY doit être défini (ou ATELIER_DEBUG=1 en développement)."
        )
    SECRET_KEY = "insecure-development-key-only-for-demo-and-tests"
# Key of the billing journal's HMAC chain (billing.journal); like the secret key, required in production.
ATELIER_JOURNAL_KEY = os.environ.get("ATELIER_JOURNAL_KEY", "")
if not ATELIER_JOURNAL_KEY:
    if not DEBUG and not os.environ.get("PYTEST_VERSION"):
        raise ImproperlyConfigured(
            "ATELIER_JOURNAL_KEY doit être défini (ou ATELIER_DEBUG=1 en développement)."
        )
    ATELIER_JOURNAL_KEY = "insecure-development-journal-key"
# E-mail to customers (quotes, « votre appareil est prêt », advice sheets): printed on the console in development,
# sent through the SMTP server of EMAIL_HOST in production.
EMAIL_BACKEND = os.environ.get(
    "ATELIER_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("ATELIER_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("ATELIER_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("ATELIER_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ATELIER_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_flag("ATELIER_EMAIL_TLS")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("ATELIER_EMAIL_FROM", "sav@localhost")
# Dotted path of the SMS backend (core.sms): a class with send(phone, text); logs by default.
ATELIER_SMS_BACKEND = os.environ.get("ATELIER_SMS_BACKEND", "atelier.core.sms.LogBackend")

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ATELIER_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("ATELIER_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

DATA_DIR = Path(os.environ.get("ATELIER_DATA_DIR", Path.cwd() / "var")).resolve()
(DATA_DIR / "static").mkdir(parents=True, exist_ok=True)  # the SQLite file and collected assets live here

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "atelier.core",
    "atelier.customers",
    "atelier.repairs",
    "atelier.knowledge",
    "atelier.stock",
    "atelier.quotes",
    "atelier.reception",
    "atelier.diagnostics",
    "atelier.billing",
    "atelier.loans",
    "atelier.planning",
    "atelier.fieldwork",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "atelier.core.middleware.AtelierErrorMiddleware",
]

ROOT_URLCONF = "atelier.config.urls"
WSGI_APPLICATION = "atelier.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["atelier.core.templatetags.atelier"],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "atelier.sqlite3",
            "OPTIONS": {
                # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at BEGIN,
                # so two writers queue instead of failing with "database is locked" half-way.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
# French only until an English catalogue exists: a browser asking for English must not get a mixed page.
LANGUAGES = [("fr", "Français")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # no collectstatic needed for `make demo`

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SESSION_COOKIE_SECURE = _env_flag("ATELIER_SECURE_COOKIES", "0")
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "atelier.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Atelier API",
    "DESCRIPTION": "API du logiciel de SAV Atelier",
    "VERSION": "0.1.0",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ATELIER_LOG_LEVEL", "WARNING")},
}
