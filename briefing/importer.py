"""Turn raw scraped articles (plain text or saved HTML) into briefing Markdown files with front matter."""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from urllib.parse import urljoin
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from .errors import Problem
from .model import slugify, tag_key


INSTALL_HINT = "pip install -e '.[import]'"

# Whole lines a scraper leaves behind; compared case-insensitively without a trailing colon.
_JUNK = (
    """font size|print|share this|share|share this article|share this story|advertisement|advertisements|email|
    e-mail|comments|comment|tweet|related|related articles|related stories|related posts|skip to content|
    skip to main content|subscribe|subscribe now|read more|continue reading|click to share|like this|loading|
    loading...|facebook|twitter|linkedin|whatsapp|reddit|pinterest|share on facebook|share on twitter|
    copy link|listen to this article|save|save article|back to top|show comments|leave a comment|
    view comments|more|you may also like|recommended|sponsored|sponsored content|story continues below|
    story continues below advertisement|article continues below|scroll to continue"""
)
JUNK_LINES = frozenset(" ".join(line.split()) for line in _JUNK.replace("\n", "").split("|"))
PROMO = re.compile(r"\b(merch|shop|store|newsletter|subscribe|donate|sign up|follow us|podcast|download our app)\b", re.I)

# Fixed offsets for the abbreviations bylines use; where one is ambiguous (CST, IST) the common news sense wins.
TZ_OFFSETS = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 60, "BST": 60, "IST": 330, "CET": 60, "CEST": 120,
    "MET": 60, "MEST": 120, "EET": 120, "EEST": 180, "MSK": 180, "SAST": 120, "WAT": 60, "EAT": 180,
    "GST": 240, "PKT": 300, "ICT": 420, "WIB": 420, "SGT": 480, "HKT": 480, "PHT": 480, "AWST": 480,
    "KST": 540, "JST": 540, "ACST": 570, "ACDT": 630, "AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780,
    "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
    "AKST": -540, "AKDT": -480, "HST": -600, "HDT": -540, "AST": -240, "ADT": -180, "NST": -210, "NDT": -150,
    "BRT": -180, "ART": -180,
}
# "ET" and friends name a zone, not an offset: the date decides between standard and daylight time.
TZ_ZONES = {"ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles"}

MONTH = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
DATE_FORMS = [
    re.compile(rf"\b{MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", re.I),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH},?\s+(?P<year>\d{{4}})\b", re.I),
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?:[T ](?P<iso_time>\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(?P<iso_offset>Z|[+-]\d{2}:?\d{2})?)?(?![\w:])"),
]
CLOCK = re.compile(
    r"(?<![\d:])(?P<h>\d{1,2})(?::(?P<m>\d{2}))?(?::(?P<s>\d{2}))?\s*(?P<ampm>[ap])\.?\s?m\b\.?"
    r"|(?<![\d:])(?P<h24>\d{1,2}):(?P<m24>\d{2})(?::(?P<s24>\d{2}))?(?![\d:])",
    re.I,
)
ZONE = re.compile(r"^[\s,(]*(?:(?P<abbr>[A-Z]{1,5})\b(?:\s*(?P<sign>[+-])\s*(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?)?|(?P<sign2>[+-])(?P<oh2>\d{2}):?(?P<om2>\d{2}))")
NAME_PARTICLES = frozenset("de da del della der van von la le du dos bin al el ibn ter y".split())
DATE_WORDS = re.compile(r"\b(published|posted|updated|last updated|on|at|date|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b:?", re.I)

CAPTION = re.compile(
    r"^(?P<caption>.*?)\s*\(\s*(?P<credit>(?:(?:AP|AFP|Reuters|Getty|EPA|UPI)\s+)?(?:Photo(?:graph)?|Image|Picture)s?"
    r"(?:\s+credit)?\s*(?::|/|\bby\b)\s*[^()]+|(?:Photo\s+)?Credit\s*:\s*[^()]+)\)\s*$",
    re.I | re.S,
)
CREDIT_LABEL = re.compile(r"^(?:Photo(?:graph)?|Image|Picture)s?(?:\s+credit)?\s*(?::|\bby\b)\s*|^(?:Photo\s+)?Credit\s*:\s*", re.I)
BARE_CREDIT = re.compile(r"^(?P<caption>.*?)\s*(?P<credit>\b(?:Photo(?:graph)?|Image|Picture|Credit)s?\s*(?::|\bby\b)\s*[^.:]+)$", re.I | re.S)
# "(AP) — ", "WASHINGTON (AP) — ", "LONDON, March 3 (Reuters) - ", and the bare "( – " some scrapers leave.
DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'’ -]*[A-Z.](?:,\s+[A-Z][a-z]+\.?\s+\d{1,2})?\s+)?"
    r"\(\s*(?:(?P<agency>[^()\n]{1,60}?)\s*\)|\)?)\s*[–—-]+\s*(?=\S)"
)


