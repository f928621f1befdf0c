"""Test settings: the real settings with a stub broker, a fast hasher and in-memory email.
The database stays PostgreSQL (DATABASE_URL, found or started by `make test`)."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("DEBUG", "0")
os.environ["BROKER_URL"] = ""
os.environ.setdefault(
    "DOCUMENT_STORAGE_ROOT", tempfile.mkdtemp(prefix="recruitment-test-documents-")
)

from recruitment.settings import *  # noqa: F403

ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False  # the test client speaks plain HTTP
CORS_ALLOWED_ORIGINS = ["https://portal.example.org"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
OUTBOX_RELAY_GRACE_SECONDS = 0  # tests enqueue due rows at once

import tempfile  # noqa: E402

# Background exports write into a fresh private folder per test session.
STORAGES["exports"]["OPTIONS"]["location"] = tempfile.mkdtemp(prefix="recruitment-exports-")  # noqa: F405
