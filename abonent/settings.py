"""Abonent settings: one file, driven by the environment."""

import json
import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


ABONENT_ENV = os.environ.get("ABONENT_ENV", "development")
PRODUCTION = ABONENT_ENV == "production"
TESTING = os.environ.get("ABONENT_TESTING") == "1" or "pytest" in sys.modules

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("SECRET_KEY must be set when ABONENT_ENV=production")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-" + "x" * 20

DEBUG = env_flag("DEBUG", default=not PRODUCTION and not TESTING)
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "huey.contrib.djhuey",
    "ninja",
    "treebeard",
    "abonent.core",
    "abonent.accounts",
    "abonent.notifications",
    "abonent.customers",
    "abonent.contracts",
    "abonent.billing",
    "abonent.banking",
    "abonent.callcenter",
    "abonent.appointments",
    "abonent.imports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "abonent.accounts.middleware.LocaleMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "abonent.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "abonent.urls"
WSGI_APPLICATION = "abonent.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "abonent" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "abonent.core.context_processors.shell",
                "abonent.notifications.context_processors.bell",
            ],
        },
    }
]

# Database: SQLite (WAL) by default, DATABASE_URL for PostgreSQL.
DATA_DIR = Path(os.environ.get("ABONENT_DATA_DIR", BASE_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'abonent.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0 if TESTING else 60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of deadlocking.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    # A file, not memory: concurrency tests open several connections to it.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{worker}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs: Huey on SQLite by default, Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "abonent", "url": REDIS_URL, "immediate": TESTING}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "abonent",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": TESTING,
    }

# Bank APIs polled for new statement lines (docs/banking.md); tests point these at a local stub.
ABONENT_FIO_API_URL = os.environ.get("ABONENT_FIO_API_URL", "https://fioapi.fio.cz/v1/rest").rstrip("/")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests create hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failures (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("ABONENT_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Two-factor: TOTP for staff, required for administrators when ABONENT_REQUIRE_2FA=1.
ABONENT_REQUIRE_2FA = env_flag("ABONENT_REQUIRE_2FA")
OTP_TOTP_ISSUER = "Abonent"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("cs", "Čeština"),
    ("pl", "Polski"),
    ("ro", "Română"),
    ("ru", "Русский"),
]
LOCALE_PATHS = [BASE_DIR / "abonent" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Prague")
USE_I18N = True
FORMAT_MODULE_PATH = ["abonent.formats"]
USE_TZ = True
CURRENCIES = ["CZK", "PLN", "RON", "RUB", "EUR"]
# The company's accounts customers pay into, one per currency, for payment orders, statements and reminders.
# ABONENT_PAYEE_ACCOUNTS is JSON: {"CZK": {"iban": "CZ65...", "bic": "GIBACZPX"}, "RUB": {"account": "4070...",
# "bic": "044525225", "bank": "...", "correspondent": "3010..."}}; the defaults are demo accounts.
BILLING_PAYEE_NAME = os.environ.get("ABONENT_PAYEE_NAME", "Abonent Telecom s.r.o.")
BILLING_PAYEE_ACCOUNTS = json.loads(os.environ.get("ABONENT_PAYEE_ACCOUNTS") or "null") or {
    "CZK": {"iban": "CZ6508000000192000145399", "bic": "GIBACZPX"},
    "EUR": {"iban": "AT611904300234573201", "bic": "BKAUATWW"},
    "PLN": {"iban": "PL61109010140000071219812874", "bic": "WBKPPLPP"},
    "RON": {"iban": "RO49AAAA1B31007593840000", "bic": "BTRLRO22"},
    "RUB": {"account": "40702810900000012345", "bic": "044525225", "bank": "ПАО Сбербанк",
            "correspondent": "30101810400000000225"},
}
DEFAULT_CURRENCY = os.environ.get("ABONENT_DEFAULT_CURRENCY", "CZK")

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "abonent" / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    # The standalone build of @event-calendar (all its plugins, no bundler needed).
    ("vendor/event-calendar", NODE_MODULES / "@event-calendar" / "build" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Files only permission-checked views may serve (attachments of service requests): never public media.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("ABONENT_PRIVATE_FILES", str(DATA_DIR / "private"))},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "/media/"

# E-mail over SMTP; the console backend when no host is configured in development.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST or PRODUCTION
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Abonent <abonent@localhost>")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "huey": {"level": "WARNING" if TESTING else "INFO"}},
}

NINJA_PAGINATION_PER_PAGE = 50

# Calendar (abonent.appointments): travel between meetings, maps and geocoding, the morning agenda.
# Tests never reach the network: the map and geocoder URLs are empty unless a test points them at its stub.
ABONENT_TRAVEL_SPEED_KMH = float(os.environ.get("ABONENT_TRAVEL_SPEED_KMH", "40"))
ABONENT_ROUTING_BACKEND = os.environ.get("ABONENT_ROUTING_BACKEND", "abonent.appointments.travel.GreatCircleTravel")
ABONENT_GEOCODER_URL = os.environ.get(
    "ABONENT_GEOCODER_URL", "" if TESTING else "https://nominatim.openstreetmap.org/search"
)
ABONENT_TILE_URL = os.environ.get(
    "ABONENT_TILE_URL", "" if TESTING else "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
ABONENT_MAP_ATTRIBUTION = os.environ.get("ABONENT_MAP_ATTRIBUTION", "© OpenStreetMap contributors")
ABONENT_HTTP_USER_AGENT = os.environ.get("ABONENT_HTTP_USER_AGENT", "Abonent/0.1 (+https://abonent.example)")
ABONENT_AGENDA_HOUR = int(os.environ.get("ABONENT_AGENDA_HOUR", "7"))
# Imports: rows per batch of the worker (one transaction each), and the largest file accepted.
IMPORT_BATCH_ROWS = int(os.environ.get("ABONENT_IMPORT_BATCH_ROWS", "5000"))
IMPORT_MAX_BYTES = int(os.environ.get("ABONENT_IMPORT_MAX_MB", "200")) * 1024 * 1024
# Helper processes that check the next batch's rows while the worker writes the current one (0: the worker
# checks them itself), for jobs of at least IMPORT_HELPERS_FROM_ROWS rows.
IMPORT_HELPERS = int(os.environ.get("ABONENT_IMPORT_HELPERS", "0"))
IMPORT_HELPERS_FROM_ROWS = int(os.environ.get("ABONENT_IMPORT_HELPERS_FROM_ROWS", "20000"))

# Human names of the modules whose rights are checked (accounts.RoleRight); the order is the menu's.
ABONENT_MODULES = {
    "customers": _("Customers"),
    "callcenter": _("Call center"),
    "appointments": _("Calendar"),
    "dispatch": _("Lead dispatch"),
    "contracts": _("Contracts"),
    "billing": _("Billing"),
    "banking": _("Banking"),
    "commissions": _("Commissions"),
    "imports": _("Import and export"),
    "analytics": _("Reports"),
    "intranet": _("Intranet"),
    "accounts": _("Users and roles"),
    "audit": _("Audit log"),
    "settings": _("Settings"),
}
