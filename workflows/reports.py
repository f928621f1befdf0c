"""The figures of the annual report, recruitment funnels and parity statistics.

Every figure is computed by PostgreSQL (aggregates with FILTER clauses, window functions,
percentiles) over querysets scoped to the caller by `recruitment.selectors`; each report runs a
fixed number of queries whatever the amount of data. Python only assembles the few result rows.

A recruitment *round* is a scheme's call year: the year (UTC) of a vacancy's closing date, or of
its creation when it has no deadline. A round is therefore (scheme, year); applications to
vacancies without a scheme form the round (null, year).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear

from recruitment import selectors
from recruitment.enums import (
    ApplicationStatus,
    ChecklistItemKind,
    Modality,
    PlacementStatus,
)
from recruitment.models import (
    Application,
    DutyStation,
    DutyStationClassification,
    Organisation,
    PlacementChecklistItem,
)
from workflows.models import ApplicationStatusChange, PlacementStatusChange

# The forward path of an application; side exits (rejected, withdrawn, ...) end a funnel.
PIPELINE: tuple[str, ...] = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SCREENING,
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.NOMINATED,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.SELECTED,
    ApplicationStatus.OFFERED,
    ApplicationStatus.ACCEPTED,
)
FUNNEL_GROUPS: tuple[str, ...] = ("vacancy", "scheme", "round")

# A placement in one of these has not begun: nobody has left yet.
NOT_STARTED: tuple[str, ...] = (
    PlacementStatus.PLANNED,
    PlacementStatus.FUNDING_CONFIRMED,
    PlacementStatus.CONTRACTED,
    PlacementStatus.PRE_DEPARTURE,
)

SUPPRESSION_THRESHOLD = 5
UNKNOWN = "unknown"
# (label, lowest age, highest age) in whole years on the last day of the report's year.
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("under_25", 0, 24),
    ("25_29", 25, 29),
    ("30_34", 30, 34),
    ("35_39", 35, 39),
    ("40_49", 40, 49),
    ("50_plus", 50, 200),
)
DEMOGRAPHIC_POPULATIONS: tuple[str, ...] = ("applicants", "placed")


# ---------------------------------------------------------------------------------------------
# Funnel
# ---------------------------------------------------------------------------------------------


def _rank_sql(column: str) -> tuple[str, list[str]]:
    """A CASE giving each pipeline status its position (1..8); side exits are 0."""
    whens = " ".join(f"WHEN %s THEN {index}" for index in range(1, len(PIPELINE) + 1))
    return f"(CASE {column} {whens} ELSE 0 END)", list(PIPELINE)


_GROUP_COLUMNS = {
    "vacancy": ("apps.vacancy_id", "apps.scheme", "apps.round"),
    "scheme": ("NULL::integer", "apps.scheme", "NULL::integer"),
    "round": ("NULL::integer", "apps.scheme", "apps.round"),
}


def _days(value: object) -> float | None:
    return None if value is None else round(float(value), 2)


def _fetch(sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def application_funnel(
    *, applications: QuerySet[Application], group_by: str
) -> list[dict[str, Any]]:
    """Funnels of `applications` (already scoped and filtered) per vacancy, scheme or round.

    For each group and pipeline status: how many applications reached it (ever held it or a
    later pipeline status), how many are in it now, the conversion to the next status, and the
    days spent in it (finished stays only: from entering to the next move, from the audit
    rows); per group also the days from the vacancy's closing date to the first offer and to
    the placement's first deployment. Three queries.
    """
    if group_by not in FUNNEL_GROUPS:
        raise ValueError(f"group_by must be one of {FUNNEL_GROUPS}")
    scoped_sql, scoped_params = applications.values("id").query.sql_with_params()
    vacancy_key, scheme_key, round_key = _GROUP_COLUMNS[group_by]
    rank_current, rank_current_params = _rank_sql("apps.status")
    rank_moved, rank_moved_params = _rank_sql("c.to_status")
    # bandit B608, accepted 2026-11-28 (here and below): the SQL text is built from this
    # module's constants and the scoped queryset's own SQL; every value is a parameter.
    apps_cte = f"""
        WITH apps AS (
            SELECT a.id, a.status, a.vacancy_id, v.closes_at, s.code AS scheme,
                   EXTRACT(YEAR FROM COALESCE(v.closes_at, v.created_at) AT TIME ZONE 'UTC')::int
                       AS round
            FROM recruitment_application a
            JOIN recruitment_vacancy v ON v.id = a.vacancy_id
            LEFT JOIN recruitment_scheme s ON s.id = v.scheme_id
            WHERE a.id IN ({scoped_sql})
        )
    """  # nosec B608
    keys = f"{vacancy_key} AS vacancy, {scheme_key} AS scheme, {round_key} AS round"
    group = "1, 2, 3"

    # 1. Furthest pipeline position per application, then counts per group and status.
    reached_columns = ", ".join(
        f"COUNT(*) FILTER (WHERE furthest >= {i}), COUNT(*) FILTER (WHERE status = %s)"
        for i in range(1, len(PIPELINE) + 1)
    )
    counts_sql = (
        apps_cte
        + f""", furthest AS (
            SELECT apps.*, GREATEST({rank_current}, COALESCE(MAX({rank_moved}), 0)) AS furthest
            FROM apps LEFT JOIN workflows_applicationstatuschange c ON c.application_id = apps.id
            GROUP BY apps.id, apps.status, apps.vacancy_id, apps.closes_at, apps.scheme,
                     apps.round
        )
        SELECT {keys.replace("apps.", "furthest.")}, COUNT(*), {reached_columns}
        FROM furthest GROUP BY {group} ORDER BY {group}"""  # nosec B608
    )
    counts = _fetch(
        counts_sql, [*scoped_params, *rank_current_params, *rank_moved_params, *PIPELINE]
    )

    # 2. Days in each status: from entering it to the next move (window function LEAD).
    stays_sql = (
        apps_cte
        + f""", moves AS (
            SELECT {keys}, c.to_status, c.created_at,
                   LEAD(c.created_at) OVER (
                       PARTITION BY c.application_id ORDER BY c.created_at, c.id
                   ) AS left_at
            FROM apps JOIN workflows_applicationstatuschange c ON c.application_id = apps.id
        )
        SELECT vacancy, scheme, round, to_status, COUNT(*),
               AVG(EXTRACT(EPOCH FROM left_at - created_at) / 86400),
               PERCENTILE_CONT(0.5) WITHIN GROUP (
                   ORDER BY EXTRACT(EPOCH FROM left_at - created_at) / 86400
               )
        FROM moves WHERE left_at IS NOT NULL GROUP BY 1, 2, 3, 4"""  # nosec B608
    )
    stays = _fetch(stays_sql, scoped_params)

    # 3. Closing date to the first offer and to the placement's first deployment.
    delays_sql = (
        apps_cte
        + f""", firsts AS (
            SELECT {keys},
                   (SELECT MIN(c.created_at) FROM workflows_applicationstatuschange c
                    WHERE c.application_id = apps.id AND c.to_status = %s) - apps.closes_at
                       AS to_offer,
                   (SELECT MIN(pc.created_at) FROM workflows_placementstatuschange pc
                    JOIN recruitment_placement p ON p.id = pc.placement_id
                    WHERE p.application_id = apps.id AND pc.to_status = %s) - apps.closes_at
                       AS to_deployment
            FROM apps
        )
        SELECT vacancy, scheme, round,
               COUNT(to_offer), AVG(EXTRACT(EPOCH FROM to_offer) / 86400),
               PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM to_offer) / 86400),
               COUNT(to_deployment), AVG(EXTRACT(EPOCH FROM to_deployment) / 86400),
               PERCENTILE_CONT(0.5) WITHIN GROUP (
                   ORDER BY EXTRACT(EPOCH FROM to_deployment) / 86400
               )
        FROM firsts GROUP BY {group}"""  # nosec B608
    )
    delays = _fetch(
        delays_sql, [*scoped_params, ApplicationStatus.OFFERED, PlacementStatus.DEPLOYED]
    )

    stay_of = {tuple(row[:4]): row[4:] for row in stays}
    delay_of = {tuple(row[:3]): row[3:] for row in delays}
    groups = []
    for row in counts:
        key = tuple(row[:3])
        total, figures = row[3], row[4:]
        stages = []
        for index, status in enumerate(PIPELINE):
            reached, current = figures[2 * index], figures[2 * index + 1]
            following = figures[2 * index + 2] if index + 1 < len(PIPELINE) else None
            count, mean, median = stay_of.get((*key, status), (0, None, None))
            stages.append(
                {
                    "status": status,
                    "reached": reached,
                    "current": current,
                    "conversion_to_next": (
                        round(following / reached, 4) if following is not None and reached else None
                    ),
                    "days_in_stage": {"count": count, "mean": _days(mean), "median": _days(median)},
                }
            )
        offers, offer_mean, offer_median, deployed, deploy_mean, deploy_median = delay_of[key]
        groups.append(
            {
                "vacancy": key[0],
                "scheme": key[1],
                "round": key[2],
                "applications": total,
                "stages": stages,
                "days_closing_to_offer": {
                    "count": offers,
                    "mean": _days(offer_mean),
                    "median": _days(offer_median),
                },
                "days_closing_to_deployment": {
                    "count": deployed,
                    "mean": _days(deploy_mean),
                    "median": _days(deploy_median),
                },
            }
        )
    return groups


def round_filter(applications: QuerySet[Application], year: int) -> QuerySet[Application]:
    """Applications to vacancies of the round (call year) `year`."""
    return applications.annotate(
        round=ExtractYear(Coalesce("vacancy__closes_at", "vacancy__created_at"))
    ).filter(round=year)


# ---------------------------------------------------------------------------------------------
# Annual report
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Year:
    """The report's year and the day on which 'people abroad' are counted."""

    year: int
    on: date

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, 12, 31)


