"""Gather: read content/ into a validated Site, collecting every problem instead of stopping at the first."""
from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from . import markup
from .errors import Problem
from .fields import AUTHOR_FIELDS, BRIEFING_FIELDS, SITE_FIELDS, TOPIC_FIELDS, Context, convert_fields
from .frontmatter import LineDict, Parsed, decode, load_yaml, parse
from .inputs import read_regular
from .model import Briefing, Filing, ImportSettings, Profile, Site, SiteConfig, Tag, Topic, is_slug, slugify, spelling, tag_key

YEAR_DIR = re.compile(r"\d{4}")
SLUG_RULE = "the file name is its URL: lower-case letters (of any script), digits and single hyphens"


@dataclass(frozen=True)
class Markup:
    """What a briefing's HTML depends on besides its text: sanitiser additions and the site's base path."""

    tags: frozenset[str] = frozenset()
    attributes: tuple = ()
    base_path: str = "/"


def load_config(content_dir: Path, base_url: str | None = None) -> tuple[SiteConfig | None, list[Problem]]:
    path = content_dir / "site.yaml"
    rel = "site.yaml"
    if not path.is_file():
        return None, [Problem(rel, 1, 1, "", f"missing: {path}", "create site.yaml with title, description and base_url, or pass --content DIR")]
    try:
        raw, _ = read_regular(path)
    except OSError as exc:
        return None, [Problem(rel, 1, 1, "", f"cannot read: {exc.strerror or exc}", "site.yaml must be a plain text file")]
    text, problems = decode(raw, rel)
    if text is None:
        return None, problems
    data, problems = load_yaml(text, rel)
    if data is None:
        return None, problems
    values, field_problems = convert_fields(data, SITE_FIELDS, Context(ZoneInfo("UTC")), rel)
    problems += field_problems
    if base_url:
        values["base_url"] = base_url if base_url.endswith("/") else base_url + "/"
    if any(p.severity == "error" for p in problems):
        return None, problems
    settings = values.pop("import", ImportSettings())
    return SiteConfig(**values, import_drop_lines=settings.drop_lines, import_timezones=settings.timezones), problems


def markup_options(config: SiteConfig) -> Markup:
    extra = config.sanitize or {}
    attributes = tuple(sorted((tag, tuple(sorted(map(str, names)))) for tag, names in (extra.get("attributes") or {}).items()))
    return Markup(frozenset(map(str, extra.get("tags") or ())), attributes, urlsplit(config.base_url).path or "/")


def briefing_place(rel: str) -> tuple[int, str] | Problem:
    """content/briefings/<year>/<slug>.md gives the URL /briefings/<year>/<slug>/; anything else is refused."""
    parts = rel.split("/")
    stem = unicodedata.normalize("NFC", parts[-1][:-3])  # a Mac may name a file in decomposed form
    if len(parts) != 3 or not YEAR_DIR.fullmatch(parts[1]):
        return Problem(rel, 1, 1, "", "a briefing must live at briefings/<year>/<slug>.md", f"move it to briefings/<year>/{slugify(stem) or 'name'}.md")
    if not is_slug(stem):
        return Problem(rel, 1, 1, "", SLUG_RULE, f"rename it to {slugify(stem) or 'a-name'}.md")
    return int(parts[1]), stem


def read_fields(rel: str, raw: bytes, table: dict, tz_name: str) -> tuple[Parsed | None, dict, list[Problem]]:
    """Bytes to front matter converted by a field table, and the body; every problem located."""
    text, problems = decode(raw, rel)
    if text is None:
        return None, {}, problems
    parsed, problems = parse(text, rel)
    if parsed is None:
        return None, {}, problems
    values, field_problems = convert_fields(parsed.fields, table, Context(ZoneInfo(tz_name)), rel)
    return parsed, values, problems + field_problems


