"""Admin views of the audit trail and the outbox: read-only, the audit is append-only."""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from workflows.models import (
    ApplicationStatusChange,
    OutboxMessage,
    PlacementStatusChange,
    VacancyStatusChange,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


for model in (ApplicationStatusChange, PlacementStatusChange, VacancyStatusChange):
    admin.site.register(model, ReadOnlyAdmin)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["event_type", "kind", "status", "attempts", "next_attempt_at"]
    list_filter = ["status", "kind", "event_type"]