def _active_between(start: date, end: date, prefix: str = "") -> Q:
    """Placements under way at some time between `start` and `end` (both inclusive)."""
    return Q(
        **{
            f"{prefix}start_date__lte": end,
            f"{prefix}end_date__gte": start,
        }
    ) & ~Q(**{f"{prefix}status__in": NOT_STARTED})


def _hardship_on(on: date) -> Subquery:
    return Subquery(
        DutyStationClassification.objects.filter(
            duty_station=OuterRef("duty_station"), effective_from__lte=on
        )
        .order_by("-effective_from")
        .values("hardship")[:1],
        output_field=CharField(),
    )


def annual_report(*, user: selectors.Caller, period: Year) -> dict[str, Any]:
    """The year's figures for the annual report, over what `user` may see. Nine queries.

    - applications received in the year; distinct candidates nominated (nomination date),
      selected (audit rows) and placed (placement starting in the year);
    - placements active on `period.on`, and of those the people abroad (on site or hybrid);
    - partner organisations with a placement under way in the year, in the year before, both;
    - people who completed pre-departure training and the homecoming debrief in the year;
    - placements that moved to remote work in the year;
    - per organisation, scheme, duty station and hardship class (as classified on
      `period.on`): applications received and placements under way in the year and on the day.
    """
    year, on = period, period.on
    applications = selectors.application_list(user=user)
    placements = selectors.placement_list(user=user)
    in_year = {"created_at__date__gte": year.start, "created_at__date__lte": year.end}

    received = applications.aggregate(
        received=Count("id", filter=Q(**in_year)),
        nominated=Count(
            "candidate",
            distinct=True,
            filter=Q(nominated_at__date__gte=year.start, nominated_at__date__lte=year.end),
        ),
    )
    selected = (
        ApplicationStatusChange.objects.filter(
            application__in=applications, to_status=ApplicationStatus.SELECTED, **in_year
        )
        .values("application__candidate")
        .distinct()
        .count()
    )

    def completed(kind: str) -> Exists:
        return Exists(
            PlacementChecklistItem.objects.filter(
                placement=OuterRef("pk"),
                kind=kind,
                completed_at__date__gte=year.start,
                completed_at__date__lte=year.end,
            )
        )

    went_remote = Exists(
        PlacementStatusChange.objects.filter(
            placement=OuterRef("pk"), to_status=PlacementStatus.REMOTE, **in_year
        )
    )
    active_on = _active_between(on, on)
    figures = placements.aggregate(
        placed=Count(
            "application__candidate",
            distinct=True,
            filter=Q(start_date__gte=year.start, start_date__lte=year.end),
        ),
        active_on=Count("id", filter=active_on),
        abroad_on=Count("id", filter=active_on & ~Q(modality=Modality.REMOTE)),
        pre_departure=Count(
            "application__candidate",
            distinct=True,
            filter=Q(completed(ChecklistItemKind.PRE_DEPARTURE_TRAINING)),
        ),
        homecoming=Count(
            "application__candidate",
            distinct=True,
            filter=Q(completed(ChecklistItemKind.HOMECOMING_DEBRIEF)),
        ),
        remote=Count("id", filter=Q(went_remote)),
    )

    last_year = Year(year.year - 1, date(year.year - 1, 12, 31))

    def under_way(period: Year) -> Exists:
        return Exists(
            placements.filter(
                _active_between(period.start, period.end), organisation=OuterRef("pk")
            )
        )

    partners = Organisation.objects.annotate(
        now=under_way(year), before=under_way(last_year)
    ).aggregate(
        active=Count("id", filter=Q(now=True)),
        last_year=Count("id", filter=Q(before=True)),
        continued=Count("id", filter=Q(now=True, before=True)),
    )

    in_year_active = _active_between(year.start, year.end)

    def placement_breakdown(key: object) -> dict[object, dict[str, int]]:
        rows = (
            placements.annotate(key=key)
            .values("key")
            .annotate(
                placements_active_in_year=Count("id", filter=in_year_active),
                placements_active_on=Count("id", filter=active_on),
            )
            .filter(Q(placements_active_in_year__gt=0) | Q(placements_active_on__gt=0))
        )
        return {row.pop("key"): row for row in rows}

    def application_breakdown(key: object) -> dict[object, dict[str, int]]:
        rows = (
            applications.filter(**in_year)
            .annotate(key=key)
            .values("key")
            .annotate(applications_received=Count("id"))
        )
        return {row.pop("key"): row for row in rows}

    def merged(name: str, *parts: dict[object, dict[str, int]]) -> list[dict[str, Any]]:
        empty = {"applications_received": 0, "placements_active_in_year": 0,
                 "placements_active_on": 0}  # fmt: skip
        keys = sorted({key for part in parts for key in part}, key=lambda k: (k is None, k))
        return [
            {name: key, **empty, **{k: v for part in parts for k, v in part.get(key, {}).items()}}
            for key in keys
        ]

    by_organisation = merged(
        "organisation",
        application_breakdown(F("vacancy__organisation__slug")),
        placement_breakdown(F("organisation__slug")),
    )
    by_scheme = merged(
        "scheme",
        application_breakdown(F("vacancy__scheme__code")),
        placement_breakdown(F("scheme__code")),
    )
    by_station = placement_breakdown(F("duty_station_id"))
    by_hardship = merged("hardship_class", placement_breakdown(_hardship_on(on)))
    stations = {
        station.pk: station
        # Reference data, public to every caller.
        for station in DutyStation.objects.filter(pk__in=list(by_station))
    }
    by_duty_station = [
        {
            "duty_station": pk,
            "city": stations[pk].city,
            "country": stations[pk].country.code,
            **row,
        }
        for pk, row in sorted(by_station.items())
    ]
    for row in by_duty_station:
        row.pop("applications_received", None)
    for row in by_hardship:
        row.pop("applications_received")

    return {
        "year": year.year,
        "on": on,
        "applications_received": received["received"],
        "candidates_nominated": received["nominated"],
        "candidates_selected": selected,
        "candidates_placed": figures["placed"],
        "placements_active_on": figures["active_on"],
        "people_abroad_on": figures["abroad_on"],
        "partner_organisations": partners,
        "completed_pre_departure_training": figures["pre_departure"],
        "completed_homecoming_debrief": figures["homecoming"],
        "placements_switched_to_remote": figures["remote"],
        "by_organisation": by_organisation,
        "by_scheme": by_scheme,
        "by_duty_station": by_duty_station,
        "by_hardship_class": by_hardship,
    }