PLACEHOLDER = "Write the briefing here, in Markdown."  # the skeleton's body (scaffold.py): published, it would be the lead's standfirst


def load_briefing(rel: str, raw: bytes, tz_name: str, options: Markup) -> tuple[Briefing | None, list[Problem]]:
    """One briefing from its bytes: a pure function of its inputs, so results can be cached and run in parallel."""
    place = briefing_place(rel)
    if isinstance(place, Problem):
        return None, [place]
    year, slug = place
    parsed, values, problems = read_fields(rel, raw, BRIEFING_FIELDS, tz_name)
    if parsed is None:
        return None, problems
    if not parsed.body.strip():
        problems.append(Problem(rel, parsed.body_line, 1, "body", "the briefing has no text", "write the article below the closing '---'"))
    elif PLACEHOLDER in parsed.body:
        line = parsed.body_line + parsed.body[: parsed.body.index(PLACEHOLDER)].count("\n")
        problems.append(Problem(rel, line, 1, "body", "still holds the placeholder `new` wrote", "write the article in its place", "warning"))
    if any(p.severity == "error" for p in problems):
        return None, problems
    body_html = render_body(rel, parsed, options, problems)
    if body_html is None:
        return None, problems
    summary_html = summary_markup(rel, parsed, values.pop("summary", None), options, problems)
    if summary_html is None:
        return None, problems
    summary = markup.inline_text(summary_html) if summary_html else markup.trim(markup.first_paragraph(body_html))
    if values["date"].year != year:
        line, col = parsed.fields.lines["date"]
        problems.append(Problem(rel, line, col, "date", f"dated {values['date'].year} but filed under {year}/", f"move it to briefings/{values['date'].year}/", "warning"))
    if "updated" in values and values["updated"] < values["date"]:
        line, col = parsed.fields.lines["updated"]
        problems.append(Problem(rel, line, col, "updated", "is earlier than date", "an update comes after publication; fix one of the two"))
        return None, problems
    briefing = Briefing(
        path=rel,
        slug=slug,
        year=year,
        title=values["title"],
        authors=values["author"],
        date=values["date"],
        tag_names=values["tags"],
        body_html=body_html,
        summary=summary,
        summary_html=summary_html or html.escape(summary, quote=False),
        summary_given=bool(summary_html),
        updated=values.get("updated"),
        source=values.get("source"),
        image=values.get("image") or None,
        draft=values.get("draft", False),
        id=values.get("id", ""),
        aliases=values.get("aliases", ()),
        extra=values.get("extra", {}),
        word_count=markup.word_count(body_html),
        tag_lines=tag_lines(parsed.fields, values["tags"]),
        alias_lines=item_lines(parsed.fields, "aliases", len(values.get("aliases", ()))),
        author_lines=item_lines(parsed.fields, "author", len(values["author"])),
    )
    return briefing, problems


def render_body(rel: str, parsed: Parsed, options: Markup, problems: list[Problem]) -> str | None:
    """The body's HTML, or None with a problem at the body's line that the renderer refused or failed on."""
    try:
        return markup.render_markdown(parsed.body, options.tags, options.attributes, options.base_path)
    except markup.MarkupError as exc:
        problems.append(Problem(rel, parsed.body_line + exc.line - 1, 1, "body", exc.message, exc.hint))
        return None


def summary_markup(rel: str, parsed: Parsed, written: str | None, options: Markup, problems: list[Problem]) -> str | None:
    """A written summary as inline HTML ("" when there is none), or None with a problem on its line: a summary is
    one paragraph, shown inside list rows and as the article's standfirst, so block Markdown is refused."""
    if written is None:
        return ""
    try:
        return markup.render_inline(written, options.attributes, options.base_path)
    except markup.MarkupError as exc:
        line, col = parsed.fields.lines["summary"]
        problems.append(Problem(rel, line, col, "summary", exc.message, exc.hint))
        return None


