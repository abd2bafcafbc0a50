"""Turn raw scraped articles (plain text or saved HTML) into briefings the build accepts, one path or a whole folder at a time."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import Problem
from ..fields import Context, FieldError, when as field_date
from .article import Article
from .decoding import decode_source, looks_like_html
from .html import INSTALL_HINT, read_html
from .text import read_text
from .writing import Collection, load_collection, merge_tags, plan_path, propose_tags, render_briefing, validate, write_atomic
from . import cleanup

__all__ = ["Article", "ImportOptions", "ImportResult", "INSTALL_HINT", "import_articles", "gather_paths"]
SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml")


@dataclass(frozen=True)
class ImportOptions:
    content_dir: Path
    tags: tuple[str, ...] = ()
    title: str | None = None
    author: str | None = None
    date: str | None = None  # ISO 8601 date or datetime; fills/overrides
    source_name: str | None = None
    source_url: str | None = None
    timezone: str | None = None  # for times the source writes without a zone; else site.yaml's zone for the source, else the site's
    force: bool = False
    dry_run: bool = False


@dataclass(frozen=True)
class ImportResult:
    """What became of one input path: the briefing written (or planned), or the problems that stopped it."""

    input: Path
    output: Path | None
    text: str
    problems: tuple[Problem, ...]
    status: str = "imported"  # imported, refused or duplicate
    notes: tuple[str, ...] = ()  # how title, author and date were chosen (`--dry-run -v`)


def gather_paths(paths: list[Path]) -> list[Path]:
    """The files to import: each path as given, and inside each folder its .txt and .html files, sorted."""
    found: list[Path] = []
    for path in paths:
        if Path(path).is_dir():
            inside = sorted(p for p in Path(path).rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith("."))
            found += inside or [Path(path)]  # an empty folder stays, to be refused by name rather than pass unseen
        else:
            found.append(Path(path))
    return found


def import_articles(paths: list[Path], options: ImportOptions, progress: Callable[[int, int, Path], None] | None = None) -> list[ImportResult]:
    """Import each path on its own; write the ones that succeed unless this is a dry run."""
    paths = gather_paths([Path(p) for p in paths])
    collection, setup = load_collection(Path(options.content_dir))
    if not setup and options.timezone:
        setup = _check_zone(options.timezone)
    claimed: dict[Path, str] = {}  # paths planned in this call -> their sha256
    results = []
    for number, path in enumerate(paths, 1):
        if progress:
            progress(number - 1, len(paths), path)
        if setup or collection is None:
            results.append(ImportResult(path, None, "", tuple(setup), "refused"))
            continue
        if path.is_dir():
            results.append(_failed(path, [Problem(str(path), message=f"no article file ({', '.join(SUFFIXES)}) in this folder", hint="pass the article files, or a folder that holds them")]))
            continue
        try:
            result, sha = import_one(path, options, collection, claimed)
        except Exception as exc:  # a page no rule foresaw: one refused file, with the reason, and the batch goes on
            problem = Problem(str(path), message=f"the importer failed on this file ({type(exc).__name__}: {exc})", hint="this is a bug in the importer: please report it with the file")
            result, sha = _failed(path, [problem]), ""
        if result.output and not result.problems:
            claimed[result.output] = sha
            if not options.dry_run:
                try:
                    write_atomic(result.output, result.text)
                except OSError as exc:
                    result = _failed(path, [Problem(str(result.output), message=f"cannot write the briefing: {exc.strerror or exc}")])
        results.append(result)
    if progress:
        progress(len(paths), len(paths), Path())
    return results


def _check_zone(name: str) -> list[Problem]:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return [Problem("--timezone", field="timezone", message=f"unknown timezone '{name}'", hint="pass an IANA name such as Europe/London")]
    return []


def import_one(path: Path, options: ImportOptions, collection: Collection, claimed: dict[Path, str]) -> tuple[ImportResult, str]:
    """Read, convert, place and validate one source file without writing it; return the result and the source's sha256."""
    where = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return _failed(path, [Problem(where, message=f"cannot read the file: {exc.strerror or exc}")]), ""
    text, problem = decode_source(raw, where)
    if problem:
        return _failed(path, [problem]), ""
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    zone_name = options.timezone or collection.zone_for(options.source_name or "", options.source_url or "") or collection.config.timezone
    drop = frozenset(cleanup.junk_key(line) for line in collection.config.import_drop_lines if line.strip())
    if looks_like_html(path, text):
        article, failure = read_html(text, where, ZoneInfo(zone_name), drop)
        if failure:
            message, hint = failure
            return _failed(path, [Problem(where, field="body" if "text" in message else "", message=message, hint=hint)]), sha
        if not options.timezone and not article.zone_written:  # the page's own source may have a zone in site.yaml
            source_zone = collection.zone_for(article.source_name, article.source_url)
            if source_zone and source_zone != zone_name:
                article, _ = read_html(text, where, ZoneInfo(source_zone), drop)
    else:
        article = read_text(text, ZoneInfo(zone_name), drop)
    article, problems = apply_options(article, options, zone_name, where)
    tags = tuple(merge_tags(options.tags, propose_tags(article, collection.tag_names)))
    if not tags:
        problems.append(Problem(where, field="tags", message="no tag found in the text matches the collection's tags", hint="pass --tags a,b"))
    if problems:
        return _failed(path, problems, article.notes), sha
    output, problem = plan_path(article, sha, Path(options.content_dir), options.force, collection, claimed, where)
    if problem:
        if problem.field == "source.sha256":  # already in the collection: skipped, which fails nothing
            return ImportResult(path, None, "", (replace(problem, severity="warning"),), "duplicate", article.notes), sha
        return ImportResult(path, None, "", (problem,), "refused", article.notes), sha
    briefing = render_briefing(article, tags, sha)
    problems = validate(briefing, output, collection, where)
    if problems:
        return _failed(path, problems, article.notes), sha
    return ImportResult(path, output, briefing, (), "imported", article.notes), sha


