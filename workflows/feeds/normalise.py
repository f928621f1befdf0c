"""Pure normalisation of what feeds write: grades, deadlines, countries, duty stations, HTML.

Deterministic, no I/O and no Django settings: adapters call these on every item, so every pattern
is compiled once at import time.
"""

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django_countries.base import CountriesBase
from django_countries.data import ALT_CODES, COUNTRIES
from tzlocal.windows_tz import win_tz

from recruitment import validators
from recruitment.enums import ContractType, DeadlineStatus, Grade
from workflows.feeds.organisations import ORGANISATION_ALIASES

# --------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"[A-Za-z0-9]+|&")


def collapse_whitespace(text: str) -> str:
    """Return `text` with every run of whitespace (newlines, NBSP, tabs) turned into one space."""
    return " ".join(text.split())


@lru_cache(maxsize=2048)
def _fold_char(char: str) -> str:
    base = unicodedata.normalize("NFKD", char)[:1]
    # Exactly one character out for one in, so offsets in folded text match the original.
    return base if base.isascii() and base.isalnum() else char


def fold(text: str) -> str:
    """Strip accents character by character ('Türkiye' -> 'Turkiye'), keeping string offsets."""
    if text.isascii():
        return text
    return "".join(_fold_char(char) for char in text)


def _tokens(text: str) -> list[str]:
    return ["and" if token == "&" else token.lower() for token in _TOKEN_RE.findall(fold(text))]


def match_key(text: str) -> str:
    """The comparison key of a name: accents, case and punctuation removed, '&' read as 'and'."""
    return " ".join(_tokens(text))


