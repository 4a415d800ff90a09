"""Settings of Đoàn Kết: one module, configured by environment variables with safe defaults.

See docs/DEPLOYMENT.md for every variable. Nothing here reaches the network at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from doanket.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("DOANKET_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
_INSECURE_DEV_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", _INSECURE_DEV_KEY)
DOANKET_PRODUCTION = env_bool("DOANKET_PRODUCTION", False)
if SECRET_KEY == _INSECURE_DEV_KEY and DOANKET_PRODUCTION:
    raise ImproperlyConfigured("SECRET_KEY must be set when DOANKET_PRODUCTION=1.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    # Our modules, bottom first: a module imports only those above it in this list.
    "doanket.core",
    "doanket.organizations",
    "doanket.accounts",
    "doanket.documents",
    # Modules of the Front's work.
    "doanket.programs",
    "doanket.reporting",
    "doanket.petitions",
    "doanket.funds",
    "doanket.emulation",
    "doanket.supervision",
    "doanket.congresses",
    "doanket.outreach",
    "doanket.news",
    "doanket.training",
    "doanket.portal",
    # Top: the API and the demo loader read every module.
    "doanket.api",
    "doanket.assistant",
    "doanket.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "doanket.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "doanket.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "doanket.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "doanket.core.middleware.RenewIdleSessionMiddleware",  # after messages: it tells why it ended a session
    "doanket.accounts.sessions.TrackSessionMiddleware",  # after it: the user's list of their sessions
    "doanket.core.middleware.NoStoreForSignedInMiddleware",
    "doanket.accounts.middleware.RefusalLogMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "doanket.core.faults.FaultMiddleware",  # the database or the disk failing: a page that says so
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "doanket.urls"
WSGI_APPLICATION = "doanket.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "doanket" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "doanket.core.context_processors.shell",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# SQLite file under var/ by default; DATABASE_URL=postgres://user:pass@host:5432/name in production.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'doanket.sqlite3'}")
# Persistent connections (checked before reuse) save ~5 ms a request on PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME", "") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, sessions and the task queue when REDIS_URL is set ---------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES: dict[str, dict[str, Any]] = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "pages": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}  # without it RQ cannot report task results
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
else:
    # A folder shared by the app's processes and the worker (a per-process memory cache would
    # give each gunicorn worker its own copy, and the worker's renderings to nobody).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        # Public pages kept a minute (the ledger's search): each process keeps its own in memory.
        # The file cache lists its whole folder on every write to cull it (15 ms a page at a few
        # thousand files); a missed page here costs one rendering, and nothing else reads them.
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- The funds' public ledger -------------------------------------------------------------
# The signing key of the ledger's checkpoints lives in files outside the database (a database
# copy or dump never holds it): `doanket ledger_key --ensure` creates it, `--rotate` replaces it.
# The origin names the log in its checkpoints and keys (a host/path, no spaces or "+").
LEDGER_KEY_DIR = Path(env_str("DOANKET_LEDGER_KEY_DIR", str(VAR_DIR / "ledger-keys")))
LEDGER_ORIGIN = env_str("DOANKET_LEDGER_ORIGIN", "doanket.local/ledger")

# --- Uploaded files: local folder, or S3-compatible object storage -------------------------
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns about a missing folder before collectstatic
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "doanket" / "static"]
S3_BUCKET = env_str("S3_BUCKET", "")
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "doanket.core.uploads.Storage"},  # a full disk is told, nothing half-kept
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "doanket.core.s3.Storage",  # scanned like the local disk
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID", ""),
            "secret_key": env_str("S3_SECRET_ACCESS_KEY", ""),
            "region_name": env_str("S3_REGION", "") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# Antivirus: every kept file is passed on standard input to this command before it is stored (ClamAV:
# "clamdscan --no-summary -"; exit 0 clean, 1 found, anything else = not kept, try again). Empty: no scan.
UPLOAD_SCAN_COMMAND = env_str("UPLOAD_SCAN_COMMAND", "")
UPLOAD_SCAN_TIMEOUT = env_int("UPLOAD_SCAN_TIMEOUT", 60)
if env_bool("DOANKET_PLAIN_STATIC", False):
    # Tests and the first run before collectstatic: no manifest needed.
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = DEBUG

# --- Accounts, passwords, sessions, two-factor, throttling ----------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# --- Single sign-on through an OpenID Connect provider (accounts/oidc.py): off unless configured ----
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", "") or None
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
OIDC_CREATE_USER = False  # accounts are created by administrators; the provider only says who logs in
OIDC_USE_PKCE = True
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso_callback"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"  # a path: the library redirects to it as written
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("doanket.accounts.oidc.Backend")
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # The platform's and the Front's names, common Vietnamese weak passwords, the user's own name.
    {"NAME": "doanket.accounts.passwords.BarredWordsValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Idle sessions end after SESSION_IDLE_MINUTES. The deadline is renewed by activity, at most
# once every SESSION_RENEW_SECONDS (core.middleware.RenewIdleSessionMiddleware), so a page
# view does not write the session each time.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 120) * 60
SESSION_RENEW_SECONDS = env_int("SESSION_RENEW_SECONDS", 300)
# However active, a session ends this long after it began (a forgotten office computer).
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("SECURE_COOKIES", False)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if SECURE_COOKIES:
    # Over HTTPS the names carry the `__Host-` prefix (ASVS 5.0 V3.3.1, V3.3.3): a browser then
    # keeps the cookie only if it is Secure, for Path=/ and without a Domain, so a neighbouring
    # subdomain or a plain-http page cannot set or overwrite it. Plain-http development keeps
    # Django's names (a browser refuses `__Host-` cookies that are not Secure).
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# HSTS on every answer over HTTPS (Django sends it only on secure requests: behind the proxy,
# with BEHIND_HTTPS_PROXY=1). A year and the subdomains, as ASVS 5.0 V3.4.1 asks at level 2.
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)

# Two-factor: TOTP available to everyone, required for administrators (see accounts.middleware).
OTP_TOTP_ISSUER = "Đoàn Kết"
DOANKET_REQUIRE_2FA_FOR_ADMINS = env_bool("REQUIRE_2FA_FOR_ADMINS", True)
# Every account (officers, viewers, leaders too) must enrol: ASVS 5.0 V6.3.3 at level 2.
DOANKET_REQUIRE_2FA_FOR_ALL = env_bool("REQUIRE_2FA_FOR_ALL", False)

# Password reset by e-mail: (requests, per seconds) from one address, and for one e-mail address.
PASSWORD_RESET_LIMITS = {
    "address": (env_int("PASSWORD_RESETS_PER_ADDRESS_PER_HOUR", 10), 3600),
    "email": (env_int("PASSWORD_RESETS_PER_EMAIL_PER_HOUR", 3), 3600),
}
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_MINUTES", 60) * 60  # the link's lifetime

# django-axes: 5 failed logins for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_CLIENT_IP_CALLABLE = "doanket.accounts.middleware.client_ip"
# Behind the reverse proxy, the client's address is the last hop the proxy appended.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if env_bool("BEHIND_HTTPS_PROXY", False) else 0)

# --- Language and formats ---------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "doanket" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["doanket.formats"]
USE_THOUSAND_SEPARATOR = True
LANGUAGE_COOKIE_NAME = "doanket_language"
if SECURE_COOKIES:  # as the session's and CSRF cookies (below, with the accounts' settings)
    LANGUAGE_COOKIE_NAME = "__Host-doanket_language"
    LANGUAGE_COOKIE_SECURE = True

# --- Worker heartbeat, for /healthz ------------------------------------------------------------
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 15)
WORKER_STALE_SECONDS = env_int("WORKER_STALE_SECONDS", 90)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # doanket.security: every refused access (accounts.middleware.RefusalLogMiddleware).
    "loggers": {"axes": {"level": "WARNING"}, "doanket.security": {"level": "WARNING"}},
}

# --- Uploaded documents ------------------------------------------------------------------
# Programme documents, bank statements and attachments: refused above this size, with a message.
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # form fields (a corrected document's text)

# Tasks the worker enqueues on a schedule (dotted path → every N seconds). Each is idempotent.
PERIODIC_TASKS = {
    "doanket.programs.tasks.send_reminders": env_int("REMINDER_EVERY_SECONDS", 3600),
    "doanket.programs.tasks.clean_uploads": 3600,
    "doanket.reporting.tasks.open_periods": 3600,
    "doanket.reporting.tasks.send_reminders": env_int("REMINDER_EVERY_SECONDS", 3600),
    "doanket.petitions.tasks.send_reminders": env_int("REMINDER_EVERY_SECONDS", 3600),
    "doanket.supervision.tasks.send_reminders": env_int("REMINDER_EVERY_SECONDS", 3600),
    "doanket.petitions.tasks.apply_retention": 86400,
    "doanket.accounts.tasks.apply_retention": 86400,
    "doanket.funds.tasks.sign_checkpoint": env_int("LEDGER_CHECKPOINT_EVERY_SECONDS", 3600),
}

# --- Shipping the audit log off the machine (core/shipping.py): off unless a destination is set --
AUDIT_SHIP_SYSLOG = env_str("AUDIT_SHIP_SYSLOG", "")  # host:port of an RFC 5424 receiver over TCP
AUDIT_SHIP_FILE = env_str("AUDIT_SHIP_FILE", "")  # a file to append JSON lines to (chattr +a it)
AUDIT_SHIP_BATCH = env_int("AUDIT_SHIP_BATCH", 500)
AUDIT_SHIP_TIMEOUT = env_int("AUDIT_SHIP_TIMEOUT_SECONDS", 10)
if AUDIT_SHIP_SYSLOG:
    _host, _, _port = AUDIT_SHIP_SYSLOG.rpartition(":")
    if not _host or not _port.isdigit():
        raise ImproperlyConfigured(f"AUDIT_SHIP_SYSLOG={AUDIT_SHIP_SYSLOG!r} is not host:port.")
if AUDIT_SHIP_SYSLOG or AUDIT_SHIP_FILE:
    PERIODIC_TASKS["doanket.core.tasks.ship_audit"] = env_int("AUDIT_SHIP_EVERY_SECONDS", 60)

# --- Retention of personal data (Luật 91/2025/QH15): how long, then erased by the worker ----
PETITION_IDENTITY_RETENTION_DAYS = env_int("PETITION_IDENTITY_RETENTION_DAYS", 5 * 365)  # after closing
API_USE_RETENTION_DAYS = env_int("API_USE_RETENTION_DAYS", 365)
ACCESS_LOG_RETENTION_DAYS = env_int("ACCESS_LOG_RETENTION_DAYS", 365)  # login attempts, with IP addresses

# --- The API -------------------------------------------------------------------------------
API_TOKEN_RATE_PER_MINUTE = env_int("API_TOKEN_RATE_PER_MINUTE", 600)

# --- E-mail (reminders): off unless a server is configured --------------------------------
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "doanket@localhost")
EMAIL_TIMEOUT = 10

# --- Citizens: the public address in messages, and the SMS gateway (a class with send(to, text)) --
PUBLIC_URL = env_str("PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
SMS_GATEWAY = env_str("SMS_GATEWAY", "doanket.petitions.notify.NoGateway")
# The portal's rate limits: (requests, per seconds), per client address or per contact.
PORTAL_LIMITS = {
    "submit_address": (env_int("PORTAL_SUBMISSIONS_PER_ADDRESS_PER_HOUR", 20), 3600),
    "submit_contact": (env_int("PORTAL_SUBMISSIONS_PER_CONTACT_PER_HOUR", 5), 3600),
    "track_address": (env_int("PORTAL_LOOKUPS_PER_ADDRESS_PER_10_MINUTES", 60), 600),
}
