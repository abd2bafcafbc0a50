"""Render planned pages to bytes: Jinja2 for HTML (strict, autoescaped), feeds.py for XML; what each template reads; errors located."""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import re
import traceback
import weakref
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import jinja2.meta
import markupsafe
from jinja2 import nodes

from . import feeds, fingerprint
from .errors import Problem
from .model import Briefing, SiteConfig, Tag, Topic, slugify
from .routes import FAMILIES, Page

WORDS_PER_MINUTE = 230
BACKGROUNDS = {"light": "#fdfdfb", "dark": "#16171b"}  # style.css's --bg in each scheme
SURFACES = {"light": "#f2f1ec", "dark": "#212227"}  # style.css's --surface, behind cards and panels
AA = 4.5  # WCAG AA contrast for body-size text
RULES = 3  # WCAG's contrast for graphics: a topic's colour drawn as a rule or a swatch, in either scheme
# Colours for topics that name no accent: distinct hues, each at least RULES against both schemes' backgrounds.
DEFAULT_ACCENTS = ("#2563eb", "#dc2626", "#0d9488", "#9333ea", "#d97706", "#db2777", "#16a34a", "#0284c7", "#c026d3", "#a16207", "#ea580c", "#64748b")


@dataclass(frozen=True)
class Meta:
    """What the <head> says about a page: title, description, canonical URL, Open Graph, JSON-LD."""

    heading: str  # the page's own name, without the site's
    title: str
    description: str
    canonical: str
    og_type: str = "website"
    image: str = ""
    json_ld: str = ""


class Loader(jinja2.FileSystemLoader):
    """Templates from the layouts folder only: a link that leads outside it is refused, never read."""

    def __init__(self, root: Path):
        super().__init__(str(root))
        self.real_root = root.resolve()

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        if real != self.real_root and self.real_root not in real.parents:
            raise jinja2.TemplateNotFound(template, f"{template} is a symbolic link to a file outside the layouts folder")
        return source, filename, uptodate


def make_environment(layouts_dir: Path, config: SiteConfig, topics: tuple[Topic, ...], tags: dict[str, Tag], templates: dict[str, bytes], compiled: Path | None = None) -> jinja2.Environment:
    """StrictUndefined: a typo in a template is an error that names the template and line, not an empty string.

    A preview keeps its environment (and its compiled templates) while the templates' bytes, the config and the
    globals are the same: the key names all of them. `compiled`: a folder of compiled templates (CompiledTemplates)
    kept between builds, for a build that runs the same code with the same config.
    """
    key = fingerprint.digest(*(name.encode() + b"\0" + fingerprint.digest(data) for name, data in sorted(templates.items())))
    return _environment(str(Path(layouts_dir).absolute()), config, topics, tuple(tags.items()), key, str(compiled) if compiled else None)


def compiled_folder(cache_dir: Path, code_key: bytes, config: SiteConfig) -> Path:
    """Where compiled templates made by this code for this config are kept. Jinja folds a filter applied to a constant
    (`'/static/style.css' | url`) into the compiled code, and the filters read the config (the base URL's path): code
    compiled for another config, or by other code, is never in this folder."""
    return cache_dir / "templates" / fingerprint.digest(code_key, fingerprint.of(config)).hex()


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates in a folder (compiled_folder), each file led by the digest of the rest: a damaged or foreign
    file is compiled again, never loaded. Jinja checks a file against its template's source itself."""

    KEEP = 8  # folders of other configs or code kept beside the one in use, newest first

    def __init__(self, folder: Path):
        self.folder = folder
        self.pruned = False

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = (self.folder / bucket.key).read_bytes()
        except OSError:
            return
        if data[:16] == fingerprint.digest(data[16:]):
            bucket.bytecode_from_string(data[16:])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = bucket.bytecode_to_string()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = self.folder / f".{bucket.key}.{os.getpid()}.tmp"
            temporary.write_bytes(fingerprint.digest(data) + data)
            os.replace(temporary, self.folder / bucket.key)
            self._prune()
        except OSError:
            pass  # compiled again next time

    def _prune(self) -> None:
        """Once per environment: drop the folders of other configs and code beyond the newest KEEP."""
        if self.pruned:
            return
        self.pruned = True
        others = [path for path in self.folder.parent.iterdir() if path != self.folder and re.fullmatch(r"[0-9a-f]{32}", path.name) and path.is_dir() and not path.is_symlink()]
        for path in sorted(others, key=lambda path: path.stat().st_mtime, reverse=True)[self.KEEP :]:
            for file in path.iterdir():
                file.unlink(missing_ok=True)
            path.rmdir()


