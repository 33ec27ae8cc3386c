"""Settings for the complaint desk, read from the environment (12-factor).

Every value comes from an environment variable (or an optional `.env` file beside
`manage.py`); the defaults are the embedded ones that let `make run` work on a bare
machine: a SQLite file and kombu's filesystem broker under `var/`.

`DEBUG=true` is the development profile: it allows the built-in secret key and does not
force HTTPS. With `DEBUG` off (the default) the web server needs `SECRET_KEY` (at least 50
characters, none the repository ever published; settings refuse others) and the HTTPS
settings default to their strict values, so `manage.py check --deploy` passes.
"""

from datetime import timedelta
from pathlib import Path

import environ
import xstatic.pkg.bootstrap
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.startup import refuse_weak_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"
# Without DEBUG there is no default: management commands that sign nothing (migrate,
# makemigrations) still run, while the web server refuses to start (config/wsgi.py).
SECRET_KEY = env("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
# A key that is set must not be a published or guessable one (docs/security.md, secrets).
refuse_weak_secret_key(SECRET_KEY, debug=DEBUG)

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "complaints",
    "followups",
    "reports",
    "integrations",
    "resident",
]

MIDDLEWARE = [
    "config.health.ProbeMiddleware",  # first: /healthz and /readyz (docs/operations.md)
    "config.metrics.MetricsMiddleware",  # times every request the desk answers
    # Outside everything that may refuse a request (a bad Host, a malformed cookie): every
    # answer, a 400 or a redirect to HTTPS too, carries the frame and content policies.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "accounts.middleware.NoStoreMiddleware",  # after whitenoise: static files stay cacheable
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.ChosenLanguageMiddleware",
    "accounts.middleware.RefuseNulInQueryMiddleware",  # answered in the chosen language
    "accounts.middleware.RefuseMalformedRequestMiddleware",  # before the session is read
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.logs.LogContextMiddleware",  # after authentication: it names the user
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it answers a locked-out login
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
                "followups.context_processors.unread_notifications",
            ],
        },
    },
]

