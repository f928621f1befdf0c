"""Django settings, read only from environment variables (every one is listed in .env.example)."""

import os
from pathlib import Path

import dj_database_url
from corsheaders.defaults import default_headers
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
    "django_countries",
    "corsheaders",
    "dramatiq_crontab",
    "recruitment",
    "workflows",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "api.middleware.RateLimitHeadersMiddleware",
    # Inside every header-adding middleware, so that its early 400 gets every header; around
    # the idempotency replays and refusals, which get its no-store and CSP too.
    "api.middleware.ApiBoundaryMiddleware",
    "api.middleware.IdempotencyMiddleware",
]

ROOT_URLCONF = "api.urls"
WSGI_APPLICATION = "recruitment.wsgi.application"
AUTH_USER_MODEL = "recruitment.User"

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
        },
    },
]

# PostgreSQL only. `make run` / `make test` find or start a server and set DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/recruitment"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
# Parallel query helps one big query on an idle server; an API serving many small ones at once
# loses by it (a 5,000-applicant shortlist: 26 ms alone with 2 workers, 22 ms without, and
# workers that compete with the other requests for the same cores).
DATABASES["default"]["OPTIONS"] = {
    "options": "-c max_parallel_workers_per_gather="
    + str(int(os.environ.get("DATABASE_PARALLEL_WORKERS", "0")))
}
if env_bool("DATABASE_POOL"):
    # psycopg's pool inside each process; CONN_MAX_AGE must stay 0 with it.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "2")),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "10")),
    }
ATOMIC_REQUESTS = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = os.environ.get("STATIC_ROOT", str(BASE_DIR / "staticfiles"))

# CSV exports run as background jobs are written to the "exports" storage (a private folder here;
# any Django storage backend, e.g. object storage, by changing the backend). Download links are
# signed and live EXPORT_LINK_TTL_SECONDS; files and jobs are purged EXPORT_RETENTION_HOURS on.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "exports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            # bandit B108, accepted 2026-11-28: a default for development; the folder is made
            # 0700 and its files 0600, and production sets EXPORT_ROOT.
            "location": os.environ.get("EXPORT_ROOT", "/var/tmp/recruitment-exports"),  # nosec B108
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
}
EXPORT_CHUNK_ROWS = int(os.environ.get("EXPORT_CHUNK_ROWS", "2000"))
EXPORT_LINK_TTL_SECONDS = int(os.environ.get("EXPORT_LINK_TTL_SECONDS", "300"))
EXPORT_RETENTION_HOURS = int(os.environ.get("EXPORT_RETENTION_HOURS", "24"))

# API tokens issued by POST /api/v1/auth/token/.
API_TOKEN_TTL_HOURS = int(os.environ.get("API_TOKEN_TTL_HOURS", "24"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "api.authentication.ClientCredentialsAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ScopedWrite"],
    "DEFAULT_RENDERER_CLASSES": ["drf_orjson_renderer.renderers.ORJSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.ContentNegotiation",
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "api.filters.UpdatedSinceFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Counted in PostgreSQL; rates are the RATE_LIMIT_* settings below (api/throttles.py).
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttles.RateLimitThrottle",
    ],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "UN expert & trainee recruitment tracker API",
    "DESCRIPTION": (
        "Vacancies, candidates, applications and placements for experts and trainees "
        "placed in the UN system. Errors share one body shape: see the `Error` schema."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStatusEnum": "recruitment.enums.ApplicationStatus",
        "PlacementStatusEnum": "recruitment.enums.PlacementStatus",
        "VacancyStatusEnum": "recruitment.enums.VacancyStatus",
        "GradeEnum": "recruitment.enums.Grade",
        "RoleEnum": "recruitment.enums.Role",
        "FeedKindEnum": "recruitment.enums.FeedKind",
        "DegreeLevelEnum": "recruitment.enums.DegreeLevel",
        "OutboxStatusEnum": "recruitment.enums.OutboxStatus",
        "FeedRunStatusEnum": "recruitment.enums.FeedRunStatus",
        "ExportKindEnum": "recruitment.enums.ExportKind",
        "ExportStatusEnum": "recruitment.enums.ExportStatus",
        "DocumentKindEnum": "recruitment.enums.DocumentKind",
        "ConsentPurposeEnum": "recruitment.enums.ConsentPurpose",
        "AccessedResourceEnum": "recruitment.enums.AccessedResource",
        "CountryEnum": "api.serializers.common.COUNTRY_CHOICES",
    },
    "SECURITY": [{"bearerAuth": []}],
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "description": "A token from /api/v1/auth/token/ or /api/v1/auth/oauth/token/.",
            }
        }
    },
    "AUTHENTICATION_WHITELIST": [],
}

