"""Dates, times and zones as news pages write them beside a byline: one stamp a line, with its zone if it says one."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from .languages import MONTH_FIRST_PATTERN, MONTH_NUMBER, MONTH_PATTERN

# Fixed offsets (minutes) for the abbreviations bylines use; where one is ambiguous (CST, IST) the common news sense wins.
ZONE_OFFSETS = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 60, "BST": 60, "IST": 330, "CET": 60, "CEST": 120,
    "MET": 60, "MEST": 120, "EET": 120, "EEST": 180, "MSK": 180, "SAST": 120, "WAT": 60, "EAT": 180, "CAT": 120,
    "GST": 240, "PKT": 300, "NPT": 345, "ICT": 420, "WIB": 420, "SGT": 480, "HKT": 480, "PHT": 480, "AWST": 480,
    "KST": 540, "JST": 540, "ACST": 570, "ACDT": 630, "AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780,
    "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
    "AKST": -540, "AKDT": -480, "HST": -600, "HDT": -540, "AST": -240, "ADT": -180, "NST": -210, "NDT": -150,
    "BRT": -180, "ART": -180, "MEZ": 60, "MESZ": 120, "OEZ": 120, "OESZ": 180, "WEZ": 0, "WESZ": 60,
}
# "ET" and friends name a region, not an offset: the date decides between standard and daylight time.
ZONE_REGIONS = {"ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles"}
US_ZONES = frozenset({"ET", "CT", "MT", "PT", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "AKST", "AKDT", "HST"})

_MONTH = rf"(?P<mon>{MONTH_PATTERN})(?!\w)\.?"
_MONTH_FIRST = rf"(?P<mon>{MONTH_FIRST_PATTERN})(?!\w)\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
DATE_FORMS = (
    re.compile(rf"\b{_MONTH_FIRST},?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s*{_YEAR}(?!\d)", re.I),  # March 3, 2025; Nov 15, 20195:45
    # 3 March 2025, 19. Februar 2020, 1er février 2020, 19 de febrero de 2020, 3 de março de 2025
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th|er|\.|º|°)?\s+(?:of\s+|de\s+)?{_MONTH},?\s+(?:de\s+)?{_YEAR}(?!\d)", re.I),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)(?:[T ](?P<iso_time>\d\d:\d\d(?::\d\d)?)(?:\.\d+)?(?P<iso_offset>Z|[+-]\d\d:?\d\d)?)?(?![\d:])"),
    # 03/02/2025, 13.11.2019, 11/19/19; "Madrid-29/05/2025", a place glued to it by a dash
    re.compile(r"(?<![\d/.])(?<![\d/.]-)(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<year>(?:19|20)?\d\d)(?![\d/])"),
    re.compile(r"(?<![\d/.:-])(?P<a>\d{1,2})(?P<sep>-)(?P<b>\d{1,2})-(?P<year>(?:19|20)?\d\d)(?![\d/:-])"),  # 01-09-17, 19-11-2019
    # Year first, as East Asian and Baltic pages write it: 2025.05.15, 2025. 5. 15., 2023/11/02, 2025年1月13日, 2025년 5월 15일
    re.compile(r"(?<![\d/.-])(?P<year>(?:19|20)\d\d)(?P<ysep>[./])(?P<month>\d\d)(?P=ysep)(?P<day>\d\d)(?![\d/.])"),
    re.compile(r"(?<![\d/.-])(?P<year>(?:19|20)\d\d)/(?P<month>\d{1,2})/(?P<day>\d{1,2})(?![\d/.])"),  # 2018/6/19 (dotted, a version number)
    re.compile(r"(?<![\d/.-])(?P<year>(?:19|20)\d\d)\.\s(?P<month>\d{1,2})\.\s(?P<day>\d{1,2})\.(?!\d)"),
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)\s*[年년]\s*(?P<month>\d{1,2})\s*[月월]\s*(?P<day>\d{1,2})\s*[日일]"),
)
CLOCK = re.compile(
    r"(?<![\d:.])(?P<h>\d{1,2})(?:[:.](?P<m>\d\d))?(?::(?P<s>\d\d))?\s*(?P<ampm>[ap])\.?\s?m\b\.?"  # 4:27am, 10 p.m.
    r"|(?<![\d:.])(?P<h24>[01]?\d|2[0-3])(?P<sep24>[:.h])(?P<m24>[0-5]\d)(?::(?P<s24>\d\d))?(?![\d:]|\.\d)(?:\s*Uhr\b)?"  # 16:05, 14.30, 12h55, 11:30 Uhr
    r"|(?<![\d:])(?P<mil>[01]\d|2[0-3])(?P<milm>[0-5]\d)\s+(?=GMT|UTC)"  # 1909 GMT
    r"|(?<!\d)(?P<hc>[01]?\d|2[0-3])\s*[時시]\s*(?P<mc>[0-5]?\d)\s*[分분]",  # 21時37分, 20시 57분
    re.I,
)
ZONE = re.compile(r"^[\s,([]*(?:Uhr\s+)?(?:(?P<abbr>[A-Z]{1,5})\b(?:\s*(?P<sign>[+-])\s*(?P<oh>\d{1,2})(?::?(?P<om>\d\d))?)?|(?P<sign2>[+-])(?P<oh2>\d\d):?(?P<om2>\d\d))")


@dataclass(frozen=True)
class Stamp:
    """A date found in a line, the time and zone beside it, and where in the line they stand."""

    when: datetime | date
    spans: tuple[tuple[int, int], ...]  # the characters the date, time and zone took
    zone_written: bool  # the line named a zone or offset; otherwise the time was read in the fallback zone


def unglue(line: str) -> str:
    """Put back the spaces scrapers lose between a name and a label or a year and a time ("LeePublished", "20242:15 PM")."""
    line = " ".join(line.replace("\xa0", " ").split())
    line = re.sub(r"(?<=[a-z0-9])(?=(?:Published|Updated|Posted|Last Updated|Staff Writer|View More)\b)", " ", line)
    line = re.sub(r"(?<=[A-Za-z0-9])(?=(?:PUBLISHED|UPDATED|POSTED)\b)", " ", line)
    line = re.sub(r"\b(?P<by>[Bb]y)(?=[A-Z](?:[a-z]|\.[A-Z]))", r"\g<by> ", line)  # "byMaria", "ByJ.R. Stone"
    line = re.sub(r"(?<=[A-ZÀ-Þ]{2})(?=[A-ZÀ-Þ][a-zà-ÿ]{2})", " ", line)  # a name in capitals glued to the next word: "ANA LIMAToday"
    line = re.sub(rf"(?<=[a-z]{{2}})(?=\d{{1,2}}\s+(?:{MONTH_PATTERN})\b)", " ", line, flags=re.I)  # "Lucas Nolan22 Dec 2016"
    line = re.sub(rf"(?<=(?-i:[a-z]{{2}}))(?=(?=(?-i:[A-ZÀ-Þ]))(?:{MONTH_FIRST_PATTERN})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d\b)",
                  " ", line, flags=re.I)  # "Connor MannionJun 15th, 2019": a name glued to a date that opens with its month
    line = re.sub(r"(?<=[a-z]{3})(?=[A-Z][a-z]+\s+(?:Columnist|Writer|Reporter|Editor|Correspondent|Contributor)\b)", " ", line)  # "HiltzikBusiness Columnist"
    line = re.sub(r"\b((?:19|20)\d\d)(?=\d{1,3}\s*(?:mins?|minutes?|hours?|hrs?|days?)\b)", r"\1 ", line, flags=re.I)  # "Sep 3, 202512 mins", "March 15, 20195 hours ago"
    line = re.sub(r"\b((?:19|20)\d\d)(?=\d{1,2}([/.])\d{1,2}\2(?:19|20)?\d\d\b)", r"\1 ", line)  # "21 de Abril de 202221/04/2022"
    line = re.sub(rf"(\b(?:{MONTH_PATTERN})\.?,?\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?(?:de\s+|del\s+)?(?:19|20)\d\d)(?=(?:[01]?\d|2[0-3]):[0-5]\d(?!\d))", r"\1 ", line,
                  flags=re.I)  # "31 de marzo de 201619:44": a written-out date's year glued to a 24-hour time
    return re.sub(r"\b((?:19|20)\d\d)(?=\d{1,2}[:.]\d\d\s*(?:[ap]\.?m|[A-Z]))", r"\1 ", line, flags=re.I)


def find_stamp(line: str, fallback: tzinfo) -> Stamp | None:
    """The first real date in a line with the nearest time and zone; a time without a zone is read in `fallback`."""
    for match, day in _dates(line):
        spans = [match.span()]
        if match.groupdict().get("iso_time"):
            clock = time.fromisoformat(match.group("iso_time"))
            offset = match.group("iso_offset")
            zone, zone_span = (_offset_zone(offset), None) if offset else _zone_after(line, match.end(), day)
            if offset:
                return Stamp(datetime.combine(day, clock, zone), tuple(spans), True)
        else:
            clock, zone, zone_span = _clock_near(line, match, day, spans)
        if clock is None:
            return Stamp(day, tuple(spans), False)
        if zone_span:
            spans.append(zone_span)
        return Stamp(datetime.combine(day, clock, zone or fallback), tuple(sorted(spans)), zone is not None)
    return None


def _dates(line: str):
    found = sorted((m for form in DATE_FORMS for m in form.finditer(line)), key=lambda m: m.start())
    for match in found:
        day = _day(match, line)
        if day:
            yield match, day


def _day(match: re.Match, line: str) -> date | None:
    groups = match.groupdict()
    year = int(groups["year"])
    year += 2000 if year < 100 else 0
    if groups.get("a"):
        first, second = int(groups["a"]), int(groups["b"])
        # Dotted dates are European (13.11.2019); slashed ones are month first only where the line is American (a US zone,
        # or a 12-hour clock: "11/08/23 5:19pm"). Either way a second number over 12 can only be the day ("01.21.2020").
        # Dashes with a two-digit year ("01-09-17") are the American short form; with four digits ("19-11-2019") the day comes first.
        american = _american(line) or groups["sep"] == "-" and len(groups["year"]) == 2
        month_first = second > 12 and first <= 12 or groups["sep"] in "/-" and first <= 12 and american
        month, day_number = (first, second) if month_first else (second, first)
    else:
        month = int(groups["month"]) if groups.get("month") else MONTH_NUMBER[groups["mon"].lower()]
        day_number = int(groups["day"])
    try:
        return date(year, month, day_number)
    except ValueError:
        return None


def order_guessed(line: str, stamp: Stamp) -> bool:
    """A stamp read from numbers alone whose day and month could be either way round ("01.07.19"): its order was a guess."""
    for begin, end in stamp.spans:
        numbers = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-]\d{2,4}", line[begin:end].strip())
        if numbers:
            return int(numbers[1]) <= 12 and int(numbers[2]) <= 12 and numbers[1] != numbers[2]
    return False


def _american(line: str) -> bool:
    return any(re.search(rf"\b{abbr}\b", line) for abbr in US_ZONES) or bool(re.search(r"\d\s?[ap]\.?m\b", line, re.I))


def _clock_near(line: str, match: re.Match, day: date, spans: list) -> tuple[time | None, tzinfo | None, tuple[int, int] | None]:
    """The time written after the date (or, failing that, just before it), and the zone after that time."""
    blanked = line[: match.start()] + " " * (match.end() - match.start()) + line[match.end():]
    clocks = [c for c in CLOCK.finditer(blanked) if _clock(c)]
    after = [c for c in clocks if c.start() >= match.end() and c.start() - match.end() <= 40]
    before = [c for c in clocks if c.end() <= match.start() and match.start() - c.end() <= 30]
    chosen = after[0] if after else before[-1] if before else None
    if not chosen:
        return None, None, None
    spans.append(chosen.span())
    zone, zone_span = _zone_after(blanked, chosen.end(), day)
    if zone is None and chosen.end() <= match.start():  # "09:20, 5 May 2025 BST" puts the zone after the date
        zone, zone_span = _zone_after(line, match.end(), day)
    return _clock(chosen), zone, zone_span


def _clock(match: re.Match) -> time | None:
    if match.group("mil"):
        return time(int(match.group("mil")), int(match.group("milm")))
    if match.group("hc"):
        return time(int(match.group("hc")), int(match.group("mc")))
    if re.match(r"\s*(?:min|mins|minuten|minutes|sek|sec|std)\b", match.string[match.end():], re.I):
        return None  # "02:57 Min.": a video's length, not a time of day
    if match.group("h24") is not None:
        if match.group("sep24") == "." and not re.match(r"\s*[A-Z]{2,5}\b", match.string[match.end():]):
            return None  # "14.30" is a time only with a zone after it; otherwise it may be a score or a price
        return time(int(match.group("h24")), int(match.group("m24")), int(match.group("s24") or 0))
    hour, minute, second = int(match.group("h")), int(match.group("m") or 0), int(match.group("s") or 0)
    if not 1 <= hour <= 12 or minute > 59 or second > 59:
        return None
    return time(hour % 12 + (12 if match.group("ampm").lower() == "p" else 0), minute, second)


def _zone_after(text: str, start: int, day: date) -> tuple[tzinfo | None, tuple[int, int] | None]:
    found = ZONE.match(text[start:])
    if not found:
        return None, None
    span = (start + found.start(), start + found.end())
    abbr = found.group("abbr")
    if abbr in ZONE_REGIONS:
        return ZoneInfo(ZONE_REGIONS[abbr]), span
    if abbr in ZONE_OFFSETS:
        minutes = ZONE_OFFSETS[abbr]
        if found.group("sign") and abbr in ("UTC", "GMT"):  # "GMT+5:30", "GMT+2"
            minutes = _minutes(found.group("sign"), found.group("oh"), found.group("om"))
        return timezone(timedelta(minutes=minutes)), span
    if found.group("sign2"):
        return timezone(timedelta(minutes=_minutes(found.group("sign2"), found.group("oh2"), found.group("om2")))), span
    return None, None


def _minutes(sign: str, hours: str, minutes: str | None) -> int:
    return (1 if sign == "+" else -1) * (int(hours) * 60 + int(minutes or 0))


def _offset_zone(offset: str) -> timezone:
    if offset == "Z":
        return timezone.utc
    return timezone(timedelta(minutes=_minutes(offset[0], offset[1:3], offset[-2:])))


JS_DATE = re.compile(r"(?:[A-Z][a-z]{2},?\s+)?(?P<mon>[A-Z][a-z]{2})\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})\s+(?P<clock>\d\d:\d\d(?::\d\d)?)"
                     r"(?:\s+(?:GMT|UTC)(?P<offset>[+-]\d{4})?)?(?:\s+\(.*\))?")

ASCTIME = re.compile(r"(?:[A-Z][a-z]{2}\s+)?(?P<mon>[A-Z][a-z]{2})\s+(?P<day>\d{1,2})\s+(?P<clock>\d\d:\d\d(?::\d\d)?)\s+(?P<year>\d{4})(?P<offset>)")


def parse_iso(text: str, fallback: tzinfo) -> datetime | date | None:
    """An ISO 8601 date or datetime as metadata writes it ("2019-11-20T06:35:39+0000" too); naive times read in `fallback`."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    spoken = JS_DATE.fullmatch(text) or ASCTIME.fullmatch(text)  # "Tue Nov 19 2019 03:05:46 GMT+0000", a script's Date; C's "Fri Nov 13 05:30:56 2015"
    if spoken:
        text = f"{spoken['year']}-{MONTH_NUMBER[spoken['mon'].lower()]:02d}-{int(spoken['day']):02d}T{spoken['clock']}{spoken['offset'] or ''}"
    text = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", text.replace(" ", "T", 1))
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.year < 1990:  # "0001-01-01T00:00:00Z" is a template's empty date, not a date
        return None
    when = when.replace(microsecond=0)
    return when if when.tzinfo else when.replace(tzinfo=fallback)


def join_times(lines: list[str]) -> list[str]:
    """A date and its time on separate lines ("Nov. 19, 2019" / "5:50 PM") are one stamp."""
    joined: list[str] = []
    for line in lines:
        if joined and re.fullmatch(r"\d{1,2}[:.]\d\d\s*(?:[ap]\.?m\.?)?(?:\s+[A-Z]{2,5})?", line, re.I):
            joined[-1] += " " + line
        else:
            joined.append(line)
    return joined
