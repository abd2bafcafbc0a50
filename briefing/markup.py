"""Markdown to safe HTML, and the plain-text pieces pages need from it (summary, word count, absolute links)."""
from __future__ import annotations

import bisect
import html
import inspect
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
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
# What a summary keeps: phrasing only, as it is shown inside a paragraph (a list row, the article's standfirst).
INLINE_TAGS = {"a", "abbr", "b", "br", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var"}
URL_SCHEMES = {"http", "https", "mailto"}
SUMMARY_LENGTH = 240


MAX_DEPTH = 50  # lists and quotes inside each other: Python-Markdown recurses per level and fails near 250 (indented lists)
# What rendering a body may cost, in rough nanoseconds of one laptop core: PER_CHAR for each character, plus BASE. The cost
# is estimated before the work is done (`_source_cost` before Python-Markdown starts, `_InlineCost` before its inline
# pass), and a body over its allowance is refused, so rendering time grows at most linearly with size, whatever the shape.
PER_CHAR = 2_000
BASE = 250_000_000
# The estimate's weights, measured on Python-Markdown 3.11 (tests/test_stalls.py holds them to account):
W_SCAN = 6  # each char a regex passes from an emphasis mark or backtick towards its closing one, or the end of the text
W_COPY = 2  # each char copied when a match rebuilds the text it was found in
W_BRACKET = 500  # each char the link parsers walk one at a time in Python, from a '[' or '(' to its match
W_TAG = 60  # each char the raw-HTML pass reads from a '<' to where that tag, or CDATA section, ends
W_BLOCK = 3  # each pair of blocks: the block parser takes every block from the front of a list
_INLINE = re.compile(r"[*_`\\&<\[]")
_TAG_START = re.compile(r"<[A-Za-z/!]")
_TAG_EXTENT = re.compile(r"""<(?:[^>"']++|"[^"]*+"|'[^']*+')*+""")  # as far as html.parser reads a start tag: to '>', skipping quoted values
_CONTAINER = re.compile(r" {0,3}(?:>|[-*+][ \t]|\d{1,9}[.)][ \t])[ \t]*")


class MarkupError(Exception):
    """A body that cannot be rendered, or whose rendering would take time growing with the square of its size."""

    def __init__(self, line: int, message: str, hint: str):
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


@dataclass(frozen=True)
class _Cost:
    """An estimate, and what to say if it is too much: the construct to blame and where it is."""

    total: int
    construct: str = ""
    hint: str = ""
    at: int = 0  # an offset in the body, or -1 when `snippet` locates it
    snippet: str = ""

    def error(self, source: str) -> MarkupError:
        at = self.at if self.at >= 0 else max(source.find(self.snippet), 0)
        return MarkupError(source.count("\n", 0, at) + 1, f"the Markdown renderer would take time growing with the square of the text here: {self.construct}", self.hint)


class _Refused(Exception):
    def __init__(self, cost: _Cost):
        self.cost = cost


# Each level of nesting takes at least one character of a line's opening run of these (indentation or a marker), so a
# body without such a run longer than MAX_DEPTH has no line too deep, and the line-by-line walk below is skipped.
_DEEP_RUN = re.compile(r"^[ \t>*+\-0-9.)]{%d}" % (MAX_DEPTH + 1), re.MULTILINE)


def _too_deep(source: str) -> MarkupError | None:
    """Lists and quotes nested beyond MAX_DEPTH (Python-Markdown recurses per level): the first line that goes too deep."""
    if not _DEEP_RUN.search(source):
        return None
    for number, line in enumerate(source.expandtabs(4).split("\n"), start=1):
        indent = len(line) - len(line.lstrip(" "))
        depth, at = indent // 4, indent - indent % 4  # four spaces before a list item nest it a level deeper
        while (marker := _CONTAINER.match(line, at)) and marker.end() > at:  # indented text alone nests nothing
            depth, at = depth + 1, marker.end()
            if depth > MAX_DEPTH:
                return MarkupError(number, f"lists or quotes nested more than {MAX_DEPTH} levels deep", "no reader follows so many levels; flatten the list or quote")
    return None


def _source_cost(source: str) -> _Cost:
    """What Python-Markdown spends before its inline pass on work that can grow with the square of the size: reading
    raw HTML (each '<' of a tag is read to its end, which may be far, or nowhere) and taking blocks from a list's front."""
    blocks = len(re.findall(r"\n[ \t]*\n(?=[ \t]*\S)", source)) + 1
    allowance = PER_CHAR * len(source) + BASE
    tags = longest = longest_at = 0
    for start in _TAG_START.finditer(source):
        i = start.start()
        if source.startswith("<!--", i):
            continue  # Python-Markdown remembers where its last search for '-->' failed
        if source.startswith("<![CDATA[", i):
            end = source.find("]]>", i)
        elif source[i + 1] in "/!":
            end = source.find(">", i)
        else:
            end = _TAG_EXTENT.match(source, i).end()
        read = W_TAG * ((end if end >= 0 else len(source)) - i)
        tags += read
        if read > longest:
            longest, longest_at = read, i
        if tags > allowance:
            break  # enough to refuse: the estimate itself must not take the time it warns of
    if tags > W_BLOCK * blocks * blocks:
        return _Cost(tags + W_BLOCK * blocks * blocks, "HTML tags opened with '<' and closed far away or never", "close each tag with '>', or write a literal < as &lt;", longest_at)
    return _Cost(tags + W_BLOCK * blocks * blocks, f"{blocks:,} blocks (paragraphs, headings, list items) between blank lines", "split it into several briefings")


def _inline_cost(text: str) -> tuple[int, str, int]:
    """The inline pass's work on one text: (estimate, the kind of mark that costs most, where the costliest one is)."""
    length = len(text)
    costs = {"scan": 0, "bracket": 0, "copy": 0}
    costliest = costliest_at = 0
    closes = _matches(text, "[", "]") if "[" in text else {}
    parens = _matches(text, "(", ")") if "](" in text else {}
    for mark in _INLINE.finditer(text):
        at, char = mark.start(), mark.group()
        rest = length - at
        if char in "*_`":
            kind, cost = "scan", W_SCAN * rest
        elif char == "[":
            end = closes.get(at, length)
            walked = end - at + (parens.get(end + 1, length) - end if text.startswith("(", end + 1) else 0)
            kind, cost = "bracket", W_BRACKET * walked + W_COPY * rest
        else:
            kind, cost = "copy", W_COPY * rest
        costs[kind] += cost
        if cost > costliest:
            costliest, costliest_at = cost, at
    return sum(costs.values()), max(costs, key=costs.get), costliest_at


def _inline_bound(text: str) -> int:
    """At least `_inline_cost(text)[0]`, in C-speed passes: no mark walks or copies more than the rest of the text."""
    marks = len(_INLINE.findall(text))
    if not marks:
        return 0
    brackets = text.count("[")
    return len(text) * ((W_BRACKET + W_COPY) * brackets + max(W_SCAN, W_COPY) * (marks - brackets))


def _matches(text: str, open_char: str, close_char: str) -> dict[int, int]:
    """Each opening character's matching closing one, as counting nesting finds it."""
    opens: list[int] = []
    found: dict[int, int] = {}
    for mark in re.finditer(re.escape(open_char) + "|" + re.escape(close_char), text):
        if mark.group() == open_char:
            opens.append(mark.start())
        elif opens:
            found[opens.pop()] = mark.start()
    return found


_BLAME = {
    "scan": ("emphasis marks (* or _) or backticks that are closed far away or never", "close each * or _ and each backtick, or escape a literal one as \\*"),
    "bracket": ("'[' without a matching ']', or a link whose '(' is never closed", "close each bracket, or escape a literal one as \\["),
    "copy": ("a long paragraph full of markup (& entities, backslashes, '<')", "split the paragraph with blank lines"),
}


class _InlineCost(treeprocessors.Treeprocessor):
    """Runs just before the inline pass, on the very texts it will parse: refuses them when their cost exceeds what is
    left of the body's allowance (set for each render by `_convert`)."""

    allowance = 0

    def run(self, root: etree.Element) -> None:
        texts = [text for element in root.iter() for text in (element.text, element.tail) if text and not isinstance(text, util.AtomicString)]
        if sum(_inline_bound(text) for text in texts) <= self.allowance:
            return  # not even the most each mark could cost reaches the allowance: the exact count cannot either
        spent = 0
        for text in texts:
            cost, kind, at = _inline_cost(text)
            spent += cost
            if spent > self.allowance:
                construct, hint = _BLAME[kind]
                snippet = text[at : at + 40].split("\n")[0]
                raise _Refused(_Cost(spent, f"{construct}, in a text of {len(text):,} characters", hint, -1, snippet))


class _Budget(Extension):
    """Puts `_InlineCost` in front of Python-Markdown's inline pass."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_InlineCost(md), "inline_cost", 25)  # the inline pass is 20: this runs first


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


RELOOKS = 4  # times a text's runnable patterns are found again after a match: a constant, so the pass stays linear


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
        # A match only replaces text by a placeholder (STX, digits, ETX), which holds no trigger and forms none with
        # its neighbours, so the set of patterns that may match can only shrink, and an older set is still right.
        # Looking again after a match skips patterns whose marks it consumed (a link's brackets, say); looking after
        # every match would read the whole text each time, quadratic on a text of many marks, so only the first few do.
        apply, startIndex, runnable = self._InlineProcessor__applyPattern, 0, self._runnable(data)
        looks = RELOOKS
        while True:
            at = bisect.bisect_left(runnable, patternIndex)
            if at == len(runnable):
                return data
            if runnable[at] != patternIndex:
                patternIndex, startIndex = runnable[at], 0
            data, matched, startIndex = apply(self.patterns[patternIndex], data, patternIndex, startIndex)
            if not matched:
                patternIndex += 1
            elif looks:
                runnable, looks = self._runnable(data), looks - 1


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


_IDLE: dict[bool, list[markdown.Markdown]] = {False: [], True: []}  # converters whose last render succeeded; one that raised is never put back


def _convert(source: str, allowance: int, inline: bool = False) -> str:
    """Python-Markdown's HTML for a body. A converter that raised keeps parser state (the next body would come out
    unrendered), so only a converter that succeeded is used again; after a failure the next render builds a fresh one.
    `inline`: raw HTML never starts a block of its own (a summary's `<div>` is a tag in its paragraph, then sanitised)."""
    idle = _IDLE[inline]
    converter = idle.pop() if idle else _converter(inline)
    converter.reset()
    converter.treeprocessors["inline_cost"].allowance = allowance
    body = converter.convert(source)
    idle.append(converter)
    return body


def _converter(inline: bool) -> markdown.Markdown:
    converter = markdown.Markdown(extensions=[*EXTENSIONS, _Budget(), _Prechecks()], output_format="html")
    if inline:
        converter.preprocessors.deregister("html_block")
    return converter


def to_html(source: str, inline: bool = False) -> str:
    """A body's HTML as Python-Markdown writes it, or a MarkupError with its line in the body and the reason."""
    deep = _too_deep(source)
    if deep is not None:
        raise deep
    allowance = PER_CHAR * len(source) + BASE
    before = _source_cost(source)
    if before.total > allowance:
        raise before.error(source)
    try:
        return _convert(source, allowance - before.total, inline)
    except _Refused as refused:
        raise refused.cost.error(source) from None
    except RecursionError:
        raise MarkupError(1, "the text is nested too deeply for the Markdown renderer", f"keep lists and quotes within {MAX_DEPTH} levels") from None
    except Exception as exc:  # a failure inside Python-Markdown is one body's located error, never a traceback for the build
        raise MarkupError(1, f"the Markdown renderer failed on this text ({type(exc).__name__}: {exc})", "simplify the body around the construct it names") from None


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
    """Markdown body to sanitised HTML; headings start at h2 because the page title is the h1. Raises MarkupError."""
    body = to_html(source)
    body = re.sub(r"<(/?)h1([ >])", r"<\1h2\2", body)
    return rebase(sanitize(body, extra_tags, extra_attributes), base_path)


_BLOCKS = {"ul": "a list", "ol": "a list", "blockquote": "a quote", "hr": "a rule", "pre": "a code block", "table": "a table", "div": "a footnote", "dl": "a definition list"}


# A summary of plain words: it opens with a letter or an opening quote (no list, heading, rule or code block can
# start), is one printable line without trailing space, and holds no character that Markdown's inline patterns, its
# escaping or the sanitiser act on. Markdown, nh3 and rebase hand such a text back unchanged, and most summaries are one.
_PLAIN_INLINE = re.compile(r"""(?:[^\W\d_]|["'“‘(])[^\\`*_\[\]<>&|~]*(?<! )""")


def render_inline(source: str, extra_attributes: tuple = (), base_path: str = "/") -> str:
    """One paragraph of Markdown (a summary) as inline HTML without its <p>; raises MarkupError when it holds blocks."""
    if source.isprintable() and _PLAIN_INLINE.fullmatch(source):
        return source  # what the full path below returns for it, without a Markdown pass (tests/test_markup_equivalence.py)
    return _render_inline(source, extra_attributes, base_path)


def _render_inline(source: str, extra_attributes: tuple, base_path: str) -> str:
    body = to_html(source, inline=True).strip()
    match = re.fullmatch(r"<p>(.*)</p>", body, re.DOTALL)
    if match is None and (not body or body.startswith("<!--")):
        raise MarkupError(1, "has no text to show", "write the summary as one or two sentences")
    if match is None or "</p>" in match.group(1):
        first = re.match(r"<([a-z0-9]+)", body)
        tag = first.group(1) if first else ""
        found = "more than one paragraph" if tag == "p" else "a heading" if re.fullmatch(r"h[1-6]", tag) else _BLOCKS.get(tag, "block Markdown")
        raise MarkupError(1, f"holds {found}; a summary is one paragraph of inline Markdown", "keep emphasis, links and code here, and put lists, headings and quotes in the body")
    attributes = {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items() if tag in INLINE_TAGS}
    for tag, names in extra_attributes:
        if tag in INLINE_TAGS:
            attributes.setdefault(tag, set()).update(names)
    inline = nh3.clean(match.group(1).strip(), tags=INLINE_TAGS, attributes=attributes, url_schemes=URL_SCHEMES, link_rel=None, strip_comments=True)
    if not inline_text(inline):
        raise MarkupError(1, "has no text once its HTML is removed", "write the summary as text; scripts, forms and embeds are never shown")
    return rebase(inline, base_path)


def rebase(fragment: str, base_path: str) -> str:
    """A site published below a path (https://host/news/): root-relative links in bodies must point inside it."""
    if base_path == "/":
        return fragment
    return re.sub(r'\b(href|src)="/(?!/)', lambda m: f'{m.group(1)}="{base_path}', fragment)


TAG = re.compile(r"<[^>]+>")


def plain_text(fragment: str) -> str:
    # split() and join, not re.sub(r"\s+", " "): the same text (both take Unicode whitespace), four times faster
    return " ".join(html.unescape(TAG.sub(" ", fragment)).split())


def inline_text(fragment: str) -> str:
    """Inline HTML as the words a reader sees: phrasing tags join the text around them, a line break is a space."""
    return plain_text(re.sub(r"<(?!br\b)[^>]+>", "", fragment))


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
    return len(html.unescape(TAG.sub(" ", body_html)).split())  # plain_text's words, without joining them first


def absolute_links(fragment: str, page_url: str) -> str:
    """Feed readers have no base URL: make every href and src absolute against the page."""

    def fix(match: re.Match) -> str:
        attribute, quote, value = match.group(1), match.group(2), match.group(3)
        absolute = urljoin(page_url, html.unescape(value))
        return f"{attribute}={quote}{html.escape(absolute, quote=True)}{quote}"

    return re.sub(r"\b(href|src)=([\"'])(.*?)\2", fix, fragment)
