"""The plain data of a briefing site, and the slug rules every URL is made from."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from datetime import datetime

SLUG_MAX = 60


@lru_cache(maxsize=1 << 16)  # tags and authors are slugged again on every page that shows them
def slugify(text: str, max_length: int = SLUG_MAX) -> str:
    """ASCII, lower case, hyphen-separated; cut at a word boundary; never empty for words."""
    decomposed = "".join(c for c in unicodedata.normalize("NFKD", str(text)) if not unicodedata.combining(c))
    # "U.N." and "We'll" are one word each, not "u-n" and "we-ll"; any other mark separates words.
    joined = re.sub(r"(?<=\w)['’.](?=\w)", "", decomposed)
    ascii_text = re.sub(r"\W+", " ", joined).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    if not slug and words:  # one word longer than the limit: cut it
        slug = words[0][:max_length]
    return slug


def tag_key(name: str) -> str:
    """The identity of a tag: "Human Rights", "human-rights" and "human_rights" are one tag."""
    return slugify(name, max_length=200)


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class SiteConfig:
    title: str
    description: str
    base_url: str  # absolute, ends with "/"
    language: str = "en"
    timezone: str = "UTC"
    feed_size: int = 20
    per_page: int = 20
    navigation: tuple[Link, ...] = ()
    author: str = ""
    sanitize: dict = field(default_factory=dict, hash=False, compare=False)
    import_drop_lines: tuple[str, ...] = ()
    import_timezones: tuple[tuple[str, str], ...] = ()  # (source name or web host, IANA zone) for importing times without a zone


@dataclass(frozen=True)
class Source:
    name: str = ""
    url: str = ""
    published: datetime | None = None
    sha256: str = ""


@dataclass(frozen=True)
class Image:
    src: str = ""
    alt: str = ""
    caption: str = ""
    credit: str = ""


@dataclass(frozen=True)
class Briefing:
    path: str  # source path relative to content/, with forward slashes
    slug: str
    year: int
    title: str
    authors: tuple[str, ...]
    date: datetime  # aware, in the site timezone
    tag_names: tuple[str, ...]  # as written, de-duplicated by key
    body_html: str
    summary: str  # plain text
    updated: datetime | None = None
    source: Source | None = None
    image: Image | None = None
    draft: bool = False
    id: str = ""
    aliases: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict, hash=False, compare=False)
    word_count: int = 0
    tag_lines: tuple[int, ...] = ()  # the source line of each tag name, for cross-file warnings

    @property
    def url(self) -> str:
        return f"/briefings/{self.year}/{self.slug}/"

    @cached_property  # read for every page that lists the briefing; frozen still holds, the value is derived
    def tag_keys(self) -> tuple[str, ...]:
        return tuple(tag_key(name) for name in self.tag_names)


@dataclass(frozen=True)
class Topic:
    path: str
    slug: str
    title: str
    summary: str
    tag_keys: tuple[str, ...]
    intro_html: str
    accent: str = ""
    layout: str = ""

    @property
    def url(self) -> str:
        return f"/topics/{self.slug}/"


@dataclass(frozen=True)
class Tag:
    key: str  # the slug, also the identity
    name: str  # display name: the most common spelling

    @property
    def url(self) -> str:
        return f"/tags/{self.key}/"


@dataclass(frozen=True)
class Author:
    slug: str
    name: str

    @property
    def url(self) -> str:
        return f"/authors/{self.slug}/"


@dataclass(frozen=True)
class Site:
    """The whole validated collection; every page is planned from this alone."""

    config: SiteConfig
    briefings: tuple[Briefing, ...]  # newest first
    topics: tuple[Topic, ...]  # sorted by title
    tags: dict[str, Tag] = field(hash=False, compare=False)  # key -> Tag
    held_back: int = 0  # drafts and future briefings left out of this build


@dataclass(frozen=True)
class ImportSettings:
    """site.yaml's import section: junk lines to drop, and the zone each source writes its times in."""

    drop_lines: tuple[str, ...] = ()
    timezones: tuple[tuple[str, str], ...] = ()
