"""Explained, versioned eligibility: may this candidate apply to this vacancy under this rule set?

Pure functions over frozen dataclasses (no database, no models): the caller turns a profile, a
vacancy and an ``EligibilityRuleSet`` row into ``CandidateFacts``, ``VacancyFacts`` and ``RuleSet``
and stores ``evaluate(...).as_dict()`` as the application's eligibility snapshot.

Rules schema (the JSON in ``EligibilityRuleSet.rules``; every key optional, ``{}`` = eligible)::

    {
      "nationalities": exactly one of
          {"allowed": ["NO"]}                          donor nationals only
          {"excluded": ["XX", ...]}                    anyone but these
          {"eligible_countries": ["ET", "KE", ...],    a list, optionally minus the host country
           "exclude_duty_station_country": true}         (developing-country JPOs)
          {"duty_station_country": true}               nationals of the duty-station country only
                                                         (National Officer and General Service)
      "age": {"min": 18, "max": 29,                    whole years, both bounds inclusive:
              "measured_at": "closing_date"            "max": 29 means under 30 on that date;
                           | "planned_start_date"      default "closing_date"
                           | "planned_end_date"},
      "education": [{"degree": "master", "years": 2},  alternatives, any one suffices; a higher
                    {"degree": "bachelor", "years": 3}], degree satisfies a lower one; "years" of
                                                         professional experience, default 0
      "experience_years": 2,                           minimum years, all jobs
      "international_experience_years": 1,             minimum years, international jobs only
      "experience_by_grade": {"P-2": 2, "P-3": 5},     minimum years for the vacancy's grade
      "languages": [{"language": "en", "min_level": "C1", "scale": "cefr",
                     "skill": "writing"}]              "skill" optional; one check per entry
    }

Checks come out in the order of that schema; unknown keys follow, sorted, each as a failed check
("unknown rule ..."), and a malformed value fails its check ("invalid rule: ..."), so a typo in
rule data makes candidates visibly ineligible instead of silently dropping a requirement.

Choices the rule data cannot express:

- Several citizenships: the candidate passes if ANY of them qualifies (a dual NO/SE citizen is a
  Norwegian national for a Norwegian JPO; under "excluded" one non-excluded passport suffices).
- Experience is the union of job intervals, both ends inclusive, overlaps counted once; open
  jobs run to the measurement date (the vacancy's closing date, else ``today``) and nothing after
  it counts. A year is 365 days worked, so exactly N calendar years always passes "N years".
- A degree counts when ``completed_on`` is empty or on or before that same measurement date.
- Language levels compare on one ordinal scale: CEFR A1..C2 = 1..6; Inspira basic, confident,
  fluent = 2, 4, 5; UN Language Framework levels I..IV (Basic, Intermediate, Advanced, Expert) =
  2, 3, 4, 6 (A2, B1, B2, C2). The UN framework publishes no official CEFR table; this is our
  reading of its level descriptors, kept in ``LEVEL_ORDINALS`` so it can be revised in one place.
  An entry with an empty level is "no level declared", which fails (DESIGN section 2).
"""

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django_countries.data import COUNTRIES

# Values match recruitment.enums.DegreeLevel / LanguageScale / LanguageSkillKind; not imported so
# that this module stays importable without Django settings (tests check that they agree).
DEGREE_RANK: dict[str, int] = {"secondary": 1, "bachelor": 2, "master": 3, "doctorate": 4}
DEGREE_LABEL: dict[str, str] = {
    "secondary": "secondary",
    "bachelor": "bachelor's",
    "master": "master's",
    "doctorate": "doctorate",
}
OVERALL_SKILL = "overall"
SKILLS: frozenset[str] = frozenset({"overall", "reading", "writing", "speaking", "listening"})

# scale -> normalised level text -> ordinal on the common scale (see the module docstring).
LEVEL_ORDINALS: dict[str, dict[str, int]] = {
    "cefr": {"a1": 1, "a2": 2, "b1": 3, "b2": 4, "c1": 5, "c2": 6},
    # The enum's label says "UN levels (1-4)": accept the Arabic spelling too.
    "un": {"i": 2, "ii": 3, "iii": 4, "iv": 6, "1": 2, "2": 3, "3": 4, "4": 6},
    "inspira": {"basic": 2, "confident": 4, "fluent": 5},
}

