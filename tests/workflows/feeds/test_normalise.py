"""Normalisation tables: grades, deadlines, countries, organisations, duty stations, HTML."""

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recruitment.enums import DeadlineStatus
from workflows.feeds.normalise import (
    Deadline,
    extract_contract_type,
    extract_duty_station,
    extract_number_of_posts,
    extract_post_numbers,
    html_to_text,
    infer_day_first,
    normalise_country,
    normalise_grade,
    organisation_slug_for,
    parse_deadline,
    parse_location,
    sanitise_html,
)
from workflows.feeds.organisations import ORGANISATION_ALIASES

NOW = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)
PARSED, AMBIGUOUS = DeadlineStatus.PARSED, DeadlineStatus.AMBIGUOUS
RELATIVE, MISSING = DeadlineStatus.RELATIVE, DeadlineStatus.MISSING
UNPARSEABLE = DeadlineStatus.UNPARSEABLE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P4", ("P-4", "P4")),
        ("P-4", ("P-4", "P-4")),
        ("P 4", ("P-4", "P 4")),
        ("p-3", ("P-3", "p-3")),
        ("P2 level", ("P-2", "P2")),
        ("PR2", ("P-2", "PR2")),
        ("NOB", ("NO-B", "NOB")),
        ("NO-B", ("NO-B", "NO-B")),
        ("NO C", ("NO-C", "NO C")),
        ("N0-3", ("NO-C", "N0-3")),
        ("NO-1", ("NO-A", "NO-1")),
        ("GS-6", ("G-6", "GS-6")),
        ("G6", ("G-6", "G6")),
        ("G-7", ("G-7", "G-7")),
        ("D1", ("D-1", "D1")),
        ("D-2", ("D-2", "D-2")),
        ("FS5", ("FS-5", "FS5")),
        ("FS-7", ("FS-7", "FS-7")),
        ("UNV", ("UNV", "UNV")),
        ("UN Volunteer", ("UNV", "UN Volunteer")),
        ("International Consultant", ("CONSULTANT", "Consultant")),
        ("Individual consultancy", ("CONSULTANT", "consultancy")),
        ("Intern", ("INTERN", "Intern")),
        ("Digital Learning Internship", ("INTERN", "Internship")),
        ("Grade P5", ("P-5", "P5")),
        ("Consultant (P5)", ("P-5", "P5")),
        ("P-3/P-4", ("P-3", "P-3")),
        ("Programme Specialist, P-4, Fixed Term, Nairobi #00132723", ("P-4", "P-4")),
        ("Child Protection Officer, (P-2), Accra, Ghana", ("P-2", "P-2")),
        # World Bank and other non-UN grades: no Grade, the code kept raw.
        ("GF", (None, "GF")),
        ("GA-GK", (None, "GA-GK")),
        ("NPSA-9", (None, "NPSA-9")),
        ("Senior Mining Specialist", (None, "")),
        ("COVID-19 Response Officer", (None, "")),
        ("Internal Auditor", (None, "")),
        ("There are no 5 vacancies", (None, "")),
        ("", (None, "")),
        (None, (None, "")),
    ],
)
def test_normalise_grade_reads_raw_spellings(text, expected):
    assert normalise_grade(text) == expected