def _failed(path: Path, problems: list[Problem], notes: tuple[str, ...] = ()) -> ImportResult:
    return ImportResult(path, None, "", tuple(problems), "refused", notes)


def apply_options(article: Article, options: ImportOptions, zone_name: str, where: str) -> tuple[Article, list[Problem]]:
    """Let the flags fill in or override what the source said, and name the flag for every required field still missing."""
    problems = []
    when = article.date
    if options.date:
        try:
            when = _flag_date(options.date.strip(), zone_name)
        except FieldError:
            when = None
            problems.append(Problem(where, field="date", message=f"'{options.date}' is not an ISO 8601 date", hint="pass --date 2017-02-24 or --date 2017-02-24T04:27-05:00"))
    authors = (options.author.strip(),) if options.author and options.author.strip() else article.authors
    title = " ".join(options.title.split()) if options.title and options.title.strip() else article.title
    article = replace(article, title=title, date=when, authors=authors, source_name=options.source_name or article.source_name, source_url=options.source_url or article.source_url)
    if not article.title:
        problems.append(Problem(where, field="title", message="no title found", hint="pass --title TEXT"))
    if not article.authors:
        problems.append(Problem(where, field="author", message="no author found in the byline", hint="pass --author NAME"))
    if not article.date and not options.date:
        problems.append(Problem(where, field="date", message="no date found in the byline", hint="pass --date YYYY-MM-DD[THH:MM±HH:MM]"))
    if not article.paragraphs:
        problems.append(Problem(where, field="body", message="no article text found after the title and byline"))
    return article, problems


def _flag_date(text: str, zone_name: str) -> datetime | date:
    """--date through the front matter's own date converter: the same forms `date:` accepts, naive times in the zone."""
    value = field_date(text, Context(ZoneInfo(zone_name)))
    if isinstance(value, datetime) and len(text) == 10:
        return value.date()
    return value.replace(microsecond=0) if isinstance(value, datetime) else value