OAUTH2_PROVIDER = {
    "SCOPES": {"read": "Read access", "write": "Write access"},
    "DEFAULT_SCOPES": ["read"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": int(os.environ.get("OAUTH_TOKEN_TTL_SECONDS", "3600")),
    "OAUTH2_VALIDATOR_CLASS": "api.oauth.ScopedClientValidator",
    # RFC 9700 (OAuth 2.0 Security BCP): only client credentials are used here, so every
    # compliant behaviour costs nothing; tokens are hashed at rest like our login tokens.
    "PKCE_REQUIRED": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
}

# Browsers may call the API cross-origin only from these origins (the candidate portal), with
# bearer tokens and never cookies. Empty: no cross-origin access at all.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_HEADERS = (*default_headers, "if-match", "idempotency-key")
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After", "Location"]
CORS_PREFLIGHT_MAX_AGE = 600

# Background work: unset BROKER_URL = in-process broker and worker (the embedded mode).
BROKER_URL = os.environ.get("BROKER_URL", "")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@recruitment.example")

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # HTTPS only; the load balancer's probes of /healthz and /readyz may speak plain HTTP.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "recruitment.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "pika": {"level": "WARNING"},
        "apscheduler": {"level": "WARNING"},
    },
}

# The single scheduler process takes a lock in Redis when this is set (production).
DRAMATIQ_CRONTAB = {"REDIS_URL": os.environ.get("SCHEDULER_LOCK_REDIS_URL") or None}

# Outbound HTTP (feeds, webhooks) may reach loopback addresses: for local tests only.
NETWORK_ALLOW_LOOPBACK = env_bool("NETWORK_ALLOW_LOOPBACK")

# Feed fetching limits.
FEED_MAX_BYTES = int(os.environ.get("FEED_MAX_BYTES", str(20 * 1024 * 1024)))
FEED_CONNECT_TIMEOUT_SECONDS = float(os.environ.get("FEED_CONNECT_TIMEOUT_SECONDS", "5"))
FEED_READ_TIMEOUT_SECONDS = float(os.environ.get("FEED_READ_TIMEOUT_SECONDS", "20"))
FEED_TOTAL_TIMEOUT_SECONDS = float(os.environ.get("FEED_TOTAL_TIMEOUT_SECONDS", "60"))
# A vacancy missing from this many complete, successful fetches in a row is closed.
FEED_MISSING_CLOSE_AFTER = int(os.environ.get("FEED_MISSING_CLOSE_AFTER", "3"))