def _utc(*parts):
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "options", "expected"),
    [
        (
            "2026-03-31T23:59:59.000Z",
            {},
            Deadline(_utc(2026, 3, 31, 23, 59, 59), "2026-03-31T23:59:59.000Z", "", PARSED),
        ),
        (
            "2026-04-15T23:59:00+02:00",
            {},
            Deadline(_utc(2026, 4, 15, 21, 59), "2026-04-15T23:59:00+02:00", "", PARSED),
        ),
        (
            "2026-03-16",
            {},
            Deadline(_utc(2026, 3, 16, 23, 59, 59), "2026-03-16", "UTC", PARSED, True),
        ),
        (
            "2026-03-16",
            {"end_of_day": False},
            Deadline(_utc(2026, 3, 16), "2026-03-16", "UTC", PARSED, True),
        ),
        (
            "Fri, 24 Apr 2026 08:21:49 +0000",
            {},
            Deadline(_utc(2026, 4, 24, 8, 21, 49), "Fri, 24 Apr 2026 08:21:49 +0000", "", PARSED),
        ),
        (
            "Wed, 19 Aug 2026 09:30:40 GMT",
            {},
            Deadline(_utc(2026, 8, 19, 9, 30, 40), "Wed, 19 Aug 2026 09:30:40 GMT", "UTC", PARSED),
        ),
        (
            "May-5-26",
            {},
            Deadline(_utc(2026, 5, 5, 23, 59, 59), "May-5-26", "UTC", PARSED, True),
        ),
        (
            "Apply by May-5-26",
            {"default_zone": "America/New_York"},
            Deadline(
                _utc(2026, 5, 6, 3, 59, 59), "Apply by May-5-26", "America/New_York", PARSED, True
            ),
        ),
        (
            "03/05/2026, 05:25 PM",
            {},
            Deadline(
                None,
                "03/05/2026, 05:25 PM",
                "UTC",
                AMBIGUOUS,
                True,
                (_utc(2026, 3, 5, 17, 25), _utc(2026, 5, 3, 17, 25)),
            ),
        ),
        (
            "03/05/2026, 05:25 PM",
            {"day_first": False},
            Deadline(_utc(2026, 3, 5, 17, 25), "03/05/2026, 05:25 PM", "UTC", PARSED, True),
        ),
        (
            "03/05/2026, 05:25 PM",
            {"day_first": True},
            Deadline(_utc(2026, 5, 3, 17, 25), "03/05/2026, 05:25 PM", "UTC", PARSED, True),
        ),
        (
            "19/02/2026",
            {"day_first": False},  # 19 cannot be a month: the text settles the order
            Deadline(_utc(2026, 2, 19, 23, 59, 59), "19/02/2026", "UTC", PARSED, True),
        ),
        (
            "05/05/2026",
            {},
            Deadline(_utc(2026, 5, 5, 23, 59, 59), "05/05/2026", "UTC", PARSED, True),
        ),
        (
            "Wednesday, 4 March 2026",
            {},
            Deadline(_utc(2026, 3, 4, 23, 59, 59), "Wednesday, 4 March 2026", "UTC", PARSED, True),
        ),
        (
            "Tuesday, 4 March 2026",  # 4 March 2026 is a Wednesday: which one is meant?
            {},
            Deadline(
                None,
                "Tuesday, 4 March 2026",
                "UTC",
                AMBIGUOUS,
                True,
                (_utc(2026, 3, 4, 23, 59, 59),),
            ),
        ),
        (
            "March 16, 2026",
            {"default_zone": "Asia/Tehran"},
            Deadline(_utc(2026, 3, 16, 20, 29, 59), "March 16, 2026", "Asia/Tehran", PARSED, True),
        ),
        (
            "Mar 20 2026 Greenwich Standard Time",
            {},
            Deadline(
                datetime(2026, 3, 20, 23, 59, 59, tzinfo=ZoneInfo("Atlantic/Reykjavik")),
                "Mar 20 2026 Greenwich Standard Time",
                "Atlantic/Reykjavik",
                PARSED,
            ),
        ),
        (
            "Mar 02 2026 E. Africa Standard Time",
            {},
            Deadline(
                _utc(2026, 3, 2, 20, 59, 59),
                "Mar 02 2026 E. Africa Standard Time",
                "Africa/Nairobi",
                PARSED,
            ),
        ),
        (
            # After the EU switch to summer time: Berlin is UTC+2 on 2 April.
            "Apr 02 2026 W. Europe Standard Time",
            {},
            Deadline(
                _utc(2026, 4, 2, 21, 59, 59),
                "Apr 02 2026 W. Europe Standard Time",
                "Europe/Berlin",
                PARSED,
            ),
        ),
        (
            "20 Mar 2026 17:00 CET",
            {},
            Deadline(_utc(2026, 3, 20, 16), "20 Mar 2026 17:00 CET", "Europe/Zurich", PARSED),
        ),
        (
            "Closing Date: Apr 10, 2026, 10:59:00 PM (UTC+01:00)",
            {},
            Deadline(
                datetime(2026, 4, 10, 22, 59, tzinfo=timezone(timedelta(hours=1))),
                "Closing Date: Apr 10, 2026, 10:59:00 PM (UTC+01:00)",
                "",
                PARSED,
            ),
        ),
        (
            "2026-03-20 12:00 Europe/Oslo",
            {},
            Deadline(_utc(2026, 3, 20, 11), "2026-03-20 12:00 Europe/Oslo", "Europe/Oslo", PARSED),
        ),
        (
            "Posted 2 Days Ago",
            {"now": NOW},
            Deadline(NOW - timedelta(days=2), "Posted 2 Days Ago", "", RELATIVE),
        ),
        (
            "Posted Yesterday",
            {"now": NOW},
            Deadline(_utc(2026, 3, 6, 12), "Posted Yesterday", "", RELATIVE),
        ),
        ("Posted Today", {"now": NOW}, Deadline(NOW, "Posted Today", "", RELATIVE)),
        (
            "Posted 30+ Days Ago",
            {"now": NOW},
            Deadline(_utc(2026, 2, 5, 12), "Posted 30+ Days Ago", "", RELATIVE),
        ),
        ("Posted 2 Days Ago", {}, Deadline(None, "Posted 2 Days Ago", "", RELATIVE)),
        ("1773705600000", {}, Deadline(_utc(2026, 3, 17), "1773705600000", "UTC", PARSED)),
        (1773705600000, {}, Deadline(_utc(2026, 3, 17), "1773705600000", "UTC", PARSED)),
        ("1773705600", {}, Deadline(_utc(2026, 3, 17), "1773705600", "UTC", PARSED)),
        (
            "/Date(1773705600000)/",
            {},
            Deadline(_utc(2026, 3, 17), "/Date(1773705600000)/", "UTC", PARSED),
        ),
        ("", {}, Deadline(None, "", "", MISSING)),
        ("   ", {}, Deadline(None, "", "", MISSING)),
        (None, {}, Deadline(None, "", "", MISSING)),
        ("as soon as possible", {}, Deadline(None, "as soon as possible", "", UNPARSEABLE)),
        ("31/02/2026", {}, Deadline(None, "31/02/2026", "", UNPARSEABLE)),
        ("March 16", {}, Deadline(None, "March 16", "", UNPARSEABLE)),
    ],
)
def test_parse_deadline_reads_feed_formats(text, options, expected):
    assert parse_deadline(text, **options) == expected


