"""People and machine clients that call the API, and the bearer tokens they hold."""

import hashlib
import secrets
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

from recruitment.enums import Language, Role
from recruitment.models.common import TimeStampedModel, enum_check


class UserManager(BaseUserManager["User"]):
    """Creates users keyed by email."""

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "User":
        if not email:
            raise ValueError("An email is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.update(role=Role.ADMIN, is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin, TimeStampedModel):
    """A person (candidate, recruiter, partner member, admin) or an OAuth2 API client's identity."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CANDIDATE)
    is_api_client = models.BooleanField(default=False)
    # OAuth2 scopes an API client may ask for ("read write"); empty for people.
    api_client_scopes = models.CharField(max_length=100, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.ENGLISH)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [enum_check("role", Role, "user_role_valid")]

    def __str__(self) -> str:
        return self.name or self.email


def hash_token(raw: str) -> str:
    """Tokens are stored as their SHA-256; the raw value is shown to the caller once."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(TimeStampedModel):
    """A hashed, expiring, revocable bearer token issued at login."""

    PREFIX = "rtk_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.CharField(max_length=100, default="read write")
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token {self.pk} of user {self.user_id}"

    @classmethod
    def new_raw_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    def is_valid(self, now: datetime | None = None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())


class NotificationPreference(TimeStampedModel):
    """Whether a user gets email for one event type (no row: the event type's default)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event_type = models.CharField(max_length=60)
    email = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "event_type"], name="preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.event_type} email={self.email} for {self.user_id}"
