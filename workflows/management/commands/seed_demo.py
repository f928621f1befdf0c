"""`manage.py seed_demo`: demo organisations, schemes, duty stations, vacancies and one user per
role. Idempotent: a second run finds everything by its natural key and adds nothing."""

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from recruitment import services
from recruitment.enums import (
    ContractType,
    FeedKind,
    Grade,
    OrganisationKind,
    Role,
    VacancyStatus,
)
from recruitment.models import (
    DutyStation,
    DutyStationClassification,
    EligibilityRuleSet,
    Feed,
    Organisation,
    Scheme,
    User,
    Vacancy,
)
from workflows.feeds.sync import vacancy_feed_sync_run
from workflows.services import vacancy_transition

DEMO_FEEDS = Path(__file__).resolve().parents[2] / "feeds" / "demo"

DEMO_PASSWORD = "demo-password-2026"

ORGANISATIONS = [
    ("unicef", "United Nations Children's Fund", "UNICEF", OrganisationKind.UN_AGENCY),
    ("unhcr", "UN High Commissioner for Refugees", "UNHCR", OrganisationKind.UN_AGENCY),
    ("undp", "United Nations Development Programme", "UNDP", OrganisationKind.UN_AGENCY),
    ("wfp", "World Food Programme", "WFP", OrganisationKind.UN_AGENCY),
    ("un-women", "UN Women", "UN Women", OrganisationKind.UN_AGENCY),
    ("norad", "Norwegian Agency for Development Cooperation", "Norad", OrganisationKind.DONOR),
]  # fmt: skip

SCHEMES = [
    ("jpo", "Junior Professional Officer", 36, {"nationalities": {"allowed": ["NO"]},
     "age": {"max": 31, "measured_at": "closing_date"},
     "education": [{"degree": "master", "years": 2}, {"degree": "bachelor", "years": 3}]}),
    ("unv-specialist", "UN Volunteer specialist", 24, {"age": {"min": 25}, "experience_years": 2}),
    ("unv-youth", "UN Youth Volunteer", 24,
     {"age": {"min": 18, "max": 29, "measured_at": "planned_end_date"}}),
    ("senior-expert", "Senior expert", 24, {"experience_years": 10}),
    ("secondment", "Secondment", 24, {}),
]  # fmt: skip

# city, country, hardship, family status
DUTY_STATIONS = [
    ("Geneva", "CH", "H", "family"), ("New York", "US", "H", "family"),
    ("Nairobi", "KE", "A", "family"), ("Kathmandu", "NP", "B", "family"),
    ("Accra", "GH", "B", "family"), ("Addis Ababa", "ET", "C", "family"),
    ("Tehran", "IR", "B", "family"), ("Juba", "SS", "E", "non_family"),
]  # fmt: skip

# organisation, reference, title, grade, scheme, duty station city, days to deadline
VACANCIES = [
    ("unicef", "590983", "JPO Education Officer", Grade.P2, "jpo", "Accra", 40),
    ("unicef", "581204", "JPO Child Protection Officer", Grade.P2, "jpo", "Nairobi", 25),
    ("unicef", "00132723", "Programme Specialist, Health", Grade.P4, None, "New York", 18),
    ("unicef", "579931", "WASH Specialist", Grade.P3, None, "Juba", 12),
    ("unhcr", "JR2601-1", "JPO Protection Officer", Grade.P2, "jpo", "Tehran", 30),
    ("unhcr", "JR2602-1", "Associate Resettlement Officer", Grade.P2, None, "Geneva", 21),
    ("unhcr", "JR2605-2", "Senior Emergency Coordinator", Grade.P5, "senior-expert", "Juba", 9),
    ("unhcr", "JR2611-1", "Protection Associate", Grade.G6, None, "Nairobi", 14),
    ("undp", "UNDP-101", "JPO Climate Finance Analyst", Grade.P2, "jpo", "Kathmandu", 35),
    ("undp", "UNDP-102", "Governance Specialist", Grade.P4, None, "Addis Ababa", 27),
    ("undp", "UNDP-103", "National Programme Officer", Grade.NOB, None, "Kathmandu", 16),
    ("undp", "UNDP-104", "Energy Policy Consultant", Grade.CONSULTANT, None, "Geneva", 10),
    ("undp", "UNDP-105", "Youth Volunteer, Digital Inclusion", Grade.UNV, "unv-youth",
     "Accra", 45),
    ("wfp", "WFP-201", "Supply Chain Officer", Grade.P3, "secondment", "Juba", 20),
    ("wfp", "WFP-202", "Nutrition Specialist", Grade.P3, "unv-specialist", "Addis Ababa", 33),
    ("wfp", "WFP-203", "Logistics Assistant", Grade.G5, None, "Nairobi", 11),
    ("wfp", "WFP-204", "Deputy Country Director", Grade.D1, None, "Kathmandu", 50),
    ("un-women", "UNW-301", "JPO Gender and Humanitarian Action", Grade.P2, "jpo",
     "Kathmandu", 38),
    ("un-women", "UNW-302", "Programme Analyst, Women's Economic Empowerment", Grade.P3, None,
     "Nairobi", 24),
    ("un-women", "UNW-303", "Communications Intern", Grade.INTERN, None, "New York", 15),
]  # fmt: skip