def test_parse_deadline_refuses_an_unknown_default_zone():
    with pytest.raises(ValueError, match="unknown default_zone 'Europe/Atlantis'"):
        parse_deadline("May-5-26", default_zone="Europe/Atlantis")


def test_parse_deadline_reports_the_zone_used():
    deadline = parse_deadline("Mar 20 2026 Greenwich Standard Time")

    assert (deadline.zone, deadline.at.utcoffset(), deadline.zone_assumed) == (
        "Atlantic/Reykjavik",
        timedelta(0),
        False,
    )


@settings(max_examples=300, database=None)
@given(text=st.text(), day_first=st.sampled_from([None, True, False]))
def test_parse_deadline_never_raises_on_arbitrary_text(text, day_first):
    deadline = parse_deadline(text, now=NOW, day_first=day_first, default_zone="Europe/Oslo")

    assert deadline.status in set(DeadlineStatus)
    assert deadline.at is None or deadline.at.tzinfo is not None


@settings(max_examples=200, database=None)
@given(
    text=st.from_regex(
        r"(Posted |Deadline: |Apply by )?[0-9A-Za-z ,:/+\-.()]{0,40}( Standard Time| UTC| GMT)?",
        fullmatch=True,
    )
)
def test_parse_deadline_never_raises_on_date_like_text(text):
    deadline = parse_deadline(text, now=NOW)

    assert deadline.status in set(DeadlineStatus)


