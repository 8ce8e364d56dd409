"""Settings, read from the environment with safe local defaults.

Local default: a SQLite file beside the code, local-memory cache, debug off.
Production: DATABASE_URL (PostgreSQL), REDIS_URL, DJANGO_SECRET_KEY,
DJANGO_ALLOWED_HOSTS. See README.md.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name, "")
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

# Required when debug is off: `check --deploy` and the WSGI application (gunicorn,
# runserver) refuse to start without it (events/checks.py). Commands that serve
# nothing, such as makemigrations, still run.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "reversion",
    "axes",
    "csp",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "events",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Access-Control-Allow-Origin: * on public reads only, whoever answers them below.
    "events.cors.PublicReadsMiddleware",
    "events.middleware.RefuseNulMiddleware",
    "events.middleware.DatabaseUnavailableMiddleware",
    # Publishes drafts whose embargo has ended, before anything is read.
    "events.embargo.PublishDueMiddleware",
    "events.http.ExportFastPathMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "events.middleware.LanguageFromQueryMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: counts failed admin logins and locks out guessers.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
                "events.context_processors.page_urls",
            ],
        },
    },
]

# -- database -------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tuned for a web server: readers never wait for a writer (WAL), a writer
    # waits for another instead of failing at once, and transactions take the
    # write lock up front so they cannot deadlock on upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA foreign_keys=ON;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# -- cache ----------------------------------------------------------------------------

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
            "OPTIONS": {
                # A cache that is down must not take the site down: fall back to rendering.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Room for the pages of many timelines, their filters and languages.
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }
# The API throttles' counts (events.throttling) must be seen by every worker, or each
# worker grants the rate anew: Redis when there is one, else files in THROTTLE_DIR,
# which every worker of this server shares without a database write per request.
CACHES["throttle"] = (
    {**CACHES["default"]}
    if os.environ.get("REDIS_URL")
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": Path(os.environ.get("THROTTLE_DIR", BASE_DIR / "var" / "throttle")),
        "OPTIONS": {"MAX_ENTRIES": 1000},  # clients remembered (a third go when full)
    }
)

# Rendered feeds, calendars and data exports, as files this server sends like static
# files (events.document_files): a cache of its own, written again from the events'
# renderings on demand.
DOCUMENTS_DIR = Path(os.environ.get("DOCUMENTS_DIR", BASE_DIR / "var" / "documents"))
DOCUMENTS_MAX_BYTES = int(os.environ.get("DOCUMENTS_MAX_BYTES", 2 * 1024**3))
# How long a shared cache (nginx, a CDN) may serve an export before it revalidates it
# (`s-maxage`; clients keep max-age, 300 s). Unset: as long as clients. Behind a
# caching proxy, a few seconds: a revalidation is a 304 from one indexed query, and a
# change — and a WebSub hub fetching it — is seen through the proxy that soon.
EXPORT_PROXY_MAX_AGE = os.environ.get("EXPORT_PROXY_MAX_AGE")

# -- background jobs ------------------------------------------------------------------

# Django's Tasks API (the django-tasks backport), kept in the database: jobs survive a
# restart, and `make run` needs nothing but the SQLite file. Workers: `manage.py
# db_worker` (events.jobs; `make run` and `make serve` start one).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# -- auth -----------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
EDITORS_GROUP = "Editors"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out login before checking it
    "django.contrib.auth.backends.ModelBackend",
]
# django-axes: after 5 failed logins for a username from one address, 30 minutes' pause.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The address of a client, for axes and the API throttles alike (events.throttling):
# REMOTE_ADDR, or behind that many proxies the one the outermost proxy saw.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "events.throttling.client_address"

# -- languages and time ---------------------------------------------------------------

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# -- static files ---------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# whitenoise serves static files in every profile. Without debug the names carry a
# content hash and are cached for a year, which needs `collectstatic` first.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# -- security -------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
# The language cookie (the switch and ?lang=) is read by the server only.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Content Security Policy (django-csp): no inline script anywhere, nothing from other
# origins except the links themselves. Inline styles stay allowed for the admin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# Which sites may show /timelines/<slug>/embed/ in a frame (CSP frame-ancestors; that
# route only, every other page may be framed by none). "*": any site.
EMBED_FRAME_ANCESTORS = env_list("EMBED_FRAME_ANCESTORS", "*")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
HTTPS = env_bool("DJANGO_HTTPS", default=False)
if HTTPS:  # behind TLS (directly or at the load balancer)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)
else:
    # Served over plain HTTP (make run, make serve on 127.0.0.1): the HTTPS-only
    # settings would lock the site out, so their deploy checks are silenced here and
    # only here. Set DJANGO_HTTPS=1 in production.
    SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008", "security.W012", "security.W016"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # INFO: a line for every document version this server writes (the cluster
    # benchmark counts renders with it).
    "loggers": {
        "events.document_files": {"level": os.environ.get("DOCUMENTS_LOG_LEVEL", "WARNING")}
    },
}

# -- the API --------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",  # with CSRF
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["events.api.permissions.EditorsWrite"],
    "DEFAULT_SCHEMA_CLASS": "events.api.schema.AutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "events.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "events.throttling.AnonRateThrottle",
        "events.throttling.UserRateThrottle",
    ],
    "NUM_PROXIES": TRUSTED_PROXIES,  # 0: X-Forwarded-For is the client's to invent
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "120/minute"),
        "user": os.environ.get("API_USER_RATE", "1200/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "newsroom API",
    "DESCRIPTION": "Timelines of dated news events. Anonymous clients read public data; "
    "editors write with a session (and CSRF token) or `Authorization: Token …`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "events.api.schema.add_error_responses",
    ],
}

# -- the newsroom ---------------------------------------------------------------------

NEWSROOM_NAME = os.environ.get("NEWSROOM_NAME", "newsroom")
NEWSROOM_DESCRIPTION = os.environ.get(
    "NEWSROOM_DESCRIPTION", "Zeitleisten datierter Nachrichtenereignisse"
)

# The calendar import by address (events.safe_fetch) reaches public addresses only;
# these host names may be internal too (a partner's server in our network), e.g.
# "calendar.intern.example". The time limit covers the whole download.
CALENDAR_IMPORT_ALLOWED_HOSTS = env_list("CALENDAR_IMPORT_ALLOWED_HOSTS", "")
CALENDAR_IMPORT_TIMEOUT = float(os.environ.get("CALENDAR_IMPORT_TIMEOUT", "20"))

# WebSub (events.websub): the hubs every feed names, told after each public change,
# e.g. "https://pubsubhubbub.appspot.com/". Empty: no hub is named, nothing is sent.
WEBSUB_HUBS = env_list("WEBSUB_HUBS", "")
# The site's address as subscribers know it, e.g. "https://news.example.org": the
# topics a job tells hubs about are URLs on it (a job has no request to ask).
NEWSROOM_URL = os.environ.get("NEWSROOM_URL", "").rstrip("/")
# A caching proxy in front of NEWSROOM_URL that fetches anew what the worker asks for
# with `Cache-Control: no-cache` (deploy/nginx.conf does, from its own machine): the
# worker refreshes each changed feed there before it tells the hubs, who would
# otherwise fetch the proxy's copy from before the change.
WEBSUB_REFRESH_PROXY = env_bool("WEBSUB_REFRESH_PROXY")