MEASURED_AT: dict[str, str] = {
    "closing_date": "closing date",
    "planned_start_date": "planned start date",
    "planned_end_date": "planned end date",
}

RULE_ORDER: tuple[str, ...] = (
    "nationalities",
    "age",
    "education",
    "experience_years",
    "international_experience_years",
    "experience_by_grade",
    "languages",
)

DAYS_PER_YEAR = 365
_ONE_DAY = timedelta(days=1)


# --- Inputs -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Degree:
    """A degree the candidate holds; ``level`` is a DegreeLevel value."""

    level: str
    completed_on: date | None = None


@dataclass(frozen=True, slots=True)
class Job:
    """One period of professional experience; ``end_date`` None means ongoing."""

    start_date: date
    end_date: date | None = None
    is_international: bool = False


@dataclass(frozen=True, slots=True)
class Language:
    """A declared language level for one skill, on a stated scale."""

    language: str  # ISO 639-1
    skill: str  # LanguageSkillKind value
    level: str  # "C1", "III", "fluent", ... ; "" means no level declared
    scale: str  # LanguageScale value


@dataclass(frozen=True, slots=True)
class CandidateFacts:
    """What eligibility needs to know about a candidate, and nothing else."""

    date_of_birth: date | None = None
    citizenships: tuple[str, ...] = ()  # ISO 3166-1 alpha-2
    education: tuple[Degree, ...] = ()
    experience: tuple[Job, ...] = ()
    languages: tuple[Language, ...] = ()


@dataclass(frozen=True, slots=True)
class VacancyFacts:
    """What eligibility needs to know about a vacancy; dates are local calendar dates."""

    closes_at: date | None = None
    planned_start: date | None = None
    planned_end: date | None = None
    grade: str | None = None  # a Grade value: "P-2", "NO-B", "UNV", ...
    duty_station_countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-2


@dataclass(frozen=True, slots=True)
class RuleSet:
    """One version of a rule set; ``rules`` follows the schema in the module docstring.

    Not hashable (``rules`` is a dict).
    """

    version: int
    rules: Mapping[str, Any] = field(default_factory=dict)
    label: str | None = None