# ---------------------------------------------------------------------------------------------
# Parity statistics with small-cell suppression
# ---------------------------------------------------------------------------------------------


def suppress(
    cells: Mapping[str, int], *, threshold: int = SUPPRESSION_THRESHOLD
) -> tuple[int | None, list[dict[str, Any]]]:
    """(total, cells) of a one-way table with small cells hidden (count None).

    A cell under `threshold` is hidden; when exactly one is, the total minus the shown cells
    would give it away, so the smallest shown cell is hidden too (complementary suppression).
    A total under `threshold` hides the total and every cell.
    """
    total = sum(cells.values())
    if total < threshold:
        return None, [{"value": value, "count": None} for value in sorted(cells)]
    hidden = {value for value, count in cells.items() if count < threshold}
    if len(hidden) == 1:
        shown = [value for value in cells if value not in hidden]
        if shown:
            hidden.add(min(shown, key=lambda value: (cells[value], value)))
    return total, [
        {"value": value, "count": None if value in hidden else cells[value]}
        for value in sorted(cells)
    ]


def _age_band(on: date) -> tuple[Case, Func]:
    """(band expression, age expression): the band reads an `age` annotation."""
    age = Func(
        Value("year"),
        Func(Value(on), F("date_of_birth"), function="AGE"),
        function="DATE_PART",
        output_field=FloatField(),
    )
    return Case(
        *[
            When(Q(age__gte=low, age__lte=high), then=Value(label))
            for label, low, high in AGE_BANDS
        ],
        default=Value(UNKNOWN),
        output_field=CharField(),
    ), age


