"""The field tables: one converter per front-matter field, turning raw YAML into a typed value or a FieldError with a hint."""
from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import Problem
from .frontmatter import LineDict
from .model import Image, ImportSettings, Link, Source, slugify, spelling, tag_key

MAX_TAGS = 30
MAX_TEXT = 2000  # a title or summary longer than this is a pasted body, not a field
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
DATE_HINT = "use YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS with an offset such as -05:00"
CSS_COLOUR = re.compile(
    r"^(#[0-9a-fA-F]{3,4}|#[0-9a-fA-F]{6}|#[0-9a-fA-F]{8}"
    r"|(rgb|rgba|hsl|hsla|oklch|oklab)\([0-9.,%\s/a-z+-]{1,60}\))$"
)
# CSS Color Module 4's named colours: any other word ("reddish") would reach the page as a rule browsers drop.
NAMED_COLOURS = frozenset("""
aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet brown burlywood cadetblue
chartreuse chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan darkgoldenrod darkgray darkgreen darkgrey
darkkhaki darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen darkslateblue darkslategray
darkslategrey darkturquoise darkviolet deeppink deepskyblue dimgray dimgrey dodgerblue firebrick floralwhite forestgreen
fuchsia gainsboro ghostwhite gold goldenrod gray green greenyellow grey honeydew hotpink indianred indigo ivory khaki
lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan lightgoldenrodyellow lightgray lightgreen
lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray lightslategrey lightsteelblue lightyellow lime
limegreen linen magenta maroon mediumaquamarine mediumblue mediumorchid mediumpurple mediumseagreen mediumslateblue
mediumspringgreen mediumturquoise mediumvioletred midnightblue mintcream mistyrose moccasin navajowhite navy oldlace olive
olivedrab orange orangered orchid palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum
powderblue purple rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown seagreen seashell sienna silver
skyblue slateblue slategray slategrey snow springgreen steelblue tan teal thistle tomato turquoise violet wheat white
whitesmoke yellow yellowgreen
""".split())


class FieldError(Exception):
    """A value that cannot be used; `key` names a sub-field, such as 'url' inside 'source'; `at` its (line, column) when
    the converter knows it better than the field's own line (an item of a list)."""

    def __init__(self, message: str, hint: str = "", key: str = "", at: tuple[int, int] | None = None):
        super().__init__(message)
        self.message, self.hint, self.key, self.at = message, hint, key, at


@dataclass(frozen=True)
class Context:
    """What converters need besides the value: the site timezone."""

    tz: ZoneInfo


@dataclass(frozen=True)
class Field:
    name: str
    convert: Callable[[Any, Context], Any]
    required: bool
    schema: dict
    doc: str


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "empty"
    if isinstance(value, str):
        return "text"
    return type(value).__name__