# --- Outputs ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Check:
    """The outcome of one rule, with a sentence a candidate can act on."""

    rule: str
    passed: bool
    detail: str

    def as_dict(self) -> dict[str, Any]:
        """The JSON form used in API responses and snapshots."""
        return {"rule": self.rule, "passed": self.passed, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class EligibilityResult:
    """The decision, the rule-set version it used, and every check that led to it."""

    eligible: bool
    rule_set: int
    checks: tuple[Check, ...]

    @property
    def failed_checks(self) -> tuple[Check, ...]:
        """The checks that made the candidate ineligible (what a refused application reports)."""
        return tuple(check for check in self.checks if not check.passed)

    def as_dict(self) -> dict[str, Any]:
        """``{"eligible", "rule_set", "checks": [{"rule", "passed", "detail"}]}``, JSON-ready."""
        return {
            "eligible": self.eligible,
            "rule_set": self.rule_set,
            "checks": [check.as_dict() for check in self.checks],
        }


class _InvalidRule(Exception):
    """Rule data that cannot be applied; reported as a failed check, never raised to callers."""


# --- Evaluation -------------------------------------------------------------------------------


class _Context:
    """Per-call inputs plus the experience totals, computed once however many rules need them."""

    __slots__ = ("_days", "candidate", "measured_on", "vacancy")

    def __init__(self, candidate: CandidateFacts, vacancy: VacancyFacts, today: date) -> None:
        self.candidate = candidate
        self.vacancy = vacancy
        # Experience and degrees are judged as of the deadline; without one, as of now.
        self.measured_on = vacancy.closes_at or today
        self._days: dict[bool, int] = {}

    def experience_days(self, *, international_only: bool = False) -> int:
        if international_only not in self._days:
            jobs = self.candidate.experience
            if international_only:
                jobs = tuple(job for job in jobs if job.is_international)
            self._days[international_only] = experience_days(jobs, until=self.measured_on)
        return self._days[international_only]


def evaluate(
    candidate: CandidateFacts, vacancy: VacancyFacts, rule_set: RuleSet, *, today: date
) -> EligibilityResult:
    """Check ``candidate`` against every rule of ``rule_set`` for ``vacancy``.

    ``today`` is the measurement date for experience and degrees when the vacancy has no closing
    date (passed in, never read from the clock, so a decision can be reproduced). Never raises for
    bad rule data: that becomes a failed check. The candidate is eligible when every check passes;
    no rules means eligible with no checks.
    """
    rules = rule_set.rules
    if not isinstance(rules, Mapping):
        checks: tuple[Check, ...] = (
            Check("rules", False, "invalid rule: the rule set must be a JSON object"),
        )
        return EligibilityResult(eligible=False, rule_set=rule_set.version, checks=checks)

    context = _Context(candidate, vacancy, today)
    results: list[Check] = []
    for name in RULE_ORDER:
        if name in rules:
            results.extend(_run(name, rules[name], context))
    results.extend(
        Check(str(name), False, f"unknown rule {name!r}")
        for name in sorted(rules, key=str)
        if name not in _KNOWN_RULES
    )
    return EligibilityResult(
        eligible=all(check.passed for check in results),
        rule_set=rule_set.version,
        checks=tuple(results),
    )


def _run(name: str, value: object, context: _Context) -> list[Check]:
    if name == "languages":
        # Several checks, one per required language; a malformed entry fails on its own.
        return _check_languages(value, context)
    try:
        passed, detail = _CHECKERS[name](value, context)
    except _InvalidRule as error:
        return [Check(name, False, f"invalid rule: {error}")]
    return [Check(name, passed, detail)]


# --- Nationalities ----------------------------------------------------------------------------

_NATIONALITY_FORMS: tuple[frozenset[str], ...] = (
    frozenset({"allowed"}),
    frozenset({"excluded"}),
    frozenset({"eligible_countries"}),
    frozenset({"eligible_countries", "exclude_duty_station_country"}),
    frozenset({"duty_station_country"}),
)


def _check_nationalities(value: object, context: _Context) -> tuple[bool, str]:
    rule = _mapping(value, "nationalities")
    if frozenset(rule) not in _NATIONALITY_FORMS:
        raise _InvalidRule(
            "nationalities needs exactly one of allowed, excluded, eligible_countries "
            f"(+ exclude_duty_station_country) or duty_station_country; got {sorted(rule)}"
        )
    # Read the whole rule before looking at the candidate, so bad rule data always surfaces.
    hosts = _unique_upper(context.vacancy.duty_station_countries)
    if "allowed" in rule:
        allowed = _countries(rule["allowed"], "nationalities.allowed")
        qualifies = "is on the allowed list"

        def reason(code: str) -> str | None:
            return None if code in allowed else "is not on the allowed list"

    elif "excluded" in rule:
        excluded = _countries(rule["excluded"], "nationalities.excluded")
        qualifies = "is not excluded"

        def reason(code: str) -> str | None:
            return "is excluded" if code in excluded else None

    elif "duty_station_country" in rule:
        if rule["duty_station_country"] is not True:
            raise _InvalidRule("nationalities.duty_station_country must be true")
        if not hosts:
            return False, "the vacancy has no duty-station country to compare nationality with"
        host_text = ", ".join(hosts)
        qualifies = "is the duty-station country"

        def reason(code: str) -> str | None:
            return None if code in hosts else f"is not the duty-station country ({host_text})"

    else:
        eligible = _countries(rule["eligible_countries"], "nationalities.eligible_countries")
        exclude_host = rule.get("exclude_duty_station_country", False)
        if not isinstance(exclude_host, bool):
            raise _InvalidRule("nationalities.exclude_duty_station_country must be true or false")
        if exclude_host and not hosts:
            return False, "the vacancy has no duty-station country to exclude"
        excluded_hosts = frozenset(hosts) if exclude_host else frozenset()
        qualifies = "is on the eligible list"

        def reason(code: str) -> str | None:
            # The host-country reason wins: it is the one a listed national needs to understand.
            if code in excluded_hosts:
                return "is the duty-station country, which is excluded"
            return None if code in eligible else "is not on the eligible list"

    citizenships = _unique_upper(context.candidate.citizenships)
    if not citizenships:
        return False, "no citizenship declared"
    return _nationality_outcome(citizenships, reason, qualifies=qualifies)


def _nationality_outcome(
    citizenships: list[str], reason: Callable[[str], str | None], *, qualifies: str
) -> tuple[bool, str]:
    """Pass on the first qualifying citizenship; otherwise give every citizenship's reason."""
    reasons = []
    for code in citizenships:
        why_not = reason(code)
        if why_not is None:
            return True, f"citizenship {code} {qualifies}"
        reasons.append(f"citizenship {code} {why_not}")
    return False, "; ".join(reasons)


# --- Age --------------------------------------------------------------------------------------

_AGE_KEYS = frozenset({"min", "max", "measured_at"})


def _check_age(value: object, context: _Context) -> tuple[bool, str]:
    rule = _mapping(value, "age")
    _no_unknown_keys(rule, _AGE_KEYS, "age")
    minimum = _optional_int(rule.get("min"), "age.min")
    maximum = _optional_int(rule.get("max"), "age.max")
    if minimum is None and maximum is None:
        raise _InvalidRule("age needs min or max")
    if minimum is not None and maximum is not None and minimum > maximum:
        raise _InvalidRule("age.min is above age.max")
    measured_at = rule.get("measured_at", "closing_date")
    if measured_at not in MEASURED_AT:
        raise _InvalidRule(f"age.measured_at must be one of {', '.join(MEASURED_AT)}")
    label = MEASURED_AT[measured_at]

    if minimum is not None and maximum is not None:
        bounds = f"must be {minimum}-{maximum}"
    elif minimum is not None:
        bounds = f"must be at least {minimum}"
    else:
        bounds = f"must be at most {maximum}"

    born = context.candidate.date_of_birth
    if born is None:
        return False, f"no date of birth declared; {bounds} on the {label}"
    on = {
        "closing_date": context.vacancy.closes_at,
        "planned_start_date": context.vacancy.planned_start,
        "planned_end_date": context.vacancy.planned_end,
    }[measured_at]
    if on is None:
        return False, f"the vacancy has no {label} to measure age at"

    age = age_on(born, on)
    passed = (minimum is None or age >= minimum) and (maximum is None or age <= maximum)
    return passed, f"aged {age} on the {label} ({on.isoformat()}); {bounds}"


def age_on(born: date, on: date) -> int:
    """Completed years of age on ``on``; someone born on 29 February ages on 1 March."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# --- Education and experience -----------------------------------------------------------------

_EDUCATION_KEYS = frozenset({"degree", "years"})


def _check_education(value: object, context: _Context) -> tuple[bool, str]:
    if not isinstance(value, list) or not value:
        raise _InvalidRule("education must be a non-empty list of {degree, years} alternatives")
    alternatives: list[tuple[str, float]] = []
    for index, item in enumerate(value):
        where = f"education[{index}]"
        alternative = _mapping(item, where)
        _no_unknown_keys(alternative, _EDUCATION_KEYS, where)
        degree = alternative.get("degree")
        if degree not in DEGREE_RANK:
            raise _InvalidRule(f"{where}.degree must be one of {', '.join(DEGREE_RANK)}")
        alternatives.append((degree, _years_value(alternative.get("years", 0), f"{where}.years")))

    held = _highest_degree(context.candidate.education, until=context.measured_on)
    days = context.experience_days()
    held_text = f"{DEGREE_LABEL[held] if held else 'no degree'} + {format_years(days)} years"
    for degree, years in alternatives:
        if held and DEGREE_RANK[held] >= DEGREE_RANK[degree] and days >= years * DAYS_PER_YEAR:
            return True, f"{held_text} meets {_alternative_text(degree, years)}"
    needs = " or ".join(_alternative_text(degree, years) for degree, years in alternatives)
    return False, f"{held_text}; needs {needs}"


def _alternative_text(degree: str, years: float) -> str:
    label = DEGREE_LABEL[degree]
    return f"{label} + {_number(years)}" if years else label


def _highest_degree(degrees: Iterable[Degree], *, until: date) -> str | None:
    """The best degree completed by ``until`` (an undated degree counts as held)."""
    best: str | None = None
    for degree in degrees:
        rank = DEGREE_RANK.get(degree.level)
        if rank is None or (degree.completed_on is not None and degree.completed_on > until):
            continue
        if best is None or rank > DEGREE_RANK[best]:
            best = degree.level
    return best


def _check_experience_years(value: object, context: _Context) -> tuple[bool, str]:
    needed = _years_value(value, "experience_years")
    days = context.experience_days()
    detail = f"{format_years(days)} years of professional experience; needs {_number(needed)}"
    return days >= needed * DAYS_PER_YEAR, detail


def _check_international_experience_years(value: object, context: _Context) -> tuple[bool, str]:
    needed = _years_value(value, "international_experience_years")
    days = context.experience_days(international_only=True)
    detail = f"{format_years(days)} years of international experience; needs {_number(needed)}"
    return days >= needed * DAYS_PER_YEAR, detail


def _check_experience_by_grade(value: object, context: _Context) -> tuple[bool, str]:
    table = _mapping(value, "experience_by_grade")
    minimums = {
        str(grade).strip().upper(): _years_value(years, f"experience_by_grade.{grade}")
        for grade, years in table.items()
    }
    grade = (context.vacancy.grade or "").strip().upper()
    if not grade:
        return True, "the vacancy has no grade; no minimum experience"
    if grade not in minimums:
        return True, f"no minimum experience for grade {grade}"
    needed = minimums[grade]
    days = context.experience_days()
    detail = f"{format_years(days)} years of experience; {grade} needs {_number(needed)}"
    return days >= needed * DAYS_PER_YEAR, detail


def experience_days(jobs: Iterable[Job], *, until: date) -> int:
    """Days worked up to and including ``until``, counting overlapping jobs once.

    Both ends of a job are inclusive; an ongoing job runs to ``until``; days after ``until``
    (future end dates, jobs not yet started) do not count.
    """
    # Half-open [start, end + 1 day) intervals make adjacent jobs merge without a gap or overlap.
    stop = until + _ONE_DAY
    intervals = sorted(
        (job.start_date, min(job.end_date + _ONE_DAY, stop) if job.end_date else stop)
        for job in jobs
        if job.start_date <= until
    )
    total = 0
    current_start: date | None = None
    current_end: date | None = None
    for start, end in intervals:
        if end <= start:  # an end before the start: bad data, counts nothing
            continue
        if current_end is None or start > current_end:
            if current_end is not None:
                total += (current_end - current_start).days
            current_start, current_end = start, end
        elif end > current_end:
            current_end = end
    if current_end is not None:
        total += (current_end - current_start).days
    return total


def format_years(days: int) -> str:
    """Years with one decimal, rounded down so a shown "3.0" always meets a 3-year minimum."""
    return f"{math.floor(days * 10 / DAYS_PER_YEAR) / 10:.1f}"


# --- Languages --------------------------------------------------------------------------------

_LANGUAGE_KEYS = frozenset({"language", "min_level", "scale", "skill"})


def _check_languages(value: object, context: _Context) -> list[Check]:
    if not isinstance(value, list):
        return [Check("languages", False, "invalid rule: languages must be a list")]
    checks = []
    for index, item in enumerate(value):
        code = item.get("language") if isinstance(item, Mapping) else None
        name = f"languages:{code.strip().lower()}" if isinstance(code, str) else "languages"
        try:
            passed, detail = _check_language(item, index, context)
        except _InvalidRule as error:
            passed, detail = False, f"invalid rule: {error}"
        checks.append(Check(name, passed, detail))
    return checks


def _check_language(item: object, index: int, context: _Context) -> tuple[bool, str]:
    where = f"languages[{index}]"
    rule = _mapping(item, where)
    _no_unknown_keys(rule, _LANGUAGE_KEYS, where)
    code = rule.get("language")
    if not isinstance(code, str) or not code.strip():
        raise _InvalidRule(f"{where}.language must be a language code")
    code = code.strip().lower()
    scale = rule.get("scale")
    if scale not in LEVEL_ORDINALS:
        raise _InvalidRule(f"{where}.scale must be one of {', '.join(LEVEL_ORDINALS)}")
    min_level = rule.get("min_level")
    needed = level_ordinal(min_level, scale) if isinstance(min_level, str) else None
    if needed is None:
        raise _InvalidRule(f"{where}.min_level {min_level!r} is not a level on the {scale} scale")
    skill = rule.get("skill")
    if skill is not None and skill not in SKILLS:
        raise _InvalidRule(f"{where}.skill must be one of {', '.join(sorted(SKILLS))}")
    required = f"{min_level.strip()} ({scale})"

    # Any declared skill counts for a general requirement; a specific one accepts that skill
    # or an overall level, since "overall" is a claim about every skill.
    accepted = None if skill is None else {skill, OVERALL_SKILL}
    best: Language | None = None
    best_ordinal = 0
    unreadable: list[str] = []
    for entry in context.candidate.languages:
        if entry.language.strip().lower() != code:
            continue
        if accepted is not None and entry.skill not in accepted:
            continue
        if not entry.level.strip():
            continue  # a level left blank is no level declared
        ordinal = level_ordinal(entry.level, entry.scale)
        if ordinal is None:
            unreadable.append(f"{entry.level!r} ({entry.scale})")
        elif ordinal > best_ordinal:
            best, best_ordinal = entry, ordinal

    if best is None:
        subject = code if skill is None else f"{code} {skill} or overall"
        detail = f"no level declared for {subject}"
        if unreadable:
            detail += f" (unrecognised: {', '.join(unreadable)})"
        return False, detail
    held = f"{best.level.strip()} ({best.scale}, {best.skill})"
    if best_ordinal >= needed:
        return True, f"{code}: {held} meets {required}"
    return False, f"{code}: {held} is below {required}"


def level_ordinal(level: str, scale: str) -> int | None:
    """A level's place on the common 1-6 scale (CEFR-like), or None if it is not on ``scale``."""
    levels = LEVEL_ORDINALS.get(scale)
    if levels is None:
        return None
    normalised = level.strip().lower()
    if scale == "un" and normalised.startswith("un"):
        normalised = normalised[2:].lstrip(" -")  # "UN III", "UN-III"
    return levels.get(normalised)


# --- Rule-data validation helpers -------------------------------------------------------------


def _mapping(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _InvalidRule(f"{where} must be an object")
    return value


def _no_unknown_keys(rule: Mapping[str, Any], known: frozenset[str], where: str) -> None:
    unknown = sorted(str(key) for key in rule if key not in known)
    if unknown:
        raise _InvalidRule(f"unknown key {', '.join(map(repr, unknown))} in {where}")


def _optional_int(value: object, where: str) -> int | None:
    # bool is an int subclass; "max": true is a typo, not 1.
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _InvalidRule(f"{where} must be a whole number")
    return value


def _years_value(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise _InvalidRule(f"{where} must be a number of years")
    return float(value)


def _countries(value: object, where: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise _InvalidRule(f"{where} must be a list of ISO 3166-1 alpha-2 codes")
    codes = frozenset(code.strip().upper() for code in value)
    unknown = sorted(codes - _COUNTRY_CODES)
    if unknown:
        raise _InvalidRule(f"{where} has unknown country codes {', '.join(unknown)}")
    return codes


def _unique_upper(codes: Iterable[str]) -> list[str]:
    """Normalised codes in the candidate's own order (deterministic details), without repeats."""
    return list(dict.fromkeys(code.strip().upper() for code in codes if code.strip()))


def _number(years: float) -> str:
    return str(int(years)) if float(years).is_integer() else str(years)


_COUNTRY_CODES: frozenset[str] = frozenset(COUNTRIES)

_CHECKERS: dict[str, Callable[[object, _Context], tuple[bool, str]]] = {
    "nationalities": _check_nationalities,
    "age": _check_age,
    "education": _check_education,
    "experience_years": _check_experience_years,
    "international_experience_years": _check_international_experience_years,
    "experience_by_grade": _check_experience_by_grade,
}
_KNOWN_RULES: frozenset[str] = frozenset(RULE_ORDER)
