"""Django settings for inhouse, all read from the environment (see docs/settings.md)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from inhouse.env import SettingError, env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("INHOUSE_DATA_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = env_bool("DEBUG", False)
PRODUCTION = env_bool("INHOUSE_PRODUCTION", False)

_PLACEHOLDER_KEY = "insecure-development-key-change-me"
SECRET_KEY = env_str("SECRET_KEY", _PLACEHOLDER_KEY)
if PRODUCTION and (SECRET_KEY == _PLACEHOLDER_KEY or len(SECRET_KEY) < 32):
    raise SettingError(
        "SECRET_KEY must be set to a random value of at least 32 characters in production "
        "(INHOUSE_PRODUCTION=1); generate one with `INHOUSE_PRODUCTION=0 inhouse secret`."
    )

# Keys for encrypting OAuth tokens and webhook secrets at rest. Comma-separated Fernet keys,
# newest first; older keys still decrypt (rotation). Defaults to one derived from SECRET_KEY.
ENCRYPTION_KEYS = env_list("INHOUSE_ENCRYPTION_KEYS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "inhouse.core",
    "inhouse.access",
    "inhouse.channels",
    "inhouse.outbox",
    "inhouse.monitoring",
    "inhouse.knowledge",
    "inhouse.partners",
    "inhouse.campaigns",
    "inhouse.inbox",
    "inhouse.content",
    # After the windows: routing calls the intakes in this order, and the analytics roll-up
    # reads what the inbox's intake wrote (first responses) for the same batch.
    "inhouse.analytics",
    "inhouse.assist",
    "inhouse.pipeline",
    "inhouse.web",
    "inhouse.api",
    "inhouse.cli",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "inhouse.urls"
WSGI_APPLICATION = "inhouse.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "inhouse.web.accounts.reauth_banner",
            ],
        },
    }
]

# --- database -----------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'inhouse.sqlite3'}")
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0))
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web desk read while the worker writes; the timeout rides out short locks;
    # IMMEDIATE transactions take the write lock up front so two writers queue instead of
    # failing mid-transaction with "database is locked".
    _db.setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth ---------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

# --- i18n ---------------------------------------------------------------------------------
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- static -------------------------------------------------------------------------------
STATIC_URL = "static/"
# Optional: the desk serves assets straight from the packages (WHITENOISE_USE_FINDERS);
# set it only to run `inhouse collectstatic` for a front proxy.
STATIC_ROOT = env_str("STATIC_ROOT", "") or None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve straight from the installed packages, so the desk works without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- security -----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    if not SECURE_HSTS_PRELOAD:
        # Preloading is hard to undo, so it stays the operator's explicit choice.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# --- outgoing e-mail (scheduled reports; alert channels carry their own SMTP settings) -----
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "inhouse@localhost")

# --- background work (Celery) -------------------------------------------------------------
# Embedded default: kombu's filesystem transport, no broker server. Production: redis:// or
# amqp://. The same tasks run either way.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = DATA_DIR / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "out"),
        "data_folder_out": str(_queue_dir / "out"),
        "processed_folder": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # A message a killed worker had taken comes back after this many seconds; tasks are
    # idempotent, so the only cost of a short value is repeated work on very long tasks.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("INHOUSE_BROKER_VISIBILITY_TIMEOUT", 3600)}
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_IGNORE_RESULT = CELERY_RESULT_BACKEND is None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-batch leaves the batch for another one
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_TIMEZONE = TIME_ZONE
ANALYZE_INTERVAL_SECONDS = env_int("INHOUSE_ANALYZE_INTERVAL", 30)
# Routing recomputes a day's analytics roll-up at most once in this many seconds; batches in
# between mark it stale and beat recomputes stale days as often (0: every batch recomputes).
ROLLUP_MIN_SECONDS = env_int("INHOUSE_ROLLUP_MIN_SECONDS", 60)
# Items older than this many days (event time) are archived then deleted daily; 0 keeps all.
RETENTION_DAYS = env_int("INHOUSE_RETENTION_DAYS", 0)
RETENTION_ARCHIVE_DIR = Path(env_str("INHOUSE_ARCHIVE_DIR", str(DATA_DIR / "archive")))

# --- Weibo --------------------------------------------------------------------------------
WEIBO_API_BASE = env_str("WEIBO_API_BASE", "https://api.weibo.com")
# Polling every 5 minutes keeps a normal app within 150 calls per user per hour.
WEIBO_SYNC_INTERVAL_SECONDS = env_int("WEIBO_SYNC_INTERVAL", 300)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
