"""Settings read from the environment, with safe defaults for a laptop.

Every secret and every production switch comes from a ``LIAISON_*`` variable; nothing here needs
editing to deploy. Without any variable set, Liaison runs in development mode on the embedded
SQLite database in ``var/``.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("LIAISON_HOME", BASE_DIR.parent.parent))
VAR_DIR = Path(os.environ.get("LIAISON_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("LIAISON_DEBUG", True)
# The development key is only ever used when DEBUG is on; production must set its own.
SECRET_KEY = os.environ.get("LIAISON_SECRET_KEY") or (
    "django-insecure-development-only-key" if DEBUG else ""
)
if not SECRET_KEY:
    raise RuntimeError("LIAISON_SECRET_KEY must be set when LIAISON_DEBUG is off.")
# Production refuses to start on a weak key (Django's deploy check only warns): sessions,
# password-reset links and signed tokens are all as strong as this key.
if not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure")
):
    raise RuntimeError(
        "LIAISON_SECRET_KEY is too weak for production (LIAISON_DEBUG off): use at least 50 "
        "random characters, for example from "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
    )
# Keys that encrypt cooperation requests at rest (liaison.exchange.crypto): Fernet keys,
# comma-separated, the first encrypting. Development derives one from the secret key.
EXCHANGE_KEYS = env_list("LIAISON_EXCHANGE_KEY")
if not EXCHANGE_KEYS and DEBUG:
    import base64 as _b64
    import hashlib as _hashlib

    EXCHANGE_KEYS = [
        _b64.urlsafe_b64encode(_hashlib.sha256(f"exchange:{SECRET_KEY}".encode()).digest()).decode()
    ]
if not EXCHANGE_KEYS:
    raise RuntimeError("LIAISON_EXCHANGE_KEY must be set when LIAISON_DEBUG is off.")
ALLOWED_HOSTS = env_list("LIAISON_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("LIAISON_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "liaison.core",
    "liaison.directory",
    "liaison.invitations",
    # Before allauth, so its templates (in the site layout) replace allauth's own.
    "liaison.accounts",
    "liaison.portfolio",
    "liaison.ingest",
    "liaison.events",
    "liaison.training",
    "liaison.equipment",
    "liaison.assessments",
    "liaison.results",
    "liaison.grants",
    "liaison.exchange",
    "liaison.privacy",
    "liaison.api",
    "liaison.web",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
]

MIDDLEWARE = [
    "liaison.training.player.ContentOriginMiddleware",
    "liaison.core.middleware.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "liaison.core.middleware.IdleTimeoutMiddleware",
    "liaison.accounts.middleware.SessionActivityMiddleware",
    "liaison.accounts.middleware.RequireSecondFactorMiddleware",
    "liaison.core.middleware.SiteNotFoundMiddleware",
]

ROOT_URLCONF = "liaison.urls"
WSGI_APPLICATION = "liaison.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:dashboard"

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
                "liaison.core.context_processors.roles",
                "liaison.ingest.context_processors.imports",
                "liaison.exchange.context_processors.exchange",
            ],
        },
    }
]

DATABASE_URL = os.environ.get("LIAISON_DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("LIAISON_SQLITE_PATH", str(VAR_DIR / "liaison.sqlite3")),
            # WAL lets readers work while a writer commits; IMMEDIATE avoids lock upgrades.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Throttles (certificate look-ups, the anonymous API rate) count in the cache, so it must be
# shared by every worker process: the database by default (its table is created by `migrate`,
# see core.apps), Redis when LIAISON_REDIS_URL is set.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "liaison_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}
if os.environ.get("LIAISON_REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["LIAISON_REDIS_URL"],
    }

# Background work (factsheet reading) is queued in the database and run by `liaison db_worker`,
# which `make run` starts beside the web server. Tests run tasks at once.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("LIAISON_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# An external learning record store (xAPI 1.0.3) that receives a copy of every new statement,
# sent by the background worker and retried with back-off; off when the address is empty.
# LRS_URL is the store's xAPI endpoint, the part before "/statements".
LRS_URL = os.environ.get("LIAISON_LRS_URL", "").strip().rstrip("/")
LRS_USERNAME = os.environ.get("LIAISON_LRS_USERNAME", "")
LRS_PASSWORD = os.environ.get("LIAISON_LRS_PASSWORD", "")
LRS_MAX_TRIES = max(1, int(os.environ.get("LIAISON_LRS_MAX_TRIES", "10")))
LRS_TIMEOUT = float(os.environ.get("LIAISON_LRS_TIMEOUT", "10"))
if LRS_URL and not LRS_URL.lower().startswith(("https://", "http://")):
    raise RuntimeError("LIAISON_LRS_URL must be an https:// (or http://) address.")
if LRS_URL and not DEBUG and not LRS_URL.lower().startswith("https://"):
    raise RuntimeError("LIAISON_LRS_URL must use https:// when LIAISON_DEBUG is off.")
# Factsheets larger than this are refused before they are read.
INGEST_MAX_BYTES = int(float(os.environ.get("LIAISON_INGEST_MAX_MB", "20")) * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FILES = int(os.environ.get("LIAISON_UPLOAD_MAX_FILES", "200"))
# One upload (all its files together) is refused above this, before a byte of it is stored.
INGEST_MAX_BATCH_BYTES = int(
    float(os.environ.get("LIAISON_INGEST_MAX_BATCH_MB", "100")) * 1024 * 1024
)
# A factsheet's text is read up to this many characters and extracted within this many seconds;
# beyond either it is recorded as too long to read, so one file never holds the worker for long.
INGEST_MAX_CHARS = int(os.environ.get("LIAISON_INGEST_MAX_CHARS", "300000"))
INGEST_MAX_SECONDS = float(os.environ.get("LIAISON_INGEST_MAX_SECONDS", "30"))
# The review page shows this many characters of a document's text, with its highlights.
INGEST_REVIEW_CHARS = int(os.environ.get("LIAISON_INGEST_REVIEW_CHARS", "60000"))

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts (django-allauth, see liaison.accounts and docs/decisions.md): sign-up with a verified
# e-mail address, sign-in by username or e-mail, a second factor (TOTP and recovery codes).
ACCOUNT_ADAPTER = "liaison.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "liaison.accounts.forms.LoginForm",
    "signup": "liaison.accounts.forms.SignupForm",
    "reset_password": "liaison.accounts.forms.ResetPasswordForm",
}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = int(os.environ.get("LIAISON_EMAIL_CONFIRM_DAYS", "3"))
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Liaison] "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Every limit counts in the shared cache (database or Redis), so it holds across processes.
# "login_failed" also counts wrong second-factor codes, and the API's Basic authentication.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LIAISON_LOGIN_FAILURE_LIMIT", "5"))
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": f"10/m/ip,{LOGIN_FAILURE_LIMIT}/15m/key",
    "signup": os.environ.get("LIAISON_SIGNUP_RATE", "10/h/ip"),
    "reset_password": "20/h/ip,3/h/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("LIAISON_MFA_ISSUER", "Liaison")
# A code of the period just before or after is accepted too (RFC 6238, section 5.2): a code typed
# as the 30-second period turns, or on a phone whose clock is a few seconds off, still works.
MFA_TOTP_TOLERANCE = 1
# Roles that must have an authenticator app before they see any page (they read personal data);
# "institution_administrator" stands for everyone who administers an institution.
MFA_REQUIRED_ROLES = env_list(
    "LIAISON_MFA_REQUIRED_ROLES",
    "secretariat,staff_viewer,data_protection_officer,institution_administrator",
)
# allauth's own tracking writes on every request; liaison.accounts.middleware does it once a minute.
USERSESSIONS_TRACK_ACTIVITY = False
# Behind a reverse proxy, the number of proxies whose X-Forwarded-For is trusted (for throttles).
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("LIAISON_TRUSTED_PROXIES", "0"))

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("sr", _("Serbian")),
    ("bg", _("Bulgarian")),
    ("tr", _("Turkish")),
    ("uk", _("Ukrainian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
# Front-end libraries come from the npm registry at set-up (see package.json) and are served
# from this folder; nothing is fetched from the internet at run time.
STATICFILES_DIRS = [("vendor", PROJECT_DIR / "node_modules")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

EMAIL_BACKEND = os.environ.get(
    "LIAISON_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("LIAISON_FROM_EMAIL", "liaison@localhost")
# The address links in e-mails start with; e-mails are sent outside any request.
# An invitation link works once, for this many days.
INVITATION_DAYS = int(os.environ.get("LIAISON_INVITATION_DAYS", "7"))
SITE_URL = os.environ.get("LIAISON_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Where SCORM packages play, apart from Liaison's origin (see liaison/training/player.py); a
# development server on the loopback address uses its other name when this is empty.
TRAINING_CONTENT_ORIGIN = os.environ.get("LIAISON_CONTENT_ORIGIN", "").rstrip("/")
if TRAINING_CONTENT_ORIGIN:
    ALLOWED_HOSTS.append(TRAINING_CONTENT_ORIGIN.split("://", 1)[-1].split(":", 1)[0])

# Security headers. A strict policy: only this origin's scripts and styles, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A session ends 14 days after sign-in at the latest, and earlier after a time without any
# request (core.middleware.IdleTimeoutMiddleware): shorter for staff roles.
SESSION_COOKIE_AGE = int(float(os.environ.get("LIAISON_SESSION_MAX_DAYS", "14")) * 86400)
SESSION_IDLE_SECONDS_STAFF = int(
    float(os.environ.get("LIAISON_SESSION_IDLE_MINUTES_STAFF", "30")) * 60
)
SESSION_IDLE_SECONDS = int(float(os.environ.get("LIAISON_SESSION_IDLE_MINUTES", "480")) * 60)
# Whoever holds a role for which one of these checks (a function of the account) answers yes
# must use a second factor and is signed out after SESSION_IDLE_SECONDS_SENSITIVE idle: the
# apps that know such roles name them here, so that the lower apps do not import them.
SENSITIVE_ROLE_CHECKS = ["liaison.exchange.permissions.holds_exchange_role"]
# The pages of that data: there the second factor is asked of those roles.
SENSITIVE_PATHS = ["/exchange/", "/api/exchange/"]
SESSION_IDLE_SECONDS_SENSITIVE = int(
    float(os.environ.get("LIAISON_SESSION_IDLE_MINUTES_SENSITIVE", "15")) * 60
)
# Browser features no page of Liaison uses, switched off for every response.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
CSRF_COOKIE_HTTPONLY = False
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("LIAISON_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("LIAISON_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "liaison.api.schema.LiaisonAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "liaison.api.authentication.BasicAuthentication",
        "liaison.api.authentication.BearerTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("LIAISON_API_ANON_RATE", "600/minute")},
}
# Personal access tokens: this many refused tokens from one address within the window (seconds)
# and bearer calls from it get 429 until the window ends; counted in the shared cache.
LIAISON_TOKEN_MAX_FAILURES = int(os.environ.get("LIAISON_TOKEN_MAX_FAILURES", "10"))
LIAISON_TOKEN_FAILURE_WINDOW = int(os.environ.get("LIAISON_TOKEN_FAILURE_WINDOW", "900"))
SPECTACULAR_SETTINGS = {
    "TITLE": "Liaison API",
    "DESCRIPTION": (
        "The data of Liaison, the platform of cross-border cooperation projects: the directory "
        "(countries, organisations, people, networks), the portfolio of projects, events with "
        "their agenda, registrations and attendance, the training centre (modules, courses, "
        "enrolments, results and certificates), needs assessments, equipment from request to "
        "hand-over, and results (logframes, indicators and their values, reporting periods, "
        "progress reports and risks), and grants (calls for proposals, applications, reviews, "
        "decisions and awards).\n\n"
        "Visitors read what is public; signed-in staff read more, and write what the pages let "
        "them write, through the same checks. Lists are paged (`page`, `page_size`) and take the "
        "filters of the matching page."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "liaison.api.schema.alternatives_as_any_of",
    ],
    # Choice sets that share a field name ("type", "status") get a name of their own.
    "ENUM_NAME_OVERRIDES": {
        "OrganisationTypeEnum": "liaison.directory.models.OrganisationType",
        "EventTypeEnum": "liaison.events.models.EventType",
        "ProjectStatusEnum": "liaison.portfolio.models.Status",
        "RegistrationStatusEnum": "liaison.events.models.RegistrationStatus",
        "ReportStatusEnum": "liaison.results.models.ReportStatus",
        "RiskStatusEnum": "liaison.results.models.RiskStatus",
        "InstructionLanguageEnum": "liaison.training.models.catalogue.INSTRUCTION_LANGUAGES",
        "ExchangeRequestKindEnum": "liaison.exchange.models.RequestKind",
        "ExchangeRequestStatusEnum": "liaison.exchange.models.RequestStatus",
        "ExchangeCaseStatusEnum": "liaison.exchange.models.CaseStatus",
        "ExchangeMessageKindEnum": "liaison.exchange.models.MessageKind",
        "ExchangeEntityKindEnum": "liaison.exchange.models.EntityKind",
        "RefusalGroundEnum": "liaison.exchange.models.RefusalGround",
    },
    # One tag per part of the API, in the order of the apps, each saying what it holds.
    "TAGS": [
        {"name": "countries", "description": "Directory: countries (ISO 3166, with Kosovo)."},
        {"name": "organisations", "description": "Directory: organisations and institutions."},
        {"name": "people", "description": "Directory: people (contact details for staff)."},
        {"name": "networks", "description": "Directory: networks and their members."},
        {"name": "projects", "description": "Portfolio: projects, funding, partners, countries."},
        {
            "name": "events",
            "description": "Events, their sessions, registrations, attendance and knowledge "
            "items (lessons learned, good practices).",
        },
        {
            "name": "training",
            "description": "Training centre: modules, courses, enrolments, results, certificates.",
        },
        {"name": "assessments", "description": "Needs assessments, area by area, with gaps."},
        {"name": "assessment-templates", "description": "Versioned assessment templates."},
        {"name": "equipment", "description": "Equipment from request to hand-over and use."},
        {"name": "results", "description": "Logframes: results, indicators and their values."},
        {"name": "reporting-periods", "description": "Reporting periods of a project."},
        {"name": "progress-reports", "description": "Progress reports and their review."},
        {"name": "risks", "description": "A project's risks and their heat map."},
        {
            "name": "grants",
            "description": "Grants: calls for proposals with lots and rates, applications with "
            "their computed budgets (a consortium its own) and submission, reviews (one's own), "
            "decisions (staff) and awarded grants (public).",
        },
        {
            "name": "exchange",
            "description": "Cooperation requests between units (need to know: only the units "
            "a request was exchanged between read it; opening one is logged), drafting, "
            "sending, replying and refusing, attachments, and statistics without content.",
        },
    ],
    # Swagger UI opens on the list of tags (not every operation at once) so the page is usable
    # as soon as the schema arrives; the filter box finds an operation by tag.
    "SWAGGER_UI_SETTINGS": {
        "docExpansion": "none",
        "defaultModelsExpandDepth": -1,
        "deepLinking": True,
        "filter": True,
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LIAISON_LOG_LEVEL", "WARNING")},
}