# Database: PostgreSQL through DATABASE_URL; a SQLite file under var/ when unset.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out login before checking it
    "django.contrib.auth.backends.ModelBackend",
]
# Login lockout (desk and admin): 5 failures for one username from one address lock that
# pair for 15 minutes; a success resets the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language and time: Simplified Chinese by default, English available; Asia/Shanghai.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env("TIME_ZONE", default="Asia/Shanghai")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR)]
# Attachments (photos and documents): under var/media/ by default, in S3-compatible object
# storage when ATTACHMENT_S3_BUCKET is set (django-storages, `pip install '.[s3]'`;
# docs/operations.md). Neither has a public URL: the desk streams them after its scope check.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
ATTACHMENT_S3_BUCKET = env("ATTACHMENT_S3_BUCKET", default="")
if ATTACHMENT_S3_BUCKET:
    _attachment_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": ATTACHMENT_S3_BUCKET,
            "endpoint_url": env("ATTACHMENT_S3_ENDPOINT_URL", default=None),
            "region_name": env("ATTACHMENT_S3_REGION", default=None),
            "access_key": env("ATTACHMENT_S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("ATTACHMENT_S3_SECRET_ACCESS_KEY", default=None),
            "location": env("ATTACHMENT_S3_PREFIX", default="attachments"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _attachment_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # base_url None: no URL to hand out; the files are read through the storage only.
        "OPTIONS": {"location": MEDIA_ROOT / "attachments", "base_url": None},
    }
# Limits (docs/security.md, Attachments): bytes a file and a complaint, files at once, and
# pixels an image (a decompression bomb is a small file that decodes to gigabytes).
ATTACHMENT_MAX_FILE_BYTES = env.int("ATTACHMENT_MAX_FILE_MB", default=10) * 1024 * 1024
ATTACHMENT_MAX_COMPLAINT_BYTES = env.int("ATTACHMENT_MAX_COMPLAINT_MB", default=50) * 1024 * 1024
ATTACHMENT_MAX_FILES = env.int("ATTACHMENT_MAX_FILES", default=10)
ATTACHMENT_MAX_PIXELS = env.int("ATTACHMENT_MAX_PIXELS", default=60_000_000)
ATTACHMENT_THUMBNAIL_PIXELS = 480  # the longer side of a thumbnail
# Files over the limit are cut off while they arrive (complaints.uploads): nothing past the
# limit is written to the temporary directory.
FILE_UPLOAD_HANDLERS = [
    "complaints.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o640
# The community's complaint form (docs/resident.md, "Complaining from the community's page"):
# submissions allowed per client address and hour and per phone and day (on the shared
# cache), photos at once, and the longest texts.
COMMUNITY_SUBMISSIONS_PER_ADDRESS = env.int("COMMUNITY_SUBMISSIONS_PER_ADDRESS", default=10)
COMMUNITY_SUBMISSIONS_PER_PHONE = env.int("COMMUNITY_SUBMISSIONS_PER_PHONE", default=3)
COMMUNITY_MAX_PHOTOS = env.int("COMMUNITY_MAX_PHOTOS", default=4)
COMMUNITY_TEXT_MAX_LENGTH = 2000

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "attachments": _attachment_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# E-mail: printed on the console unless EMAIL_URL names a server (smtp+tls://user:pw@host:587).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="complaint-desk@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The resident's side (docs/resident.md): the address the mails' tracking links start with
# (a worker writes them, with no request to read the host from), and the short-code lookup's
# allowance per address and hour, counted on the shared cache.
RESIDENT_BASE_URL = env("RESIDENT_BASE_URL", default="http://localhost:8000")
RESIDENT_CODE_ATTEMPTS = env.int("RESIDENT_CODE_ATTEMPTS", default=10)

# Security: strict unless DEBUG; each value can be overridden (e.g. behind a TLS proxy).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 3600)  # one long shift
# Sessions live in the database (accounts.LoginSession, which also records the user): logging
# out deletes the row, and deactivating a user deletes every row of theirs.
SESSION_ENGINE = "accounts.sessions"
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp), on every page including the admin: scripts, styles
# and images only from our own origin, no inline script or style (the templates use static
# files and CSS classes instead), no framing, forms post only to us. `data:` images are
# Bootstrap's inline SVG icons (form validation, the navbar toggler).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Celery: Redis when REDIS_URL (or CELERY_BROKER_URL) is set, else kombu's filesystem
# transport under var/, which needs no server (its host named, or kombu warns at every start).
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://localhost/")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Crontab times are read in CELERY_TIMEZONE (Asia/Shanghai), the desks' clock.
CELERY_BEAT_SCHEDULE = {
    "duty-log-retention": {  # R-LOG-3: the duty log is kept for one year
        "task": "complaints.tasks.purge_duty_log",
        "schedule": crontab(hour=3, minute=15),
    },
    # R-FUP-1: reviews open at each office's shift start (office time), polled so that
    # offices in any zone and shifts edited in the admin need no schedule change.
    "shift-reviews": {
        "task": "followups.tasks.shift_reviews",
        "schedule": timedelta(seconds=env.int("SHIFT_REVIEW_SCAN_SECONDS", default=300)),
    },
    "deadline-scan": {
        "task": "followups.tasks.deadline_scan",
        "schedule": timedelta(seconds=env.int("DEADLINE_SCAN_SECONDS", default=300)),
    },
    "escalation-scan": {  # R-FUP-2/3
        "task": "followups.tasks.escalation_scan",
        "schedule": timedelta(seconds=env.int("ESCALATION_SCAN_SECONDS", default=900)),
    },
    "closure-reminders": {  # a closure waiting over a working day reminds the manager
        "task": "followups.tasks.closure_reminders",
        "schedule": timedelta(seconds=env.int("ESCALATION_SCAN_SECONDS", default=900)),
    },
    "website-scan-check": {  # R-CHAN-2: from 08:00 the next morning in each office's zone
        "task": "followups.tasks.website_scan_check",
        "schedule": crontab(minute=10),
    },
    "handover-check": {  # R-LOG-2: 30 minutes after each shift change
        "task": "followups.tasks.handover_check",
        "schedule": timedelta(seconds=env.int("SHIFT_REVIEW_SCAN_SECONDS", default=300)),
    },
    "major-report-scan": {  # R-SEV-1: a major complaint not reported within 2 hours
        "task": "followups.tasks.major_report_scan",
        "schedule": timedelta(seconds=env.int("DEADLINE_SCAN_SECONDS", default=300)),
    },
    "calendar-check": {  # from 1 December: next year's calendar to be confirmed
        "task": "followups.tasks.calendar_check",
        "schedule": crontab(hour=9, minute=0),
    },
    "supervisor-digest": {  # R-FUP-4
        "task": "followups.tasks.supervisor_digest",
        "schedule": crontab(hour=8, minute=0),
    },
    "monthly-reports": {  # R-RPT-1: last month's report of every office and branch
        "task": "reports.tasks.monthly_reports",
        "schedule": crontab(day_of_month=1, hour=0, minute=30),
    },
    "missing-report-alert": {  # R-RPT-1: a report missing by 09:00 on the 1st raises an alert
        "task": "reports.tasks.missing_report_alert",
        "schedule": crontab(day_of_month=1, hour="9-23", minute=0),
    },
    # R-RPT-2: hourly, so that each office gets it from 08:00 on Monday in its own zone; the
    # job writes each office's summary once.
    "weekly-summaries": {
        "task": "reports.tasks.weekly_summaries",
        "schedule": crontab(minute=5),
    },
    "send-notifications": {  # catches what a broker outage kept from being sent at once
        "task": "followups.tasks.send_notifications",
        "schedule": timedelta(seconds=env.int("NOTIFICATION_SEND_SECONDS", default=60)),
    },
    "webhook-sweep": {  # webhook deliveries whose message a broker outage or a crash lost
        "task": "integrations.tasks.webhook_sweep",
        "schedule": timedelta(seconds=env.int("WEBHOOK_SWEEP_SECONDS", default=60)),
    },
    "send-resident-mails": {  # the same for the mails to residents (docs/resident.md)
        "task": "resident.tasks.send_resident_mails",
        "schedule": timedelta(seconds=env.int("NOTIFICATION_SEND_SECONDS", default=60)),
    },
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "processed_folder": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
    # The filesystem transport has no fanout exchange: no remote control, mingle or gossip.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
    for _folder in ("queue", "processed", "control"):
        (_queue_dir / _folder).mkdir(parents=True, exist_ok=True)
else:
    # A message taken by a worker that vanished (killed, machine lost) is delivered again
    # after this many seconds; acks_late keeps it unacknowledged until the task has finished.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
    }

# Logging (config/logs.py): one console handler for web, worker and beat (Celery takes no part,
# config/celery.py), each line once, in TIME_ZONE with its offset; LOG_FORMAT=json writes one
# JSON object a line. Every line carries the request id, user, office, complaint number and task
# id where known, with phone numbers and e-mail addresses masked.
LOG_FORMAT = env("LOG_FORMAT", default="text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured("LOG_FORMAT is text or json.")
# Operations (docs/operations.md): beat stamps its ticks for /readyz, which calls beat stale
# after BEAT_STALE_SECONDS; beat wakes at least once a minute so a healthy beat is never stale.
CELERY_BEAT_SCHEDULER = "config.health:StampingScheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = 60
BEAT_STALE_SECONDS = env.int("BEAT_STALE_SECONDS", default=180)
# /metrics (Prometheus) answers only `Authorization: Bearer <METRICS_TOKEN>`; unset, it is a 404.
# Prometheus scrapes over the internal network, so it is exempt from the HTTPS redirect.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
SECURE_REDIRECT_EXEMPT = [r"^metrics$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "context": {"()": "config.logs.LogContextFilter"},
        "mask": {"()": "config.logs.MaskPersonalData"},
    },
    "formatters": {
        "text": {"()": "config.logs.TextFormatter"},
        "json": {"()": "config.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["context", "mask"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # Django's own console handlers would print `django.*` lines a second time, in another
    # format: they propagate to the root handler instead. Each request's access line is the
    # desk's (`desk.requests`, with its context, masked); runserver keeps only its errors.
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "ERROR", "propagate": True},
    },
}

# The REST API (docs/api.md): an integration's token (integrations.auth) or the desk's own
# session, which DRF holds to CSRF on every unsafe method. Every call needs a logged-in user;
# the scope is that user's, as on the pages. Throttled per token (or per user for a session)
# on the shared cache, so every web worker counts the same calls.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"},
}
# Webhooks (docs/api.md): each attempt's timeout (seconds, per connect and per read), the
# backoff doubling from WEBHOOK_RETRY_BASE seconds up to WEBHOOK_RETRY_CAP, and the attempts
# before a delivery is given up (about a day with the defaults). Receivers on loopback or a
# private network are refused unless WEBHOOK_ALLOW_PRIVATE_ADDRESSES (on-premise receivers,
# tests); link-local addresses never.
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=10.0)
WEBHOOK_RETRY_BASE = env.float("WEBHOOK_RETRY_BASE", default=30.0)
WEBHOOK_RETRY_CAP = env.float("WEBHOOK_RETRY_CAP", default=3600.0)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=30)
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=False)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "integrations.auth.IntegrationTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["integrations.throttling.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": env("API_THROTTLE_RATE", default="600/minute")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "integrations.schema.DeskAutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Complaint desk API",
    "DESCRIPTION": "Complaints of the offices in the caller's scope (docs/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {  # two steps' `method`s: a contact's and a revisit's
        "ContactMethodEnum": "followups.models.Contact.Method",
        "RevisitMethodEnum": "followups.models.Revisit.Method",
    },
}