@dataclass(frozen=True)
class ImportOptions:
    content_dir: Path
    tags: tuple[str, ...] = ()
    author: str | None = None
    date: str | None = None  # ISO 8601 date or datetime; fills/overrides
    source_name: str | None = None
    source_url: str | None = None
    force: bool = False
    dry_run: bool = False


@dataclass(frozen=True)
class ImportResult:
    """What became of one input path: the briefing written (or planned), or the problems that stopped it."""

    input: Path
    output: Path | None
    text: str
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Article:
    """What a reader found in one source, before options, tags and paths are applied."""

    title: str = ""
    authors: tuple[str, ...] = ()
    date: datetime | date | None = None
    paragraphs: tuple[str, ...] = ()  # Markdown blocks
    caption: str = ""
    credit: str = ""
    image_src: str = ""
    image_alt: str = ""
    source_name: str = ""
    source_url: str = ""


@dataclass(frozen=True)
class Collection:
    """The slice of the content tree the importer needs: settings, known tags and what is already imported."""

    timezone: str = "UTC"
    drop_lines: frozenset[str] = JUNK_LINES
    tag_names: tuple[str, ...] = ()
    imported: dict[str, Path] = field(default_factory=dict, hash=False, compare=False)  # sha256 -> briefing
    titles: dict[Path, str] = field(default_factory=dict, hash=False, compare=False)  # briefing -> title


def import_articles(paths: list[Path], options: ImportOptions) -> list[ImportResult]:
    """Import each path on its own; write the ones that succeed unless this is a dry run."""
    collection, setup_problems = load_collection(Path(options.content_dir))
    claimed: dict[Path, str] = {}  # paths planned in this call -> their sha256
    results = []
    for path in paths:
        if setup_problems:
            results.append(ImportResult(Path(path), None, "", tuple(setup_problems)))
            continue
        result, sha = import_one(Path(path), options, collection, claimed)
        if result.output and not result.problems:
            claimed[result.output] = sha
            if not options.dry_run:
                try:
                    _write_atomic(result.output, result.text)
                except OSError as exc:
                    result = _failed(result.input, [Problem(str(result.output), message=f"cannot write the briefing: {exc.strerror or exc}")])
        results.append(result)
    return results


def import_one(path: Path, options: ImportOptions, collection: Collection, claimed: dict[Path, str]) -> tuple[ImportResult, str]:
    """Read, convert and place one source file without writing it; return the result and the source's sha256."""
    where = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return _failed(path, [Problem(where, message=f"cannot read the file: {exc.strerror or exc}")]), ""
    text, problem = decode_source(raw, where)
    if problem:
        return _failed(path, [problem]), ""
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if _looks_like_html(path, text):
        article, problem = read_html(text, where, collection)
        if problem:
            return _failed(path, [problem]), sha
    else:
        article = read_text(text, collection)
    article, problems = _apply_options(article, options, collection.timezone, where)
    tags = tuple(_merge_tags(options.tags, propose_tags(article, collection.tag_names)))
    if not tags:
        problems.append(Problem(where, field="tags", message="no tag found in the text matches the collection's tags", hint="pass --tags a,b"))
    if problems:
        return _failed(path, problems), sha
    output, problem = plan_path(article, sha, options, collection, claimed, where)
    if problem:
        return _failed(path, [problem]), sha
    return ImportResult(path, output, render_briefing(article, tags, sha), ()), sha


def _failed(path: Path, problems: list[Problem]) -> ImportResult:
    return ImportResult(path, None, "", tuple(problems))


# --- The content tree -------------------------------------------------------------------------------


def load_collection(content_dir: Path) -> tuple[Collection, list[Problem]]:
    """Read site.yaml's timezone and drop lines, the tags in use, and the sha256 of every imported briefing."""
    if not content_dir.is_dir():
        return Collection(), [Problem(str(content_dir), message="content directory not found", hint="pass --content DIR")]
    site_path = content_dir / "site.yaml"
    site: dict = {}
    if site_path.exists():
        try:
            site = yaml.safe_load(site_path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError, OSError) as exc:
            return Collection(), [Problem(str(site_path), message=f"cannot read site settings: {exc}")]
    tz_name = str(site.get("timezone") or "UTC")
    try:
        ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        return Collection(), [Problem(str(site_path), field="timezone", message=f"unknown timezone '{tz_name}'", hint="use an IANA name such as America/New_York")]
    settings = site.get("import") if isinstance(site.get("import"), dict) else {}
    drop = frozenset(_junk_key(str(line)) for line in settings.get("drop_lines") or [] if str(line).strip())
    counts: dict[str, dict[str, int]] = {}  # tag key -> spelling -> uses
    imported: dict[str, Path] = {}
    titles: dict[Path, str] = {}
    for briefing in sorted((content_dir / "briefings").glob("**/*.md")):
        meta = read_front_matter(briefing)
        titles[briefing] = str(meta.get("title", ""))
        source = meta.get("source")
        if isinstance(source, dict) and source.get("sha256"):
            imported.setdefault(str(source["sha256"]), briefing)
        _count_tags(meta.get("tags"), counts)
    for topic in sorted((content_dir / "topics").glob("*.md")):
        _count_tags(read_front_matter(topic).get("tags"), counts)
    names = tuple(max(spellings, key=lambda s: (spellings[s], s)) for spellings in counts.values())
    return Collection(tz_name, JUNK_LINES | drop, names, imported, titles), []