@functools.lru_cache(maxsize=2)
def _environment(layouts_dir: str, config: SiteConfig, topics: tuple[Topic, ...], tags: tuple[tuple[str, Tag], ...], templates_key: bytes, compiled: str | None = None) -> jinja2.Environment:
    tags = dict(tags)
    env = jinja2.Environment(
        loader=Loader(Path(layouts_dir)),
        bytecode_cache=CompiledTemplates(Path(compiled)) if compiled else None,
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # the environment is keyed by the templates' bytes: a changed template makes a new one
    )
    base_path = urlsplit(config.base_url).path or "/"
    env.filters["url"] = lambda url: base_path + str(url).lstrip("/") if str(url).startswith("/") else url
    env.filters["absolute"] = lambda url: feeds.absolute(config, url)
    env.filters["day"] = lambda moment: f"{moment.day} {moment:%B %Y}"
    env.filters["weekday"] = lambda moment: f"{moment:%A} {moment.day} {moment:%B %Y}"
    env.filters["month"] = lambda moment: f"{moment:%B %Y}"
    env.filters["clock"] = clock
    env.filters["author_slug"] = slugify
    env.tests["author_is"] = lambda name, slug: slugify(name) == slug
    env.filters["reading_minutes"] = lambda words: max(1, round(words / WORDS_PER_MINUTE))
    env.filters["accent_style"] = accent_style
    env.filters["label_style"] = label_style
    env.globals.update(site_globals(config, topics, tags))
    env.globals["partial"] = _partials(env)
    env.globals["memo"] = Memo()
    return env


_PLAIN = (str, int, float, bool, type(None))


def _partials(env: jinja2.Environment):
    """`{{ partial("_sections.html", current=…) }}`: a template rendered with only the values given (and the site
    globals), so its output is a function of them, and rendered once per distinct values in an environment. Chrome
    shown on every page (the sections bar) costs one render per build instead of one per page. Values that are not
    plain (str, int, float, bool, None) are rendered every time: only a plain value is certain to be the same."""
    rendered: dict[tuple, markupsafe.Markup] = {}

    def partial(name: str, **values) -> markupsafe.Markup:
        plain = all(type(v) in _PLAIN for v in values.values())
        key = (name, tuple(sorted((k, _memo_key(v)) for k, v in values.items())))  # with its type: True == 1 == 1.0 renders apart
        if plain and key in rendered:
            return rendered[key]
        html = markupsafe.Markup(env.get_template(name).render(values))
        if plain:
            rendered[key] = html
        return html

    return partial


class Memo:
    """`{{ memo(row, b, topic, 3) }}`: a macro's output kept by its arguments, for macros whose output depends on
    nothing else (one imported from another template sees only its arguments and the site globals). A briefing is shown
    in many lists, so its row is rendered once instead of once per list.

    An argument is known by its value when equal values are interchangeable (str, int, float, bool, None, and frozen
    dataclasses that compare every field, such as a Topic), else by its identity: the entry keeps the object alive, so
    no other object can take its id while the entry exists. Entries live as long as their macro: a macro defined in the
    page's own template is made anew for each page, and its entries (which hold that page's values) go with it. A
    macro's entries are dropped wholesale at LIMIT, which bounds the memory of a long preview whose builds each bring
    new objects."""

    LIMIT = 50_000

    def __init__(self):
        self.kept: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def __call__(self, fn, *args, **kwargs):
        key = (*map(_memo_key, args), *((name, _memo_key(value)) for name, value in sorted(kwargs.items())))
        try:
            table = self.kept.get(fn)
            if table is None:
                table = self.kept[fn] = {}
            found = table.get(key)
        except TypeError:  # a function that takes no weak reference, or a frozen dataclass holding something unhashable
            return fn(*args, **kwargs)
        if found is not None:
            return found[1]
        result = fn(*args, **kwargs)
        if len(table) >= self.LIMIT:
            table.clear()
        table[key] = ((args, kwargs), result)  # the objects behind identity keys stay alive with their entry
        return result


