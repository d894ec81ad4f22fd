"""Settings for dangjian, read from typed DANGJIAN_* environment variables."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from dangjian.core.database import database_settings
from dangjian.core.env import cache_settings, email_settings, env_bool, env_int, env_list, env_str, secret_key
from dangjian.core.net import parse_networks

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("DANGJIAN_VAR_DIR", str(BASE_DIR / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)
# The database, uploads and backups hold ID numbers and political records: owner only.
try:
    VAR_DIR.chmod(0o700)
except PermissionError:  # a directory another account made for us: its owner decides
    pass

SECRET_KEY = secret_key(VAR_DIR)
DEBUG = env_bool("DANGJIAN_DEBUG", False)
ALLOWED_HOSTS = env_list("DANGJIAN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DANGJIAN_CSRF_TRUSTED_ORIGINS", [])

DATABASES = {
    "default": database_settings(
        env_str("DANGJIAN_DATABASE_URL", f"sqlite:///{VAR_DIR / 'dangjian.sqlite3'}"),
        conn_max_age=env_int("DANGJIAN_DB_CONN_MAX_AGE", 60),
        sqlite_timeout=env_int("DANGJIAN_SQLITE_BUSY_TIMEOUT", 20),
        pg_statement_timeout_ms=env_int("DANGJIAN_PG_STATEMENT_TIMEOUT_MS", 30_000),
        pg_lock_timeout_ms=env_int("DANGJIAN_PG_LOCK_TIMEOUT_MS", 5_000),
    )
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "dangjian.core",
    "dangjian.orgs",
    "dangjian.members",
    "dangjian.activities",
    "dangjian.metrics",
    "dangjian.compliance",
    "dangjian.dues",
    "dangjian.recruitment",
    "dangjian.duties",
    "dangjian.campaigns",
    "dangjian.rectification",
    "dangjian.honours",
    "dangjian.integrity",
    "dangjian.reports",
    "dangjian.demo",
]

MIDDLEWARE = [
    "dangjian.core.net.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "dangjian.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dangjian.core.throttle.DeviceCookieMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dangjian.core.middleware.NulCharacterMiddleware",
    "dangjian.core.middleware.NoStoreMiddleware",
    "dangjian.core.middleware.AuditActorMiddleware",
    "dangjian.core.middleware.DownloadAuditMiddleware",
    "dangjian.core.middleware.LoginRequiredMiddleware",
    "dangjian.core.middleware.DatabaseBusyMiddleware",
]

ROOT_URLCONF = "dangjian.urls"
WSGI_APPLICATION = "dangjian.wsgi.application"

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
                "dangjian.core.context_processors.shell",
            ],
        },
    },
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_AGE = env_int("DANGJIAN_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# Production behind HTTPS: DANGJIAN_HTTPS=1 turns on the redirect to https, HSTS and secure
# cookies together (what `dangjian check --deploy` asks for). Off by default so `make run` works
# on http://127.0.0.1.
HTTPS = env_bool("DANGJIAN_HTTPS", False)
SESSION_COOKIE_SECURE = env_bool("DANGJIAN_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DANGJIAN_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = env_int("DANGJIAN_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DANGJIAN_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DANGJIAN_HSTS_PRELOAD", False)
# Preloading is an enrolment in the browsers' built-in list, decided per domain, not a default.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (dangjian.core.middleware.ContentSecurityPolicyMiddleware): scripts only
# from our own static files — no inline script or event handler anywhere, so an injected
# <script> does not run. Inline style attributes stay allowed: they cannot run code.
CONTENT_SECURITY_POLICY = env_str(
    "DANGJIAN_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'",
)
CONTENT_SECURITY_POLICY_REPORT_ONLY = env_bool("DANGJIAN_CSP_REPORT_ONLY", False)

# 扫码签到: a member who scans in more than this many minutes after the start is marked late.
SIGNIN_GRACE_MINUTES = env_int("DANGJIAN_SIGNIN_GRACE_MINUTES", 5)

AUTHENTICATION_BACKENDS = ["dangjian.core.throttle.ThrottledModelBackend"]
# Login throttling (policy in dangjian/core/throttle.py): failures within the window lock an
# account from one address (or one known browser), an account from anywhere at a higher count,
# and, past a much higher count, the failed names from one address.
LOGIN_MAX_FAILURES = env_int("DANGJIAN_LOGIN_MAX_FAILURES", 5)
LOGIN_MAX_FAILURES_PER_ACCOUNT = env_int("DANGJIAN_LOGIN_MAX_FAILURES_PER_ACCOUNT", 20)
LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("DANGJIAN_LOGIN_MAX_FAILURES_PER_ADDRESS", 100)
LOGIN_LOCKOUT_SECONDS = env_int("DANGJIAN_LOGIN_LOCKOUT_SECONDS", 15 * 60)

# Reverse proxies whose X-Forwarded-For/-Proto are believed (addresses or networks); from any
# other peer those headers are dropped (dangjian/core/net.py).
TRUSTED_PROXIES = env_list("DANGJIAN_TRUSTED_PROXIES", [])
parse_networks(TRUSTED_PROXIES)  # fail at start-up on a typo, not at the first request
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Several server processes share one cache (the ledger version that keys derived caches must
# move for all of them): files under var/cache by default, or Redis (DANGJIAN_CACHE_URL).
CACHES = {"default": cache_settings(env_str("DANGJIAN_CACHE_URL", f"file://{VAR_DIR / 'cache'}"))}

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Roster and ledger imports: larger spreadsheets are refused with a message, not read.
IMPORT_MAX_BYTES = env_int("DANGJIAN_IMPORT_MAX_BYTES", 30 * 1024 * 1024)
IMPORT_MAX_UNPACKED_BYTES = env_int("DANGJIAN_IMPORT_MAX_UNPACKED_BYTES", 200 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("DANGJIAN_IMPORT_MAX_ROWS", 20000)
# Dues lists send every row through the payment/base form's action (~8 ms of CPU a row) in one
# write transaction, during which SQLite lets no job heartbeat through: kept well inside
# JOB_STALE_SECONDS, so a big list is never declared dead while it is still writing.
DUES_IMPORT_MAX_ROWS = env_int("DANGJIAN_DUES_IMPORT_MAX_ROWS", 3000)
# The longest period a page computes (compliance over 180 years took 12 s): longer asks are refused.
PERIOD_MAX_YEARS = env_int("DANGJIAN_PERIOD_MAX_YEARS", 10)
# Days a calendar-subscription (.ics) address works; a user can revoke theirs at any time.
ICS_FEED_DAYS = env_int("DANGJIAN_ICS_FEED_DAYS", 365)
# Hours an uploaded or corrected document stays on the server for the proofreading page.
PROOFREAD_KEEP_HOURS = env_int("DANGJIAN_PROOFREAD_KEEP_HOURS", 24)
# Photos and scanned sign-in sheets kept with an activity.
ACTIVITY_ATTACHMENT_MAX_BYTES = env_int("DANGJIAN_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)

# Long work (roster imports, report drafts and PDFs, the dues run) runs as jobs: a row in the
# database that `dangjian worker` (started by `dangjian serve`) picks up, so a restart loses none.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Uploaded inputs and produced files of jobs (personal data: kept only JOB_KEEP_DAYS after the end).
JOBS_DIR = VAR_DIR / "jobs"
JOB_KEEP_DAYS = env_int("DANGJIAN_JOB_KEEP_DAYS", 7)
# A running job's worker writes a heartbeat this often; a job silent for JOB_STALE_SECONDS is
# taken for dead (its worker was killed or the server restarted) and shown as failed, with a retry.
JOB_HEARTBEAT_SECONDS = env_int("DANGJIAN_JOB_HEARTBEAT_SECONDS", 10)
JOB_STALE_SECONDS = env_int("DANGJIAN_JOB_STALE_SECONDS", 120)
if JOB_STALE_SECONDS < 3 * JOB_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured("DANGJIAN_JOB_STALE_SECONDS must be at least three heartbeats long")

# The daily to-do digest (`dangjian digest`): sent only when DANGJIAN_EMAIL_URL is set; links in
# the mail are made absolute with DANGJIAN_BASE_URL (the address users open the system at).
EMAIL_URL = env_str("DANGJIAN_EMAIL_URL", "").strip()
globals().update(email_settings(EMAIL_URL))
DEFAULT_FROM_EMAIL = env_str("DANGJIAN_EMAIL_FROM", "党建台账 <dangjian@localhost>")
BASE_URL = env_str("DANGJIAN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

DEMO_PASSWORD = env_str("DANGJIAN_DEMO_PASSWORD", "demo-pass-2024")

# Dues are rounded to the fen; no regulation says how (RULES.md: L), so it is a setting naming a
# decimal rounding mode. Read it through dangjian.dues.rates.rounding_mode().
DUES_ROUNDING = env_str("DANGJIAN_DUES_ROUNDING", "ROUND_HALF_UP").strip().upper()
if DUES_ROUNDING not in {
    "ROUND_HALF_UP",
    "ROUND_HALF_EVEN",
    "ROUND_HALF_DOWN",
    "ROUND_UP",
    "ROUND_DOWN",
    "ROUND_CEILING",
    "ROUND_FLOOR",
}:
    raise ImproperlyConfigured(
        f"DANGJIAN_DUES_ROUNDING must name a decimal rounding mode, got {DUES_ROUNDING!r}"
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DANGJIAN_LOG_LEVEL", "WARNING")},
}

# 我为群众办实事 (campaigns): the unit's own rule that items are done within the deadline set when
# they are registered. The overdue warning cites it as "本单位规定（…）" with the date it took effect.
PLEDGE_RULE_TITLE = env_str("DANGJIAN_PLEDGE_RULE_TITLE", "为民办实事工作方案")
PLEDGE_RULE_DATE = env_str("DANGJIAN_PLEDGE_RULE_DATE", "2021-03-01")
try:
    datetime.date.fromisoformat(PLEDGE_RULE_DATE)
except ValueError as _exc:
    raise ImproperlyConfigured(
        f"DANGJIAN_PLEDGE_RULE_DATE 应为 YYYY-MM-DD 格式的日期，而不是“{PLEDGE_RULE_DATE}”。"
    ) from _exc