def read_front_matter(path: Path) -> dict:
    """The YAML mapping between the opening `---` fences, or {} when there is none or it is broken."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}
    found = re.match(r"---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|$)", text, re.S)
    if not found:
        return {}
    try:
        data = yaml.safe_load(found.group(1))
    except yaml.YAMLError:
        return {}  # a broken briefing is the validator's business, not a reason to refuse an import
    return data if isinstance(data, dict) else {}


def _count_tags(tags: object, counts: dict[str, dict[str, int]]) -> None:
    for name in tags if isinstance(tags, list) else []:
        name = str(name).strip()
        if tag_key(name):
            spellings = counts.setdefault(tag_key(name), {})
            spellings[name] = spellings.get(name, 0) + 1


# --- Bytes to text ----------------------------------------------------------------------------------


def decode_source(raw: bytes, where: str) -> tuple[str, Problem | None]:
    """Decode UTF-8 (with or without BOM), UTF-16 with a BOM, or clean Windows-1252; refuse anything else."""
    if not raw.strip():
        return "", Problem(where, message="the file is empty")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        # Strict UTF-8 almost never succeeds on other encodings, so it goes first, even before a page's own claim.
        candidates = ["utf-8-sig", *_declared_charset(raw), "cp1252"]
    first_error: UnicodeDecodeError | None = None
    for encoding in candidates:
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            if isinstance(exc, UnicodeDecodeError) and encoding == "utf-8-sig":
                first_error = exc
            continue
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        bad = re.search(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]", text)  # C1 controls mean a wrong guess, i.e. mojibake
        if bad:
            line, col = _line_col(text, bad.start())
            return "", Problem(where, line, col, message=f"this looks like a binary file, not text (control character U+{ord(bad.group()):04X})", hint="import a .txt or .html article")
        return text, None
    line, col = _line_col(raw.decode("utf-8", "replace"), first_error.start if first_error else 0)
    return "", Problem(where, line, col, message="cannot decode the text: it is neither UTF-8 nor Windows-1252", hint="re-save the file as UTF-8")


def _declared_charset(raw: bytes) -> list[str]:
    # A saved page's <meta charset> beats guessing; only the head is searched, and unknown names are skipped.
    found = re.search(rb"<meta[^>]+charset=[\"']?([\w.:-]+)", raw[:4096], re.I)
    if not found:
        return []
    name = found.group(1).decode("ascii").lower()
    # As browsers do (WHATWG Encoding): Latin-1 and ASCII labels mean Windows-1252.
    return ["cp1252"] if name in ("iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii") else [name]


def _line_col(text: str, index: int) -> tuple[int, int]:
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def _looks_like_html(path: Path, text: str) -> bool:
    if path.suffix.lower() in (".html", ".htm", ".xhtml"):
        return True
    return bool(re.match(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", text[:4000], re.I | re.S))


# --- Plain text -------------------------------------------------------------------------------------


def read_text(text: str, collection: Collection) -> Article:
    """Title, byline, caption, dateline and paragraphs of a scraped plain-text article."""
    lines = [line.rstrip() for line in text.split("\n")]
    lines = ["" if _junk_key(line) in collection.drop_lines else line for line in lines]
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    title = " ".join(lines[start].split()) if start < len(lines) else ""
    authors, when, used = find_byline(lines, start + 1, collection.timezone)
    rest = ["" if i in used else line for i, line in enumerate(lines)][start + 1:]
    paragraphs = _trim_promo(split_paragraphs(rest))
    caption = credit = ""
    kept = []
    for paragraph in paragraphs:
        found = CAPTION.match(paragraph) if len(paragraph) < 800 else None
        if found and not (caption or credit):
            caption, credit = found.group("caption").strip(), _strip_credit_label(found.group("credit"))
        elif not found:  # later captions belonged to photos the text no longer has
            kept.append(paragraph)
    body, agency = strip_dateline(kept)
    return Article(title, authors, when, tuple(_escape_markdown(p) for p in body), caption, credit, source_name=agency)


def _junk_key(line: str) -> str:
    return " ".join(line.split()).rstrip(":").strip().casefold()


def split_paragraphs(lines: list[str]) -> list[str]:
    """Blank lines separate paragraphs; inside a block, hard-wrapped lines are joined and others stay apart."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(" ".join(line.split()))
        elif blocks[-1]:
            blocks.append([])
    paragraphs = []
    for block in blocks:
        # Lines of similar, editor-like width ending mid-sentence were wrapped; anything else is one paragraph a line.
        wrapped = len(block) > 1 and all(40 <= len(line) <= 100 and not line.endswith((".", "?", "!", "”", '"', ":")) for line in block[:-1])
        paragraphs.extend([" ".join(block)] if wrapped else block)
    return paragraphs


