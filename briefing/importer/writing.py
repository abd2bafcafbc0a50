"""Write a briefing the content side accepts: its config, tag spellings and loader; a file that would fail `check` is never written."""
from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .. import content, inputs
from ..errors import Problem
from ..fields import BRIEFING_FIELDS, TOPIC_FIELDS
from ..frontmatter import MAX_SOURCE_BYTES
from ..model import SiteConfig, slugify, tag_key
from .article import Article


@dataclass(frozen=True)
class Collection:
    """The slice of the content tree the importer needs: settings, tag spellings and what is already imported."""

    config: SiteConfig
    tag_names: tuple[str, ...] = ()
    imported: dict[str, Path] = field(default_factory=dict, hash=False, compare=False)  # sha256 -> briefing
    titles: dict[Path, str] = field(default_factory=dict, hash=False, compare=False)  # briefing -> title

    def zone_for(self, source_name: str, source_url: str) -> str | None:
        """site.yaml's zone for this source: its name, or its web host or a domain the host ends with."""
        host = (urlsplit(source_url).hostname or "").casefold()
        for key, zone in self.config.import_timezones:
            key = key.casefold()
            if key == source_name.casefold() or host and (host == key or host.endswith("." + key)):
                return zone
        return None


def load_collection(content_dir: Path) -> tuple[Collection | None, list[Problem]]:
    """site.yaml through the build's own loader; the tags, titles and sha256 of every briefing through its field table."""
    if not content_dir.is_dir():
        return None, [Problem(str(content_dir), message="content directory not found", hint="pass --content DIR")]
    config, problems = content.load_config(content_dir)
    errors = [_from_cwd(p, content_dir) for p in problems if p.severity == "error"]
    if config is None or errors:
        return None, errors
    tag_lists: list[tuple[str, ...]] = []
    imported: dict[str, Path] = {}
    titles: dict[Path, str] = {}
    files, _ = inputs.sources(content_dir)
    for name, path in files.items():
        rel = name[len("content/") :]
        briefing = rel.startswith("briefings/")
        try:
            raw, _ = inputs.read_regular(path, MAX_SOURCE_BYTES)
        except OSError:
            continue
        if raw is None:
            continue
        _, values, _ = content.read_fields(rel, raw, BRIEFING_FIELDS if briefing else TOPIC_FIELDS, config.timezone)  # a broken file is check's business
        tag_lists.append(tuple(values.get("tags", ())))
        if briefing:
            titles[Path(path)] = values.get("title", "")
            sha = getattr(values.get("source"), "sha256", "")
            if sha:
                imported.setdefault(sha, Path(path))
    names = tuple(tag.name for tag in content.tag_spellings(tag_lists).values())
    return Collection(config, names, imported, titles), []


def _from_cwd(problem: Problem, content_dir: Path) -> Problem:
    """The content side names files relative to content/; the importer prints paths that open from the working directory."""
    return Problem(str(content_dir / problem.path), problem.line, problem.col, problem.field, problem.message, problem.hint, problem.severity)


def validate(text: str, output: Path, collection: Collection, where: str) -> list[Problem]:
    """Load the briefing exactly as the build will; any error it would report is the import's reason to fail."""
    rel = f"briefings/{output.parent.name}/{output.name}"
    _, problems = content.load_briefing(rel, text.encode("utf-8"), collection.config.timezone, content.markup_options(collection.config))
    return [
        Problem(where, field=p.field, message=f"the briefing would not pass check: {p.message}", hint=p.hint)
        for p in problems if p.severity == "error"
    ]


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


def merge_tags(given: tuple[str, ...], proposed: list[str]) -> list[str]:
    # --tags may arrive as one "a,b" string or as separate names; the editor's own choice comes first.
    names = [name.strip() for item in given for name in item.split(",")] + proposed
    merged: dict[str, str] = {}
    for name in names:
        if tag_key(name):
            merged.setdefault(tag_key(name), name)
    return list(merged.values())


def plan_path(article: Article, sha: str, content_dir: Path, force: bool, collection: Collection, claimed: dict[Path, str], where: str) -> tuple[Path | None, Problem | None]:
    """Where the briefing goes: refuse re-imports and overwrites without --force; otherwise a free slug in its year."""
    previous = collection.imported.get(sha) or next((p for p, s in claimed.items() if s == sha), None)
    if previous:
        if force:
            return previous, None
        return None, Problem(where, field="source.sha256", message=f"already imported as {previous}", hint="pass --force to import it again over that file")
    folder = Path(content_dir) / "briefings" / str(article.date.year)
    base = slugify(article.title) or f"briefing-{sha[:12]}"
    same = folder / f"{base}.md"
    if same.exists() and same not in claimed and collection.titles.get(same, "") == article.title:
        if force:
            return same, None
        return None, Problem(where, message=f"{same} already exists", hint="pass --force to overwrite it")
    number = 1
    while True:
        suffix = f"-{number}" if number > 1 else ""
        candidate = folder / f"{slugify(article.title, 60 - len(suffix)) or f'briefing-{sha[:12]}'}{suffix}.md"
        if not candidate.exists() and candidate not in claimed:
            return candidate, None
        number += 1




def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
        out.write(text)
    os.replace(temporary, path)


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