def text(value: Any, ctx: Context | None = None, *, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise FieldError(f"must be text, not {_kind(value)}", 'put the value in quotes, e.g. title: "2017"')
    value = value.strip()
    if not value:
        raise FieldError("must not be empty", "write a value or remove the field")
    if len(value) > limit:
        raise FieldError(f"is {len(value):,} characters long, over the limit of {limit:,}", "shorten it")
    control = _CONTROL.search(value)
    if control:  # only a YAML escape such as "\e" can put one here; in a page, feed or terminal it does harm or nothing
        raise FieldError(f"contains a control character (U+{ord(control.group()):04X})", "delete the escape sequence (such as \\e or \\x1b) from the quoted text")
    return value


def authors(value: Any, ctx: Context) -> tuple[str, ...]:
    names = value if isinstance(value, list) else [value]
    if not names:
        raise FieldError("must name at least one author", "author: Jane Doe, or a list of names")
    result = tuple(text(name, limit=200) for name in names)
    if any(not slugify(name) for name in result):
        raise FieldError("an author name needs at least one letter or digit", "author: Jane Doe")
    return one_address_each(result, slugify, "authors")


def one_address_each(names: tuple[str, ...], slug_of: Callable[[str], str], kind: str) -> tuple[str, ...]:
    """A briefing's names, one per address, as first written: one name written twice ('Ana Lima', 'ana-lima') is one;
    two names that would share an address are an error, never silently one ('C++' and 'C#' are both /tags/c/)."""
    seen: dict[str, str] = {}
    for name in names:
        other = seen.setdefault(slug_of(name), name)
        if spelling(other) != spelling(name):
            raise FieldError(f"'{other}' and '{name}' would share one address, /{kind}/{slug_of(name)}/", "name one so that the letters or digits differ, e.g. 'C sharp' beside 'C++'")
    return tuple(seen.values())


def when(value: Any, ctx: Context) -> datetime:
    """The one place a date becomes an aware datetime in the site timezone."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise FieldError(f"must be a date, not the number {value}", DATE_HINT)
    raw = written = text(value, limit=80)
    zone = ctx.tz
    named = re.match(r"^(.*\d)\s+([A-Za-z_]+/[A-Za-z_/+-]+|UTC)$", raw)  # "2017-02-24 04:27 America/New_York"
    if named:
        raw = named.group(1)
        try:
            zone = ZoneInfo(named.group(2))
        except (ZoneInfoNotFoundError, ValueError):
            raise FieldError(f"unknown timezone '{named.group(2)}'", "use an IANA name such as America/New_York, or an offset such as -05:00") from None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        try:
            day = date.fromisoformat(raw)
        except ValueError as exc:
            raise FieldError(f"'{raw}' is not a real date: {exc}", DATE_HINT) from None
        return _in_site_zone(datetime.combine(day, time(0, 0), zone), written, ctx)
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?", raw)
    if not match:
        raise FieldError(f"'{raw}' is not a date", DATE_HINT)
    day_text, hour, minute, second, fraction, offset = match.groups()
    try:
        day = date.fromisoformat(day_text)
    except ValueError as exc:
        raise FieldError(f"'{raw}' is not a real date: {exc}", DATE_HINT) from None
    if int(hour) > 23 or int(minute) > 59 or int(second or 0) > 59:
        raise FieldError(f"'{raw}' is not a real time of day", "hours run 00–23, minutes and seconds 00–59")
    clock = time(int(hour), int(minute), int(second or 0), int(float(fraction or 0) * 1_000_000))
    if offset:
        if named:
            raise FieldError(f"'{value}' gives both an offset and a timezone", "give one of them")
        return _in_site_zone(datetime.fromisoformat(f"{day.isoformat()}T{clock.isoformat()}{'+00:00' if offset == 'Z' else offset}"), written, ctx)
    return _in_site_zone(datetime.combine(day, clock, zone), written, ctx)


def _in_site_zone(moment: datetime, raw: str, ctx: Context) -> datetime:
    """Year 1 early in the day east of UTC, or 9999-12-31 late west of it, has no place in the calendar once converted."""
    try:
        return moment.astimezone(ctx.tz)
    except OverflowError:
        raise FieldError(f"'{raw}' falls outside the calendar (years 1 to 9999) in the site timezone, {ctx.tz.key}", "use a real publication date") from None


def tags(value: Any, ctx: Context) -> tuple[str, ...]:
    if isinstance(value, str):
        raise FieldError("must be a list, not text", f"write tags: [{value}] or one '- tag' a line")
    if not isinstance(value, list) or not value:
        raise FieldError("must be a non-empty list of tag names", "tags: [immigration, human rights]")
    if len(value) > MAX_TAGS:
        raise FieldError(f"has {len(value):,} tags; at most {MAX_TAGS} are allowed", "keep the few tags a reader would browse by")
    names = []
    for item in value:
        if isinstance(item, int) and not isinstance(item, bool):
            item = str(item)
        name = text(item, limit=100)
        if not tag_key(name):
            raise FieldError(f"tag '{name}' has no letters or digits", "a tag needs at least one letter or digit for its URL")
        names.append(name)
    return one_address_each(tuple(names), tag_key, "tags")


def flag(value: Any, ctx: Context) -> bool:
    if not isinstance(value, bool):
        raise FieldError(f"must be true or false, not {_kind(value)}", "draft: true")
    return value


def identifier(value: Any, ctx: Context) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return text(value, limit=200)


def url(value: Any, ctx: Context | None = None) -> str:
    raw = text(value, limit=2000)
    if not re.match(r"^https?://[^\s/]+", raw, re.IGNORECASE) or re.search(r"\s", raw):
        raise FieldError(f"'{raw[:80]}' is not an http(s) URL", "use an absolute address such as https://example.org/article")
    return raw


def image_src(value: Any) -> str:
    raw = text(value, limit=2000)
    if re.match(r"^https?://", raw, re.IGNORECASE):
        return url(raw)
    # a path without its leading slash would be read from each page's own folder, where no picture is
    if not raw.startswith("/") or raw.startswith("//") or "\\" in raw or ".." in raw.split("/") or re.search(r"\s", raw):
        raise FieldError(f"'{raw[:80]}' is not a usable image address", "use an https:// URL, or a path from the site's root such as /static/photo.jpg")
    return raw


def aliases(value: Any, ctx: Context) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    result, bad = [], []
    for n, item in enumerate(items):
        raw = text(item, limit=300)
        if not re.fullmatch(r"(/[A-Za-z0-9._~-]+)+/?", raw) or any(part in (".", "..") for part in raw.split("/")):
            bad.append((n, raw))  # every bad alias named at once, not one per build
            continue
        result.append(raw if raw.endswith("/") or "." in raw.rsplit("/", 1)[-1] else raw + "/")
    if bad:
        lines = getattr(value, "lines", None)
        at = lines[bad[0][0]] if lines else None
        named = " and ".join(f"'{raw[:80]}'" for _, raw in bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
        raise FieldError(f"{named} {'is not a site path' if len(bad) == 1 else 'are not site paths'}", "an alias is an old path on this site, such as /2017/02/old-name/", at=at)
    return tuple(result)


def extra(value: Any, ctx: Context) -> dict:
    if not isinstance(value, dict):
        raise FieldError(f"must be a mapping, not {_kind(value)}", "write it as a mapping, e.g. extra: {your_field: value}")
    return dict(value)


def _mapping(value: Any, allowed: dict[str, Callable[[Any], Any]], example: str) -> dict:
    if not isinstance(value, dict):
        raise FieldError(f"must be a mapping, not {_kind(value)}", example)
    result = {}
    for key, raw in value.items():
        if key not in allowed:
            raise FieldError(f"unknown field{_did_you_mean(key, allowed)}", f"allowed: {', '.join(allowed)}", key)
        try:
            result[key] = allowed[key](raw)
        except FieldError as exc:
            raise FieldError(exc.message, exc.hint, key) from None
    return result


def source(value: Any, ctx: Context) -> Source:
    fields = _mapping(
        value,
        {
            "name": lambda v: text(v, limit=200),
            "url": url,
            "published": lambda v: when(v, ctx),
            "sha256": _sha256,
        },
        "e.g. source: {name: The Daily, url: https://example.org/story}",
    )
    return Source(**fields)


def _sha256(value: Any) -> str:
    raw = text(value, limit=64)
    if not re.fullmatch(r"[0-9a-f]{64}", raw):
        raise FieldError("must be 64 lower-case hex digits", "leave it as the importer wrote it")
    return raw


def image(value: Any, ctx: Context) -> Image:
    fields = _mapping(
        value,
        {"src": image_src, "alt": lambda v: text(v, limit=500), "caption": lambda v: text(v), "credit": lambda v: text(v, limit=300)},
        "e.g. image: {src: /static/photo.jpg, alt: What the photo shows}",
    )
    if fields.get("src") and not fields.get("alt"):
        raise FieldError("an image with src needs alt text", "describe the picture for readers who cannot see it: alt: ...", "alt")
    return Image(**fields)


def accent(value: Any, ctx: Context) -> str:
    raw = text(value, limit=80)
    if not (CSS_COLOUR.match(raw) or raw.lower() in NAMED_COLOURS):
        raise FieldError(f"'{raw}' is not a CSS colour", 'use a hex colour in quotes, such as "#1d4ed8", or a CSS colour name such as teal')
    return raw


def layout(value: Any, ctx: Context) -> str:
    raw = text(value, limit=100)
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*\.html", raw):
        raise FieldError(f"'{raw}' is not a template name", "name a file in layouts/, such as topic-wide.html")
    return raw


_STR = {"type": "string", "minLength": 1}
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}([T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}|\s+[A-Za-z_]+/[A-Za-z_/+-]+)?)?$"}
_URL = {"type": "string", "pattern": "^https?://"}

BRIEFING_FIELDS: dict[str, Field] = {
    f.name: f
    for f in [
        Field("title", text, True, _STR, "The headline."),
        Field("author", authors, True, {"oneOf": [_STR, {"type": "array", "items": _STR, "minItems": 1}]}, "A name, or a list of names."),
        Field("date", when, True, _DATE, "Publication date: YYYY-MM-DD, or an ISO 8601 datetime with an offset."),
        Field("tags", tags, True, {"type": "array", "items": {"type": ["string", "integer"]}, "minItems": 1, "maxItems": MAX_TAGS}, "Tag names; case and punctuation do not matter."),
        Field("summary", text, False, _STR, "One or two sentences of inline Markdown (emphasis, links, code; no lists or headings); else the first paragraph is used."),
        Field("updated", when, False, _DATE, "When the briefing was last revised."),
        Field(
            "source",
            source,
            False,
            {
                "type": "object",
                "additionalProperties": False,
                "properties": {"name": _STR, "url": _URL, "published": _DATE, "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}},
            },
            "Where the article first appeared: name, url, published.",
        ),
        Field(
            "image",
            image,
            False,
            {
                "type": "object",
                "additionalProperties": False,
                "properties": {"src": _STR, "alt": _STR, "caption": _STR, "credit": _STR},
                "dependentRequired": {"src": ["alt"]},
            },
            "A picture: src, alt (required with src), caption, credit.",
        ),
        Field("draft", flag, False, {"type": "boolean"}, "true keeps it out of the site unless built with --drafts."),
        Field("id", identifier, False, {"type": ["string", "integer"]}, "A permanent identifier, used as the feed guid."),
        Field("aliases", aliases, False, {"type": "array", "items": {"type": "string", "pattern": "^/"}}, "Old URLs that redirect here."),
        Field("extra", extra, False, {"type": "object"}, "Free fields for the site's own templates."),
    ]
}

TOPIC_FIELDS: dict[str, Field] = {
    f.name: f
    for f in [
        Field("title", text, True, _STR, "The topic's name."),
        Field("summary", text, True, _STR, "One sentence for the topic lists."),
        Field("tags", tags, True, {"type": "array", "items": {"type": "string"}, "minItems": 1}, "A briefing with any of these tags belongs to the topic."),
        Field("accent", accent, False, {"type": "string"}, "A CSS colour for the topic's pages."),
        Field("layout", layout, False, {"type": "string"}, "Another template in layouts/."),
    ]
}


def profile_links(value: Any, ctx: Context) -> tuple[Link, ...]:
    """An author's links elsewhere: a list of {title, url}, each url on the web or an e-mail address."""
    example = "e.g. - {title: Mastodon, url: https://example.social/@jane}"
    if not isinstance(value, list) or not value:
        raise FieldError("must be a list of {title, url}", example)
    links = []
    for n, item in enumerate(value):
        at = getattr(item, "lines", {}).get("url") or (value.lines[n] if hasattr(value, "lines") else None)
        fields = _mapping(item, {"title": lambda v: text(v, limit=100), "url": lambda v: text(v, limit=500)}, example)
        if set(fields) != {"title", "url"}:
            raise FieldError("each link needs a title and a url", example, at=at)
        if not re.fullmatch(r"(https://[^\s/]+\S*|mailto:[^\s@]+@[^\s@]+)", fields["url"], re.IGNORECASE):
            raise FieldError(f"'{fields['url'][:80]}' is not a link", "use an https:// address or mailto:name@example.org", "url", at)
        links.append(Link(**fields))
    return tuple(links)


AUTHOR_FIELDS: dict[str, Field] = {
    f.name: f
    for f in [
        Field("name", lambda v, c: text(v, limit=200), True, _STR, "The name as briefings write it in author:; its address is this file's name."),
        Field("role", lambda v, c: text(v, limit=200), False, _STR, "What the author does, in a few words: Europe correspondent."),
        Field(
            "links",
            profile_links,
            False,
            {"type": "array", "minItems": 1, "items": {"type": "object", "additionalProperties": False, "required": ["title", "url"], "properties": {"title": _STR, "url": {"type": "string", "pattern": "^(https?://|mailto:)"}}}},
            "Where else to find the author: a list of {title, url}.",
        ),
        Field("photo", lambda v, c: image_src(v), False, _STR, "A portrait: /static/… or an https:// URL."),
    ]
}


def _positive(limit: int) -> Callable[[Any, Context], int]:
    def convert(value: Any, ctx: Context) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= limit:
            raise FieldError(f"must be a whole number from 1 to {limit}", "for example 20")
        return value

    return convert


def base_url(value: Any, ctx: Context) -> str:
    raw = url(value)
    return raw if raw.endswith("/") else raw + "/"


def timezone_name(value: Any, ctx: Context) -> str:
    raw = text(value, limit=80)
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise FieldError(f"unknown timezone '{raw}'", "use an IANA name such as America/New_York or Europe/London") from None
    return raw


def navigation(value: Any, ctx: Context) -> tuple[Link, ...]:
    if not isinstance(value, list):
        raise FieldError("must be a list of {title, url}", "e.g. navigation: [{title: Topics, url: /topics/}]")
    links = []
    for item in value:
        fields = _mapping(item, {"title": lambda v: text(v, limit=100), "url": lambda v: text(v, limit=500)}, "e.g. - {title: Topics, url: /topics/}")
        if set(fields) != {"title", "url"}:
            raise FieldError("each link needs a title and a url", "e.g. - {title: Topics, url: /topics/}")
        if not re.match(r"^(/|https?://)", fields["url"]):
            raise FieldError(f"'{fields['url']}' is not a link", "use a site path such as /topics/ or an https:// URL", "url")
        links.append(Link(**fields))
    return tuple(links)


def language(value: Any, ctx: Context) -> str:
    raw = text(value, limit=35)
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", raw):
        raise FieldError(f"'{raw}' is not a language tag", "use a BCP 47 tag such as en, en-GB or es-MX")
    return raw


def sanitize(value: Any, ctx: Context) -> dict:
    allowed = {"tags": list, "attributes": dict}
    if not isinstance(value, dict) or any(key not in allowed or not isinstance(v, allowed[key]) for key, v in value.items()):
        raise FieldError("must be a mapping with 'tags' (a list) and 'attributes' (tag: [attribute, ...])", "e.g. sanitize: {tags: [mark], attributes: {abbr: [title]}}")
    names = [("tags", t) for t in value.get("tags", [])]
    for tag, attrs in value.get("attributes", {}).items():
        if not isinstance(attrs, list):
            raise FieldError(f"attributes of '{tag}' must be a list", f"e.g. attributes: {{{tag}: [title]}}", "attributes")
        names += [("attributes", tag)] + [("attributes", a) for a in attrs]
    for key, name in names:
        if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9-]*", name):
            raise FieldError(f"'{name}' is not a lower-case HTML name", "e.g. sanitize: {tags: [mark]}", key)
        if (key == "tags" and name in NEVER_TAGS) or (key == "attributes" and (name in NEVER_ATTRIBUTES or name.startswith("on"))):
            raise FieldError(f"'{name}' can never be allowed: it can run code or load a page inside the site", "contributors are not fully trusted; embed such content in a template in layouts/ instead", key)
    return dict(value)