CONTRACT_BY_GRADE = {
    Grade.CONSULTANT: ContractType.CONSULTANCY,
    Grade.INTERN: ContractType.INTERNSHIP,
    Grade.UNV: ContractType.VOLUNTEER,
}

USERS = [
    ("candidate@demo.example", Role.CANDIDATE, None),
    ("recruiter@demo.example", Role.RECRUITER, None),
    ("partner@demo.example", Role.PARTNER, "unicef"),
    ("admin@demo.example", Role.ADMIN, None),
]


class Command(BaseCommand):
    help = __doc__

    @transaction.atomic
    def handle(self, *args: object, **options: Any) -> None:  # noqa: ANN401
        organisations = {}
        for slug, name, acronym, kind in ORGANISATIONS:
            organisations[slug], _ = Organisation.objects.get_or_create(
                slug=slug, defaults={"name": name, "acronym": acronym, "kind": kind}
            )
        schemes = {}
        for code, name, months, rules in SCHEMES:
            schemes[code], _ = Scheme.objects.get_or_create(
                code=code, defaults={"name": name, "max_duration_months": months}
            )
            EligibilityRuleSet.objects.get_or_create(
                scheme=schemes[code], donor=None, version=1,
                defaults={"effective_from": date(2026, 1, 1), "rules": rules},
            )  # fmt: skip
        stations = {}
        for city, country, hardship, family in DUTY_STATIONS:
            stations[city], _ = DutyStation.objects.get_or_create(city=city, country=country)
            DutyStationClassification.objects.get_or_create(
                duty_station=stations[city], effective_from=date(2026, 1, 1),
                defaults={"hardship": hardship, "family_status": family},
            )  # fmt: skip
        created = 0
        now = timezone.now()
        for slug, reference, title, grade, scheme, city, days in VACANCIES:
            if Vacancy.objects.filter(organisation__slug=slug, reference=reference).exists():
                continue
            contract = CONTRACT_BY_GRADE.get(grade, ContractType.FIXED_TERM)
            vacancy = services.vacancy_create(
                organisation=organisations[slug],
                created_by=None,
                data={
                    "title": title, "reference": reference, "grade": grade,
                    "scheme": schemes.get(scheme), "contract_type": contract,
                    "closes_at": now + timedelta(days=days),
                    "description": f"<p>{title} at {organisations[slug].acronym}, {city}.</p>",
                },
                duty_stations=[stations[city]],
            )  # fmt: skip
            vacancy_transition(vacancy_id=vacancy.pk, to_status=VacancyStatus.PUBLISHED,
                               actor=None, reason="demo data")  # fmt: skip
            created += 1
        ingested = self._ingest_demo_feeds(organisations["unicef"])
        for email, role, organisation in USERS:
            if not User.objects.filter(email=email).exists():
                services.user_create(
                    email=email, password=DEMO_PASSWORD, role=role,
                    organisation=organisations.get(organisation) if organisation else None,
                )  # fmt: skip
        self.stdout.write(
            f"demo data: {Vacancy.objects.count()} vacancies ({created} new, feeds {ingested}), "
            f"{Organisation.objects.count()} organisations\n"
            f"demo users (password {DEMO_PASSWORD}): "
            + ", ".join(f"{email} ({role})" for email, role, _ in USERS)
        )

    def _ingest_demo_feeds(self, unicef: Organisation) -> dict[str, dict[str, int]]:
        """Ingest the demo feed documents through the real sync path, dated from today (to the
        day, so a second run on the same day reads the very same bytes and changes nothing)."""
        today = datetime.combine(timezone.now().date(), time(23, 59), tzinfo=UTC)
        dates = {
            "{published}": (today - timedelta(days=3)).isoformat(),
            "{closes_a}": today + timedelta(days=21),
            "{closes_b}": today + timedelta(days=28),
            "{closes_c}": today + timedelta(days=35),
        }
        documents = [
            (FeedKind.RSS, unicef, "unicef_jobs.rss.xml", "%d %b %Y %H:%M"),
            (FeedKind.RELIEFWEB, None, "reliefweb_jobs.json", "iso"),
        ]
        counts = {}
        for kind, organisation, name, date_format in documents:
            text = (DEMO_FEEDS / name).read_text()
            for placeholder, value in dates.items():
                if isinstance(value, datetime):
                    value = (
                        value.isoformat() if date_format == "iso" else value.strftime(date_format)
                    )
                elif kind == FeedKind.RSS:
                    value = (today - timedelta(days=3)).strftime("%a, %d %b %Y %H:%M:%S +0000")
                text = text.replace(placeholder, value)
            feed, _ = Feed.objects.get_or_create(
                kind=kind, organisation=organisation, url="",
                defaults={"name": f"demo {name}", "enabled": False},
            )  # fmt: skip
            run = vacancy_feed_sync_run(feed_id=feed.pk, content=text.encode(), trigger="command")
            counts[str(kind)] = run.counts() if run else {}
        return counts