def _trim_promo(paragraphs: list[str]) -> list[str]:
    # Shop and newsletter plugs trail the article: short lines at the very end that sell something.
    while paragraphs and len(paragraphs[-1].split()) <= 8 and PROMO.search(paragraphs[-1]):
        paragraphs = paragraphs[:-1]
    return paragraphs


def find_byline(lines: list[str], start: int, tz_name: str) -> tuple[tuple[str, ...], datetime | date | None, set[int]]:
    """Find the author and date in the few lines after the title; return them and the line numbers they used."""
    head = [i for i in range(start, len(lines)) if lines[i].strip()][:4]
    for position, index in enumerate(head):
        found = parse_dateline(lines[index], tz_name)
        if not found:
            continue
        name, when = found
        used = {index}
        authors = _split_names(name)
        # The name may stand on its own line just above the date, or below it as "By Name".
        before = [head[position - 1]] if position > 0 else []
        after = [head[position + 1]] if position + 1 < len(head) and _has_by(lines[head[position + 1]]) else []
        for other in before + after:
            if not authors:
                authors = _split_names(_strip_by(lines[other]))
                used |= {other} if authors else set()
        return authors, when, used
    if head and _has_by(lines[head[0]]):
        authors = _split_names(_strip_by(lines[head[0]]))
        if authors:
            return authors, None, {head[0]}
    return (), None, set()


def _has_by(line: str) -> bool:
    return bool(re.match(r"\s*by\s", line, re.I))


def parse_dateline(line: str, tz_name: str) -> tuple[str, datetime | date] | None:
    """Split a byline into the text before its date (the name, if any) and the date with its time and offset."""
    line = " ".join(line.replace("\xa0", " ").split())
    match, day = _find_date(line)
    if not match:
        return None
    name_end, clock, zone, chosen = match.start(), None, None, None
    if match.groupdict().get("iso_time"):
        clock = time.fromisoformat(match.group("iso_time"))
        offset = match.group("iso_offset")
        zone = _offset_zone(offset) if offset else _zone(line[match.end():], day)
    else:
        blanked = line[: match.start()] + " " * (match.end() - match.start()) + line[match.end():]
        clocks = list(CLOCK.finditer(blanked))
        chosen = next((c for c in clocks if c.start() >= match.end()), clocks[0] if clocks else None)
        if chosen and _clock(chosen):
            clock, zone = _clock(chosen), _zone(blanked[chosen.end():], day)
            name_end = min(name_end, chosen.start())
    if _leftover(line, name_end, match, chosen if clock and not match.groupdict().get("iso_time") else None):
        return None  # a sentence that mentions a date, not a byline
    name = _clean_name(line[:name_end])
    if clock is None:
        return name, day
    return name, datetime.combine(day, clock, zone or ZoneInfo(tz_name))


def _leftover(line: str, name_end: int, date_match: re.Match, clock_match: re.Match | None) -> bool:
    """Whether words other than the date, time, zone and labels follow the name part."""
    spans = [date_match.span()] + ([clock_match.span()] if clock_match else [])
    chars = list(line)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    rest = DATE_WORDS.sub(" ", "".join(chars)[name_end:])
    rest = re.sub(r"\b[A-Z]{1,5}\b|[+-]\d{1,2}(?::?\d{2})?", " ", rest)  # zone abbreviations and offsets
    return bool(re.search(r"\w", rest))


def _find_date(line: str) -> tuple[re.Match | None, date | None]:
    found = sorted((m for form in DATE_FORMS for m in form.finditer(line)), key=lambda m: m.start())
    for match in found:
        groups = match.groupdict()
        month = int(groups["month"]) if groups.get("month") else MONTHS.index(groups["mon"][:3].lower()) + 1
        try:
            return match, date(int(groups["year"]), month, int(groups["day"]))
        except ValueError:
            continue
    return None, None