@functools.lru_cache(maxsize=None)
def _by_value(kind: type) -> bool:
    if kind in _PLAIN:
        return True
    params = getattr(kind, "__dataclass_params__", None)
    return bool(params and params.frozen and params.eq and all(f.compare for f in dataclasses.fields(kind)))


def _memo_key(value) -> tuple:
    """Equal keys mean interchangeable values: the type and value of a plain or frozen value, else the object's id."""
    kind = type(value)
    return (kind, value) if _by_value(kind) else (None, id(value))


def site_globals(config: SiteConfig, topics: tuple[Topic, ...], tags: dict[str, Tag]) -> dict:
    """What every template may read besides its page's data; a page depends on one only if its templates name it."""
    return {"site": config, "all_topics": topics, "tag_names": {k: t.name for k, t in tags.items()}, "accents": topic_accents(topics)}


def topic_accents(topics: tuple[Topic, ...]) -> dict[str, str]:
    """Each topic's colour (slug -> CSS colour): its own accent, else one of DEFAULT_ACCENTS picked by its slug. Topics
    take theirs in slug order, each the first from its pick on that no topic has yet, so that no two share one while
    the palette lasts; a topic keeps its colour when others come and go, unless one takes it first."""
    taken = {t.accent.lower() for t in topics if t.accent}
    chosen: dict[str, str] = {}
    for topic in sorted(topics, key=lambda t: t.slug):
        if topic.accent:
            continue
        start = int.from_bytes(hashlib.blake2b(topic.slug.encode(), digest_size=4).digest(), "big") % len(DEFAULT_ACCENTS)
        ring = DEFAULT_ACCENTS[start:] + DEFAULT_ACCENTS[:start]
        chosen[topic.slug] = next((c for c in ring if c not in taken), ring[0])
        taken.add(chosen[topic.slug])
    return {t.slug: t.accent or chosen[t.slug] for t in topics}


