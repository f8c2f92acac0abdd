"""Settings shared by every environment. Every value comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("STRIDE_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(str(env_file))

SECRET_KEY = env.str("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_celery_beat",
    "core",
    "org",
    "notifications",
    "goals",
    "feedback",
    "appraisals",
    "incentives",
    "appeals",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "org.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "pmsite.urls"
WSGI_APPLICATION = "pmsite.wsgi.application"

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
                "dashboard.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'stride.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Each web or Celery process keeps its connection for a minute instead of opening one per request
# (a new PostgreSQL connection costs a process fork and several milliseconds); a connection that
# dropped meanwhile is noticed before it is reused.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default has a web server, a worker and beat writing one file: write-ahead
    # logging lets readers and a writer overlap, IMMEDIATE transactions take the write lock up
    # front (no "database is locked" when a reader turns writer), and writers wait their turn.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Stride's queries are short; PostgreSQL's JIT compiler gains nothing on them and, on a large
    # generated expression, compiles for minutes without answering a cancel (and holds up every
    # DROP DATABASE on the server meanwhile). Off for our connections.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: English and Simplified Chinese ship complete.
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "stride_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True
# One date format per language on every page (pmsite/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["pmsite.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads: spreadsheets bigger than this are refused with a clear message.
STRIDE_MAX_UPLOAD_BYTES = env.int("STRIDE_MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
# Org chart files with more people than this are imported in the background (a job with a progress bar).
STRIDE_IMPORT_BACKGROUND_ROWS = env.int("STRIDE_IMPORT_BACKGROUND_ROWS", default=2000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# E-mail
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Stride <stride@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address people reach Stride at: links in e-mails and chat messages start with it.
# Unset, it follows PORT (bin/run's port), so a local run on another port sends working links.
STRIDE_BASE_URL = env.str("STRIDE_BASE_URL", default=f"http://localhost:{env.int('PORT', default=8000)}").rstrip("/")

# REST API
REST_FRAMEWORK = {
    # Token first: its `WWW-Authenticate: Token realm="api"` header makes an anonymous call answer 401, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "org.signin.authentication.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "core.api.FilterBackend",
        "core.api.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Stride API",
    "DESCRIPTION": "Goals, progress, appraisals and the people they belong to.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name (status, kind) or serve two fields get one clear name each.
    "ENUM_NAME_OVERRIDES": {
        "ObjectiveStatusEnum": "goals.models.Objective.Status",
        "ActionPlanStatusEnum": "goals.models.ActionPlan.Status",
        "PeriodKindEnum": "goals.models.Period.Kind",
        "KeyResultSourceEnum": "goals.models.KeyResult.Source",
        "SmartStatusEnum": ["pass", "warn", "fail"],
    },
}

# Security headers (core/middleware.py): scripts only from our own files, no inline
# scripts and no eval; inline style="" attributes are allowed for styles only (progress bars).
STRIDE_CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}
STRIDE_PERMISSIONS_POLICY = dict.fromkeys(
    [
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "fullscreen",
        "geolocation", "gyroscope", "magnetometer", "microphone", "midi", "payment",
        "picture-in-picture", "publickey-credentials-get", "screen-wake-lock", "usb", "xr-spatial-tracking",
    ],
    "()",
) | {"clipboard-write": "(self)"}  # fmt: skip
# The API schema and its Swagger page (/api/schema/, /api/docs/): open to anyone, or only to
# people signed in (the default; local settings open them).
STRIDE_API_DOCS_PUBLIC = env.bool("STRIDE_API_DOCS_PUBLIC", default=False)

# Celery: Redis when REDIS_URL is set; otherwise kombu's filesystem transport, a folder
# that the web process, the worker and beat share, so jobs and schedules really run.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_QUEUE_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
    }
# Cache (counters such as password-reset requests): Redis when there is one, shared by every
# process on every machine; otherwise a folder in STRIDE_VAR_DIR, shared by the processes of one.
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# How long read notifications stay in the inbox before the nightly job removes them.
STRIDE_NOTIFICATION_RETENTION_DAYS = env.int("STRIDE_NOTIFICATION_RETENTION_DAYS", default=180)

# Goals: the month the fiscal year starts in (1 = January) and the achievement cap in percent.
STRIDE_FISCAL_YEAR_START_MONTH = env.int("STRIDE_FISCAL_YEAR_START_MONTH", default=1)

# Sign-in throttling and sessions (org/signin/). django-axes counts failed sign-ins (the login
# page, the admin's and the API token endpoint) in the database, so every web worker sees them:
# too many for one account, or from one address, lock that out for a while. HR unlocks on
# HR → Sign-in lock-outs, admins in the admin.
AUTHENTICATION_BACKENDS = [
    "org.signin.throttle.ThrottledSignInBackend",
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE += ["org.signin.sessions.SessionDeadlineMiddleware", "axes.middleware.AxesMiddleware"]
AXES_HANDLER = "org.signin.throttle.AccountAndAddressHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = env.int("STRIDE_LOGIN_FAILURE_LIMIT", default=5)  # per account
STRIDE_LOGIN_ADDRESS_FAILURE_LIMIT = env.int("STRIDE_LOGIN_ADDRESS_FAILURE_LIMIT", default=20)  # per address
STRIDE_LOGIN_LOCKOUT_MINUTES = env.int("STRIDE_LOGIN_LOCKOUT_MINUTES", default=15)
AXES_COOLOFF_TIME = timedelta(minutes=STRIDE_LOGIN_LOCKOUT_MINUTES)
AXES_RESET_ON_SUCCESS = True  # the account's failures from that address only (AccountAndAddressHandler)
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure, for HR → Sign-in lock-outs
AXES_USERNAME_CALLABLE = "org.signin.throttle.attempted_username"
AXES_LOCKOUT_CALLABLE = "org.signin.throttle.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["password"]
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False  # no banner at every start; sign-ins and lock-outs are still logged
# Behind a reverse proxy every request comes from the proxy's address: say how many proxies
# append to X-Forwarded-For so the client's own address is counted (0: use the connection's).
STRIDE_TRUSTED_PROXY_COUNT = env.int("STRIDE_TRUSTED_PROXY_COUNT", default=0)
# The header is believed only from a connection in these networks (where the proxy runs), so a
# client that reaches the web server directly cannot pick a fresh address per guess with it.
STRIDE_TRUSTED_PROXY_NETWORKS = env.list(
    "STRIDE_TRUSTED_PROXY_NETWORKS",
    default=["127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "::1/128", "fc00::/7"],
)
AXES_CLIENT_IP_CALLABLE = "org.signin.throttle.client_address"
# Personal API tokens (profile → API tokens) expire after this many days.
STRIDE_API_TOKEN_DAYS = env.int("STRIDE_API_TOKEN_DAYS", default=90)
# How long a sign-in lasts: people who tick "Keep me signed in" stay signed in this long;
# otherwise the session ends when the browser closes, and at the latest after this long.
# HR and admin accounts (staff, superusers) get the shorter privileged length.
STRIDE_SESSION_HOURS = env.int("STRIDE_SESSION_HOURS", default=12)
STRIDE_PRIVILEGED_SESSION_HOURS = env.int("STRIDE_PRIVILEGED_SESSION_HOURS", default=4)
SESSION_COOKIE_AGE = STRIDE_SESSION_HOURS * 60 * 60
