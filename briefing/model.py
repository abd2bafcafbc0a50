"""The plain data of a briefing site, and the slug rules every URL is made from."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from datetime import datetime

SLUG_MAX = 60  # bytes of UTF-8: a file name holds 255, and an address stays short
# Latin letters that no Unicode decomposition takes to ASCII, as their languages write them without the mark.
_LATIN = str.maketrans({"æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ł": "l", "þ": "th", "ŧ": "t"})


@lru_cache(maxsize=1 << 16)  # tags and authors are slugged again on every page that shows them
def slugify(text: str, max_length: int = SLUG_MAX) -> str:
    """Lower-case words joined by hyphens, cut at a word boundary within max_length bytes; never empty for words.

    Latin letters lose their accents (Café → cafe, Łódź → lodz); letters of every other script stay as written
    (東京, αθήνα, القاهرة), so a name in any script has a slug, and its URL works once percent-encoded.
    """
    folded = _folded(text)
    # "U.N." and "We'll" are one word each, not "u-n" and "we-ll"; any other mark separates words.
    joined = re.sub(r"(?<=\w)['’.](?=\w)", "", folded)
    words = "".join(c if _in_word(c) else "" if unicodedata.category(c) == "Cf" else " " for c in joined).split()
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate.encode()) > max_length:
            break
        slug = candidate
    if not slug and words:  # one word longer than the limit: cut it
        slug = words[0].encode()[:max_length].decode("utf-8", "ignore")
    return slug


def _folded(text: str) -> str:
    """Compatibility forms as plain letters (ﬁ, Ａ, ²), case folded (ß → ss), Latin letters without their accents."""
    return _strip_latin_accents(unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", str(text)).casefold()).translate(_LATIN))


def _strip_latin_accents(text: str) -> str:
    """Drop the combining marks on ASCII letters only: the dakuten of が or a Devanagari virama is part of the letter."""
    kept: list[str] = []
    for c in unicodedata.normalize("NFD", text):
        if not (unicodedata.combining(c) and kept and kept[-1].isascii() and kept[-1].isalnum()):
            kept.append(c)
    return unicodedata.normalize("NFC", "".join(kept))


def _in_word(c: str) -> bool:
    return c.isascii() and c.isalnum() or not c.isascii() and unicodedata.category(c)[0] in "LMN"


def is_slug(text: str, max_length: int = 100) -> bool:
    """Whether a file name (without .md) is already a slug, so that it can be the page's address as it stands."""
    return bool(text) and slugify(text, max_length) == text


@lru_cache(maxsize=1 << 16)  # every build checks every briefing's names; a collection has a few hundred of them
def spelling(name: str) -> str:
    """What tells apart two names that share a slug: all but case, Latin accents, spaces, hyphens, underscores,
    apostrophes and full stops. 'Human Rights' and 'human-rights' are one spelling; 'C++' and 'C#' are two."""
    return "".join(c for c in _folded(name) if not (c.isspace() or c in "'’ʼ." or unicodedata.category(c) in ("Pd", "Pc", "Cf")))


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
class Place:
    """What the routing table reads of a briefing: where it stands and how it is filed, not what it says.

    Pages are planned from places alone, so an edit that keeps every place (a briefing's text, its title) plans
    the same pages; rendering swaps in the whole briefing.
    """

    path: str
    url: str
    date: datetime
    updated: datetime | None
    authors: tuple[str, ...]
    tag_keys: tuple[str, ...]
    aliases: tuple[str, ...]


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
    summary: str  # plain text: for meta tags, JSON-LD and feeds
    summary_html: str = ""  # inline HTML: for lists and the standfirst
    summary_given: bool = False  # written in the front matter, so the article shows it as its standfirst
    updated: datetime | None = None
    source: Source | None = None
    image: Image | None = None
    draft: bool = False
    id: str = ""
    aliases: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict, hash=False, compare=False)
    word_count: int = 0
    tag_lines: tuple[int, ...] = ()  # the source line of each tag name, for cross-file warnings
    alias_lines: tuple[int, ...] = ()  # the source line of each alias, for cross-file errors
    author_lines: tuple[int, ...] = ()  # the source line of each author's name, likewise

    @property
    def url(self) -> str:
        return f"/briefings/{self.year}/{self.slug}/"

    @cached_property  # read for every page that lists the briefing; frozen still holds, the value is derived
    def tag_keys(self) -> tuple[str, ...]:
        return tuple(tag_key(name) for name in self.tag_names)

    @cached_property
    def place(self) -> Place:
        return Place(self.path, self.url, self.date, self.updated, self.authors, self.tag_keys, self.aliases)

    @cached_property
    def filing(self) -> Filing:
        return Filing(self.place, self.tag_names, self.draft, self.tag_lines, self.alias_lines, self.author_lines)


@dataclass(frozen=True)
class Filing:
    """How a briefing is filed among the others: its place, and what the checks across files read (its tags as
    written, whether it is a draft, the lines of its names). An edit that keeps every filing keeps the site's shape:
    the same checks, the same order, the same tags, the same pages."""

    place: Place
    tag_names: tuple[str, ...]
    draft: bool
    tag_lines: tuple[int, ...]
    alias_lines: tuple[int, ...]
    author_lines: tuple[int, ...]

    @property
    def path(self) -> str:
        return self.place.path

    @property
    def url(self) -> str:
        return self.place.url

    @property
    def date(self) -> datetime:
        return self.place.date

    @property
    def authors(self) -> tuple[str, ...]:
        return self.place.authors

    @property
    def tag_keys(self) -> tuple[str, ...]:
        return self.place.tag_keys

    @property
    def aliases(self) -> tuple[str, ...]:
        return self.place.aliases


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
    tag_names: tuple[str, ...] = ()  # as written, with the line of each: a tag spelled unlike the briefings' is an error here
    tag_lines: tuple[int, ...] = ()

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
class ProfilePlace:
    """What the routing table reads of an author's profile: which author page it belongs to, not what it says."""

    path: str
    slug: str


@dataclass(frozen=True)
class Profile:
    """An author's own words about themselves: content/authors/<slug>.md, shown on /authors/<slug>/."""

    path: str
    slug: str
    name: str
    bio_html: str = ""
    role: str = ""
    links: tuple[Link, ...] = ()
    photo: str = ""
    name_line: int = 1  # for cross-file warnings

    @property
    def url(self) -> str:
        return f"/authors/{self.slug}/"

    @property
    def place(self) -> ProfilePlace:
        return ProfilePlace(self.path, self.slug)

    @property
    def filing(self) -> tuple:
        """What other files' checks and the plan read of a profile: its place, and its name where it stands."""
        return (self.place, self.name, self.name_line)


@dataclass(frozen=True)
class Site:
    """The whole validated collection as pages are planned from it: each published briefing's filing, not its text."""

    config: SiteConfig
    filings: tuple[Filing, ...]  # the published briefings, newest first
    topics: tuple[Topic, ...]  # sorted by title
    tags: dict[str, Tag] = field(hash=False, compare=False)  # key -> Tag
    held_back: int = 0  # drafts and future briefings left out of this build
    profiles: tuple[Profile, ...] = ()  # sorted by slug


@dataclass(frozen=True)
class ImportSettings:
    """site.yaml's import section: junk lines to drop, and the zone each source writes its times in."""

    drop_lines: tuple[str, ...] = ()
    timezones: tuple[tuple[str, str], ...] = ()