def clock(moment) -> str:
    """The time of day for fresh news, '04:27 EST'; empty for a briefing dated by day alone (midnight)."""
    if (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return ""
    return f"{moment:%H:%M} {moment.tzname() or ''}".strip()


def template_reads(env: jinja2.Environment, source: bytes) -> tuple[frozenset, frozenset[str]]:
    """The templates a template names (None among them when one is computed at render time) and the variables it reads
    from outside. A pure function of the source, so callers may keep it by the source's digest."""
    try:
        ast = env.parse(source.decode("utf-8"))
        named = set(jinja2.meta.find_referenced_templates(ast))
        for call in ast.find_all(nodes.Call):  # partial("name", …) renders a template too: a computed name may be any
            if isinstance(call.node, nodes.Name) and call.node.name == "partial":
                first = call.args[0] if call.args else None
                named.add(first.value if isinstance(first, nodes.Const) and isinstance(first.value, str) else None)
        return frozenset(named), frozenset(jinja2.meta.find_undeclared_variables(ast))
    except (UnicodeDecodeError, jinja2.TemplateError):
        return frozenset(), frozenset({"*"})  # fails when rendered; its own digest changes when it is fixed


def global_digests(globals_: dict) -> dict[str, bytes]:
    return {name: fingerprint.of(value) for name, value in globals_.items()}


def template_digests(sources: dict[str, bytes], reads: dict[str, tuple], global_digests: dict[str, bytes]) -> dict[str, bytes]:
    """For each template, a digest of everything it is made of: its source, the templates it extends, includes or
    imports (all of them when a name is computed at render time), and the globals any of them reads (`reads`: what
    template_reads found in each; `global_digests`: each global's digest)."""
    found = {name: (reads[name][0], set(global_digests) if "*" in reads[name][1] else reads[name][1]) for name in sources}
    result = {}
    for name in sources:
        closure, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current in closure or current not in found:
                continue
            closure.add(current)
            named = found[current][0]
            todo += sources if None in named else named
        used = sorted(set().union(*(found[n][1] for n in closure)) & set(global_digests))
        result[name] = fingerprint.digest(*(n.encode() + b"\0" + fingerprint.digest(sources[n]) for n in sorted(closure)), *(global_digests[g] for g in used))
    return result


def page_feeds(page: Page, config: SiteConfig) -> list[dict]:
    """The feeds a page advertises with <link rel="alternate">: the site's, and its own (a topic's or a tag's)."""
    own = FAMILIES[page.kind].feed
    result = [{"title": config.title, "url": "/feed.xml"}]
    if own is not None:
        name, url = own(page.context)
        result.append({"title": f"{config.title}: {name}", "url": url})
    return result


def page_meta(page: Page, config: SiteConfig) -> Meta:
    context, family = page.context, FAMILIES[page.kind]
    heading = family.heading(context)
    number = context["pagination"]["number"] if "pagination" in context else 1
    named = f"{heading} (page {number})" if number > 1 else heading
    title = f"{named} · {config.title}" if named else config.title
    canonical = feeds.absolute(config, page.url)
    description = (family.description(context) if family.description else "") or config.description
    if page.kind == "article":
        briefing = context["briefing"]
        image = _absolute_image(config, briefing)
        ld = news_article(briefing, context["topics"], context["tags"], config, canonical, image)
        return Meta(heading, title, description, canonical, "article", image, json_script(ld))
    return Meta(heading, title, description, canonical)


def _absolute_image(config: SiteConfig, briefing: Briefing) -> str:
    src = briefing.image.src if briefing.image else ""
    return feeds.absolute(config, src) if src.startswith("/") else src


def news_article(briefing: Briefing, topics: list[Topic], tags: list[Tag], config: SiteConfig, canonical: str, image: str) -> dict:
    """schema.org NewsArticle: what search engines and link previews read about a briefing."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": briefing.title,
        "description": briefing.summary,
        "datePublished": briefing.date.isoformat(),
        "dateModified": (briefing.updated or briefing.date).isoformat(),
        "author": [{"@type": "Person", "name": name, "url": feeds.absolute(config, f"/authors/{slugify(name)}/")} for name in briefing.authors],
        "publisher": {"@type": "Organization", "name": config.title, "url": config.base_url},
        "keywords": [tag.name for tag in tags],
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "wordCount": briefing.word_count,
    }
    if topics:
        data["articleSection"] = topics[0].title
    if image:
        data["image"] = image
    return data


def json_script(data) -> str:
    """JSON safe inside <script>: with <, > and & escaped, no string can close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _rgb(colour: str) -> tuple[float, float, float] | None:
    """#rgb, #rgba, #rrggbb, #rrggbbaa or rgb()/rgba() as 0-255 floats; None for forms not worth parsing here."""
    colour = colour.strip().lower()
    if re.fullmatch(r"#[0-9a-f]{3,4}", colour):
        return tuple(int(ch * 2, 16) for ch in colour[1:4])
    if re.fullmatch(r"#[0-9a-f]{6}([0-9a-f]{2})?", colour):
        return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    match = re.fullmatch(r"rgba?\(\s*(\d{1,3})[\s,]+(\d{1,3})[\s,]+(\d{1,3})\s*([,/].*)?\)", colour)
    if match:
        return tuple(min(255, int(v)) for v in match.groups()[:3])
    return None


def _luminance(rgb) -> float:
    channels = [v / 255 for v in rgb]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b) -> float:
    """The WCAG contrast ratio of two colours (hex strings or RGB tuples)."""
    la, lb = (_luminance(_rgb(x) if isinstance(x, str) else x) for x in (a, b))
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def _mix(a, b, amount: float) -> tuple[float, float, float]:
    return tuple(round(x + (y - x) * amount) for x, y in zip(a, b))