def _clock(match: re.Match) -> time | None:
    if match.group("h24"):
        hour, minute, second = int(match.group("h24")), int(match.group("m24")), int(match.group("s24") or 0)
    else:
        hour, minute, second = int(match.group("h")), int(match.group("m") or 0), int(match.group("s") or 0)
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match.group("ampm").lower() == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _zone(after: str, day: date) -> timezone | ZoneInfo | None:
    found = ZONE.match(after)
    if not found:
        return None
    abbr = found.group("abbr")
    if abbr in TZ_ZONES:
        return ZoneInfo(TZ_ZONES[abbr])
    if abbr in TZ_OFFSETS:
        minutes = TZ_OFFSETS[abbr]
        if found.group("sign") and abbr in ("UTC", "GMT"):  # "GMT+5:30"
            minutes = _offset_minutes(found.group("sign"), found.group("oh"), found.group("om"))
        return timezone(timedelta(minutes=minutes))
    if found.group("sign2"):
        return timezone(timedelta(minutes=_offset_minutes(found.group("sign2"), found.group("oh2"), found.group("om2"))))
    return None


def _offset_minutes(sign: str, hours: str, minutes: str | None) -> int:
    return (1 if sign == "+" else -1) * (int(hours) * 60 + int(minutes or 0))


def _offset_zone(offset: str) -> timezone:
    if offset == "Z":
        return timezone.utc
    return timezone(timedelta(minutes=_offset_minutes(offset[0], offset[1:3], offset[-2:])))


def _clean_name(text: str) -> str:
    text = DATE_WORDS.sub(" ", text)
    return _strip_by(text.strip(" \t|·•,;:–—-/"))


def _strip_by(text: str) -> str:
    return re.sub(r"^\s*by\s+", "", text.strip(), flags=re.I).strip(" \t|·•,;:–—-")


def _split_names(text: str) -> tuple[str, ...]:
    """The author names in a byline fragment, or () when it does not read like names."""
    if not text or len(text) > 120:
        return ()
    names = [part.strip() for part in re.split(r"\s*(?:,\s*and\s+|\band\b|&|,)\s*", text) if part.strip()]
    if names and all(1 <= len(name.split()) <= 5 and all(_name_word(word) for word in name.split()) for name in names):
        return tuple(names)
    return ()


def _name_word(word: str) -> bool:
    if word in NAME_PARTICLES:
        return True
    return word[0].isupper() and all(char.isalpha() or char in ".'’-" for char in word)


def strip_dateline(paragraphs: list[str]) -> tuple[list[str], str]:
    """Remove a `(Agency) – ` credit from the first paragraph; return the paragraphs and the agency, if named."""
    if not paragraphs:
        return paragraphs, ""
    found = DATELINE.match(paragraphs[0])
    if not found:
        return paragraphs, ""
    return [paragraphs[0][found.end():], *paragraphs[1:]], (found.group("agency") or "").strip()


def _strip_credit_label(credit: str) -> str:
    credit = " ".join(credit.split())
    if re.match(r"^(?:AP|AFP|Reuters|Getty|EPA|UPI)\s", credit, re.I):
        return credit  # "AP Photo/Evan Vucci" is the credit as agencies write it
    return CREDIT_LABEL.sub("", credit).strip()


def _escape_markdown(text: str) -> str:
    # Scraped prose is not Markdown: keep stray marks and tags from turning into formatting or HTML.
    text = re.sub(r"([\\`*_\[\]])", r"\\\1", text)
    text = re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)
    text = re.sub(r"^(\d+)([.)] )", r"\1\\\2", text)
    return re.sub(r"^([#>]|[-+] )", r"\\\1", text)


# --- Saved HTML -------------------------------------------------------------------------------------


def read_html(text: str, where: str, collection: Collection) -> tuple[Article, Problem | None]:
    """Title, author, date, figure and Markdown body of a saved article page, with trafilatura for the text."""
    try:
        import trafilatura
        from lxml import etree
        from lxml import html as lxml_html
    except ImportError:
        return Article(), Problem(where, message="importing HTML needs trafilatura, which is not installed", hint=INSTALL_HINT)
    source = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses str input that declares an encoding
    try:
        tree = lxml_html.fromstring(source)
    except (etree.ParserError, ValueError) as exc:
        return Article(), Problem(where, message=f"cannot parse the HTML: {exc}")
    meta = _meta_tags(tree)
    page_url = meta.get("og:url") or _first(tree.xpath('//link[@rel="canonical"]/@href'))
    if re.match(r"https?://", page_url or ""):
        tree.make_links_absolute(page_url)  # a link relative to the original site would point into ours
        source = lxml_html.tostring(tree, encoding="unicode")
    extracted = trafilatura.extract(
        source, output_format="xml", include_formatting=True, include_links=True,
        include_images=False, include_tables=True, include_comments=False, with_metadata=True,
    )
    if not extracted:
        return Article(), Problem(where, field="body", message="no article text found in the page")
    doc = etree.fromstring(extracted.encode("utf-8"))
    site_name = meta.get("og:site_name") or doc.get("sitename") or ""
    title = _strip_site_tail(meta.get("og:title") or _first(tree.xpath("//title/text()")) or doc.get("title") or "", site_name)
    caption, credit, src, alt = _figure(tree, page_url)
    paragraphs = [block for block in markdown_blocks(doc.find("main"), title) if _junk_key(_plain(block)) not in collection.drop_lines]
    paragraphs = [p for p in paragraphs if not caption or _plain(p) not in (caption, f"{caption} {credit}".strip())]
    body, agency = strip_dateline(_trim_promo(paragraphs))
    return Article(
        title=title,
        authors=_html_authors(tree, meta, doc),
        date=_html_date(tree, meta, doc, collection.timezone),
        paragraphs=tuple(body),
        caption=caption, credit=credit, image_src=src, image_alt=alt,
        source_name=agency or site_name,
        source_url=page_url if page_url and re.match(r"https?://", page_url) else "",
    ), None