@settings(max_examples=200, database=None)
@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_parse_deadline_reads_back_written_dates(day):
    texts = [day.strftime("%d %B %Y"), day.strftime("%A, %d %B %Y"), day.isoformat()]

    readings = {parse_deadline(text).at for text in texts}

    assert readings == {datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=UTC)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kenya", "KE"),
        ("ken", "KE"),
        ("KEN", "KE"),
        ("NO", "NO"),
        ("Norway", "NO"),
        ("Türkiye", "TR"),
        ("Turkiye", "TR"),
        ("Turkey", "TR"),
        ("Republic of Türkiye", "TR"),
        ("Dem. Rep. of Congo", "CD"),
        ("Democratic Republic of the Congo", "CD"),
        ("Congo, Dem. Rep.", "CD"),
        ("Congo", "CG"),
        ("Korea, Republic of", "KR"),
        ("Republic of Korea", "KR"),
        ("Iran", "IR"),
        ("Iran (Islamic Republic of)", "IR"),
        ("Tanzania, the United Republic of", "TZ"),
        ("United Republic of Tanzania", "TZ"),
        ("Côte d'Ivoire", "CI"),
        ("Lao PDR", "LA"),
        ("Viet Nam", "VN"),
        ("occupied Palestinian territory", "PS"),
        ("State of Palestine", "PS"),
        ("USA", "US"),
        ("United States of America", "US"),
        ("UK", "GB"),
        ("the Netherlands", "NL"),
        ("Kosovo", "XK"),
        ("xkx", "XK"),
        ("DC", ""),
        ("Atlantis", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_country_reads_names_codes_and_un_spellings(text, expected):
    assert normalise_country(text) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("UNICEF", "unicef"),
        ("UNICEF - United Nations Children's Fund", "unicef"),
        ("United Nations Children\u2019s Fund", "unicef"),
        ("unhcr", "unhcr"),
        ("The UN Refugee Agency", "unhcr"),
        ("UNDP - United Nations Development Programme", "undp"),
        ("WFP - World Food Programme", "wfp"),
        ("World Health Organization", "who"),
        ("UN Women/UNDP", "un-women"),
        ("UN-Women", "un-women"),
        ("UNFPA - United Nations Population Fund", "unfpa"),
        ("UNOPS", "unops"),
        ("OCHA", "ocha"),
        ("Food and Agriculture Organization of the United Nations", "fao"),
        ("International Labour Organization", "ilo"),
        ("IOM - UN Migration", "iom"),
        ("United Nations Volunteers", "unv"),
        ("World Bank Group", "world-bank"),
        ("UNESCO", "unesco"),
        ("Department of Economic and Social Affairs", "un-secretariat"),
        ("Norad", "norad"),
        ("Norwegian Refugee Council", "nrc"),
        ("Qatar Charity", None),
        ("", None),
    ],
)
def test_organisation_slug_for_matches_acronyms_and_full_names(name, expected):
    assert organisation_slug_for(name) == expected


def test_organisation_aliases_name_one_slug_each():
    spellings = [
        organisation_slug_for(spelling)
        for slug, aliases in ORGANISATION_ALIASES.items()
        for spelling in aliases
    ]
    expected = [slug for slug, aliases in ORGANISATION_ALIASES.items() for _ in aliases]

    assert spellings == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Programme Specialist, P-4, Fixed Term, Nairobi, Kenya #00132723", ("Nairobi", "KE")),
        ("Education Officer, P-3, outposted to Bangui, CAR, #140200", ("Bangui", "CF")),
        ("WASH Officer, (P2), Cochabamba-Bolivia, # 136480 (TA)", ("Cochabamba", "BO")),
        ("Health Officer, NO-B, Bukavu, Dem. Rep. of Congo, #140300", ("Bukavu", "CD")),
        (
            "Nutrition Specialist, P-3, Regional Office, Panama City (6 months)",
            ("Panama City", "PA"),
        ),
        ("Data Specialist, P-3, Digital Core - ICT Office, Spain, Valencia", ("Valencia", "ES")),
        (
            "Field Officer, P-3, Temporary Assignment, # 00136039, Gao \u2013 Mali, WCAR",
            ("Gao", "ML"),
        ),
        (
            "Social Policy Officer \u2013 Dar es salaam, Tanzania. (6 months)",
            ("Dar es salaam", "TZ"),
        ),
        ("Partnerships Officer, P-3, Porto-Novo, Benin", ("Porto-Novo", "BJ")),
        ("Country Office Support, P-4, HQ outposted to Kabul, Afghanistan", ("Kabul", "AF")),
        ("Innovation Specialist, P-3, Office of Innovation, #00136398", None),
        ("Partnerships Manager (P-4), In Riyadh- Gulf Area Office", None),
        ("", None),
    ],
)
def test_extract_duty_station_reads_title_locations(title, expected):
    assert extract_duty_station(title) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Geneva, Switzerland", ("Geneva", "CH")),
        ("Seoul, Korea, Republic of", ("Seoul", "KR")),
        ("Copenhagen (HQ), Denmark", ("Copenhagen", "DK")),
        ("Washington, DC", ("Washington, DC", "US")),
        ("Kenya", ("", "KE")),
        ("Somewhere", ("Somewhere", "")),
        ("", None),
    ],
)
def test_parse_location_reads_city_and_country(text, expected):
    assert parse_location(text) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Programme Specialist, P-4, Fixed Term Position, Amman", "fixed_term"),
        ("Re-advertised: Child Protection Specialist, N0-3, Fixed-Term, Ankara", "fixed_term"),
        ("Programme Specialist, P-3, TA (364 days), Stockholm", "temporary"),
        ("E T Temporary - Program Assistant", "temporary"),
        ("Temporary Appointment: Planning Specialist", "temporary"),
        ("International Consultant (Team Leader)", "consultancy"),
        ("UNV Specialist, Environment", "volunteer"),
        ("National Intern: WASH Knowledge Management", "internship"),
        ("Secondment: Senior Adviser", "secondment"),
        ("JPO - Education Officer, P-2", None),
        ("Data Analyst", None),
    ],
)
def test_extract_contract_type_reads_titles(title, expected):
    assert extract_contract_type(title) == expected