def _hex(rgb) -> str:
    return "#" + "".join(f"{int(v):02x}" for v in rgb)


@functools.lru_cache(maxsize=256)  # a handful of colours, asked for on every page
def accent_palette(colour: str) -> dict[str, str]:
    """A topic's accent as CSS custom properties: the colour itself for rules, plus a tint and a text colour per
    scheme, the text nudged toward black or white until it passes WCAG AA on that tint, on the page and on a card."""
    rgb = _rgb(colour)
    palette = {"--accent": colour}
    if rgb is None:  # a colour we cannot measure only draws rules; text keeps the theme's own safe colours
        return palette
    for scheme, toward, strength in (("light", (0, 0, 0), 0.06), ("dark", (255, 255, 255), 0.12)):
        bg = _mix(_rgb(BACKGROUNDS[scheme]), rgb, strength)
        grounds = (bg, _rgb(BACKGROUNDS[scheme]), _rgb(SURFACES[scheme]))
        ink = next(_mix(rgb, toward, step / 20) for step in range(21) if all(contrast(_mix(rgb, toward, step / 20), g) >= AA for g in grounds))
        palette[f"--accent-bg-{scheme[0]}"] = _hex(bg)
        palette[f"--accent-ink-{scheme[0]}"] = _hex(ink)
    return palette


def accent_style(colour: str) -> str:
    return "; ".join(f"{name}: {value}" for name, value in accent_palette(colour).items()) if colour else ""


def label_style(colour: str) -> str:
    """Just the text colours of an accent, for a topic's name on a list row or in the masthead (a few bytes a row)."""
    palette = accent_palette(colour)
    return f"--ink-l:{palette['--accent-ink-l']};--ink-d:{palette['--accent-ink-d']}" if "--accent-ink-l" in palette else ""


def render_page(env: jinja2.Environment, page: Page, config: SiteConfig) -> bytes:
    """A page's bytes; its data holds the briefings themselves (fingerprint.unpack put them in place of their places)."""
    if page.template.endswith(".html"):
        template = env.get_template(page.template)
        names = FAMILIES[page.kind].render_names
        context = {**page.context, **names(page.context)} if names else page.context
        return template.render(context, page=page, feeds=page_feeds(page, config), meta=page_meta(page, config)).encode("utf-8")
    return feeds.RENDERERS[page.template](page, config, page.context.get("tag_names", {})).encode("utf-8")


def template_problem(exc: Exception, layouts_dir: Path, page: Page) -> Problem:
    """Point at the template line that failed; Jinja puts template frames into the traceback."""
    if isinstance(exc, jinja2.TemplateNotFound):
        field = "layout" if page.kind == "topic" and page.source else ""
        where = page.source if field else f"layouts/{page.template}"
        why = exc.message if exc.message and exc.message != exc.name else f"template '{exc.name}' not found in {layouts_dir}"
        return Problem(where, 1, 1, field, why, "check the name, or pass --layouts DIR")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name = exc.filename or exc.name or page.template
        return Problem(_layout_path(name, layouts_dir), exc.lineno or 1, 1, "template", f"syntax error: {exc.message}", "fix the Jinja2 syntax")
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".xml"))]
    frame = frames[-1] if frames else None
    where = _layout_path(frame.filename, layouts_dir) if frame else f"layouts/{page.template}"
    hint = "a name used in the template does not exist; check its spelling" if isinstance(exc, jinja2.UndefinedError) else "see the template line"
    return Problem(where, frame.lineno if frame else 1, 1, "template", f"{type(exc).__name__}: {exc} (rendering {page.url})", hint)


def _layout_path(filename: str, layouts_dir: Path) -> str:
    try:
        return "layouts/" + Path(os.path.abspath(filename)).relative_to(layouts_dir.absolute()).as_posix()
    except ValueError:
        return filename