# Outbox delivery: a claimed row is held this long; retries back off exponentially from the
# base to the cap; after the last attempt a row is dead (visible, redeliverable).
OUTBOX_LEASE_SECONDS = int(os.environ.get("OUTBOX_LEASE_SECONDS", "120"))  # > actor limit
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
OUTBOX_BACKOFF_BASE_SECONDS = float(os.environ.get("OUTBOX_BACKOFF_BASE_SECONDS", "10"))
OUTBOX_BACKOFF_MAX_SECONDS = float(os.environ.get("OUTBOX_BACKOFF_MAX_SECONDS", "21600"))
# The relay re-enqueues a due row only after this grace: the on-commit fast path goes first.
OUTBOX_RELAY_GRACE_SECONDS = float(os.environ.get("OUTBOX_RELAY_GRACE_SECONDS", "30"))
# The relay delivers due rows in batches of this many (one claim and one bookkeeping each).
OUTBOX_BATCH_SIZE = int(os.environ.get("OUTBOX_BATCH_SIZE", "25"))
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
# Links in emails: the candidate portal, and this API's public address (unsubscribe links).
PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:3000").rstrip("/")
PUBLIC_API_URL = os.environ.get("PUBLIC_API_URL", "http://127.0.0.1:8000").rstrip("/")
# Seconds an SMTP connection may block a delivery.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))

# Idempotency-Key: the first result of a POST is kept per caller this long and replayed.
IDEMPOTENCY_KEY_TTL_HOURS = int(os.environ.get("IDEMPOTENCY_KEY_TTL_HOURS", "24"))
# A first request still unfinished after this long is taken as dead (killed worker): its key
# may run again. Keep it above the web server's request timeout.
IDEMPOTENCY_ABANDONED_SECONDS = int(os.environ.get("IDEMPOTENCY_ABANDONED_SECONDS", "120"))

# Rate limits as "<count>/<second|minute|hour|day>", counted in PostgreSQL (shared by every
# web process). Each caller (or anonymous IP) and each IP has a general limit; login and
# registration (per IP), applying and exports (per caller) have stricter ones.
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS_ENABLED", True)
RATE_LIMIT_CALLER = os.environ.get("RATE_LIMIT_CALLER", "600/minute")
RATE_LIMIT_IP = os.environ.get("RATE_LIMIT_IP", "1200/minute")
RATE_LIMIT_LOGIN = os.environ.get("RATE_LIMIT_LOGIN", "20/minute")
RATE_LIMIT_REGISTER = os.environ.get("RATE_LIMIT_REGISTER", "20/hour")
RATE_LIMIT_APPLY = os.environ.get("RATE_LIMIT_APPLY", "30/hour")
RATE_LIMIT_EXPORT = os.environ.get("RATE_LIMIT_EXPORT", "5/hour")
# Proxies in front of the service whose X-Forwarded-For is trusted (0: use the peer address).
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))
# This many failed logins for one email within the lockout period lock it for that period.
LOGIN_LOCKOUT_FAILURES = int(os.environ.get("LOGIN_LOCKOUT_FAILURES", "5"))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", "900"))

# Candidate documents (CV, diplomas): private storage folder (never served as static or media),
# size cap, and the lifetime of a download link (at most 5 minutes).
DOCUMENT_STORAGE_ROOT = os.environ.get("DOCUMENT_STORAGE_ROOT", str(BASE_DIR / ".documents"))
DOCUMENT_MAX_BYTES = int(os.environ.get("DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)))
DOCUMENT_LINK_TTL_SECONDS = min(int(os.environ.get("DOCUMENT_LINK_TTL_SECONDS", "300")), 300)

# GDPR. A talent-pool consent lasts this many days unless the candidate gives a shorter expiry.
TALENT_POOL_CONSENT_DAYS = int(os.environ.get("TALENT_POOL_CONSENT_DAYS", "365"))
# Retention per stage, in days, counted from the last status change (applications) or the last
# activity (profiles); the daily purge erases personal data after it, legal holds excepted.
RETENTION_UNSUCCESSFUL_APPLICATION_DAYS = int(
    os.environ.get("RETENTION_UNSUCCESSFUL_APPLICATION_DAYS", "180")
)  # rejected, withdrawn, declined, not selected
RETENTION_PLACED_APPLICATION_DAYS = int(
    os.environ.get("RETENTION_PLACED_APPLICATION_DAYS", "3650")
)  # accepted: the placement's record
RETENTION_INACTIVE_PROFILE_DAYS = int(os.environ.get("RETENTION_INACTIVE_PROFILE_DAYS", "365"))
