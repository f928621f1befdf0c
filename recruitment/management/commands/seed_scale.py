"""`manage.py seed_scale`: UN-system-size data (vacancies, candidate profiles, applications) for
the benchmark, loaded with COPY in chunks, deterministic for a given --seed.

    python manage.py seed_scale --vacancies 100000 --candidates 1000000 \\
        --applications 3000000 --seed 1

The search-vector and match-fact triggers are switched off while a chunk is copied, and the
chunk's vectors and facts are then computed by one set-based UPDATE
(recruitment_candidate_refresh: one pass instead of one trigger call per child row).
Vacancy 1 of the run (the lowest id) is the "hot" one: it receives `--hot-applicants`
applications, so the shortlist can be measured on a big vacancy.
"""

import json
import random
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from recruitment.bulk import copy_rows, reserve_ids
from recruitment.enums import (
    ApplicationStatus,
    FamilyStatus,
    Grade,
    HardshipClass,
    Modality,
    OrganisationKind,
    Role,
    VacancyStatus,
)
from recruitment.models import (
    Application,
    CandidateProfile,
    DutyStation,
    DutyStationClassification,
    Education,
    Experience,
    LanguageSkill,
    Organisation,
    Scheme,
    User,
    Vacancy,
)

CHUNK = 20_000
# Dates are fixed, not "now", so the same seed gives the same rows whenever it runs.
ANCHOR = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)

AGENCIES = [
    ("UNICEF", "United Nations Children's Fund"),
    ("UNHCR", "UN Refugee Agency"),
    ("UNDP", "United Nations Development Programme"),
    ("WFP", "World Food Programme"),
    ("UN Women", "UN Women"),
    ("UNFPA", "United Nations Population Fund"),
    ("WHO", "World Health Organization"),
    ("FAO", "Food and Agriculture Organization"),
    ("ILO", "International Labour Organization"),
    ("IOM", "International Organization for Migration"),
    ("UNESCO", "UN Educational, Scientific and Cultural Organization"),
    ("OCHA", "Office for the Coordination of Humanitarian Affairs"),
    ("UNEP", "United Nations Environment Programme"),
    ("UNOPS", "UN Office for Project Services"),
    ("UN-Habitat", "UN Human Settlements Programme"),
    ("UNIDO", "UN Industrial Development Organization"),
    ("OHCHR", "Office of the High Commissioner for Human Rights"),
    ("UNAIDS", "Joint UN Programme on HIV/AIDS"),
    ("IFAD", "International Fund for Agricultural Development"),
    ("UNODC", "UN Office on Drugs and Crime"),
    ("World Bank", "World Bank Group"),
    ("UNRWA", "UN Relief and Works Agency"),
    ("ITU", "International Telecommunication Union"),
    ("UNCTAD", "UN Conference on Trade and Development"),
]
SCHEMES = [("jpo", "Junior Professional Officer"), ("unv-specialist", "UN Volunteer specialist"),
           ("unv-youth", "UN Youth Volunteer"), ("sdp", "Specialist development programme"),
           ("senior-expert", "Senior expert"), ("secondment", "Secondment")]  # fmt: skip