def _meta_tags(tree) -> dict[str, str]:
    meta: dict[str, str] = {}
    for tag in tree.iter("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").strip().lower()
        value = " ".join((tag.get("content") or "").split())
        if key and value:
            meta.setdefault(key, value)
    return meta


def _first(values: list) -> str:
    return " ".join(str(values[0]).split()) if values else ""


def _strip_site_tail(title: str, site_name: str) -> str:
    """Drop a " | Site" or " - Site" tail: always after a pipe, after a dash only when it names the site."""
    title = " ".join(title.split())
    parts = re.split(r"\s+(?:[|–—-]|::)\s+", title)
    if len(parts) > 1 and (site_name and parts[-1].casefold() == site_name.casefold() or " | " in title and len(parts[-1].split()) <= 5):
        return title[: title.rfind(parts[-1])].rstrip(" |–—:-")
    return title


def _html_authors(tree, meta: dict[str, str], doc) -> tuple[str, ...]:
    candidates = [meta.get("author", ""), meta.get("article:author", ""), meta.get("dc.creator", "")]
    candidates += [doc.get("author") or ""]
    for candidate in candidates:
        candidate = _strip_by(candidate)
        if candidate and not re.match(r"https?://", candidate):
            return tuple(name.strip() for name in re.split(r"\s*(?:;|\band\b|&|,)\s*", candidate) if name.strip())
    # No metadata: read the visible byline, which also holds the date and separators, so keep only names.
    for node in tree.xpath('//*[@rel="author"] | //*[contains(concat(" ", normalize-space(@class), " "), " byline ")]'):
        text = " ".join(node.text_content().split())
        found = parse_dateline(text, "UTC")
        names = _split_names(_strip_by(re.split(r"[|·•]", found[0] if found else text)[0]))
        if names:
            return names
    return ()


def _html_date(tree, meta: dict[str, str], doc, tz_name: str) -> datetime | date | None:
    candidates = [meta.get(key, "") for key in ("article:published_time", "datepublished", "date", "pubdate", "publishdate", "dc.date", "dcterms.created")]
    candidates += tree.xpath("//time/@datetime") + [doc.get("date") or ""]
    for candidate in candidates:
        when = parse_iso(candidate.strip(), tz_name)
        if when:
            return when
    return None


def parse_iso(text: str, tz_name: str) -> datetime | date | None:
    """An ISO 8601 date, or datetime (naive ones are read in the site timezone), or None."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    when = when.replace(microsecond=0)
    return when if when.tzinfo else when.replace(tzinfo=ZoneInfo(tz_name))


def _figure(tree, page_url: str) -> tuple[str, str, str, str]:
    """Caption, credit, image address and alt text of the page's first figure."""
    figures = tree.xpath("//figure[figcaption]")
    if not figures:
        return "", "", "", ""
    figure = figures[0]
    figcaption = figure.find(".//figcaption")
    credit_nodes = figcaption.xpath('.//*[self::cite or self::small or contains(@class, "credit") or contains(@class, "copyright")]')
    credit = ""
    if credit_nodes:
        credit = " ".join(credit_nodes[0].text_content().split())
        credit_nodes[0].drop_tree()
    caption = " ".join(figcaption.text_content().split())
    if not credit:
        found = CAPTION.match(caption) or BARE_CREDIT.match(caption)
        if found:
            caption, credit = found.group("caption").strip(), found.group("credit")
    image = figure.find(".//img")
    src = urljoin(page_url or "", image.get("src") or "") if image is not None else ""
    alt = " ".join((image.get("alt") or "").split()) if image is not None else ""
    if not (re.match(r"https?://\S+$", src) and alt):
        src = alt = ""  # a page-relative picture, or one without alt text, cannot be shown here
    return caption, _strip_credit_label(credit), src, alt


LINE_BREAK = "\x00"  # stands for <lb/> until whitespace is collapsed; no decoded source holds a NUL


