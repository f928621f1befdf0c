"""dramatiq actors. Thin and idempotent: each takes ids, calls one workflows function, returns."""

from workflows import broker  # noqa: F401  (binds the actors below to the configured broker)