CITIES = [
    ("Nairobi", "KE"), ("Juba", "SS"), ("Geneva", "CH"), ("Kathmandu", "NP"), ("Accra", "GH"),
    ("Amman", "JO"), ("Dakar", "SN"), ("Bangkok", "TH"), ("New York", "US"), ("Rome", "IT"),
    ("Vienna", "AT"), ("Copenhagen", "DK"), ("Addis Ababa", "ET"), ("Kabul", "AF"),
    ("Kinshasa", "CD"), ("Goma", "CD"), ("Bamako", "ML"), ("Niamey", "NE"), ("Maputo", "MZ"),
    ("Lusaka", "ZM"), ("Harare", "ZW"), ("Kampala", "UG"), ("Dar es Salaam", "TZ"),
    ("Mogadishu", "SO"), ("Khartoum", "SD"), ("Cairo", "EG"), ("Beirut", "LB"), ("Erbil", "IQ"),
    ("Baghdad", "IQ"), ("Sana'a", "YE"), ("Aden", "YE"), ("Damascus", "SY"), ("Gaziantep", "TR"),
    ("Kyiv", "UA"), ("Tbilisi", "GE"), ("Dhaka", "BD"), ("Cox's Bazar", "BD"), ("Yangon", "MM"),
    ("Jakarta", "ID"), ("Manila", "PH"), ("Port-au-Prince", "HT"), ("Bogotá", "CO"),
    ("Panama City", "PA"), ("Lima", "PE"), ("La Paz", "BO"), ("Santiago", "CL"),
    ("Islamabad", "PK"), ("New Delhi", "IN"), ("Colombo", "LK"), ("Beijing", "CN"),
    ("Bonn", "DE"), ("Paris", "FR"), ("Brussels", "BE"), ("Oslo", "NO"), ("Abuja", "NG"),
    ("Maiduguri", "NG"), ("N'Djamena", "TD"), ("Bangui", "CF"), ("Antananarivo", "MG"),
    ("Suva", "FJ"),
]  # fmt: skip
ROLES = ["Programme Officer", "Programme Specialist", "Protection Officer", "Health Specialist",
         "Nutrition Officer", "Education Specialist", "Supply Chain Officer", "Data Analyst",
         "Monitoring and Evaluation Officer", "Communications Officer", "Finance Associate",
         "Climate Adaptation Specialist", "Gender Equality Specialist", "WASH Engineer",
         "Human Rights Officer", "Humanitarian Affairs Officer", "Legal Officer",
         "Procurement Specialist", "Information Management Officer", "Economist"]  # fmt: skip
SECTORS = ["child protection", "refugee response", "public health", "food security",
           "climate resilience", "governance", "migration", "education in emergencies",
           "gender-based violence", "water and sanitation", "social protection", "peacebuilding",
           "disaster risk reduction", "digital transformation", "energy access"]  # fmt: skip
SKILLS = ["project management", "data analysis", "monitoring", "evaluation", "budgeting",
          "stata", "python", "gis", "logistics", "procurement", "negotiation", "reporting",
          "advocacy", "partnerships", "fundraising", "epidemiology", "nutrition", "wash",
          "cash transfers", "protection", "case management", "training", "research", "policy",
          "communications", "social media", "finance", "audit", "legal analysis", "human rights",
          "climate", "energy", "agriculture", "supply chain", "emergency response",
          "coordination", "statistics", "survey design", "power bi", "sql"]  # fmt: skip
GIVEN = [
    "Ingrid",
    "Ola",
    "Kari",
    "Lars",
    "Nora",
    "Emil",
    "Sofie",
    "Jonas",
    "Maja",
    "Henrik",
    "Amina",
    "Yusuf",
    "Leila",
    "Tomas",
    "Eva",
    "Sindre",
    "Ida",
    "Magnus",
    "Hanna",
    "Aksel",
]
FAMILY = [
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Berg",
    "Haugen",
    "Hagen",
    "Bakken",
    "Dahl",
    "Solberg",
    "Lie",
    "Strand",
    "Moen",
    "Ali",
    "Khan",
]
FIELDS = [
    "economics",
    "public health",
    "international relations",
    "law",
    "engineering",
    "statistics",
    "political science",
    "development studies",
    "nutrition",
    "education",
]
UNIVERSITIES = [
    "University of Oslo",
    "University of Bergen",
    "NTNU",
    "Sciences Po",
    "LSE",
    "Graduate Institute Geneva",
    "University of Nairobi",
    "SOAS",
    "NMBU",
]
GRADES = [Grade.P1, Grade.P2, Grade.P2, Grade.P3, Grade.P3, Grade.P4, Grade.P5, Grade.D1,
          Grade.NOB, Grade.NOC, Grade.G6, Grade.UNV, Grade.CONSULTANT]  # fmt: skip
