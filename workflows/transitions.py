"""The life-cycle tables: for each status, the statuses it may move to and who may make the move.

Pure data plus pure helpers; no queries. This is the one place to read a life cycle.
"""

from recruitment.enums import ApplicationStatus as A
from recruitment.enums import PlacementStatus as P
from recruitment.enums import Role
from recruitment.enums import VacancyStatus as V

# Background work (feed sync, schedules) acts as the system.
SYSTEM = "system"

Table = dict[str, dict[str, frozenset[str]]]

CANDIDATE = frozenset({Role.CANDIDATE})
STAFF = frozenset({Role.RECRUITER, Role.ADMIN})
PARTNER_OR_STAFF = frozenset({Role.PARTNER, Role.RECRUITER, Role.ADMIN})
OWNERS = frozenset({Role.PARTNER, Role.RECRUITER, Role.ADMIN, SYSTEM})

APPLICATION_TRANSITIONS: Table = {
    A.SUBMITTED: {A.SCREENING: STAFF, A.REJECTED: STAFF, A.WITHDRAWN: CANDIDATE},
    A.SCREENING: {A.SHORTLISTED: STAFF, A.REJECTED: STAFF, A.WITHDRAWN: CANDIDATE},
    A.SHORTLISTED: {A.NOMINATED: STAFF, A.REJECTED: STAFF, A.WITHDRAWN: CANDIDATE},
    A.NOMINATED: {
        A.INTERVIEW: PARTNER_OR_STAFF,
        A.NOT_SELECTED: PARTNER_OR_STAFF,
        A.WITHDRAWN: CANDIDATE,
    },
    A.INTERVIEW: {
        A.SELECTED: PARTNER_OR_STAFF,
        A.NOT_SELECTED: PARTNER_OR_STAFF,
        A.WITHDRAWN: CANDIDATE,
    },
    A.SELECTED: {A.OFFERED: STAFF, A.WITHDRAWN: CANDIDATE},
    A.OFFERED: {A.ACCEPTED: CANDIDATE, A.DECLINED: CANDIDATE, A.WITHDRAWN: CANDIDATE},
    A.ACCEPTED: {},
    # Un-rejecting returns the application to screening, within the round (guarded in services).
    A.REJECTED: {A.SCREENING: STAFF},
    A.WITHDRAWN: {},
    A.DECLINED: {},
    A.NOT_SELECTED: {},
}

VACANCY_TRANSITIONS: Table = {
    V.DRAFT: {V.PUBLISHED: OWNERS, V.CANCELLED: OWNERS},
    V.PUBLISHED: {V.CLOSED: OWNERS, V.FILLED: OWNERS, V.CANCELLED: OWNERS},
    V.CLOSED: {V.PUBLISHED: OWNERS, V.FILLED: OWNERS, V.CANCELLED: OWNERS},
    V.FILLED: {},
    V.CANCELLED: {},
}

PLACEMENT_TRANSITIONS: Table = {
    P.PLANNED: {P.FUNDING_CONFIRMED: STAFF, P.TERMINATED_EARLY: STAFF},
    P.FUNDING_CONFIRMED: {P.CONTRACTED: STAFF, P.TERMINATED_EARLY: STAFF},
    P.CONTRACTED: {P.PRE_DEPARTURE: STAFF, P.TERMINATED_EARLY: STAFF},
    P.PRE_DEPARTURE: {P.DEPLOYED: STAFF, P.REMOTE: STAFF, P.TERMINATED_EARLY: STAFF},
    P.DEPLOYED: {
        P.EXTENDED: STAFF,
        P.SUSPENDED: STAFF,
        P.REMOTE: STAFF,
        P.EVACUATED: STAFF,
        P.COMPLETED: STAFF,
        P.TERMINATED_EARLY: STAFF,
    },
    P.EXTENDED: {P.DEPLOYED: STAFF},
    P.SUSPENDED: {P.DEPLOYED: STAFF, P.REMOTE: STAFF, P.TERMINATED_EARLY: STAFF},
    P.REMOTE: {
        P.DEPLOYED: STAFF,
        P.SUSPENDED: STAFF,
        P.COMPLETED: STAFF,
        P.TERMINATED_EARLY: STAFF,
    },
    P.EVACUATED: {
        P.DEPLOYED: STAFF,
        P.REMOTE: STAFF,
        P.SUSPENDED: STAFF,
        P.TERMINATED_EARLY: STAFF,
    },
    P.COMPLETED: {P.DEBRIEFED: STAFF},
    P.DEBRIEFED: {},
    P.TERMINATED_EARLY: {P.DEBRIEFED: STAFF},
}


def allowed_targets(table: Table, current: str, role: str) -> list[str]:
    """The statuses `role` may move an object in `current` to, in table order."""
    return [target for target, roles in table.get(current, {}).items() if role in roles]


def is_allowed(table: Table, current: str, target: str, role: str) -> bool:
    """Whether `role` may move an object from `current` to `target`."""
    return role in table.get(current, {}).get(target, frozenset())