_BLOCK_TAG_RE = re.compile(
    r"<\s*(?:br|/?p|/?div|/?li|/?t[rdh]|/?h[1-6]|/?ul|/?ol|/?table|/?blockquote)\b[^>]*>", re.I
)
_TAG_RE = re.compile(r"<[^>]*>")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_SCRIPT_STYLE_RE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment, one line per block element, for label/value extraction."""
    if "<" not in markup and "&" not in markup:
        return "\n".join(filter(None, (collapse_whitespace(line) for line in markup.splitlines())))
    text = _SCRIPT_STYLE_RE.sub(" ", _COMMENT_RE.sub(" ", markup))
    text = _TAG_RE.sub("", _BLOCK_TAG_RE.sub("\n", text))
    lines = (collapse_whitespace(line) for line in html.unescape(text).splitlines())
    return "\n".join(line for line in lines if line)


# One sanitiser for every description, posted or fetched (recruitment.validators).
sanitise_html = validators.sanitise_html


# --------------------------------------------------------------------------------------------
# Grades and contract types
# --------------------------------------------------------------------------------------------

# Each multi-branch pattern starts with a lookahead on its possible first characters: Python's
# re engine would otherwise try every branch at every position (5-7x slower on titles).
_GRADE_RE = re.compile(
    r"(?<![A-Za-z0-9])(?=[PpDdNFfGg])(?:"
    r"(?P<p>[Pp][Rr]?)\s?[-\u2013.]?\s?(?P<p_level>[1-5])"
    r"|(?P<d>[Dd])\s?[-\u2013]?\s?(?P<d_level>[12])"
    # Upper case only: "no 5" and "No. B" are words, NO-B and NOB are grades.
    r"|N[O0]\s?[-\u2013]?\s?(?P<no_level>[A-E1-5])"
    r"|(?P<fs>[Ff][Ss])\s?[-\u2013]?\s?(?P<fs_level>[1-7])"
    r"|(?P<g>[Gg][Ss]?)\s?[-\u2013]?\s?(?P<g_level>[1-7])"
    r")(?![A-Za-z0-9])"
)
_NON_STAFF_RE = re.compile(
    r"(?=[uci])(?:(?P<unv>(?-i:\bUNV\b)|\bU\.?N\.? volunteers?\b|\bUnited Nations volunteers?\b)"
    r"|(?P<consultant>\bconsultan(?:t|ts|cy|cies)\b)"
    r"|(?P<intern>\bintern(?:s|ship|ships)?\b))",
    re.IGNORECASE,
)
_NON_STAFF_GRADES = {"unv": Grade.UNV, "consultant": Grade.CONSULTANT, "intern": Grade.INTERN}
# A grade field holding a code we do not map (World Bank GA-GK, UNDP NPSA-9, ICS-10, "I"):
# the raw code is kept so nobody has to reopen the payload to see it.
_CODE_LIKE_RE = re.compile(r"[A-Z0-9][A-Z0-9.\-/+]{0,11}(?: [A-Z0-9.\-/+]{1,6}){0,2}")
# UNICEF numbers its National Officer levels NO-1..NO-4: they are NO-A..NO-D.
_NATIONAL_OFFICER_DIGITS = {"1": "A", "2": "B", "3": "C", "4": "D", "5": "E"}


def _grade_from_match(match: re.Match[str]) -> str:
    if match["p_level"]:
        return Grade(f"P-{match['p_level']}").value
    if match["d_level"]:
        return Grade(f"D-{match['d_level']}").value
    if match["no_level"]:
        level = _NATIONAL_OFFICER_DIGITS.get(match["no_level"], match["no_level"])
        return Grade(f"NO-{level}").value
    if match["fs_level"]:
        return Grade(f"FS-{match['fs_level']}").value
    return Grade(f"G-{match['g_level']}").value


def normalise_grade(text: str | None) -> tuple[str | None, str]:
    """Find the UN grade in a grade field or a title: (Grade value or None, the raw spelling).

    Staff grades (P, D, NO, G/GS, FS) win over the non-staff kinds (UNV, consultant, intern),
    and the first staff grade in the text wins ("P-3/P-4" -> P-3). The raw spelling is the
    fragment that matched ("PR2", "N0-3", "Grade P5" -> "P5"), or a whole short code we do
    not map (World Bank "GF" -> (None, "GF")), or "" when the text names no grade.
    """
    if not text:
        return None, ""
    text = collapse_whitespace(text)
    if match := _GRADE_RE.search(text):
        return _grade_from_match(match), match.group(0)
    if match := _NON_STAFF_RE.search(text):
        return _NON_STAFF_GRADES[match.lastgroup or ""].value, match.group(0)
    if _CODE_LIKE_RE.fullmatch(text):
        return None, text
    return None, ""


def is_grade_only(text: str) -> bool:
    """True when `text` is nothing but a staff grade ("PR2", "P-4"), as in detached page labels."""
    return _GRADE_RE.fullmatch(collapse_whitespace(text)) is not None


_CONTRACT_RE = re.compile(
    r"(?=[ft3cilsvu])(?:(?P<fixed_term>\bfixed[\s-]*term\b|(?-i:\bFTA\b))"
    r"|(?P<temporary>\btemporary\b|(?-i:\bTA\b|\bTMA\b|\bTJO\b)|\b364[\s-]*days?\b)"
    r"|(?P<consultancy>\bconsultan(?:t|ts|cy|cies)\b|\bindividual[\s-]+contract(?:or|ors)?\b"
    r"|(?-i:\bIC\b|\bIICA\b|\bLICA\b|\bSTC\b))"
    r"|(?P<volunteer>\bvolunteers?\b|(?-i:\bUNV\b))"
    r"|(?P<internship>\bintern(?:s|ship|ships)?\b)"
    r"|(?P<secondment>\bsecondments?\b|\bseconded\b))",
    re.IGNORECASE,
)


def extract_contract_type(text: str | None) -> str | None:
    """The ContractType a title or field names ('Fixed Term', 'TA (364 days)', 'E T Temporary').

    The leftmost mention wins; None when the text names no contract type.
    """
    if not text or not (match := _CONTRACT_RE.search(text)):
        return None
    return ContractType(match.lastgroup).value


# "#00132723", "# 136135", "Post # 87009", "Post#127035", "Post No. 1234"
_POST_NUMBER_RE = re.compile(
    r"(?=[#Pp])(?:#|\bPost\s*(?:No\.?|Number|#))\s*#?\s*(\d{3,10})\b", re.I
)
_WORD_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10,
}  # fmt: skip
_COUNT = r"\d{1,3}|two|three|four|five|six|seven|eight|nine|ten"
_POSTS_COUNT_RE = re.compile(
    rf"(?=[b\dtfsen])(?:\bbatch\s+recruitment\s+of\s+(?P<batch>{_COUNT})\b"
    rf"|\b(?P<count>{_COUNT})\s+(?:positions|posts|persons|vacancies|openings)\b)",
    re.IGNORECASE,
)


def extract_post_numbers(text: str | None) -> tuple[str, ...]:
    """Post numbers written in a title ('#00132723' -> '132723'), leading zeros dropped.

    The same post is written with and without zero padding across feeds, so the digits are
    compared without it.
    """
    if not text:
        return ()
    numbers = (match.lstrip("0") or "0" for match in _POST_NUMBER_RE.findall(text))
    return tuple(dict.fromkeys(numbers))


def extract_number_of_posts(text: str | None) -> int:
    """How many posts one vacancy fills ('Batch Recruitment of 2 positions' -> 2), else 1."""
    if not text or not (match := _POSTS_COUNT_RE.search(text)):
        return 1
    word = (match["batch"] or match["count"]).lower()
    count = _WORD_NUMBERS.get(word) or int(word)
    return min(max(count, 1), 999)


def remove_post_numbers(text: str) -> str:
    """`text` without its post-number fragments, so they do not read as parts of places."""
    return _POST_NUMBER_RE.sub(" ", text)


# --------------------------------------------------------------------------------------------
# Countries and duty stations
# --------------------------------------------------------------------------------------------

# UN, World Bank and feed spellings that ISO names and django-countries' common names miss.
_COUNTRY_SPELLINGS: dict[str, str] = {
    "Dem. Rep. of Congo": "CD",
    "Dem. Rep. of the Congo": "CD",
    "Democratic Republic of Congo": "CD",
    "DR Congo": "CD",
    "Congo, Dem. Rep.": "CD",
    "Congo DR": "CD",
    "Republic of the Congo": "CG",
    "Congo, Rep.": "CG",
    "Congo-Brazzaville": "CG",
    "Ivory Coast": "CI",
    "Cote d'Ivoire": "CI",
    "Republic of Türkiye": "TR",
    "Turkiye": "TR",
    "Korea, Rep.": "KR",
    "Korea, Dem. People's Rep.": "KP",
    "Iran, Islamic Rep.": "IR",
    "Islamic Republic of Iran": "IR",
    "Lao PDR": "LA",
    "Lao People's Democratic Republic": "LA",
    "Viet Nam": "VN",
    "United Republic of Tanzania": "TZ",
    "Syria": "SY",
    "State of Palestine": "PS",
    "occupied Palestinian territory": "PS",
    "Occupied Palestinian Territories": "PS",
    "United States": "US",
    "United Kingdom": "GB",
    "Great Britain": "GB",
    "Russian Federation": "RU",
    "Cape Verde": "CV",
    "East Timor": "TL",
    "Burma": "MM",
    "Republic of Moldova": "MD",
    "Egypt, Arab Rep.": "EG",
    "Yemen, Rep.": "YE",
    "Gambia, The": "GM",
    "The Gambia": "GM",
    "Venezuela, RB": "VE",
    "Kyrgyz Republic": "KG",
    "Slovak Republic": "SK",
    "Hong Kong SAR, China": "HK",
    "St. Lucia": "LC",
    "St. Kitts and Nevis": "KN",
    "St. Vincent and the Grenadines": "VC",
    "Micronesia, Fed. Sts.": "FM",
    "Holy See": "VA",
    "Vatican": "VA",
    # Kosovo has no ISO 3166 code; UN, EU and World Bank data use the user-assigned XK.
    "Kosovo": "XK",
}
# Abbreviations are matched with their case only, so the word "car" is not a country.
_COUNTRY_ABBREVIATIONS: dict[str, str] = {
    "USA": "US", "U.S.A.": "US", "UK": "GB", "DRC": "CD", "RDC": "CD", "CAR": "CF", "UAE": "AE",
    "DPRK": "KP", "oPt": "PS", "OPT": "PS", "PNG": "PG", "BiH": "BA",
}  # fmt: skip
_EXTRA_ALPHA3 = {"XKX": "XK", "KOS": "XK"}
_NAME_WITH_QUALIFIER_RE = re.compile(r"^(?P<base>[^(,]+?)\s*(?:\((?P<p>[^)]*)\)|,\s*(?P<c>.+))$")
_LEADING_THE_RE = re.compile(r"^the\s+", re.I)


def _english(name: object) -> str:
    """The English name behind django-countries' lazy translation, without Django settings.

    django-countries wraps each name in gettext_lazy; the msgid is the English name and sits in
    the lazy proxy's arguments, so reading it needs neither settings nor an active language.
    """
    if isinstance(name, str):
        return name
    args = getattr(name, "_args", None)
    if args and isinstance(args[0], str):
        return args[0]
    return str(name)


def _name_variants(name: str) -> list[str]:
    """'Korea (the Republic of)' -> 'Korea', 'Republic of Korea', 'Korea Republic of', ..."""
    match = _NAME_WITH_QUALIFIER_RE.match(name)
    if not match:
        return []
    base = match["base"].strip()
    qualifier = (match["p"] or match["c"] or "").strip()
    bare = _LEADING_THE_RE.sub("", qualifier)
    return [base, f"{qualifier} {base}", f"{bare} {base}", f"{base} {bare}", f"{base} {qualifier}"]


def _build_country_index() -> tuple[dict[str, str], dict[str, str]]:
    names: dict[str, str] = {}
    for code, name in COUNTRIES.items():
        names.setdefault(match_key(_english(name)), code)
    for code, name in CountriesBase.COMMON_NAMES.items():
        names.setdefault(match_key(_english(name)), code)
    for code, old_names in CountriesBase.OLD_NAMES.items():
        for name in old_names:
            names.setdefault(match_key(_english(name)), code)
    for name, code in _COUNTRY_SPELLINGS.items():
        names[match_key(name)] = code
    # Generated variants are used only where they are unambiguous ("Korea" is not).
    variants: dict[str, set[str]] = {}
    for code, name in COUNTRIES.items():
        for variant in _name_variants(_english(name)):
            variants.setdefault(match_key(variant), set()).add(code)
    for key, codes in variants.items():
        if key and key not in names and len(codes) == 1:
            names[key] = next(iter(codes))
    alpha3 = {codes[0]: alpha2 for alpha2, codes in ALT_CODES.items()} | _EXTRA_ALPHA3
    return names, alpha3


def _trie_pattern(keys: Iterable[str]) -> str:
    """One regex alternation for many names, factored character by character.

    A flat alternation of some 700 names makes the re engine try each at every word start;
    the trie tries one branch per character. Spaces in keys match any run of punctuation
    and spaces ("Dem. Rep. of Congo"), as match_key() reads them.
    """
    trie: dict[str, dict] = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        branches = [
            (r"[\W_]+" if char == " " else re.escape(char)) + build(child)
            for char, child in sorted(node.items())
            if char
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


_COUNTRY_NAMES, _ALPHA3_TO_ALPHA2 = _build_country_index()
# "and" in a name may be written "&" ("Trinidad & Tobago").
_COUNTRY_NAME_RE = re.compile(
    r"\b"
    + _trie_pattern(
        {k for k in _COUNTRY_NAMES} | {k.replace(" and ", " & ") for k in _COUNTRY_NAMES}
    )
    + r"(?![A-Za-z0-9])",
    # ASCII: keys are ASCII, and Unicode case folding would let a dotless i (U+0131) match "i".
    re.IGNORECASE | re.ASCII,
)
# Candidate starts for the scan: capitalised words; a name is tried only where one begins.
_CAPITALISED_WORD_RE = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Za-z]*")
_COUNTRY_FIRST_WORDS = frozenset(key.split(" ", 1)[0] for key in _COUNTRY_NAMES)


@lru_cache(maxsize=4096)  # feeds repeat the same few countries thousands of times
def normalise_country(text: str | None) -> str:
    """ISO 3166 alpha-2 code for a country field: a name, an alpha-2 or alpha-3 code, or a
    common UN/World Bank spelling ('Dem. Rep. of Congo', 'Türkiye', 'ken'); '' when unknown.

    Names and codes come from django-countries' ISO data (read without Django settings), plus
    the spellings above. Kosovo is 'XK', the user-assigned code UN and World Bank data use.
    """
    if not text:
        return ""
    text = collapse_whitespace(text).strip(" .,")
    if len(text) == 2 and text.isalpha():
        code = text.upper()
        if code in COUNTRIES or code == "XK":
            return code
    if len(text) == 3 and text.isalpha() and (code := _ALPHA3_TO_ALPHA2.get(text.upper())):
        return code
    if code := _COUNTRY_ABBREVIATIONS.get(text) or _COUNTRY_ABBREVIATIONS.get(text.upper()):
        return code
    key = match_key(text)
    return _COUNTRY_NAMES.get(key) or _COUNTRY_NAMES.get(_LEADING_THE_RE.sub("", key), "")


@lru_cache(maxsize=1024)
def _country_of_name(name: str) -> str:
    return _COUNTRY_NAMES.get(match_key(name), "")


def find_country(text: str) -> tuple[int, int, str] | None:
    """The last country named in free text: (start, end, alpha-2), offsets into `text`.

    Only capitalised names and case-exact abbreviations count, and never bare ISO codes:
    in a title "IT" is a field of work and "NO" a word.
    """
    folded = fold(text)
    found: tuple[int, int, str] | None = None
    for word in _CAPITALISED_WORD_RE.finditer(folded):
        if found is not None and word.start() < found[1]:
            continue  # inside the name just found ("Republic of Turkiye")
        if code := _COUNTRY_ABBREVIATIONS.get(word.group()):
            found = (word.start(), word.end(), code)
        elif (
            word.group().lower() in _COUNTRY_FIRST_WORDS
            and (name := _COUNTRY_NAME_RE.match(folded, word.start()))
            and (code := _country_of_name(name.group()))
        ):
            found = (name.start(), name.end(), code)
    return found


# Headquarters and hub cities, for sources that name a duty station without its country.
_CITY_COUNTRY: dict[str, str] = {
    match_key(city): code
    for city, code in {
        "New York": "US", "Washington": "US", "Washington DC": "US", "Geneva": "CH",
        "Vienna": "AT", "Nairobi": "KE", "Rome": "IT", "Paris": "FR", "Copenhagen": "DK",
        "Bonn": "DE", "Bangkok": "TH", "Addis Ababa": "ET", "Santiago": "CL", "Beirut": "LB",
        "The Hague": "NL", "Brussels": "BE", "Budapest": "HU", "Istanbul": "TR", "Amman": "JO",
        "Dakar": "SN", "Panama City": "PA", "Montreal": "CA", "London": "GB", "Madrid": "ES",
        "Tokyo": "JP", "Kuala Lumpur": "MY", "Valencia": "ES", "Turin": "IT", "Brindisi": "IT",
        "Entebbe": "UG", "Florence": "IT", "Oslo": "NO", "Cairo": "EG", "Pretoria": "ZA",
        "Johannesburg": "ZA", "Kabul": "AF", "Juba": "SS", "Kinshasa": "CD",
    }.items()
}  # fmt: skip
_PARENTHETICAL_RE = re.compile(r"\s*\([^()]*\)")


def country_for_city(city: str) -> str:
    """ISO alpha-2 of a well-known UN headquarters or hub city, else ''."""
    return _CITY_COUNTRY.get(match_key(_PARENTHETICAL_RE.sub("", city)), "")


def clean_city(city: str) -> str:
    """A city name without office qualifiers: 'Copenhagen (HQ)' -> 'Copenhagen'."""
    city = collapse_whitespace(_PARENTHETICAL_RE.sub("", city)).strip(" ,.-")
    # Sources that shout ("NEW YORK") are title-cased; mixed case is kept as written.
    return city.title() if city.isupper() and len(city) > 3 else city


def parse_location(text: str | None) -> tuple[str, str] | None:
    """A 'City, Country' field as (city, alpha-2); ('Washington, DC') -> ('Washington, DC', 'US').

    The country is the longest comma-separated tail that names one ('Seoul, Korea, Republic of'),
    and a lone country gives ('', code). None for an empty field.
    """
    text = collapse_whitespace(text or "").strip(" .")
    if not text:
        return None
    parts = [part.strip() for part in text.split(",")]
    for index in range(1, len(parts)):
        if code := normalise_country(", ".join(parts[index:])):
            return clean_city(", ".join(parts[:index])), code
    if code := normalise_country(text):
        return "", code
    city = clean_city(text)
    return city, country_for_city(city)


_SEGMENT_SPLIT_RE = re.compile(r"[,;:#/|\u2013\u2014\-]|\.(?:\s|$)")
# Words that name an office, a role or a term, never a city.
_NOT_PLACE_WORDS = frozenset({
    "office", "offices", "division", "programme", "program", "unit", "section", "specialist",
    "officer", "manager", "position", "positions", "appointment", "temporary", "term", "fixed",
    "hq", "regional", "region", "country", "team", "centre", "center", "hub", "bureau",
    "innovation", "core", "nationals", "national", "months", "month", "days", "weeks", "part",
    "time", "full", "only", "open", "internship", "intern", "consultant", "level", "grade",
    "post", "republic", "state", "area", "services", "service", "project", "digital", "global",
    "support", "headquarters", "field", "liaison", "mission", "operations", "based",
    "assignment", "readvertisement", "advertisement", "recruitment", "batch", "junior",
    "professional",
})  # fmt: skip
_HYPHENATED_CITIES = ("Porto-Novo", "Bobo-Dioulasso", "Port-au-Prince", "Cap-Haitien",
                      "Pointe-Noire", "Dar-es-Salaam", "Saint-Denis")  # fmt: skip
_HYPHENATED_ENDINGS = tuple(city.lower() for city in _HYPHENATED_CITIES)
_MAX_CITY_WORDS = 3
_CITY_SUFFIX_RE = re.compile(r"\s+City\b")
_DIGIT_RE = re.compile(r"\d")


def _is_place_word(word: str) -> bool:
    return (
        len(word) > 1
        and word[0].isupper()
        and not word.isupper()
        and word.lower() not in _NOT_PLACE_WORDS
        and not _DIGIT_RE.search(word)
    )


def _plausible_city(segment: str) -> str:
    """The segment if it reads as a city, else its trailing capitalised words, else ''."""
    words = segment.split()
    if (
        words
        and len(words) <= _MAX_CITY_WORDS
        and _is_place_word(words[0])
        and all(len(w) > 1 and w.lower() not in _NOT_PLACE_WORDS for w in words)
        and not _DIGIT_RE.search(segment)
    ):
        return " ".join(words)
    trailing: list[str] = []
    for word in reversed(words):
        if not _is_place_word(word) or len(trailing) == _MAX_CITY_WORDS:
            break
        trailing.insert(0, word)
    return " ".join(trailing)


def _city_before(text: str) -> str:
    ending = text.rstrip(" ,.-\u2013\u2014").lower()
    if ending.endswith(_HYPHENATED_ENDINGS):
        return next(c for c in _HYPHENATED_CITIES if ending.endswith(c.lower()))
    for segment in reversed(_SEGMENT_SPLIT_RE.split(text)):
        if segment := segment.strip():
            return _plausible_city(segment)
    return ""


def _city_after(text: str) -> str:
    # Only a lone trailing segment ("..., Spain, Valencia"), never a region code ("..., MENA").
    segments = [s.strip() for s in _SEGMENT_SPLIT_RE.split(text) if s.strip()]
    return _plausible_city(segments[0]) if len(segments) == 1 else ""


def extract_duty_station(text: str | None) -> tuple[str, str] | None:
    """(city, alpha-2) named in a title, e.g. '..., P-4, Amman, Jordan #00133298'.

    The last country named wins; the city is the place written just before it (or a lone place
    just after it). Conservative: the city is '' rather than a guess. None without a country.
    """
    if not text:
        return None
    clean = text
    if "(" in clean:
        clean = _PARENTHETICAL_RE.sub(" ", _PARENTHETICAL_RE.sub(" ", clean))
    if "#" in clean or "ost" in clean:  # "#00132723", "Post # 87009"
        clean = remove_post_numbers(clean)
    found = find_country(clean)
    if found is None:
        return None
    start, end, code = found
    if city_match := _CITY_SUFFIX_RE.match(clean, end):
        return collapse_whitespace(clean[start : city_match.end()]), code
    return _city_before(clean[:start]) or _city_after(clean[end:]), code


# --------------------------------------------------------------------------------------------
# Organisations
# --------------------------------------------------------------------------------------------


def _build_organisation_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for slug, spellings in ORGANISATION_ALIASES.items():
        for spelling in spellings:
            key = match_key(spelling)
            if index.get(key, slug) != slug:
                raise ValueError(f"organisation alias {spelling!r} is listed for two slugs")
            index[key] = slug
    return index


_ORGANISATION_INDEX = _build_organisation_index()
_ORGANISATION_PART_SPLIT_RE = re.compile(r"\s+[-\u2013\u2014]\s+|[()/,:|]")


@lru_cache(maxsize=4096)  # one organisation name per feed, or a few hundred in an aggregator
def organisation_slug_for(name: str | None) -> str | None:
    """Our Organisation slug for a name as a feed writes it, from the alias table; else None.

    Case, accents and punctuation are ignored. A compound name is tried whole first, then part
    by part ('UNICEF - United Nations Children's Fund' -> 'unicef', 'UN Women/UNDP' -> 'un-women').
    """
    if not name:
        return None
    key = _LEADING_THE_RE.sub("", match_key(name))
    if slug := _ORGANISATION_INDEX.get(key):
        return slug
    for part in _ORGANISATION_PART_SPLIT_RE.split(name):
        if part.strip() and (
            slug := _ORGANISATION_INDEX.get(_LEADING_THE_RE.sub("", match_key(part)))
        ):
            return slug
    return None


# --------------------------------------------------------------------------------------------
# Deadlines and other dates
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Deadline:
    """A date text read into an aware datetime, with what was read and how.

    `zone` is the IANA zone whose rules gave the local time ('' when the text carried its own
    numeric offset); `zone_assumed` is True when the text named no zone and `default_zone` or
    UTC was used. An ambiguous text has `at=None` and both readings in `alternatives`.
    """

    at: datetime | None
    raw: str
    zone: str = ""
    status: str = DeadlineStatus.MISSING
    zone_assumed: bool = False
    alternatives: tuple[datetime, ...] = ()


_LABEL_RE = re.compile(
    r"^(?:deadline(?:\s+for\s+applications)?|closing\s+date|closes?(?:\s+on)?|apply\s+(?:by|before)"
    r"|application\s+(?:close|closes|deadline)|posted(?:\s+on)?|date\s+posted|posting\s+date"
    r"|advertised(?:\s+on)?|expires?(?:\s+on)?|valid\s+through)\s*[:\-]?\s*",
    re.IGNORECASE,
)
_RELATIVE_RE = re.compile(
    r"^(?:(?P<today>today|just\s+posted|now)|(?P<yesterday>yesterday)|(?P<tomorrow>tomorrow)"
    r"|(?:more\s+than\s+|over\s+)?(?P<ago>\d{1,4})\+?\s*(?P<ago_unit>minute|hour|day|week)s?\s+ago"
    r"|in\s+(?P<ahead>\d{1,4})\s*(?P<ahead_unit>minute|hour|day|week)s?)$",
    re.IGNORECASE,
)
_UNITS = {"minute": 60, "hour": 3600, "day": 86400, "week": 7 * 86400}
_EPOCH_RE = re.compile(r"^(?:/Date\()?(?P<value>-?\d{9,14})(?:[+-]\d{4})?(?:\)/)?$")
_ISO_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)?"
    r"(?:Z|[+-]\d{2}(?::?\d{2})?)?$"
)
_NUMERIC_DATE_RE = re.compile(
    r"^(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})[/.\-](?P<y>\d{4}|\d{2})(?:[,\s]+(?:at\s+)?(?P<time>.+))?$"
)
_YMD_RE = re.compile(r"^(?P<y>\d{4})[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})(?:[,\sT]+(?P<time>.+))?$")
_TIME_RE = re.compile(
    r"(?P<h>\d{1,2})(?::(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?\s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?)?"
    r"|\s*(?P<ampm_only>[AaPp]\.?\s?[Mm]\.?))(?:\s*(?:hrs?|h)\b)?"
)
# RFC-822, the date of every RSS item: read directly rather than by the general month-name path.
_RFC822_RE = re.compile(
    r"^(?:[A-Za-z]{3},\s*)?(?P<d>\d{1,2})\s+(?P<mon>[A-Za-z]{3})\s+(?P<y>\d{4})\s+"
    r"(?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?\s*(?:(?P<offset>[+-]\d{4})|(?P<utc>GMT|UTC?|Z))"
    r"(?:\s*\([A-Za-z ]{1,40}\))?$"  # an RFC 5322 comment: "-0500 (EST)"
)
_WORD_SPLIT_RE = re.compile(r"[A-Za-z]+|\d+")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")),
        start=1,
    )
    for name in names
}  # fmt: skip
_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (("mon", "monday"), ("tue", "tues", "tuesday"), ("wed", "wednesday"),
         ("thu", "thur", "thurs", "thursday"), ("fri", "friday"), ("sat", "saturday"),
         ("sun", "sunday"))
    )
    for name in names
}  # fmt: skip
# Ordinal suffixes ("4th") split off as words of their own, and are skipped like fillers.
_FILLER_WORDS = frozenset(
    {"of", "the", "at", "on", "by", "before", "until", "st", "nd", "rd", "th"}
)
# Zone abbreviations in UN postings. EST/CET mean New York and Geneva time all year round, so
# they map to those zones (their summer time included) rather than to fixed offsets.
_ZONE_ABBREVIATIONS = {
    "EST": "America/New_York", "EDT": "America/New_York", "CET": "Europe/Zurich",
    "CEST": "Europe/Zurich", "EAT": "Africa/Nairobi", "WAT": "Africa/Lagos",
    "CAT": "Africa/Maputo", "SAST": "Africa/Johannesburg", "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles", "JST": "Asia/Tokyo",
}  # fmt: skip
# Windows zone names ("Greenwich Standard Time") -> IANA, from tzlocal's table, which is
# generated from CLDR's windowsZones.xml; the "UTC±hh" entries are read as offsets below.
_WINDOWS_ZONES = {name.lower(): iana for name, iana in win_tz.items() if not name.startswith("UTC")}
_WINDOWS_ZONE_RE = re.compile(
    r"[\s,(]*\b(?P<name>"
    + "|".join(re.escape(name) for name in sorted(_WINDOWS_ZONES, key=len, reverse=True))
    + r")\s*\)?$",
    re.IGNORECASE,
)
_OFFSET_ZONE_RE = re.compile(
    r"[\s,(]*(?:\b(?:UTC|GMT)\s*(?P<sign>[+-])\s*(?P<hh>\d{1,2})(?::?(?P<mm>\d{2}))?"
    # A bare "+0000" only after a time of day: "20-03-2026" must not lose "-2026".
    r"|(?<=:\d\d)\s*(?P<sign2>[+-])(?P<hh2>\d{2}):?(?P<mm2>\d{2}))\)?$"
)
_LONGEST_ZONE_TEXT = 48  # "(Central Brazilian Standard Time)", "UTC+01:00)"
_IANA_NAME_RE = re.compile(r"[A-Z][A-Za-z_]+(?:/[A-Za-z_\-]+)+")


@lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _split_zone(text: str) -> tuple[tzinfo | None, str, str]:
    """(tz, IANA name or '', text without the zone) for a zone written at the end of `text`."""
    # The patterns end in "$": searching only the tail keeps them from trying every position.
    tail = max(0, len(text) - _LONGEST_ZONE_TEXT)
    # Every Windows name says "Time"; checking that first skips the long alternation.
    if "time" in text.lower() and (match := _WINDOWS_ZONE_RE.search(text, tail)):
        iana = _WINDOWS_ZONES[match["name"].lower()]
        return _zone(iana), iana, text[: match.start()]
    if ("+" in text or "-" in text) and (match := _OFFSET_ZONE_RE.search(text, tail)):
        sign = match["sign"] or match["sign2"]
        hours, minutes = int(match["hh"] or match["hh2"]), int(match["mm"] or match["mm2"] or 0)
        offset = timedelta(hours=hours, minutes=minutes) * (-1 if sign == "-" else 1)
        return timezone(offset), "", text[: match.start()]
    # The remaining forms are one word at the end: "GMT", "(CET)", "Europe/Oslo".
    head, _, last = text.rpartition(" ")
    word = last.strip("()")
    if word in ("UTC", "GMT", "UT"):
        return UTC, "UTC", head
    if word in _ZONE_ABBREVIATIONS:
        iana = _ZONE_ABBREVIATIONS[word]
        return _zone(iana), iana, head
    if "/" in word and _IANA_NAME_RE.fullmatch(word):
        try:
            return _zone(word), word, head
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return None, "", text


def _parse_time(text: str) -> time | None:
    """'05:25 PM' -> 17:25; '5 pm' -> 17:00; None when `text` is not a time of day."""
    match = _TIME_RE.fullmatch(text.strip())
    if not match:
        return None
    hour, minute, second = int(match["h"]), int(match["mi"] or 0), int(match["s"] or 0)
    ampm = (match["ampm"] or match["ampm_only"] or "").lower().replace(".", "").replace(" ", "")
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if match["mi"] is None and not ampm:
        return None
    return time(hour, minute, second)


def _year(text: str) -> int:
    # Two-digit years in vacancy feeds are this century ("May-5-26").
    return int(text) + 2000 if len(text) == 2 else int(text)


def infer_day_first(texts: Iterable[str]) -> bool | None:
    """Day/month order shown by numeric dates in one document ('02/19/2026' -> False).

    None when no date settles it or when dates disagree.
    """
    orders: set[bool] = set()
    for text in texts:
        for match in re.finditer(r"\b(\d{1,2})[/.](\d{1,2})[/.](?:\d{4}|\d{2})\b", text):
            first, second = int(match[1]), int(match[2])
            if first > 12 >= second:
                orders.add(True)
            elif second > 12 >= first:
                orders.add(False)
    return orders.pop() if len(orders) == 1 else None


class _Reader:
    """One parse: the zone found, the defaults, and how to finish a date into a Deadline."""

    def __init__(self, raw: str, default_zone: str | None, end_of_day: bool) -> None:
        self.raw = raw
        self.default_zone = default_zone
        self.end_of_day = end_of_day
        self.tz: tzinfo | None = None
        self.zone = ""

    def _local_zone(self) -> tuple[tzinfo, str, bool]:
        if self.tz is not None:
            return self.tz, self.zone, False
        if self.default_zone:
            return _zone(self.default_zone), self.default_zone, True
        return UTC, "UTC", True

    def instant(self, day: date, at: time | None) -> tuple[datetime, str, bool]:
        tz, zone, assumed = self._local_zone()
        if at is None:
            # A date alone closes at the end of that day, or opens at its start.
            at = time(23, 59, 59) if self.end_of_day else time(0, 0)
        return datetime.combine(day, at).replace(tzinfo=tz), zone, assumed

    def parsed(self, day: date, at: time | None) -> Deadline:
        moment, zone, assumed = self.instant(day, at)
        return Deadline(moment, self.raw, zone, DeadlineStatus.PARSED, assumed)

    def failed(self) -> Deadline:
        return Deadline(None, self.raw, "", DeadlineStatus.UNPARSEABLE)


def _parse_iso(text: str, reader: _Reader) -> Deadline:
    value = datetime.fromisoformat(text)
    if len(text) == 10:
        return reader.parsed(value.date(), None)
    if value.tzinfo is not None:
        return Deadline(value, reader.raw, "", DeadlineStatus.PARSED)
    return reader.parsed(value.date(), value.time())


def _parse_numeric(match: re.Match[str], reader: _Reader, day_first: bool | None) -> Deadline:
    first, second, year = int(match["a"]), int(match["b"]), _year(match["y"])
    at = None
    if match["time"] and (at := _parse_time(match["time"])) is None:
        return reader.failed()
    if first > 12 and second > 12:
        return reader.failed()
    if first > 12 or (day_first is True and second <= 12) or first == second:
        return reader.parsed(date(year, second, first), at)
    if second > 12 or day_first is False:
        return reader.parsed(date(year, first, second), at)
    # 03/05/2026 with no known order: both readings are kept and neither is chosen.
    readings = sorted(
        reader.instant(date(year, month, day), at)[0]
        for day, month in ((first, second), (second, first))
    )
    _, zone, assumed = reader.instant(date(year, 1, 1), at)
    return Deadline(None, reader.raw, zone, DeadlineStatus.AMBIGUOUS, assumed, tuple(readings))


def _parse_month_name(text: str, reader: _Reader) -> Deadline:
    at = None
    for time_match in _TIME_RE.finditer(text):
        # A bare number is a day or a year; a time needs a colon or am/pm.
        if (candidate := _parse_time(time_match.group(0))) is not None:
            at = candidate
            text = text[: time_match.start()] + " " + text[time_match.end() :]
            break
    month = weekday = None
    numbers: list[str] = []
    for word in _WORD_SPLIT_RE.findall(text):
        lower = word.lower()
        if word.isdigit():
            numbers.append(word)
        elif lower in _MONTHS and month is None:
            month = _MONTHS[lower]
        elif lower in _WEEKDAYS and weekday is None:
            weekday = _WEEKDAYS[lower]
        elif lower not in _FILLER_WORDS:
            return reader.failed()
    if month is None or len(numbers) != 2:
        return reader.failed()
    if len(numbers[0]) == 4:
        year, day = int(numbers[0]), int(numbers[1])
    elif len(numbers[1]) in (2, 4) and len(numbers[0]) <= 2:
        # "Mar 20 2026", "May-5-26", "20-Mar-26": the day comes before the year.
        day, year = int(numbers[0]), _year(numbers[1])
    else:
        return reader.failed()
    day_value = date(year, month, day)
    if weekday is not None and day_value.weekday() != weekday:
        moment, zone, assumed = reader.instant(day_value, at)
        return Deadline(None, reader.raw, zone, DeadlineStatus.AMBIGUOUS, assumed, (moment,))
    return reader.parsed(day_value, at)


def _parse_rfc822(match: re.Match[str], month: int, raw: str) -> Deadline:
    offset = match["offset"]
    tz = UTC
    if offset and offset != "-0000":  # "-0000" means "zone unknown": read as UTC (RFC 5322)
        minutes = int(offset[1:3]) * 60 + int(offset[3:])
        tz = timezone(timedelta(minutes=-minutes if offset[0] == "-" else minutes))
    moment = datetime(
        int(match["y"]), month, int(match["d"]), int(match["h"]), int(match["mi"]),
        int(match["s"] or 0), tzinfo=tz,
    )  # fmt: skip
    return Deadline(moment, raw, "UTC" if match["utc"] else "", DeadlineStatus.PARSED)


def _parse_relative(match: re.Match[str], raw: str, now: datetime | None) -> Deadline:
    if now is None:
        return Deadline(None, raw, "", DeadlineStatus.RELATIVE)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    if match["today"]:
        delta = timedelta()
    elif match["yesterday"]:
        delta = timedelta(days=-1)
    elif match["tomorrow"]:
        delta = timedelta(days=1)
    elif match["ago"]:
        delta = -timedelta(seconds=int(match["ago"]) * _UNITS[match["ago_unit"].lower()])
    else:
        delta = timedelta(seconds=int(match["ahead"]) * _UNITS[match["ahead_unit"].lower()])
    return Deadline(now + delta, raw, "", DeadlineStatus.RELATIVE)


# Feeds repeat the same date texts (one pubDate per scrape, one deadline per batch), and a
# Deadline is immutable, so reads are shared.
@lru_cache(maxsize=8192)
def _parse(
    raw: str, now: datetime | None, default_zone: str | None, day_first: bool | None, eod: bool
) -> Deadline:
    text = _LABEL_RE.sub("", collapse_whitespace(raw), count=1).strip(" .,;")
    if not text:
        return Deadline(None, raw, "", DeadlineStatus.MISSING)
    if match := _RELATIVE_RE.match(text):
        return _parse_relative(match, raw, now)
    if match := _EPOCH_RE.match(text):
        value = int(match["value"])
        # 12+ digits can only be milliseconds for any date a vacancy can have.
        seconds = value / 1000 if len(match["value"].lstrip("-")) >= 12 else value
        return Deadline(datetime.fromtimestamp(seconds, UTC), raw, "UTC", DeadlineStatus.PARSED)
    reader = _Reader(raw, default_zone, eod)
    if _ISO_RE.match(text):
        return _parse_iso(text, reader)
    if (match := _RFC822_RE.match(text)) and (month := _MONTHS.get(match["mon"].lower())):
        return _parse_rfc822(match, month, raw)
    reader.tz, reader.zone, text = _split_zone(text)
    text = text.strip(" ,;")
    if _ISO_RE.match(text):
        return _parse_iso(text, reader)
    if match := _YMD_RE.match(text):
        at = _parse_time(match["time"]) if match["time"] else None
        if match["time"] and at is None:
            return reader.failed()
        return reader.parsed(date(int(match["y"]), int(match["m"]), int(match["d"])), at)
    if match := _NUMERIC_DATE_RE.match(text):
        return _parse_numeric(match, reader, day_first)
    return _parse_month_name(text, reader)


def parse_deadline(
    text: str | int | float | None,
    *,
    now: datetime | None = None,
    default_zone: str | None = None,
    day_first: bool | None = None,
    end_of_day: bool = True,
) -> Deadline:
    """Read a date text from a feed into a Deadline; never raises.

    Reads ISO-8601 (with or without offset), RFC-822, month-name forms ('May-5-26',
    'Wednesday, 4 March 2026', 'Mar 20 2026 Greenwich Standard Time'), numeric forms
    ('03/05/2026, 05:25 PM'), Windows and IANA zone names, UTC/GMT offsets, relative text
    ('Posted 2 Days Ago', from `now`, the fetch time) and epoch seconds or milliseconds.

    - A date without time closes at 23:59:59 local time (`end_of_day=False`: opens at 00:00).
    - A text without a zone is read in `default_zone`, else UTC, and says so (`zone_assumed`).
    - A numeric date whose day and month could be swapped is AMBIGUOUS with both readings in
      `alternatives`, unless `day_first` states the source's order (or one part is over 12).
    - Empty text is MISSING; text we cannot read is UNPARSEABLE, its raw text kept.

    Raises ValueError only for an unknown `default_zone`, a configuration error.
    """
    if default_zone:
        try:
            _zone(default_zone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown default_zone {default_zone!r}") from error
    raw = "" if text is None or isinstance(text, bool) else str(text).strip()
    try:
        if isinstance(text, int | float) and not isinstance(text, bool):
            raw = str(int(text))
        return _parse(raw, now, default_zone, day_first, end_of_day)
    except (ValueError, OverflowError, OSError, ZoneInfoNotFoundError):
        # Out-of-range days, years and epochs; zone names in the text that tzdata lacks.
        return Deadline(None, raw, "", DeadlineStatus.UNPARSEABLE)