def markdown_blocks(main, title: str) -> list[str]:
    """Markdown blocks for trafilatura's XML body: paragraphs, headings, quotes, lists, tables and code."""
    blocks = []
    for element in main if main is not None else []:
        block = _block(element, title)
        if block:
            blocks.append(block)
    return blocks


def _block(element, title: str) -> str:
    tag = element.tag
    if tag == "p":
        return _inline(element)
    if tag == "head":
        text = _inline(element)
        rend = element.get("rend") or ""
        level = max(2, int(rend[1])) if re.fullmatch(r"h[1-6]", rend) else 2  # the title is the page's only h1
        return "" if not text or _plain(text).casefold() == title.casefold() else f"{'#' * level} {text}"
    if tag == "quote":
        inner = markdown_blocks(element, title) if len(element) and element[0].tag in ("p", "list", "quote", "head") else [_inline(element)]
        return "\n>\n".join("\n".join(f"> {line}" if line else ">" for line in block.split("\n")) for block in inner if block)
    if tag == "list":
        return _list(element)
    if tag == "table":
        rows = [[_inline(cell).replace("|", "\\|") for cell in row.findall("cell")] for row in element.findall("row")]
        rows = [row for row in rows if any(row)]
        if not rows:
            return ""
        width = max(len(row) for row in rows)
        lines = [f"| {' | '.join(row + [''] * (width - len(row)))} |" for row in rows]
        return "\n".join([lines[0], f"|{' --- |' * width}", *lines[1:]])
    if tag == "code":
        return f"```\n{element.xpath('string()').strip()}\n```"
    return ""


def _list(element, depth: int = 0) -> str:
    ordered = (element.get("rend") or "").lower() in ("ol", "1")
    lines = []
    for number, item in enumerate(element.findall("item"), 1):
        nested = [child for child in item if child.tag == "list"]
        for child in nested:
            child.getparent().remove(child)  # rendered below, indented under its item
        marker = f"{number}." if ordered else "-"
        lines.append(f"{'    ' * depth}{marker} {_inline(item)}")
        lines.extend(_list(child, depth + 1) for child in nested)
    return "\n".join(lines)


def _inline(element) -> str:
    """The Markdown of an element's mixed content: emphasis, links, code and line breaks."""
    parts = [_escape_inline(element.text or "")]
    for child in element:
        inner = _inline(child)
        if child.tag == "hi":
            mark = {"#b": "**", "#i": "*", "#t": "`"}.get(child.get("rend") or "", "")
            parts.append(_wrap(inner, mark))
        elif child.tag == "ref" and child.get("target", "").startswith(("http://", "https://", "mailto:")):
            parts.append(f"[{inner.strip()}]({child.get('target').replace(' ', '%20').replace(')', '%29')})" if inner.strip() else "")
        elif child.tag == "lb":
            parts.append(LINE_BREAK)
        elif child.tag not in ("graphic", "list"):
            parts.append(inner)
        parts.append(_escape_inline(child.tail or ""))
    text = "".join(parts)
    return "  \n".join(" ".join(line.split()) for line in text.split(LINE_BREAK)).strip()


def _wrap(text: str, mark: str) -> str:
    # "** bold **" is not bold in Markdown: the marks must touch the words, so spaces move outside.
    if not mark or not text.strip():
        return text
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return f"{lead}{mark}{text.strip()}{mark}{trail}"


def _escape_inline(text: str) -> str:
    text = re.sub(r"([\\`*_\[\]])", r"\\\1", text)
    return re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)


def _plain(markdown: str) -> str:
    return " ".join(re.sub(r"[*_`\\]|\[|\]\([^)]*\)", "", markdown).split())


# --- Options, tags and the path ---------------------------------------------------------------------


def _apply_options(article: Article, options: ImportOptions, tz_name: str, where: str) -> tuple[Article, list[Problem]]:
    """Let the flags fill in or override what the source said, and name every required field still missing."""
    problems = []
    when = article.date
    if options.date:
        when = parse_iso(options.date.strip(), tz_name)
        if not when:
            problems.append(Problem(where, field="date", message=f"'{options.date}' is not an ISO 8601 date", hint="pass --date 2017-02-24 or --date 2017-02-24T04:27-05:00"))
    authors = (options.author.strip(),) if options.author and options.author.strip() else article.authors
    article = replace(
        article, date=when, authors=authors,
        source_name=options.source_name or article.source_name,
        source_url=options.source_url or article.source_url,
    )
    if not article.title:
        problems.append(Problem(where, field="title", message="no title found", hint="the first non-empty line of a text file is its title"))
    if not article.authors:
        problems.append(Problem(where, field="author", message="no author found in the byline", hint="pass --author NAME"))
    if not article.date and not options.date:
        problems.append(Problem(where, field="date", message="no date found in the byline", hint="pass --date YYYY-MM-DD[THH:MM±HH:MM]"))
    if not article.paragraphs:
        problems.append(Problem(where, field="body", message="no article text found after the title and byline"))
    return article, problems