def demographics(*, user: selectors.Caller, year: int, population: str) -> dict[str, Any]:
    """Gender, nationality (first citizenship) and age band (on 31 December) of the year's
    applicants (an application created in the year) or placed people (a placement starting in
    the year), each a one-way table with small cells suppressed. Three queries."""
    if population not in DEMOGRAPHIC_POPULATIONS:
        raise ValueError(f"population must be one of {DEMOGRAPHIC_POPULATIONS}")
    start, end = date(year, 1, 1), date(year, 12, 31)
    if population == "applicants":
        people = selectors.application_list(user=user).filter(
            created_at__date__gte=start, created_at__date__lte=end
        )
        ids = people.values("candidate_id")
    else:
        people = selectors.placement_list(user=user).filter(
            start_date__gte=start, start_date__lte=end
        )
        ids = people.values("application__candidate_id")
    profiles = selectors.candidate_profile_list(user=user).filter(pk__in=ids)
    band, age = _age_band(end)
    dimensions = {
        "gender": Case(
            When(gender="", then=Value(UNKNOWN)), default=F("gender"), output_field=CharField()
        ),
        "nationality": Coalesce(F("citizenships__0"), Value(UNKNOWN), output_field=CharField()),
        "age_band": band,
    }
    tables: dict[str, Any] = {}
    total: int | None = 0
    for name, expression in dimensions.items():
        queryset = profiles.order_by().annotate(age=age) if name == "age_band" else profiles
        rows = queryset.order_by().annotate(cell=expression).values("cell").annotate(n=Count("id"))
        total, tables[name] = suppress({row["cell"]: row["n"] for row in rows})
    return {
        "year": year,
        "population": population,
        "threshold": SUPPRESSION_THRESHOLD,
        "total": total,
        **tables,
    }


def funnel_report(
    *,
    user: selectors.Caller,
    group_by: str,
    vacancy_id: int | None = None,
    scheme: str | None = None,
    round_year: int | None = None,
    organisation: str | None = None,
) -> dict[str, Any]:
    """The funnel of the applications `user` may see, narrowed by the given criteria."""
    applications = selectors.application_list(user=user)
    if vacancy_id is not None:
        applications = applications.filter(vacancy_id=vacancy_id)
    if scheme:
        applications = applications.filter(vacancy__scheme__code=scheme)
    if organisation:
        applications = applications.filter(vacancy__organisation__slug=organisation)
    if round_year is not None:
        applications = round_filter(applications, round_year)
    return {
        "group_by": group_by,
        "groups": application_funnel(applications=applications, group_by=group_by),
    }
