"""Write a new briefing's skeleton at its right path, valid from the start, never over an existing file."""
from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from . import content, fields
from .errors import Problem
from .model import slugify

BODY = (
    f"{content.PLACEHOLDER} The first paragraph becomes the summary\n"
    "unless you add a `summary:` field. Preview with `python build.py serve`,\n"
    "validate with `python build.py check`.\n"
)


@dataclass(frozen=True)
class NewBriefing:
    title: str
    tags: tuple[str, ...]
    author: str | None = None
    date: str | None = None  # ISO date or datetime; default: now in the site timezone


def _quoted(value: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar: colons, '#', quotes and leading dashes stay text.
    return json.dumps(value, ensure_ascii=False)


def skeleton(new: NewBriefing, author: str, date: str) -> str:
    """The file's text: the required fields filled in, the optional ones as comments to uncomment."""
    lines = ["---", f"title: {_quoted(new.title)}", f"author: {_quoted(author)}", f"date: {date}", "tags:"]
    lines += [f"  - {_quoted(tag)}" for tag in new.tags]
    lines += [
        "# summary: One or two sentences for lists and feeds.",
        "# source:",
        "#   name: The Daily",
        "#   url: https://example.org/the-original-story",
        "---",
        "",
        BODY,
    ]
    return "\n".join(lines)


def git_author() -> str | None:
    """The contributor's name as git knows it, so `new` needs no --author in a normal checkout."""
    try:
        done = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def free_path(year_dir: Path, slug: str) -> Path:
    """The first of slug.md, slug-2.md, … that does not exist yet."""
    candidate, n = year_dir / f"{slug}.md", 1
    while candidate.exists():
        n += 1
        candidate = year_dir / f"{slug}-{n}.md"
    return candidate


def create(content_dir: Path, new: NewBriefing, now: datetime | None = None) -> tuple[Path | None, list[Problem]]:
    """Validate the inputs with the same field converters as `check`, then write the file exclusively."""
    config, problems = content.load_config(content_dir)
    if config is None:
        return None, problems
    tz = ZoneInfo(config.timezone)
    ctx = fields.Context(tz)
    author = new.author or git_author()
    if not author:
        return None, [Problem("(new)", 1, 1, "author", "no author given and git has no user.name", 'pass --author "Jane Doe"')]
    moment = (now or datetime.now(timezone.utc)).astimezone(tz).replace(microsecond=0)
    date_text = new.date or moment.isoformat()
    problems = []
    for name, value in (("title", new.title), ("author", author), ("date", date_text), ("tags", list(new.tags))):
        try:
            converted = fields.BRIEFING_FIELDS[name].convert(value, ctx)
        except fields.FieldError as exc:
            problems.append(Problem("(new)", 1, 1, name, exc.message, exc.hint))
            continue
        if name == "date":
            year = converted.year
    slug = slugify(new.title)
    if not slug:
        problems.append(Problem("(new)", 1, 1, "title", "the title has no letters or digits to make a file name from", "use words in the title"))
    if problems:
        return None, problems
    text = skeleton(new, author, date_text)
    path = free_path(content_dir / "briefings" / str(year), slug)
    rel = path.relative_to(content_dir).as_posix()
    briefing, problems = content.load_briefing(rel, text.encode("utf-8"), config.timezone, content.Markup())
    if briefing is None:  # our own skeleton failing the validator is a bug worth a clear message
        return None, problems
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:  # "x": never replace a file made meanwhile
            handle.write(text)
    except OSError as exc:
        return None, [Problem(rel, 1, 1, "", f"cannot create the file: {exc.strerror}", "check the folder's permissions")]
    return path, [p for p in problems if "placeholder" not in p.message]  # what `new` writes: warned of at check, not here