def tag_lines(data: LineDict, names: tuple[str, ...]) -> tuple[int, ...]:
    """The line each tag name is written on (a flow list puts them all on the tags line)."""
    raw = data["tags"]
    line = data.lines["tags"][0]
    where = {str(item).strip(): at[0] for item, at in zip(raw, getattr(raw, "lines", ()))}
    return tuple(where.get(name, line) for name in names)


def item_lines(data: LineDict, key: str, count: int) -> tuple[int, ...]:
    """The line of each item of a list field (a flow list puts them all on the field's line)."""
    if key not in data:
        return ()
    where = getattr(data[key], "lines", None) or [data.lines[key]] * count
    return tuple(at[0] for at in where[:count])


def read_named(rel: str, raw: bytes, table: dict, tz_name: str, what: str) -> tuple[str, Parsed | None, dict, list[Problem]]:
    """A source whose file name is its slug (<folder>/<slug>.md: a topic, a profile): the slug, and read_fields's
    result; no parse (None) when the name or any field is wrong."""
    folder, _, name = rel.partition("/")
    stem = unicodedata.normalize("NFC", name[:-3])
    if "/" in name or not is_slug(stem):
        return stem, None, {}, [Problem(rel, 1, 1, "", f"{what} must live at {folder}/<slug>.md: {SLUG_RULE}", f"rename it to {folder}/{slugify(stem.rsplit('/', 1)[-1]) or 'name'}.md")]
    parsed, values, problems = read_fields(rel, raw, table, tz_name)
    if parsed is None or any(p.severity == "error" for p in problems):
        return stem, None, values, problems
    return stem, parsed, values, problems


def load_topic(rel: str, raw: bytes, tz_name: str, options: Markup) -> tuple[Topic | None, list[Problem]]:
    """One topic from its bytes, like load_briefing."""
    stem, parsed, values, problems = read_named(rel, raw, TOPIC_FIELDS, tz_name, "a topic")
    if parsed is None:
        return None, problems
    intro_html = render_body(rel, parsed, options, problems)
    if intro_html is None:
        return None, problems
    topic = Topic(
        path=rel,
        slug=stem,
        title=values["title"],
        summary=values["summary"],
        tag_keys=tuple(tag_key(name) for name in values["tags"]),
        intro_html=intro_html,
        accent=values.get("accent", ""),
        layout=values.get("layout", ""),
        tag_names=values["tags"],
        tag_lines=tag_lines(parsed.fields, values["tags"]),
    )
    return topic, problems


def load_author(rel: str, raw: bytes, tz_name: str, options: Markup) -> tuple[Profile | None, list[Problem]]:
    """One author's profile from its bytes, like load_briefing: the file's name is the author page's address, so
    the name it gives must have that address."""
    stem, parsed, values, problems = read_named(rel, raw, AUTHOR_FIELDS, tz_name, "an author's profile")
    if parsed is None:
        return None, problems
    if slugify(values["name"]) != stem:
        line, col = parsed.fields.lines["name"]
        problems.append(Problem(rel, line, col, "name", f"'{values['name']}' has the address /authors/{slugify(values['name'])}/, not this file's /authors/{stem}/", f"rename the file to authors/{slugify(values['name'])}.md, or write the name as the briefings do"))
        return None, problems
    bio_html = render_body(rel, parsed, options, problems) if parsed.body.strip() else ""
    if bio_html is None:
        return None, problems
    profile = Profile(rel, stem, values["name"], bio_html, values.get("role", ""), values.get("links", ()), values.get("photo", ""), name_line=parsed.fields.lines["name"][0])
    return profile, problems


def display_names(briefings: list[Filing]) -> dict[str, Tag]:
    """A tag's name is its most common spelling; ties go to the one that sorts first, so capitals win."""
    uses = Counter(pair for briefing in briefings for pair in zip(briefing.tag_keys, briefing.tag_names))
    spellings: dict[str, list[tuple[int, str]]] = {}
    for (key, name), count in uses.items():
        spellings.setdefault(key, []).append((-count, name))
    return {key: Tag(key, min(spellings[key])[1]) for key in sorted(spellings)}