# Never allowed in contributors' HTML, whatever site.yaml says: they run script, embed documents, submit data or restyle the page.
NEVER_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button", "textarea",
    "select", "option", "base", "link", "meta", "svg", "math", "noscript", "template", "portal", "xmp", "plaintext",
}  # fmt: skip
NEVER_ATTRIBUTES = {"style", "srcdoc", "formaction", "action", "xmlns", "is", "http-equiv"}


def import_settings(value: Any, ctx: Context) -> ImportSettings:
    if not isinstance(value, dict) or set(value) - {"drop_lines", "timezones"} or not isinstance(value.get("drop_lines", []), list):
        raise FieldError("must be a mapping with drop_lines (a list of lines to remove) and timezones (source: zone)", "e.g. import: {drop_lines: [Share this story], timezones: {Herald Sun: Australia/Melbourne}}")
    zones = value.get("timezones", {})
    if not isinstance(zones, dict):
        raise FieldError("must map a source's name or web address to a timezone", "e.g. timezones: {Herald Sun: Australia/Melbourne, example.co.uk: Europe/London}", "timezones")
    pairs = []
    for source_name, zone in zones.items():
        try:
            pairs.append((text(source_name, limit=200), timezone_name(zone, ctx)))
        except FieldError as exc:
            raise FieldError(exc.message, exc.hint, "timezones") from None
    return ImportSettings(tuple(text(line, limit=200) for line in value.get("drop_lines", [])), tuple(pairs))


