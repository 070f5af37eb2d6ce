"""Settings, driven by the environment (docs/security.md lists the production environment).

Environment variables:
- ATELIER_SECRET_KEY      secret key; with ATELIER_DEBUG off it must have 50 characters or more and not be the
                          development key (French ImproperlyConfigured otherwise)
- ATELIER_JOURNAL_KEY     seed of the billing journal's Ed25519 signing key; same rule as the secret key
- ATELIER_JOURNAL_OLD_PUBLIC_KEYS  retired journal public keys (base64, comma-separated), to verify old entries
- ATELIER_DEBUG           "1" for development (default "0")
- ATELIER_ALLOWED_HOSTS   comma-separated host names (default "127.0.0.1,localhost")
- ATELIER_CSRF_TRUSTED_ORIGINS  comma-separated origins (https://sav.example.fr) when behind a proxy
- ATELIER_DATA_DIR        where the embedded SQLite database lives (default ./var)
- DATABASE_URL            e.g. postgres://user@host:5432/atelier; SQLite in ATELIER_DATA_DIR when unset
- ATELIER_REDIS_URL       e.g. redis://127.0.0.1:6379/0: the cache shared by every process (API throttles,
                          cached figures); local memory of each process when unset (development, tests)
- ATELIER_EMAIL_HOST, _PORT, _USER, _PASSWORD, _TLS, _FROM   SMTP server for customers' e-mail (console in DEBUG)
- ATELIER_EMAIL_BACKEND   dotted path (staff e-mail: password reset; see below)
- ATELIER_EMAIL_PROVIDER, ATELIER_SMS_PROVIDER, ATELIER_SMS_SENDER, ATELIER_BREVO_*, ATELIER_OVH_*,
  ATELIER_WEBHOOK_SECRET, ATELIER_INBOUND_EMAIL, ATELIER_INBOUND_SITE   who carries customers' messages and how
                          their receipts and replies come back (docs/messages-providers.md)
- ATELIER_MESSAGE_RETRY_DELAYS, ATELIER_MESSAGE_MAX_ATTEMPTS, ATELIER_MESSAGE_STUCK_MINUTES
                          the outbox's retries (docs/messages.md)
- ATELIER_PUBLIC_URL      the address customers reach Atelier at (https://sav.example.fr): links in messages the
                          scheduler sends without a request (satisfaction survey); no link when unset
Production serving (docs/operations.md):
- ATELIER_MEDIA_STORAGE   dotted storage class of uploaded files (default FileSystemStorage in DATA_DIR/media);
                          ATELIER_MEDIA_STORAGE_OPTIONS its options as JSON (e.g. bucket_name for S3)
- ATELIER_PHOTO_MAX_MB    the largest photo accepted, in MB (default 8; docs/photos.md)
- ATELIER_LOG_FORMAT      "json": one JSON object per line (default "text"); ATELIER_LOG_LEVEL Atelier's loggers'
                          level (default INFO; other libraries log at WARNING)
- ATELIER_METRICS         "1": Prometheus metrics at /metrics (default "0"), for the bearer of
                          ATELIER_METRICS_TOKEN or the addresses of ATELIER_METRICS_ALLOWED_IPS (comma-separated)
HTTPS and cookies:
- ATELIER_SSL_REDIRECT    "1": plain-HTTP requests are redirected to HTTPS (SECURE_SSL_REDIRECT; default "0")
- ATELIER_BEHIND_PROXY    "1": a reverse proxy terminates TLS and sets X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER)
                          and appends the client's address to X-Forwarded-For (login throttling)
- ATELIER_HSTS_SECONDS    Strict-Transport-Security max-age (default 0: no header); e.g. 31536000
- ATELIER_HSTS_INCLUDE_SUBDOMAINS  "1" (default) adds includeSubDomains when HSTS is on
- ATELIER_HSTS_PRELOAD    "1" adds preload when HSTS is on (default "0": a commitment to browsers' lists)
- ATELIER_SECURE_COOKIES  "1": session and CSRF cookies only over HTTPS (default: ATELIER_SSL_REDIRECT's value)
Limits:
- ATELIER_MAX_UPLOAD_MB   a request whose Content-Length exceeds it is refused (413) before its body is read
                          (default 10)
- ATELIER_LOGIN_FAILURES  failed logins of one account from one address before it is locked (default 5)
- ATELIER_LOGIN_LOCK_MINUTES  how long that lock lasts (default 15)
- ATELIER_API_RATE_USER   API requests per user (default "600/min"); ATELIER_API_RATE_ANON (default "30/min")
Sessions end when the browser closes, and after the idle time of the user's sites (Site.idle_logout_minutes).
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from atelier.core import logs

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _env_flag(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_flag("ATELIER_DEBUG")
TESTING = bool(os.environ.get("PYTEST_VERSION"))
DEVELOPMENT_SECRET_KEY = "insecure-development-key-only-for-demo-and-tests"
DEVELOPMENT_JOURNAL_KEY = "insecure-development-journal-key"


def production_key(name: str, value: str, development_value: str) -> str:
    """A key read from the environment: the development value in DEBUG or tests when unset; otherwise it must
    be long (50 characters or more) and not the development one, or the server refuses to start."""
    if DEBUG or TESTING:
        return value or development_value
    if not value:
        raise ImproperlyConfigured(f"{name} doit être défini (ou ATELIER_DEBUG=1 en développement).")
    if value == development_value:
        raise ImproperlyConfigured(f"{name} est la clé de développement : définissez une clé de production.")
    if len(value) < 50:
        raise ImproperlyConfigured(
            f"{name} est trop courte ({len(value)} caractères) : il en faut au moins 50, tirés au hasard "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    return value


SECRET_KEY = production_key(
    "ATELIER_SECRET_KEY", os.environ.get("ATELIER_SECRET_KEY", ""), DEVELOPMENT_SECRET_KEY
)
# Seed of the billing journal's Ed25519 signing key (billing.signing); like the secret key, required in production.
ATELIER_JOURNAL_KEY = production_key(
    "ATELIER_JOURNAL_KEY", os.environ.get("ATELIER_JOURNAL_KEY", ""), DEVELOPMENT_JOURNAL_KEY
)
# Public keys (base64, comma-separated) of the journal's retired signing keys: old entries keep verifying after a
# key change (docs/billing.md, « Changer de clé »).
ATELIER_JOURNAL_OLD_PUBLIC_KEYS = [
    k.strip() for k in os.environ.get("ATELIER_JOURNAL_OLD_PUBLIC_KEYS", "").split(",") if k.strip()
]
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

# Who carries the outbox's messages (messaging/providers): dotted paths of provider classes.
# E-mail: Django's mail machinery (EMAIL_BACKEND above: SMTP, the console in DEBUG). SMS: none until one is
# chosen (every SMS then fails with that reason): atelier.messaging.providers.brevo.BrevoSmsProvider or
# atelier.messaging.providers.ovh.OvhSmsProvider (docs/messages-providers.md). Tests use the memory provider.
ATELIER_EMAIL_PROVIDER = os.environ.get(
    "ATELIER_EMAIL_PROVIDER", "atelier.messaging.providers.smtp.SmtpProvider"
)
ATELIER_SMS_PROVIDER = os.environ.get(
    "ATELIER_SMS_PROVIDER", "atelier.messaging.providers.base.NoSmsProvider"
)
ATELIER_SMS_SENDER = os.environ.get(
    "ATELIER_SMS_SENDER", ""
)  # sender name shown on the phone (11 characters)
ATELIER_SMS_TIMEOUT = float(os.environ.get("ATELIER_SMS_TIMEOUT", "10"))  # seconds per call to a provider
ATELIER_BREVO_URL = os.environ.get("ATELIER_BREVO_URL", "https://api.brevo.com")
ATELIER_BREVO_API_KEY = os.environ.get("ATELIER_BREVO_API_KEY", "")
ATELIER_OVH_URL = os.environ.get("ATELIER_OVH_URL", "https://eu.api.ovh.com/1.0")
ATELIER_OVH_APPLICATION_KEY = os.environ.get("ATELIER_OVH_APPLICATION_KEY", "")
ATELIER_OVH_APPLICATION_SECRET = os.environ.get("ATELIER_OVH_APPLICATION_SECRET", "")
ATELIER_OVH_CONSUMER_KEY = os.environ.get("ATELIER_OVH_CONSUMER_KEY", "")
ATELIER_OVH_SMS_SERVICE = os.environ.get("ATELIER_OVH_SMS_SERVICE", "")  # e.g. sms-ab12345-1
# Providers' callbacks (delivery receipts, customers' replies) carry this secret in their URL; empty: every
# callback is refused (403).
ATELIER_WEBHOOK_SECRET = os.environ.get("ATELIER_WEBHOOK_SECRET", "")
# Customers' e-mail replies: outgoing e-mail says Reply-To: <local>+<id>.<signature>@<domain> of this address,
# whose mail is handed to /messages/webhooks/email/<secret>/raw/ (docs/messages-providers.md). Empty: no Reply-To.
ATELIER_INBOUND_EMAIL = os.environ.get("ATELIER_INBOUND_EMAIL", "")
# Site code where a message from an unknown sender is kept (« non attribués »); the first site when empty.
ATELIER_INBOUND_SITE = os.environ.get("ATELIER_INBOUND_SITE", "")

# The outbox's retries (docs/messages.md): the waits after each temporary failure, in seconds (1 min, 5 min,
# 30 min, 2 h, 12 h), the number of tries before « échec », and how long a message may stay « envoi en cours »
# before the sweeper (messaging.services.requeue_stuck) takes it for a worker that died and queues it again.
ATELIER_MESSAGE_RETRY_DELAYS = [
    int(s) for s in os.environ.get("ATELIER_MESSAGE_RETRY_DELAYS", "60,300,1800,7200,43200").split(",") if s
]
ATELIER_MESSAGE_MAX_ATTEMPTS = int(os.environ.get("ATELIER_MESSAGE_MAX_ATTEMPTS", "6"))
ATELIER_MESSAGE_STUCK_MINUTES = int(os.environ.get("ATELIER_MESSAGE_STUCK_MINUTES", "15"))

ATELIER_PUBLIC_URL = os.environ.get("ATELIER_PUBLIC_URL", "").rstrip("/")

# Satisfaction survey (improvement.surveys). NPS convention: 0–6 is a « détracteur », so a recommendation of 6 or
# less, or a satisfaction of 1 or 2 out of 5 (« pas satisfait »), opens a follow-up for the SAV manager.
ATELIER_SURVEY_LOW_RECOMMENDATION = 6
ATELIER_SURVEY_LOW_SATISFACTION = 2
ATELIER_SURVEY_OPEN_DAYS = 30  # the survey takes answers this many days after the dossier's closure

# Background work (django-tasks): the database backend by default, so that `atelier worker` on any server picks
# up what any app server queued; no broker to run.
TASKS = {"default": {"BACKEND": os.environ.get("ATELIER_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

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
    "drf_spectacular",
    "axes",
    "django_tasks",
    "django_tasks_db",
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
    "atelier.procedures",
    "atelier.messaging",
    "atelier.operations",
    "atelier.aftersales",
    "atelier.disputes",
    "atelier.photos",
    "atelier.refurbishment",
    "atelier.certification",
    "atelier.improvement",
    "atelier.indicators",
]

MIDDLEWARE = [
    "atelier.core.logs.RequestLogMiddleware",  # first: its id and timing cover every other middleware
    "django.middleware.security.SecurityMiddleware",
    # before anything reads the body: a too-large request is refused on its Content-Length alone
    "atelier.core.middleware.MaxRequestSizeMiddleware",
    "atelier.core.middleware.NulInQueryMiddleware",  # PostgreSQL refuses NUL in any text: a 400, not a 500
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "atelier.core.middleware.ChosenLanguageMiddleware",  # French unless the user picked English (not the browser's)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "atelier.core.middleware.IdleLogoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "atelier.core.middleware.AtelierErrorMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a locked-out login into the login page with its French message
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
                "django.template.context_processors.i18n",
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
# models.W040: « SQLite does not support indexes with non-key columns ». Known and wanted: the INCLUDE columns
# of an index (customers' customer_postcode_name carries the site) serve PostgreSQL's index-only counts; SQLite
# builds the same index without them, which its plans were measured with (docs/performance.md, sixth run).
SILENCED_SYSTEM_CHECKS = ["models.W040"]
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# django-axes first: it refuses a locked (account, address) pair before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes, in the database: shared by every process): 5 failures of one account from one
# address lock that pair for 15 minutes; a success resets the count; another address is not locked.
AXES_FAILURE_LIMIT = int(os.environ.get("ATELIER_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("ATELIER_LOGIN_LOCK_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the lock ends when the message says it does
AXES_DISABLE_ACCESS_LOG = True  # throttling only: no row per successful login
AXES_CLIENT_IP_CALLABLE = "atelier.core.accounts.client_address"
AXES_LOCKOUT_CALLABLE = "atelier.core.accounts.locked_out"
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
# French by default; English (locale/en, kept whole by `make messages` and tests/test_i18n.py) when the user
# chooses it with the selector of the top bar (a cookie: see core.middleware.ChosenLanguageMiddleware).
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# No grouping by default: a template prints ids, years and quantities into links, form values and data
# attributes, where « 1 331 » for 1331 breaks the link (every shop passes a thousand customers). Figures
# read by people are grouped on purpose: the `euros` and `grouped` filters (core.templatetags.atelier).
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"
# Uploaded files go through default_storage: a folder of the data dir by default, any Django storage otherwise
# (S3 and the like, for several app servers): ATELIER_MEDIA_STORAGE="storages.backends.s3.S3Storage",
# ATELIER_MEDIA_STORAGE_OPTIONS='{"bucket_name": "atelier"}'. Nothing else is written to local disk.
MEDIA_STORAGE = os.environ.get("ATELIER_MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage")
try:
    MEDIA_STORAGE_OPTIONS = json.loads(os.environ.get("ATELIER_MEDIA_STORAGE_OPTIONS") or "{}")
except ValueError as exc:
    raise ImproperlyConfigured(f"ATELIER_MEDIA_STORAGE_OPTIONS n'est pas du JSON valide : {exc}") from None
# Static files: collected into the data dir by `make serve` (collectstatic) and served by WhiteNoise with
# hashed names (cacheable forever) and pre-compressed copies; development and tests read the apps' folders.
COLLECTED_STATIC = not (DEBUG or TESTING)
STORAGES = {
    "default": {"BACKEND": MEDIA_STORAGE, "OPTIONS": MEDIA_STORAGE_OPTIONS},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if COLLECTED_STATIC
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not COLLECTED_STATIC  # no collectstatic needed for `make demo`

SESSION_COOKIE_HTTPONLY = True
# A session ends when the browser closes, and after the idle time of the user's sites
# (core.Site.idle_logout_minutes, read by core.middleware.IdleLogoutMiddleware).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = _env_flag("ATELIER_SSL_REDIRECT")
ATELIER_BEHIND_PROXY = _env_flag("ATELIER_BEHIND_PROXY")  # also read by core.accounts.client_address
if ATELIER_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("ATELIER_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0 and _env_flag("ATELIER_HSTS_INCLUDE_SUBDOMAINS", "1")
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0 and _env_flag("ATELIER_HSTS_PRELOAD")
SESSION_COOKIE_SECURE = _env_flag("ATELIER_SECURE_COOKIES", "1" if SECURE_SSL_REDIRECT else "0")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Request size: form fields held in memory up to 2.5 MB (Django's RequestDataTooBig → 400 beyond), uploaded
# files streamed to a temporary file beyond 2.5 MB, and any request over ATELIER_MAX_UPLOAD_MB refused (413)
# on its Content-Length before its body is read (core.middleware.MaxRequestSizeMiddleware).
ATELIER_MAX_UPLOAD_MB = int(os.environ.get("ATELIER_MAX_UPLOAD_MB", "10"))
# One photo (photos app) is refused above ATELIER_PHOTO_MAX_MB, in French, before anything is written; keep it
# under ATELIER_MAX_UPLOAD_MB, which caps a whole sending (several photos at once).
ATELIER_PHOTO_MAX_MB = int(os.environ.get("ATELIER_PHOTO_MAX_MB", "8"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# The cache: Redis when ATELIER_REDIS_URL is set (production: one cache for every process, so API throttles count
# every request of a user); each process's own memory otherwise (development; tests never need Redis).
# "throttle" holds the API throttles' counters; in tests it is a dummy (no throttling) unless a test swaps it.
REDIS_URL = os.environ.get("ATELIER_REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "throttle": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "throttle",
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "atelier"},
        "throttle": {
            "BACKEND": "django.core.cache.backends.dummy.DummyCache"
            if TESTING
            else "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "atelier-throttle",
        },
    }

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # our own tokens (core.ApiToken: hashed, named, expiring, revocable); header `Authorization: Token <key>`
        "atelier.core.api.ApiTokenAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["atelier.core.api.UserThrottle", "atelier.core.api.AnonThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": os.environ.get("ATELIER_API_RATE_USER", "600/min"),
        "anon": os.environ.get("ATELIER_API_RATE_ANON", "30/min"),
    },
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
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],  # the schema is for logged-in users
    # one name per choice set used by several fields (otherwise hashed names and check --deploy warnings)
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "atelier.repairs.choices.CaseStatus",
        "ErasureMethodEnum": "atelier.refurbishment.choices_procedures.ErasureMethod",
        "RefurbStepKindEnum": "atelier.refurbishment.choices_procedures.StepKind",
        "ClaimOutcomeEnum": "atelier.aftersales.choices.ClaimOutcome",
        "DisputeChannelEnum": "atelier.disputes.choices.DisputeChannel",
        "DisputeOutcomeEnum": "atelier.disputes.choices.DisputeOutcome",
        "DisputeSourceEnum": "atelier.disputes.choices.DisputeSource",
        "PayerClaimStateEnum": "atelier.aftersales.choices.PayerClaimState",
        "ShareModeEnum": "atelier.aftersales.choices.ShareMode",
        "PayerKindEnum": "atelier.aftersales.choices.PayerKind",
        "SupplierReturnStateEnum": "atelier.stock.choices.SupplierReturnState",
        "StepOutcomeEnum": "atelier.procedures.choices.StepOutcome",
        "ImprovementActionStatusEnum": "atelier.improvement.choices.ActionStatus",
        "IndicatorEnum": "atelier.improvement.choices.Indicator",
        "FollowUpEnum": "atelier.improvement.choices.FollowUp",
        "FamilyEnum": "atelier.customers.choices.ProductFamily",
        "CustomerKindEnum": "atelier.customers.choices.CustomerKind",
        "RequestChannelEnum": "atelier.customers.choices.RequestChannel",
        "MaintenanceKindEnum": "atelier.fieldwork.choices.MaintenanceKind",
        "JobOutcomeEnum": "atelier.operations.choices.Outcome",
        "MessageChannelEnum": "atelier.messaging.choices.Channel",
        "MessageStateEnum": "atelier.messaging.choices.State",
        "SourceKindEnum": "atelier.diagnostics.choices.SourceKind",
        "LetterMethodEnum": "atelier.refurbishment.choices.LetterMethod",
        "LotKindEnum": "atelier.refurbishment.choices.LotKind",
        "ApplianceMoveKindEnum": "atelier.refurbishment.choices.MoveKind",
        "ApplianceStateEnum": "atelier.refurbishment.choices.ApplianceState",
        "TriageOutcomeEnum": "atelier.refurbishment.choices.TriageOutcome",
        "ApplianceOriginEnum": "atelier.refurbishment.choices.Origin",
        "CandidateStatusEnum": "atelier.certification.choices.CandidateStatus",
        "OrganisationKindEnum": "atelier.certification.choices.OrganisationKind",
        "PartKindEnum": "atelier.stock.choices.PartKind",
        "ScenarioKindEnum": "atelier.certification.models.preparation.ScenarioKind",
    },
}

# Logs on stderr, readable text or one JSON object per line (ATELIER_LOG_FORMAT=json), each with the request's
# id, user, site and path (core.logs). One line per request on `atelier.request` (off in DEBUG: runserver
# prints its own).
LOGGING = logs.logging_config(
    log_format=os.environ.get("ATELIER_LOG_FORMAT", "text"),
    level=os.environ.get("ATELIER_LOG_LEVEL", "INFO"),
    request_level="WARNING" if DEBUG else "INFO",
)

# Prometheus metrics at /metrics (core.metrics), off unless ATELIER_METRICS=1; never public: the token's bearer
# or the listed addresses only.
ATELIER_METRICS = _env_flag("ATELIER_METRICS")
ATELIER_METRICS_TOKEN = os.environ.get("ATELIER_METRICS_TOKEN", "")
ATELIER_METRICS_ALLOWED_IPS = [
    a.strip() for a in os.environ.get("ATELIER_METRICS_ALLOWED_IPS", "").split(",") if a.strip()
]