def assemble(
    config: SiteConfig,
    filings: list[Filing],
    topics: list[Topic],
    *,
    now: datetime,
    drafts: bool = False,
    future: bool = False,
    profiles: list[Profile] = (),
) -> Site:
    """The Site of what is published now: drafts and future briefings held back unless asked for."""
    published = [b for b in filings if (drafts or not b.draft) and (future or b.date <= now)]
    published.sort(key=lambda b: (b.date, b.path), reverse=True)
    return Site(
        config=config,
        filings=tuple(published),
        topics=tuple(sorted(topics, key=lambda t: (t.title.lower(), t.slug))),
        tags=display_names(published),
        held_back=len(filings) - len(published),
        profiles=tuple(sorted(profiles, key=lambda p: p.slug)),
    )


def cross_checks(briefings: list[Filing], topics: list[Topic], profiles: list[Profile] = ()) -> list[Problem]:
    """What is wrong only in relation to other files: two sources claiming the same URL, two names the same slug.
    It reads briefings' filings alone (and profiles' names), so while every filing stays, its findings stand."""
    problems: list[Problem] = []
    claimed: dict[str, str] = {}
    for briefing in briefings:  # one name written in composed and decomposed Unicode is one slug
        if briefing.url in claimed:
            problems.append(Problem(briefing.path, 1, 1, "", f"its address {briefing.url} is already the address of {claimed[briefing.url]}", "two files cannot have one address; rename or remove one of them"))
        else:
            claimed[briefing.url] = briefing.path
    for briefing in briefings:
        for alias, line in zip(briefing.aliases, briefing.alias_lines or [1] * len(briefing.aliases)):
            if alias in claimed:
                problems.append(Problem(briefing.path, line, 1, "aliases", f"{alias} is already the address of {claimed[alias]}", "two sources cannot write the same page; remove one alias"))
            else:
                claimed[alias] = briefing.path
    names = display_names(briefings)
    return problems + shared_slugs(briefings, topics) + near_duplicate_tags(briefings, topics, names) + outside_topics(briefings, topics, names) + unnamed_authors(briefings, profiles)


def unnamed_authors(briefings: list[Filing], profiles: list[Profile]) -> list[Problem]:
    """Warn about a profile no briefing names: there is no author page to show it on."""
    named = {slugify(name) for briefing in briefings for name in briefing.authors}
    return [
        Problem(p.path, p.name_line, 1, "name", f"no briefing names '{p.name}' as its author, so the profile is shown nowhere", "check the spelling against the briefings' author:, or remove the profile", "warning")
        for p in profiles
        if p.slug not in named
    ]


@dataclass(frozen=True)
class _Use:
    name: str
    path: str
    line: int