SITE_FIELDS: dict[str, Field] = {
    f.name: f
    for f in [
        Field("title", text, True, _STR, "The site's name."),
        Field("description", text, True, _STR, "One sentence, used in feeds and meta tags."),
        Field("base_url", base_url, True, _URL, "The absolute address the site is published at."),
        Field("language", language, False, _STR, "BCP 47 language tag, default en."),
        Field("timezone", timezone_name, False, _STR, "IANA timezone for dates without an offset, default UTC."),
        Field("feed_size", _positive(500), False, {"type": "integer", "minimum": 1}, "Items in each feed, default 20."),
        Field("per_page", _positive(500), False, {"type": "integer", "minimum": 1}, "Briefings on each list page, default 20."),
        Field("navigation", navigation, False, {"type": "array"}, "Header links: a list of {title, url}."),
        Field("author", lambda v, c: text(v, limit=200), False, _STR, "The publisher's name, for feeds and metadata."),
        Field("sanitize", sanitize, False, {"type": "object"}, "Extra HTML tags and attributes allowed in bodies."),
        Field("import", import_settings, False, {"type": "object"}, "Importer settings: drop_lines, and timezones per source for times written without a zone."),
    ]
}


def _did_you_mean(name: str, known) -> str:
    close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def convert_fields(data: LineDict, table: dict[str, Field], ctx: Context, path: str) -> tuple[dict[str, Any], list[Problem]]:
    """Run every field through its converter; collect every problem instead of stopping at the first."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, raw in data.items():
        line, col = data.lines.get(key, (data.line, data.col))
        if key not in table:
            problems.append(Problem(path, line, col, key, f"unknown field{_did_you_mean(key, table)}", f"known fields: {', '.join(table)}"))
            continue
        try:
            values[key] = table[key].convert(raw, ctx)
        except FieldError as exc:
            name = f"{key}.{exc.key}" if exc.key else key
            if exc.at is not None:
                line, col = exc.at
            elif exc.key and isinstance(raw, LineDict) and exc.key in raw.lines:
                line, col = raw.lines[exc.key]
            problems.append(Problem(path, line, col, name, exc.message, exc.hint))
    for name, field in table.items():
        if field.required and name not in data:
            problems.append(Problem(path, data.line, 1, name, "required field is missing", f"add '{name}:' to the front matter ({field.doc})"))
    return values, problems


def json_schema(table: dict[str, Field], title: str) -> dict:
    """The JSON Schema of a front matter, from the same table the validator uses."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "type": "object",
        "additionalProperties": False,
        "required": [name for name, f in table.items() if f.required],
        "properties": {name: {**f.schema, "description": f.doc} for name, f in table.items()},
    }


def schema_text(kind: str) -> str:
    """The committed schema/<kind>.schema.json, byte for byte: `python build.py schema --write` regenerates it."""
    table, title = SCHEMAS[kind]
    return json.dumps(json_schema(table, title), indent=2, ensure_ascii=False) + "\n"


SCHEMAS = {"briefing": (BRIEFING_FIELDS, "Briefing front matter"), "topic": (TOPIC_FIELDS, "Topic front matter"), "author": (AUTHOR_FIELDS, "Author profile front matter")}
