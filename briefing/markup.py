"""Markdown to safe HTML, and the plain-text pieces pages need from it (summary, word count, absolute links)."""
from __future__ import annotations

import bisect
import html
import inspect
import re
import xml.etree.ElementTree as etree
from functools import lru_cache
from urllib.parse import urljoin

import markdown
import nh3
from markdown import blockprocessors, inlinepatterns, treeprocessors, util
from markdown.extensions import Extension

EXTENSIONS = ["tables", "fenced_code", "footnotes", "sane_lists"]

# What a contributor's Markdown or raw HTML may produce; everything else is stripped (scripts, handlers, iframes, forms, styles).
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "dfn", "div", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "time", "tr", "u", "ul", "var",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "ol": {"start"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "time": {"datetime"},
    "li": {"id"},
    "sup": {"id"},
    "div": {"class"},
    "code": {"class"},
    "span": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}
SUMMARY_LENGTH = 240


# Python-Markdown tries every inline pattern on every text node, which is most of a build's CPU time. Every match
# of these regexes (as Markdown 3.11.3 writes them) contains one of the listed substrings, so text holding none of
# them cannot match and the pattern is skipped. A regex not listed here, or changed by a later release, always runs.
_TRIGGERS = {
    r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)": ("`",),  # backtick: a code span, or backslashes before one
    r"\\(.)": ("\\",),  # escape
    r"(?<!\!)\[": ("[",),  # link, reference, short_reference
    r"\!\[": ("![",),  # image_link, image_reference, short_image_ref
    r"\[\^([^\]]*)\]": ("[^",),  # footnote
    r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>": ("<",),  # autolink
    r"<([^<> !]+@[^@<> ]+)>": ("<",),  # automail
    r"  \n": ("  \n",),  # linebreak
    r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)": ("&",),  # entity
    (  # html: a tag, comment, processing instruction or CDATA, each opening with <
        r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>]++))?+)*+\s*+/?|"""
        r"!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]|!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>)"
    ): ("<",),
}


def _triggers(pattern: inlinepatterns.Pattern) -> tuple[str, ...] | None:
    """The substrings one of which every match of this pattern contains, or None when it must always run."""
    if not isinstance(pattern, inlinepatterns.InlineProcessor):
        return None
    if type(pattern).getCompiledRegExp is not inlinepatterns.Pattern.getCompiledRegExp:
        return None
    regex = pattern.compiled_re
    if regex.flags & (re.VERBOSE | re.IGNORECASE):
        return None
    if regex.pattern in _TRIGGERS:
        return _TRIGGERS[regex.pattern]
    # em_strong's regex is its delimiters, escaped and joined by |: each one is a literal.
    parts = regex.pattern.split("|")
    literals = tuple(re.sub(r"\\(.)", r"\1", part, flags=re.DOTALL) for part in parts)
    return literals if all(literal and re.escape(literal) == part for literal, part in zip(literals, parts)) else None


class _SkippingInlineProcessor(treeprocessors.InlineProcessor):
    """The stock inline pass, but a pattern is not tried on text that lacks every substring its matches need."""

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        key = tuple((pattern, getattr(pattern, "compiled_re", None)) for pattern in self.inlinePatterns)
        if key != getattr(self, "planned_for", None):
            self.planned_for, self.patterns = key, [pattern for pattern, _ in key]
            self.triggers = [_triggers(pattern) for pattern in self.patterns]
            self.all_triggers = {trigger for triggers in self.triggers for trigger in triggers or ()}
            self.runnable = {}
        return super().run(tree, ancestors)

    def _runnable(self, data: str) -> list[int]:
        """Indexes of the patterns that may match data: those whose triggers it holds, and those without triggers."""
        present = frozenset(trigger for trigger in self.all_triggers if trigger in data)
        if present not in self.runnable:
            self.runnable[present] = [
                i for i, triggers in enumerate(self.triggers) if triggers is None or not present.isdisjoint(triggers)
            ]
        return self.runnable[present]

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        # The stock loop, but it jumps over patterns that cannot match; stepping onto a pattern starts at index 0,
        # which is what the stock __applyPattern returns for each pattern whose regex finds nothing.
        if isinstance(data, util.AtomicString):
            return data
        apply, startIndex, runnable = self._InlineProcessor__applyPattern, 0, None
        while True:
            if runnable is None:  # only a match changes data
                runnable = self._runnable(data)
            at = bisect.bisect_left(runnable, patternIndex)
            if at == len(runnable):
                return data
            if runnable[at] != patternIndex:
                patternIndex, startIndex = runnable[at], 0
            data, matched, startIndex = apply(self.patterns[patternIndex], data, patternIndex, startIndex)
            if matched:
                runnable = None
            else:
                patternIndex += 1


def _prechecked(cls: type, triggers: tuple[str, ...]) -> type:
    """A subclass of a block processor whose test() answers False at once for a block lacking every trigger."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return any(trigger in block for trigger in triggers) and cls.test(self, parent, block)

    return type(f"Prechecked{cls.__name__}", (cls,), {"test": test})


# The same shortcut for block processors whose test() is one regex search that, finding nothing, returns False and
# changes nothing. name: (stock class, its regex as tested, its priority in build_block_parser, triggers).
_BLOCK_PRECHECKS = {
    "quote": (blockprocessors.BlockQuoteProcessor, r"(^|\n)[ ]{0,3}>[ ]?(.*)", 20, (">",)),
    "hashheader": (
        blockprocessors.HashHeaderProcessor,
        r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)", 70, ("#",),
    ),
    "hr": (  # a rule is three or more -, _ or *
        blockprocessors.HRProcessor,
        r"^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))(?P=atomicgroup)[ ]*$",
        50, ("-", "_", "*"),
    ),
}
# Each stock class and the class that may stand in its place.
_FAST_CLASSES = {treeprocessors.InlineProcessor: _SkippingInlineProcessor} | {
    cls: _prechecked(cls, triggers) for cls, _, _, triggers in _BLOCK_PRECHECKS.values()
}


class _Prechecks(Extension):
    """Swap in the skipping inline pass and the prechecked block processors where the stock ones are as tested."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        stock = md.treeprocessors["inline"] if "inline" in md.treeprocessors else None
        if type(stock) is treeprocessors.InlineProcessor and _internals_as_tested():
            fast = _SkippingInlineProcessor(md)
            fast.inlinePatterns = stock.inlinePatterns
            md.treeprocessors.register(fast, "inline", 20)
        processors = md.parser.blockprocessors
        for name, (cls, regex, priority, _) in _BLOCK_PRECHECKS.items():
            processor = processors[name] if name in processors else None
            if type(processor) is cls and _block_regex(cls).pattern == regex:
                processors.register(_FAST_CLASSES[cls](md.parser), name, priority)


def _block_regex(cls: type) -> re.Pattern:
    """The regex a block processor's test() searches with."""
    return getattr(cls, "SEARCH_RE", None) or cls.RE


def _internals_as_tested() -> bool:
    """The skipping pass overrides __handleInline and calls __applyPattern; a release that reshaped them falls back."""
    cls = treeprocessors.InlineProcessor
    handle = getattr(cls, "_InlineProcessor__handleInline", None)
    apply = getattr(cls, "_InlineProcessor__applyPattern", None)
    if handle is None or apply is None:
        return False
    return (list(inspect.signature(handle).parameters) == ["self", "data", "patternIndex"]
            and list(inspect.signature(apply).parameters) == ["self", "pattern", "data", "patternIndex", "startIndex"])


def _same_shape(stock: util.Registry, fast: util.Registry) -> bool:
    """Both pipelines run the same steps in the same order, each step the stock class or its fast stand-in."""
    pairs = list(zip(stock, fast))
    return len(stock) == len(fast) and all(type(f) in (type(s), _FAST_CLASSES.get(type(s))) for s, f in pairs)


def _stock_converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=EXTENSIONS, output_format="html")


@lru_cache(maxsize=None)
def _converter() -> markdown.Markdown:
    """The converter with the prechecks, or the stock one if swapping them in left the pipeline in another shape."""
    stock = _stock_converter()
    fast = markdown.Markdown(extensions=[*EXTENSIONS, _Prechecks()], output_format="html")
    same = _same_shape(stock.treeprocessors, fast.treeprocessors)
    return fast if same and _same_shape(stock.parser.blockprocessors, fast.parser.blockprocessors) else stock


def sanitize(fragment: str, extra_tags: frozenset[str] = frozenset(), extra_attributes: tuple = ()) -> str:
    """Keep only the allowlist: no scripts, event handlers, javascript: or data: URLs, iframes, forms or styles."""
    attributes = {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}
    for tag, names in extra_attributes:
        attributes.setdefault(tag, set()).update(names)
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS | extra_tags,
        attributes=attributes,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def render_markdown(source: str, extra_tags: frozenset[str] = frozenset(), extra_attributes: tuple = (), base_path: str = "/") -> str:
    """Markdown body to sanitised HTML; headings start at h2 because the page title is the h1."""
    converter = _converter()
    converter.reset()
    body = converter.convert(source)
    body = re.sub(r"<(/?)h1([ >])", r"<\1h2\2", body)
    return rebase(sanitize(body, extra_tags, extra_attributes), base_path)


def rebase(fragment: str, base_path: str) -> str:
    """A site published below a path (https://host/news/): root-relative links in bodies must point inside it."""
    if base_path == "/":
        return fragment
    return re.sub(r'\b(href|src)="/(?!/)', lambda m: f'{m.group(1)}="{base_path}', fragment)


def plain_text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def first_paragraph(body_html: str) -> str:
    match = re.search(r"<p>(.*?)</p>", body_html, re.DOTALL)
    return plain_text(match.group(1)) if match else ""


def trim(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """Cut at a word boundary and mark the cut, so a summary never ends mid-word."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:–—- ")
    return cut + "…"


def word_count(body_html: str) -> int:
    return len(plain_text(body_html).split())


def absolute_links(fragment: str, page_url: str) -> str:
    """Feed readers have no base URL: make every href and src absolute against the page."""

    def fix(match: re.Match) -> str:
        attribute, quote, value = match.group(1), match.group(2), match.group(3)
        absolute = urljoin(page_url, html.unescape(value))
        return f"{attribute}={quote}{html.escape(absolute, quote=True)}{quote}"

    return re.sub(r"\b(href|src)=([\"'])(.*?)\2", fix, fragment)