def shared_slugs(briefings: list[Filing], topics: list[Topic]) -> list[Problem]:
    """Two names that differ in more than case, spaces and hyphens (model.spelling) must not share an address:
    'C++' and 'C#' would both be /tags/c/. The spelling most used stands; each use of another is an error naming it."""
    sources = [*briefings, *topics]
    first: dict[tuple[str, str], str] = {}  # each address's first spelling met: most addresses never meet a second
    clashing: set[tuple[str, str]] = set()
    for source in sources:
        for kind, names, slug_of in (("tags", source.tag_names, tag_key), ("authors", getattr(source, "authors", ()), slugify)):
            for name in names:
                key, spelled = (kind, slug_of(name)), spelling(name)
                if first.setdefault(key, spelled) != spelled:
                    clashing.add(key)
    if not clashing:
        return []
    uses: dict[tuple[str, str], dict[str, list[_Use]]] = {}
    for source in sorted(sources, key=lambda s: s.path):
        for name, line in zip(source.tag_names, source.tag_lines or (1,) * len(source.tag_names)):
            if (key := ("tags", tag_key(name))) in clashing:
                uses.setdefault(key, {}).setdefault(spelling(name), []).append(_Use(name, source.path, line))
        for name, line in zip(getattr(source, "authors", ()), getattr(source, "author_lines", ())):
            if (key := ("authors", slugify(name))) in clashing:
                uses.setdefault(key, {}).setdefault(spelling(name), []).append(_Use(name, source.path, line))
    problems = []
    for (kind, slug), spellings in uses.items():
        if len(spellings) < 2:
            continue
        standing = max(spellings.values(), key=len)[0]  # max keeps the first of equals: the spelling of the first file
        for other in (use for group in spellings.values() if group[0] is not standing for use in group):
            field = "tags" if kind == "tags" else "author"
            problems.append(Problem(other.path, other.line, 1, field, f"'{other.name}' would share the address /{kind}/{slug}/ with '{standing.name}' ({standing.path})", f"write '{standing.name}' if they are one, or name it so that the letters or digits differ, e.g. 'C sharp' beside 'C++'"))
    return problems


def _fold(key: str) -> str:
    """Looser than tag_key: 'human-rights', 'humanrights' and 'human-right' fold together."""
    folded = key.replace("-", "")
    return folded[:-1] if len(folded) > 3 and folded.endswith("s") else folded


def near_duplicate_tags(briefings: list[Filing], topics: list[Topic], names: dict[str, Tag]) -> list[Problem]:
    """Warn where a tag is spelled nearly like a more common one, naming the spelling to use."""
    uses: Counter = Counter()
    for briefing in briefings:
        uses.update(briefing.tag_keys)
    for topic in topics:  # a topic's spelling counts once, so it wins ties
        uses.update(topic.tag_keys)
    groups: dict[str, list[str]] = {}
    for key in sorted(uses):
        groups.setdefault(_fold(key), []).append(key)
    preferred = {key: min(keys, key=lambda k: (-uses[k], k)) for keys in groups.values() if len(keys) > 1 for key in keys}
    if not preferred:
        return []
    problems = []
    for briefing in briefings:
        for name, key, line in zip(briefing.tag_names, briefing.tag_keys, briefing.tag_lines or (1,) * len(briefing.tag_names)):
            best = preferred.get(key, key)
            if best != key:
                spelling = names[best].name if best in names else best
                problems.append(Problem(briefing.path, line, 1, "tags", f"'{name}' is nearly the tag '{spelling}' but a different one", f"write '{spelling}' so they are one tag", "warning"))
    return problems


def outside_topics(briefings: list[Filing], topics: list[Topic], names: dict[str, Tag]) -> list[Problem]:
    """Warn about briefings no topic page will list: none of their tags is a topic's tag."""
    if not topics:
        return []
    topic_keys = {key for topic in topics for key in topic.tag_keys}
    examples = ", ".join(f"'{names[k].name if k in names else k}'" for k in sorted(topic_keys)[:5])
    return [
        Problem(b.path, b.tag_lines[0] if b.tag_lines else 1, 1, "tags", "belongs to no topic: no topic lists any of its tags", f"add a topic's tag such as {examples}, or add one of its tags to a topic in topics/", "warning")
        for b in briefings
        if not set(b.tag_keys) & topic_keys
    ]



@dataclass(frozen=True)
class _TagList:
    tag_names: tuple[str, ...]

    @property
    def tag_keys(self) -> tuple[str, ...]:
        return tuple(tag_key(name) for name in self.tag_names)


def tag_spellings(tag_lists: list[tuple[str, ...]]) -> dict[str, Tag]:
    """display_names for bare tag lists, so a tool that reads no bodies (the importer) spells tags as the build does."""
    return display_names([_TagList(names) for names in tag_lists])  # type: ignore[list-item]