def propose_tags(article: Article, known: tuple[str, ...]) -> list[str]:
    """The collection's tags named in the article's title or body, in the order they first appear."""
    text = " ".join([article.title, *article.paragraphs])
    hits = []
    for name in known:
        words = re.findall(r"\w+", name)
        if not words:
            continue
        pattern = r"(?<!\w)" + r"[\s\-‐–—]+".join(re.escape(word) for word in words) + r"(?!\w)"
        # A short all-capitals tag ("US", "UN") must match in capitals, or every "us" would carry it.
        flags = 0 if name.isupper() and len(name) <= 3 else re.I
        found = re.search(pattern, text, flags)
        if found:
            hits.append((found.start(), name))
    return [name for _, name in sorted(hits)]


def _merge_tags(given: tuple[str, ...], proposed: list[str]) -> list[str]:
    # --tags may arrive as one "a,b" string or as separate names; the editor's own choice comes first.
    names = [name.strip() for item in given for name in item.split(",")] + proposed
    merged: dict[str, str] = {}
    for name in names:
        if tag_key(name):
            merged.setdefault(tag_key(name), name)
    return list(merged.values())


def plan_path(article: Article, sha: str, options: ImportOptions, collection: Collection, claimed: dict[Path, str], where: str) -> tuple[Path | None, Problem | None]:
    """Where the briefing goes: refuse re-imports and overwrites without --force; otherwise a free slug in its year."""
    previous = collection.imported.get(sha) or next((p for p, s in claimed.items() if s == sha), None)
    if previous:
        if options.force:
            return previous, None
        return None, Problem(where, field="source.sha256", message=f"already imported as {previous}", hint="pass --force to import it again over that file")
    folder = Path(options.content_dir) / "briefings" / str(article.date.year)
    base = slugify(article.title) or f"briefing-{sha[:12]}"
    same = folder / f"{base}.md"
    if same.exists() and same not in claimed and collection.titles.get(same, "") == article.title:
        if options.force:
            return same, None
        return None, Problem(where, message=f"{same} already exists", hint="pass --force to overwrite it")
    number = 1
    while True:
        suffix = f"-{number}" if number > 1 else ""
        candidate = folder / f"{slugify(article.title, 60 - len(suffix)) or f'briefing-{sha[:12]}'}{suffix}.md"
        if not candidate.exists() and candidate not in claimed:
            return candidate, None
        number += 1


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
        out.write(text)
    os.replace(temporary, path)


# --- Writing the briefing ---------------------------------------------------------------------------


def render_briefing(article: Article, tags: tuple[str, ...], sha: str) -> str:
    """The briefing file: YAML front matter in the validator's field order, then the Markdown body."""
    lines = ["---", f"title: {_yaml_text(article.title, prose=True)}"]
    if len(article.authors) == 1:
        lines.append(f"author: {_yaml_text(article.authors[0])}")
    else:
        lines += ["author:"] + [f"  - {_yaml_text(name)}" for name in article.authors]
    lines.append(f"date: {_iso(article.date)}")
    lines += ["tags:"] + [f"  - {_yaml_text(name)}" for name in tags]
    image = [("src", article.image_src, False), ("alt", article.image_alt, True), ("caption", article.caption, True), ("credit", article.credit, False)]
    if any(value for _, value, _ in image):
        lines += ["image:"] + [f"  {key}: {_yaml_text(value, prose)}" for key, value, prose in image if value]
    lines.append("source:")
    lines += [f"  {key}: {_yaml_text(value)}" for key, value in (("name", article.source_name), ("url", article.source_url)) if value]
    lines += [f"  sha256: {sha}", "---", "", "\n\n".join(article.paragraphs), ""]
    return "\n".join(lines)


def _iso(when: datetime | date) -> str:
    if isinstance(when, datetime):
        return when.replace(microsecond=0).isoformat()
    return when.isoformat()


def _yaml_text(value: str, prose: bool = False) -> str:
    """A YAML scalar for text: plain when YAML reads it back unchanged, else double-quoted; prose is always quoted."""
    if not prose and value == value.strip() and not re.search(r"[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd]|[\x85\u2028\u2029]", value):
        try:
            if yaml.safe_load(f"key: {value}") == {"key": value}:
                return value
        except yaml.YAMLError:
            pass
    return _double_quoted(value)


def _double_quoted(value: str) -> str:
    escaped = []
    for char in value:
        if char in '"\\':
            escaped.append("\\" + char)
        elif re.match(r"[\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]", char) and char not in "\x85\u2028\u2029":
            escaped.append(char)
        else:
            escaped.append(json.dumps(char)[1:-1] if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}")
    return '"' + "".join(escaped) + '"'
