"""Admin site registrations for the data layer."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from recruitment import services
from recruitment.models import (
    Application,
    CandidateProfile,
    DutyStation,
    DutyStationClassification,
    EligibilityRuleSet,
    Feed,
    MatchWeights,
    Organisation,
    OrganisationMembership,
    Placement,
    Scheme,
    User,
    Vacancy,
    VacancySource,
)


class TombstoneOnDelete:
    """Deleting in the admin leaves tombstones of the records and of everything their deletion
    cascades to (GET /api/v1/deletions/, staff only), written in the delete's transaction."""

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        with transaction.atomic():
            services.tombstone_record_cascade(objects=[obj])
            super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Model]) -> None:
        with transaction.atomic():
            services.tombstone_record_cascade(objects=list(queryset))
            super().delete_queryset(request, queryset)  # type: ignore[misc]


class TombstoneAdmin(TombstoneOnDelete, admin.ModelAdmin):
    """A plain ModelAdmin whose deletes leave tombstones."""


@admin.register(User)
class UserAdmin(TombstoneOnDelete, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "role", "is_active", "is_api_client"]
    list_filter = ["role", "is_active", "is_api_client"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "name", "role"]}),
        ("API client", {"fields": ["is_api_client", "api_client_scopes"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "role", "password1", "password2"]})]
    filter_horizontal = []


class ClassificationInline(admin.TabularInline):
    model = DutyStationClassification
    extra = 0


@admin.register(DutyStation)
class DutyStationAdmin(TombstoneAdmin):
    list_display = ["city", "country"]
    search_fields = ["city"]
    inlines = [ClassificationInline]


class StatusReadOnlyAdmin(TombstoneAdmin):
    """Status is changed only by the workflows services, never in a form."""

    readonly_fields = ["status", "status_changed_at"]


@admin.register(Vacancy)
class VacancyAdmin(StatusReadOnlyAdmin):
    list_display = ["title", "organisation", "grade", "status", "closes_at"]
    list_filter = ["status", "grade", "organisation"]
    search_fields = ["title", "reference"]
    raw_id_fields = ["created_by"]


@admin.register(Application)
class ApplicationAdmin(StatusReadOnlyAdmin):
    list_display = ["id", "vacancy", "candidate", "status"]
    list_filter = ["status"]
    raw_id_fields = ["candidate", "vacancy"]


@admin.register(Placement)
class PlacementAdmin(StatusReadOnlyAdmin):
    list_display = ["id", "organisation", "duty_station", "status"]
    list_filter = ["status"]
    raw_id_fields = ["application"]


admin.site.register(
    [
        CandidateProfile,
        EligibilityRuleSet,
        Feed,
        MatchWeights,
        Organisation,
        OrganisationMembership,
        Scheme,
        VacancySource,
    ],
    TombstoneAdmin,
)