CATEGORIES = ["Programme", "Operations", "Management", "Humanitarian", "Policy"]
VACANCY_STATUSES = (
    [VacancyStatus.PUBLISHED] * 6 + [VacancyStatus.CLOSED] * 3 + [VacancyStatus.DRAFT]
)
APPLICATION_STATUSES = (
    [ApplicationStatus.SUBMITTED] * 5 + [ApplicationStatus.SCREENING] * 3
    + [ApplicationStatus.SHORTLISTED, ApplicationStatus.NOMINATED, ApplicationStatus.INTERVIEW]
    + [ApplicationStatus.REJECTED] * 3 + [ApplicationStatus.WITHDRAWN]
)  # fmt: skip
NOMINATED = {ApplicationStatus.NOMINATED, ApplicationStatus.INTERVIEW}
LANGUAGES = [("fr", 0.4), ("es", 0.25), ("ar", 0.1), ("ru", 0.05), ("zh", 0.03), ("pt", 0.1)]
CEFR = ["A2", "B1", "B2", "C1", "C2"]
ELIGIBLE = json.dumps({"eligible": True, "rule_set": None, "checks": []})
NOT_ELIGIBLE = json.dumps({"eligible": False, "rule_set": None, "checks": []})


class Progress:
    """A one-line progress bar on stderr: done/total, percent, rate and elapsed time."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.done = label, total, 0
        self.started = time.monotonic()

    def advance(self, count: int) -> None:
        self.done += count
        elapsed = time.monotonic() - self.started
        share = self.done / self.total if self.total else 1.0
        bar = "#" * int(share * 30)
        rate = self.done / elapsed if elapsed else 0.0
        sys.stderr.write(
            f"\r{self.label:<13} [{bar:<30}] {self.done:>10,}/{self.total:,} "
            f"{share:6.1%} {rate:>9,.0f}/s {elapsed:6.1f} s"
        )
        if self.done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _chunks(total: int) -> Iterator[tuple[int, int]]:
    for start in range(0, total, CHUNK):
        yield start, min(CHUNK, total - start)


class Command(BaseCommand):
    help = "Load deterministic UN-system-size data with COPY (see the module docstring)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--vacancies", type=int, default=1000)
        parser.add_argument("--candidates", type=int, default=10_000)
        parser.add_argument("--applications", type=int, default=30_000)
        parser.add_argument("--hot-applicants", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: object, **options: Any) -> None:  # noqa: ANN401
        vacancies, candidates = options["vacancies"], options["candidates"]
        applications, seed = options["applications"], options["seed"]
        if vacancies < 2 or candidates < 1 or applications < 0:
            raise CommandError("Give at least 2 vacancies and 1 candidate.")
        if -(-applications // candidates) > vacancies - 1:
            raise CommandError("Too many applications: a candidate applies once per vacancy.")
        started = time.monotonic()
        rng = random.Random(seed)
        with transaction.atomic():
            organisation_ids, scheme_ids, stations = self._reference_data(rng, seed)
        vacancy_ids = self._vacancies(rng, vacancies, organisation_ids, scheme_ids, stations)
        profile_ids = self._candidates(rng, candidates, seed, [code for _, code in stations])
        self._applications(rng, applications, vacancy_ids, profile_ids, options["hot_applicants"])
        # As after any bulk load: statistics, visibility maps, and the GIN indexes' pending
        # lists merged (a search otherwise scans them on every query). VACUUM cannot run
        # inside a transaction (the tests' case): there, statistics only.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for table in ("vacancy", "vacancy_duty_stations", "candidateprofile", "experience",
                          "education", "languageskill", "application", "user"):  # fmt: skip
                self.stderr.write(f"{command} recruitment_{table} ...")
                cursor.execute(f"{command} recruitment_{table}")
        self.stdout.write(
            f"seeded {vacancies:,} vacancies, {candidates:,} candidates, {applications:,} "
            f"applications (seed {seed}) in {time.monotonic() - started:.0f} s; "
            f"hot vacancy id {vacancy_ids[0]}"
        )

    # --- reference data ------------------------------------------------------------------------

    def _reference_data(
        self, rng: random.Random, seed: int
    ) -> tuple[list[int], list[int], list[tuple[int, str]]]:
        organisation_ids = []
        for acronym, name in AGENCIES:
            slug = "scale-" + acronym.lower().replace(" ", "-")
            organisation, _ = Organisation.objects.get_or_create(
                slug=slug,
                defaults={"name": name, "acronym": acronym, "kind": OrganisationKind.UN_AGENCY},
            )
            organisation_ids.append(organisation.pk)
        scheme_ids = [
            Scheme.objects.get_or_create(code=code, defaults={"name": name})[0].pk
            for code, name in SCHEMES
        ]
        stations = []
        for city, country in CITIES:
            # Drawn whether or not the station exists, so the sequence stays the same.
            hardship = rng.choice(HardshipClass.values)
            family = FamilyStatus.FAMILY if hardship in "HAB" else FamilyStatus.NON_FAMILY
            station = DutyStation.objects.filter(city__iexact=city, country=country).first()
            if station is None:
                station = DutyStation.objects.create(city=city, country=country)
                DutyStationClassification.objects.create(
                    duty_station=station, hardship=hardship, family_status=family,
                    effective_from=date(2024, 1, 1),
                )  # fmt: skip
            stations.append((station.pk, country))
        return organisation_ids, scheme_ids, stations

    def _load(
        self,
        label: str,
        total: int,
        write_chunk: Callable[[int, int], None],
        tables: Sequence[str],
    ) -> None:
        """Run `write_chunk(start, count)` per chunk, each in a transaction with triggers off.

        As a superuser: `session_replication_role = replica` skips every trigger, foreign-key
        checks included (the rows are consistent by construction; checking 10 million
        references one by one would take most of the load time). Otherwise the tables' own
        (search-vector) triggers are disabled and foreign keys stay checked.
        """
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            superuser = cursor.fetchone()[0]
        progress = Progress(label, total)
        for start, count in _chunks(total):
            with transaction.atomic(), connection.cursor() as cursor:
                if superuser:
                    cursor.execute("SET LOCAL session_replication_role = replica")
                else:
                    # Checked at each row, not at commit: ENABLE TRIGGER refuses pending events.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    for table in tables:
                        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
                write_chunk(start, count)
                if not superuser:
                    for table in tables:
                        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            progress.advance(count)

    # --- vacancies -----------------------------------------------------------------------------

    def _vacancies(
        self,
        rng: random.Random,
        total: int,
        organisation_ids: list[int],
        scheme_ids: list[int],
        stations: list[tuple[int, str]],
    ) -> list[int]:
        all_ids: list[int] = []
        columns = ["id", "created_at", "updated_at", "title", "reference", "grade", "grade_raw",
                   "category", "number_of_posts", "opens_at", "closes_at", "closes_at_raw",
                   "closes_at_zone", "description", "status", "funding_status",
                   "organisation_id", "scheme_id", "closes_at_status", "fingerprint",
                   "blind_review", "modality", "required_languages", "skills"]  # fmt: skip

        def write_chunk(start: int, count: int) -> None:
            ids = reserve_ids(Vacancy, count)
            all_ids.extend(ids)
            rows, links = [], []
            for index, vacancy_id in enumerate(ids):
                number = start + index
                role, sector = rng.choice(ROLES), rng.choice(SECTORS)
                grade = rng.choice(GRADES)
                created = ANCHOR - timedelta(days=rng.randint(30, 400), minutes=number % 1440)
                closes = ANCHOR + timedelta(days=rng.randint(-120, 240), hours=rng.randint(0, 23))
                # The hot vacancy is open, so applying to and ranking it is the usual case.
                status = VacancyStatus.PUBLISHED if number == 0 else rng.choice(VACANCY_STATUSES)
                picked = rng.sample(stations, 2 if rng.random() < 0.2 else 1)
                city = CITIES[[s for s, _ in stations].index(picked[0][0])][0]
                skills = sorted(rng.sample(SKILLS, rng.randint(3, 6)))
                languages = ["en"] + [code for code, share in LANGUAGES if rng.random() < share]
                description = (
                    f"<p>The {role} supports the {sector} programme in {city}. "
                    f"You will lead {skills[0]} and {skills[1]} work with government partners, "
                    f"civil society and sister agencies.</p><p>Requirements: experience in "
                    f"{', '.join(skills)}; fluency in {', '.join(languages)}.</p>"
                )
                rows.append((
                    vacancy_id, created, created, f"{role}, {sector.title()}", f"SC-{number:07d}",
                    grade, grade, rng.choice(CATEGORIES), 1, created, closes, closes.isoformat(),
                    "UTC", description, status, "unconfirmed", rng.choice(organisation_ids),
                    rng.choice(scheme_ids), "parsed", "", False,
                    rng.choice([Modality.ON_SITE] * 6 + [Modality.REMOTE, Modality.HYBRID]),
                    languages, skills,
                ))  # fmt: skip
                links.extend((vacancy_id, station_id) for station_id, _ in picked)
            copy_rows(Vacancy, columns, rows)
            copy_rows(Vacancy.duty_stations.through, ["vacancy_id", "dutystation_id"], links)
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE recruitment_vacancy SET search_vector = "
                    "recruitment_vacancy_search_vector(id, title, description, organisation_id) "
                    "WHERE id BETWEEN %s AND %s",
                    [ids[0], ids[-1]],
                )

        tables = ["recruitment_vacancy", "recruitment_vacancy_duty_stations"]
        self._load("vacancies", total, write_chunk, tables)
        return all_ids

    # --- candidates ----------------------------------------------------------------------------

    def _candidates(
        self, rng: random.Random, total: int, seed: int, countries: list[str]
    ) -> list[int]:
        all_ids: list[int] = []
        distinct_countries = sorted(set(countries))

        def write_chunk(start: int, count: int) -> None:
            user_ids = reserve_ids(User, count)
            profile_ids = reserve_ids(CandidateProfile, count)
            all_ids.extend(profile_ids)
            users, profiles, education, experience, languages = [], [], [], [], []
            for index, (user_id, profile_id) in enumerate(zip(user_ids, profile_ids, strict=True)):
                number = start + index
                created = ANCHOR - timedelta(days=rng.randint(1, 900), seconds=number % 86400)
                # "!" is Django's unusable password: scale users cannot log in.
                users.append((user_id, "!", False, created, created,
                              f"scale-{seed}-{number}@candidates.example", "", Role.CANDIDATE,
                              False, "", True, False, "en"))  # fmt: skip
                born = date(1975, 1, 1) + timedelta(days=rng.randint(0, 10_000))
                citizenships = ["NO"] if rng.random() < 0.85 else [rng.choice(distinct_countries)]
                preferred = sorted(rng.sample(distinct_countries, rng.randint(0, 3)))
                profiles.append((
                    profile_id, created, created, rng.choice(GIVEN), rng.choice(FAMILY), born,
                    citizenships, "", "NO", "", user_id, rng.choice(["female", "male"]),
                    preferred, sorted(rng.sample(SKILLS, rng.randint(2, 8))),
                ))  # fmt: skip
                degrees = ["bachelor"] + (["master"] if rng.random() < 0.6 else [])
                if rng.random() < 0.05:
                    degrees.append("doctorate")
                for offset, level in enumerate(degrees):
                    education.append((created, created, level, rng.choice(FIELDS),
                                      rng.choice(UNIVERSITIES), "NO",
                                      born + timedelta(days=365 * (22 + 2 * offset)),
                                      profile_id))  # fmt: skip
                job_start = born + timedelta(days=365 * 24)
                for _ in range(rng.randint(1, 4)):
                    length = timedelta(days=rng.randint(180, 1800))
                    end = job_start + length
                    ongoing = end >= ANCHOR.date()
                    experience.append((created, created, f"{rng.choice(ROLES)}",
                                       rng.choice(AGENCIES)[0], rng.choice(countries), job_start,
                                       None if ongoing else end, rng.random() < 0.5,
                                       profile_id))  # fmt: skip
                    if ongoing:
                        break
                    job_start = end + timedelta(days=rng.randint(0, 120))
                languages.append((created, created, "en", "overall", rng.choice(CEFR[2:]),
                                  "cefr", profile_id))  # fmt: skip
                for code, share in LANGUAGES:
                    if rng.random() < share:
                        languages.append((created, created, code, "overall", rng.choice(CEFR),
                                          "cefr", profile_id))  # fmt: skip
            copy_rows(User, ["id", "password", "is_superuser", "created_at", "updated_at",
                             "email", "name", "role", "is_api_client", "api_client_scopes",
                             "is_active", "is_staff", "language"], users)  # fmt: skip
            copy_rows(CandidateProfile, ["id", "created_at", "updated_at", "given_name",
                                         "family_name", "date_of_birth", "citizenships", "phone",
                                         "country_of_residence", "summary", "user_id", "gender",
                                         "preferred_countries", "skills"], profiles)  # fmt: skip
            copy_rows(Education, ["created_at", "updated_at", "level", "field_of_study",
                                  "institution", "country", "completed_on", "profile_id"],
                      education)  # fmt: skip
            copy_rows(Experience, ["created_at", "updated_at", "title", "employer", "country",
                                   "start_date", "end_date", "is_international", "profile_id"],
                      experience)  # fmt: skip
            copy_rows(LanguageSkill, ["created_at", "updated_at", "language", "skill", "level",
                                      "scale", "profile_id"], languages)  # fmt: skip
            with connection.cursor() as cursor:  # search vectors and match facts, set-based
                cursor.execute("SELECT recruitment_candidate_refresh(%s)", [profile_ids])

        tables = [
            "recruitment_candidateprofile",
            "recruitment_experience",
            "recruitment_education",
            "recruitment_languageskill",
        ]
        self._load("candidates", total, write_chunk, tables)
        return all_ids

    # --- applications --------------------------------------------------------------------------

    def _applications(
        self,
        rng: random.Random,
        total: int,
        vacancy_ids: list[int],
        profile_ids: list[int],
        hot: int,
    ) -> None:
        hot = min(hot, total, len(profile_ids))
        others = vacancy_ids[1:] or vacancy_ids
        candidates = len(profile_ids)
        columns = ["id", "created_at", "updated_at", "status", "status_changed_at",
                   "nominated_at", "eligibility_snapshot", "answers", "version", "candidate_id",
                   "vacancy_id"]  # fmt: skip

        def write_chunk(start: int, count: int) -> None:
            ids = reserve_ids(Application, count)
            rows = []
            for index, application_id in enumerate(ids):
                number = start + index
                # Each candidate applies once per round; rounds step through the other
                # vacancies by a prime stride, so no (candidate, vacancy) pair repeats.
                candidate, round_ = number % candidates, number // candidates
                if number < hot:
                    vacancy_id = vacancy_ids[0]
                else:
                    vacancy_id = others[(candidate * 7919 + round_ * 104_729) % len(others)]
                status = rng.choice(APPLICATION_STATUSES)
                created = ANCHOR - timedelta(days=rng.randint(1, 300), seconds=number % 86400)
                changed = created + timedelta(days=rng.randint(0, 60))
                rows.append((
                    application_id, created, changed, status,
                    None if status == ApplicationStatus.SUBMITTED else changed,
                    changed if status in NOMINATED else None,
                    ELIGIBLE if rng.random() < 0.7 else NOT_ELIGIBLE, "{}", 1,
                    profile_ids[candidate], vacancy_id,
                ))  # fmt: skip
            copy_rows(Application, columns, rows)

        self._load("applications", total, write_chunk, [])
