"""Serializer building blocks shared by every resource, and the one error body shape."""

from django_countries import countries
from rest_framework import serializers

# One choice list for every country field, so the schema has one CountryEnum.
COUNTRY_CHOICES = [(country.code, country.name) for country in countries]


class StrictFieldsMixin:
    """Reject keys that are not writable fields: unknown ones and server-set ones alike.

    A typo or an attempt to set `status`, `organisation` or an owner must fail loudly with 400
    instead of being silently dropped.
    """

    # Fields of the resource that the response shows but a request may never set.
    server_set_fields: frozenset[str] = frozenset()

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            errors = {}
            for key in data:
                if key in writable:
                    continue
                known = key in self.fields or key in self.server_set_fields
                errors[key] = [
                    serializers.ErrorDetail(
                        "This field is read-only." if known else "Unknown field.",
                        code="read_only" if known else "unknown_field",
                    )
                ]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class StrictSerializer(StrictFieldsMixin, serializers.Serializer):
    """A plain request serializer that rejects unknown fields."""


class StrictModelSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """A model serializer that rejects unknown and read-only fields in request bodies."""


class ErrorSerializer(serializers.Serializer):
    """Every error response has this shape; some codes add keys (e.g. `allowed_transitions`)."""

    code = serializers.CharField(help_text="Machine-readable error code, e.g. `validation_error`.")
    detail = serializers.CharField(help_text="Human-readable explanation.")
    fields = serializers.DictField(
        required=False,
        help_text="Validation errors per field (nested for nested objects), for code "
        "`validation_error`.",
    )
