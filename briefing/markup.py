"""Markdown to safe HTML, and the plain-text pieces pages need from it (summary, word count, absolute links)."""
from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import urljoin

import markdown
import nh3

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


@lru_cache(maxsize=None)
def _converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=EXTENSIONS, output_format="html")


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