def test_extract_post_numbers_strips_zero_padding():
    title = "Batch Recruitment: Officer, #00136457 # 136458, Post # 87009, Post#127035"

    assert extract_post_numbers(title) == ("136457", "136458", "87009", "127035")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Batch Recruitment of 2 positions: Programme Specialist, P-3", 2),
        ("Internship: Social Listening (2 persons) - Part-time", 2),
        ("New Internship Recruitment (Two Positions) - Election Advocacy", 2),
        ("Programme Specialist, P-3, Nairobi", 1),
    ],
)
def test_extract_number_of_posts_reads_counts(title, expected):
    assert extract_number_of_posts(title) == expected


def test_sanitise_html_removes_scripts_styles_and_event_attributes():
    html = (
        '<p onclick="steal()" style="color:red">Hello <b>world</b></p>'
        "<script>alert(1)</script><style>p{}</style>"
        '<a href="javascript:alert(1)">bad</a><a href="https://unicef.org" target="_blank">ok</a>'
        '<img src="x" onerror="alert(1)"><table><tr><td colspan="2">cell</td></tr></table>'
    )

    assert sanitise_html(html) == (
        "<p>Hello <b>world</b></p>"
        '<a rel="noopener noreferrer nofollow">bad</a>'
        '<a href="https://unicef.org" rel="noopener noreferrer nofollow">ok</a>'
        '<table><tbody><tr><td colspan="2">cell</td></tr></tbody></table>'
    )


def test_sanitise_html_turns_plain_text_into_paragraphs():
    assert sanitise_html("First line\nsecond: a < b & c\n\nNext paragraph") == (
        "<p>First line<br>second: a &lt; b &amp; c</p><p>Next paragraph</p>"
    )


def test_html_to_text_keeps_one_line_per_block():
    assert html_to_text("Level: P2<br/>Location: Suva, Fiji<p>Posted: <b>today</b></p>") == (
        "Level: P2\nLocation: Suva, Fiji\nPosted: today"
    )


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["Posting Date 02/19/2026", "Apply Before 03/05/2026"], False),
        (["Posted 19/02/2026", "Closes 03/05/2026"], True),
        (["03/05/2026"], None),
        (["19/02/2026", "02/19/2026"], None),
    ],
)
def test_infer_day_first_reads_the_document_order(texts, expected):
    assert infer_day_first(texts) is expected


@settings(max_examples=200, database=None)
@given(text=st.text())
def test_text_normalisers_never_raise(text):
    grade, raw = normalise_grade(text)
    country = normalise_country(text)
    station = extract_duty_station(text)

    assert grade is None or isinstance(grade, str)
    assert isinstance(raw, str)
    assert country == "" or len(country) == 2
    assert station is None or len(station) == 2
