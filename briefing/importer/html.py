"""Read a saved article page: metadata by evidence and precedence, the story's text by trafilatura, then our clean-up."""
from __future__ import annotations

import html as html_entities
import json
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone, tzinfo
from urllib.parse import urljoin

from . import cleanup, names
from .cleanup import plain
from .article import Article
from .byline import STORY_WORDS, head_end, is_prose, read_byline, sidebar_byline
from .stamps import find_stamp, join_times, parse_iso, unglue
from .text import clean_paragraphs

INSTALL_HINT = "pip install -e '.[import]'"
ARTICLE_TYPES = ("NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle", "ReviewNewsArticle",
                 "BackgroundNewsArticle", "BlogPosting", "LiveBlogPosting", "Report", "ScholarlyArticle", "TechArticle", "SocialMediaPosting")
AUTHOR_META = ("author", "article:author", "dc.creator", "dcterms.creator", "byl", "parsely-author", "sailthru.author", "cxenseparse:author", "twitter:creator:name")
DATE_META = ("datepublished", "date", "pubdate", "publishdate", "publish-date", "sailthru.date", "parsely-pub-date", "dc.date", "dcterms.created", "dc.date.issued", "article.published", "og:pubdate")
STANDFIRST = re.compile(r"standfirst|intro|summary|dek\b|deck|teaser|excerpt|lede|subtitle|subhead|strapline|abstract|desc", re.I)
SUBHEAD = re.compile(r"standfirst|sub-?head|\bdek\b|(?<![a-z])deck|strapline|subtitle|desc", re.I)  # never the lead ("intro" may be); not "newsdeck"
BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "br", "section", "article", "header", "footer", "figure", "figcaption", "time", "address", "span", "a", "blockquote", "table", "tr", "aside", "main", "nav"}


@dataclass(frozen=True)
class PageMeta:
    """What the page says about itself, each field from the strongest evidence that named it, with the reason."""

    title: str = ""
    authors: tuple[str, ...] = ()
    when: datetime | date | None = None
    zone_written: bool = True
    publishers: frozenset[str] = frozenset()  # casefolded names of the site and its publisher: never an author
    site_name: str = ""
    url: str = ""
    notes: tuple[str, ...] = ()
    lines: tuple[str, ...] = ()  # the page's visible text, a line a block
    story_from: int = 0  # the first line after the headline and byline: where the story may start
    description: str = ""
    article_body: str = ""  # JSON-LD articleBody: the publisher's own text of the story, where it gives one


def read_html(text: str, where: str, fallback: tzinfo, drop_lines: frozenset[str]):
    """Title, author, date, figure and Markdown body of a saved article page; or a Problem-ready message."""
    try:
        import trafilatura
        from lxml import etree
        from lxml import html as lxml_html
    except ImportError:
        return None, ("importing HTML needs trafilatura, which is not installed", INSTALL_HINT)
    source = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses str input that declares an encoding
    try:
        tree = lxml_html.fromstring(source)
    except (etree.ParserError, ValueError) as exc:
        return None, (f"cannot parse the HTML: {exc}", "")
    meta = page_meta(tree, fallback)
    changed = [_join_drop_caps(tree), _unlist_columns(tree), _paragraphs_of_bare_text(tree)]
    if any(changed) or re.match(r"https?://", meta.url):
        if re.match(r"https?://", meta.url):
            tree.make_links_absolute(meta.url, handle_failures="discard")  # a link relative to the original site would point into ours; a malformed one ("http://[x]") goes
        source = lxml_html.tostring(tree, encoding="unicode")
    options = dict(output_format="xml", include_formatting=True, include_links=True, include_images=False, include_tables=True,
                   include_comments=False, with_metadata=False)
    extracted = trafilatura.extract(source, **options)
    if _words(extracted) < SHORT_EXTRACT:  # it kept only a line or two (a site's slogan): read the page again, favouring recall
        again = trafilatura.extract(source, favor_recall=True, **options)
        extracted = again if _words(again) > _words(extracted) else extracted
    if not extracted:
        return None, ("no article text found in the page", "")
    doc = etree.fromstring(extracted.encode("utf-8"))
    caption, credit, src, alt = _figure(tree, meta.url)
    blocks = [b for b in markdown_blocks(doc.find("main"), meta.title) if cleanup.junk_key(plain(b)) not in drop_lines and not cleanup.is_junk(plain(b), drop_lines)]
    blocks = [b for b in blocks if not caption or plain(b) not in (caption, f"{caption} {credit}".strip())]
    blocks = [_without_buttons(_without_bare_links(b)) for b in blocks if not _menu_list(b) and not ONE_LINK.fullmatch(b.strip())]
    blocks = [b for b in blocks if b.strip()]
    meta, blocks = _signed_at_the_end(meta, blocks)
    blocks = _drop_head_furniture(_teaser_above_headline(_story_after_glued_head(blocks, meta), meta), meta, fallback)
    blocks = clean_paragraphs(blocks, meta.title, meta.authors) if blocks else blocks
    blocks = [b for b in blocks if not _is_caption_block(b)]
    blocks = [b for i, b in enumerate(blocks) if i >= 2 or not _caption_by_place(tree, b)]
    blocks = _drop_summary_list(_drop_standfirst(blocks, meta, tree), tree)
    blocks = _recover_first_paragraph(blocks, meta, tree)
    blocks = _lead_from_article_body(blocks, meta)
    # a lead brought back from the page can be shown again below, as a heading or a pull quote: the story says it once
    blocks = cleanup.drop_said_again(blocks, plain)
    blocks = cleanup.drop_lead_furniture(cleanup.drop_italic_standfirst(blocks), plain)
    blocks = [DROP_CAP.sub(r"\1", blocks[0]), *blocks[1:]] if blocks else blocks
    body, agency = cleanup.strip_dateline(blocks)
    article = Article(
        title=meta.title, authors=meta.authors, date=meta.when, zone_written=meta.zone_written, paragraphs=tuple(body),
        caption=caption, credit=credit, image_src=src, image_alt=alt,
        source_name=meta.site_name or agency, source_url=meta.url if re.match(r"https?://", meta.url) else "", notes=meta.notes,
    )
    return article, None


SIGNATURE = re.compile(rf"^(?:{names._BY})\s+\S", re.I)


def _signed_at_the_end(meta: PageMeta, blocks: list[str]) -> tuple[PageMeta, list[str]]:
    """Where neither metadata nor the head names an author, the story's own signature: its last paragraph a byline and
    nothing else ("… geht weiter." / "*Von Cosima Künzel*", "(By Alison Hsiao)"), as some papers sign at the foot; a list
    of other stories below the signature is the page's, and goes."""
    listed = len(blocks)
    while listed and re.match(r"\s*(?:[-*+]|\d+\.)\s", blocks[listed - 1]):
        listed -= 1  # "- SportsTrial run for newly-built Taipei Dome…": the latest stories, below the story's end
    end = listed
    while end > listed - 2 and end and len(plain(blocks[end - 1]).split()) <= 3 and not SIGNATURE.match(plain(blocks[end - 1]).strip(" *_()")):
        end -= 1  # a button or two below it ("Newsletter abonnieren", "Enditem/")
    if meta.authors or end < 3:
        return meta, blocks
    last = plain(blocks[end - 1]).strip(" *_()")  # "(By Alison Hsiao)"
    found = names.split_names(last) if SIGNATURE.match(last) and len(last.split()) <= 8 else ()
    above = plain(blocks[end - 2]).strip()
    if not found or len(names.strip_prefix(last).split()) != sum(len(n.split()) for n in found) \
            or not (is_prose(above) or re.search(cleanup.SENTENCE_END, above)):  # under the story's last sentence
        return meta, blocks
    note = f"author: {', '.join(found)} from the signature that ends the story"
    return replace(meta, authors=found, notes=(*meta.notes, note)), blocks[:listed]


SHORT_EXTRACT = 60  # words: fewer than a news story's shortest, a brief's two paragraphs


def _words(extracted: str | None) -> int:
    return len(re.sub(r"<[^>]+>", " ", extracted or "").split())


# A line that is a label and a link showing its own address ("**Listen:** [http://po.st/x](http://po.st/x)"): a player's buttons.
BARE_LINK = re.compile(r"(?:\*\*[^*\n]{1,30}\*\*:?\s*|[\w ]{1,30}:\s*)?\[(?:https?://|www\.)[^\]\s]+\]\([^)]+\)")
# A paragraph that is one link and nothing else ("[Follow the latest updates on our live blog.](…)"): it points to another story.
ONE_LINK = re.compile(r"\[(?:[^\]\\]|\\.)+\]\([^)]+\)")  # its text may hold escaped brackets: "[\[+\] Enlarge](…)"
# A drop cap set in bold and spaced from its word ("**T** here is no end"); "A", "I" and "O" are words of their own.
DROP_CAP = re.compile(r"^\*\*([B-HJ-NP-Z])\*\*\s+(?=[a-z])")


def _paragraphs_of_bare_text(tree) -> bool:
    """A story written as bare text with blank lines between its paragraphs, in no <p> (as a cached page may keep it):
    each part becomes a paragraph, or extraction runs the story, its signature and its end mark into one."""
    found = False
    for element in list(tree.iter()):
        if not isinstance(element.tag, str):
            continue
        for where in ("tail",) if element.tag in ("script", "style", "noscript", "template", "textarea", "pre", "code") else ("text", "tail"):
            value = getattr(element, where) or ""
            parts = [" ".join(part.split()) for part in re.split(r"\n\s*\n", value) if part.strip()]
            parent = element.getparent()
            if len(parts) < 3 or len(value.split()) < STORY_WORDS or where == "tail" and parent is None:
                continue
            setattr(element, where, None)
            for offset, part in enumerate(parts):
                paragraph = element.makeelement("p", {})
                paragraph.text = part
                if where == "text":
                    element.insert(offset, paragraph)
                else:
                    parent.insert(parent.index(element) + 1 + offset, paragraph)
            found = True
    return found


def _unlist_columns(tree) -> bool:
    """A list used for the page's columns (<ul><li>the story's headline, byline and paragraphs</li><li>a sidebar</li></ul>)
    becomes plain blocks: read as a list, the story comes out as one item, its paragraphs run together, beside the sidebar's."""
    found = False
    for item in list(tree.iter("li")):
        if len(item.findall(".//p")) >= 3 and item.getparent() is not None and item.getparent().tag in ("ul", "ol"):
            item.tag, item.getparent().tag = "div", "div"
            found = True
    return found


def _join_drop_caps(tree) -> bool:
    """A drop cap set apart ("<span>T</span><p>urkey…") goes back to its word, or extraction loses the letter."""
    joined = False
    for element in tree.iter():
        if not isinstance(element.tag, str) or len(element) or not re.fullmatch(r"\s*[A-Z]\s*", element.text or ""):
            continue
        following = element.getnext()
        if following is None or element.tail and element.tail.strip() or not following.text_content().lstrip()[:1].islower():
            continue
        for node in following.iter():
            if node.text and node.text.strip():
                node.text = element.text.strip() + node.text.lstrip()
                element.text = ""
                joined = True
                break
    return joined


def page_meta(tree, fallback: tzinfo) -> PageMeta:
    """Title, authors and date by precedence: JSON-LD, Open Graph and article:*, the visible byline and <time>, other meta tags."""
    meta = _meta_tags(tree)
    ld = _json_ld(tree)
    publishers = {p.casefold() for p in (meta.get("og:site_name", ""), meta.get("application-name", ""), meta.get("twitter:site", "").lstrip("@"), *(_ld_names(x.get("publisher")) for x in ld)) if p}
    publishers |= {re.sub(r"\.(?:[a-z]{2,3})(?:\.[a-z]{2})?$", "", p) for p in publishers}  # "Le Monde.fr" signs as "Le Monde"
    site_name = meta.get("og:site_name") or next((n for x in ld for n in [_ld_names(x.get("publisher"))] if n), "")
    url = meta.get("og:url") or _first(tree.xpath('//link[@rel="canonical"]/@href'))
    notes: list[str] = []
    title = _title(tree, meta, ld, site_name, notes)
    lines, start = visible_head(tree, title)
    end = head_end(lines, start)
    visible = read_byline(lines, start, end, fallback, before=range(max(0, start - 4), max(0, start - 1)))
    publishers |= _dateline_outlets(lines[start: start + 40], [meta.get("article:author", ""), *(_ld_names(a) for x in ld for a in _as_list(x.get("author")))])
    authors = _authors(meta, ld, visible.authors, publishers, notes, lines)
    when, zone_written = _date(tree, meta, ld, visible, fallback, notes)
    when, zone_written = _url_day(when, zone_written, visible.when, url or "", fallback, notes)
    beside = sidebar_byline(lines, start - 1, fallback) if not when else None
    if beside and beside.when and set(authors) <= set(beside.authors):  # no date in the head nor in metadata: a column beside the story
        authors, when, zone_written, notes = beside.authors, beside.when, beside.zone_written, [*notes, *(beside.notes if not authors else beside.notes[1:])]
    if not authors or not when:
        foot_authors, foot_stamp = labelled_credit(lines, start, fallback)
        if not authors and foot_authors:
            authors = foot_authors
            notes.append(f"author: {', '.join(authors)} from a labelled credit below the story")
        if not when and foot_stamp:
            when, zone_written = foot_stamp.when, foot_stamp.zone_written
            notes.append(f"date: {when.isoformat()} from a labelled credit below the story")
    story_from = max([start, *(i + 1 for i in visible.used)])
    description = meta.get("og:description") or meta.get("description") or next((str(x.get("description")) for x in ld if x.get("description")), "")
    article_body = next((str(x["articleBody"]) for x in ld if isinstance(x.get("articleBody"), str)), "")
    return PageMeta(title, authors, when, zone_written, frozenset(publishers), site_name, url or "", tuple(notes),
                    tuple(lines), story_from, " ".join(_unescape(description).split()), article_body)


# A credit set as labelled fields, each on a line with its label: "Datum 28.04.2023" beside "Autorin/Autor Ana Lima".
CREDIT_DATE = re.compile(r"^(?:Datum|Date|Fecha|Data|Dato)\s*:?\s+(?=\d)", re.I)
CREDIT_AUTHOR = re.compile(r"^(?:Autor(?:in)?(?:/Autor(?:in)?)?|Author|Auteur(?:e)?|Autore|Autora|Forfatter)s?\s*:?\s+(?=[A-ZÀ-Þ])", re.I)


def labelled_credit(lines: list[str], start: int, fallback: tzinfo):
    """The authors and date of the first labelled credit after the headline ("Datum 28.04.2023" / "Autorin/Autor Ana Lima"),
    the two fields on adjacent lines, as some outlets set it at the foot of the story."""
    for at in range(start, len(lines) - 1):
        pair = (lines[at], lines[at + 1])
        dated = next((line for line in pair if CREDIT_DATE.match(line)), "")
        signed = next((line for line in pair if CREDIT_AUTHOR.match(line)), "")
        stamp = find_stamp(dated, fallback) if dated else None
        people = names.split_names(CREDIT_AUTHOR.sub("", signed)) if signed else ()
        if stamp and people:
            return people, stamp
    return (), None


def _meta_tags(tree) -> dict[str, str]:
    meta: dict[str, str] = {}
    for tag in tree.iter("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").strip().lower()
        value = " ".join((tag.get("content") or "").split())
        if key and value:
            meta.setdefault(key, value)
    # Parse.ly's JSON in <meta name="parsely-page">: the publisher's own title, author and date, as its separate tags give them.
    parsely = _lenient_json(meta.get("parsely-page", ""))
    if isinstance(parsely, dict):
        for field, key in (("title", "parsely-title"), ("author", "parsely-author"), ("pub_date", "parsely-pub-date")):
            value = parsely.get(field)
            value = ", ".join(map(str, value)) if isinstance(value, list) else str(value or "")
            if value.strip():
                meta.setdefault(key, " ".join(_unescape(value).split()))
    return meta


def _json_ld(tree) -> list[dict]:
    """The article objects in the page's JSON-LD, @graph and lists flattened, in document order."""
    found = []
    for script in tree.xpath('//script[contains(@type, "ld+json")]/text()'):
        data = _lenient_json(script)
        if data is None:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack[:0] = item
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack[:0] = item["@graph"] if isinstance(item["@graph"], list) else [item["@graph"]]
                if isinstance(item.get("mainEntity"), (dict, list)):  # a WebPage whose main entity is the article
                    stack[:0] = item["mainEntity"] if isinstance(item["mainEntity"], list) else [item["mainEntity"]]
                kinds = item.get("@type") if isinstance(item.get("@type"), list) else [item.get("@type")]
                if any(kind in ARTICLE_TYPES for kind in kinds):
                    found.append(item)
    return found


def _lenient_json(text: str):
    """JSON-LD as pages write it: wrapped in CDATA or a comment, with raw line breaks in strings or a trailing comma."""
    text = re.sub(r"^\s*(?:/\*\s*)?(?:<!\[CDATA\[|<!--)(?:\s*\*/)?|(?:/\*\s*)?(?:\]\]>|-->)(?:\s*\*/)?\s*$", "", text.strip())
    for attempt in (text, re.sub(r",(\s*[}\]])", r"\1", text)):
        try:
            return json.loads(attempt, strict=False)
        except ValueError:
            continue
    return None


def _ld_names(value) -> str:
    if isinstance(value, dict):
        return " ".join(str(value.get("name") or "").split())
    if isinstance(value, str):
        return " ".join(value.split())
    return ""


def _first(values: list) -> str:
    return " ".join(str(values[0]).split()) if values else ""


def _title(tree, meta: dict, ld: list[dict], site_name: str, notes: list[str]) -> str:
    """The headline readers see (the article's h1), else JSON-LD headline, og:title, <title>, without a site tail."""
    known = [t for t in (_unescape(str(x.get("headline") or "")) for x in ld) if t] + [meta.get("og:title", ""), _first(tree.xpath("//title/text()"))]
    known = [" ".join(t.split()) for t in known if t.strip()]
    agreeing = known + [meta["parsely-title"]] if meta.get("parsely-title") else known  # one more witness for which <h1> is the story's
    h1s = [h for h in tree.xpath("//h1") if not _navigation(h)]
    # No <h1> but a breadcrumb's: the headline may be set in an <h2>, taken only where it agrees with the metadata.
    tag, found = ("h1", h1s) if h1s or not tree.xpath("//h1") else ("h2", tree.xpath("//h2"))
    elements = {heading_text(h): h for h in reversed(found)}  # the first heading of each text
    headings = [h for h in (heading_text(h) for h in found) if len(h.split()) >= 3 and h.casefold() != site_name.casefold() and len(h) < 300]
    shown = _shown_heading_under_copy(tree.xpath("//h1"), agreeing)
    if shown:
        notes.append("title: the heading shown under an <h1> that copies the metadata, without its kicker")
        return shown
    best = max(headings, key=lambda h: max((_overlap(h, k) for k in agreeing), default=0), default="")
    overlap = max((_overlap(best, k) for k in agreeing), default=0)
    shared = any(set(re.findall(r"\w{4,}", best.casefold())) & set(re.findall(r"\w{4,}", k.casefold())) for k in agreeing)
    if best and (overlap >= 0.5 or tag == "h1" and best == headings[0] and (shared or not known)):  # a section's name in an <h1> shares no word with the title
        notes.append(f"title: the page's <{tag}>")
        return _without_trailer(best, elements[best], [strip_site_tail(k, site_name) for k in agreeing])
    for label, candidate in zip(("JSON-LD headline", "og:title", "<title>"), known):
        shorter = _without_kicker(strip_site_tail(candidate, site_name), [strip_site_tail(k, site_name) for k in known])
        if shorter:
            notes.append(f"title: {label} without the kicker before it, as the page's other titles give it")
            return shorter
        headline = _headline_under_kicker(tree, strip_site_tail(candidate, site_name))
        notes.append(f"title: {label}, site name removed" + (", without the kicker the page sets in its <h1> above it" if headline else ""))
        return headline or strip_site_tail(candidate, site_name)
    return ""


def _without_kicker(title: str, others: list[str]) -> str:
    """A title the other titles give without the kicker before its separator ("Kücknitz - So lief die Auktion …" where
    og:title says "So lief die Auktion …"): the headline; the kicker is the place or topic set above it."""
    for other in others:
        cut = len(title) - len(other)
        if len(other.split()) >= 3 and cut > 0 and title.endswith(other) and re.fullmatch(r".{2,40}?\s*(?::|\s[-–—|])\s*", title[:cut]):
            return other
    return ""


def _shown_heading_under_copy(h1s: list, known: list[str]) -> str:
    """Where the page's only <h1> copies the metadata's title (a copy for search engines, or a breadcrumb's last step) and the
    next heading is set as a kicker and a headline (a part marked as the kicker, or a lone ":" between them): that headline."""
    if len(h1s) != 1 or " ".join(h1s[0].text_content().split()).casefold() not in {k.casefold() for k in known}:
        return ""
    after = next(iter(h1s[0].xpath("following::h2[1]")), None)
    story = next((p for p in h1s[0].xpath("following::p") if len(p.text_content().split()) >= 20), None)
    if story is not None and after is not None and story in after.xpath("preceding::p"):
        return ""  # the story has started above it: another story's heading (a related box, a teaser)
    if after is None or not any(_kicker_part(e) or (e.text or "").strip() in (":", "|") and not len(e) for e in after.iterdescendants() if isinstance(e.tag, str)):
        return ""
    headline = heading_text(after)
    whole = " ".join(after.text_content().split())
    return headline if headline != whole and len(headline.split()) >= 3 else ""


def _kicker_part(element) -> bool:
    """A part of a heading marked as its kicker, by its class or a data attribute ('data-cy="kicker"', 'data-manual="overline"')."""
    marks = " ".join(v for k, v in element.attrib.items() if k == "class" or k.startswith("data-"))
    return bool(KICKER_CLASS.search(marks))


def _headline_under_kicker(tree, title: str) -> str:
    """A metadata title joining kicker and headline ("Retro-PC: Commodore …") where the page shows the kicker alone in an <h1>
    and the headline in the heading right after it: that headline; else ""."""
    kicker, colon, rest = title.partition(": ")
    for h1 in tree.xpath("//h1") if colon else []:
        after = h1.getnext()
        if heading_text(h1).casefold() == kicker.casefold() and after is not None and after.tag in ("h2", "h3") \
                and " ".join(after.text_content().split()).casefold() == rest.casefold():
            return " ".join(after.text_content().split())
    return ""


def _navigation(element) -> bool:
    """A heading inside a breadcrumb or menu (its last step set in an <h1>): not the story's headline."""
    return any(e.tag == "nav" or e.get("role") == "navigation" or "breadcrumb" in (e.get("class") or "") for e in (element, *element.iterancestors()))


def _without_trailer(heading: str, element, known: list[str]) -> str:
    """An <h1> that holds the metadata's headline and, in an element of its own after it (a button's "Add to ...", a deck in a
    span) or before it (a kicker), more: the headline. Metadata that cuts a long headline short is no reason to cut the <h1>'s."""
    parts = {" ".join(e.text_content().split()) for e in element.iterdescendants() if isinstance(e.tag, str)}
    for title in sorted(known, key=len, reverse=True):
        if len(title.split()) >= 3 and heading.casefold().startswith(title.casefold()) and heading[len(title):].strip() in parts:
            return heading[: len(title)]
        cut = len(heading) - len(title)
        if len(title.split()) >= 3 and cut > 0 and heading.casefold().endswith(title.casefold()) and heading[:cut].strip() in parts:
            return heading[cut:].strip()  # "<span>Nationale Demo</span>Der 9. Juli naht…": a kicker in an element of its own before it
    return heading


# Parts of an <h1> that are not its headline: a kicker set in a span of its own ("Climate", "Politics |"), a hidden separator.
KICKER_CLASS = re.compile(r"kicker|catchline|dachzeile|roofline|pre-?title|eyebrow|overline|topline|rubric|section|supertitle|titleheader|spitzmarke|visually-hidden|sr-only", re.I)


def heading_text(heading) -> str:
    """An <h1>'s headline: its text without a kicker or hidden separator marked up inside it, where a headline remains."""
    whole = " ".join(heading.text_content().split())
    after = _after_separator(heading)
    if len(after.split()) >= 3 and len(whole.split()) - len(after.split()) <= 6:
        return after  # "<span>LTE-Patent</span><span>: </span><span>Samsung soll …</span>": a kicker marked off by its own separator
    parts = [e for e in heading.iterdescendants() if isinstance(e.tag, str) and (_kicker_part(e) or e.get("aria-hidden") == "true")]
    if not parts:
        return whole
    hidden = [d for e in parts for d in e.iter()]  # held, so lxml hands back these same proxies and their ids stay theirs
    skipped = {id(d) for d in hidden}
    kept = []
    for node in heading.iter():
        if id(node) not in skipped and node.text and isinstance(node.tag, str):
            kept.append(node.text)
        if node is not heading and node.tail and not any(id(a) in skipped for a in node.iterancestors() if a is not heading):
            kept.append(node.tail)
    rest = " ".join("".join(kept).split()).lstrip(" :|–—-·•")  # the separator the kicker stood before
    return rest if len(rest.split()) >= 3 else whole


def _after_separator(heading) -> str:
    """The text after an element of a heading that holds only a separator (":", "|", "–"), which marks the kicker before it off."""
    sep = next((e for e in heading.iterdescendants() if isinstance(e.tag, str) and not len(e) and (e.text or "").strip() in (":", "|", "–", "—")), None)
    if sep is None:
        return ""
    out, node = [sep.tail or ""], sep
    while node is not heading:
        for sibling in node.itersiblings():
            out += [sibling.text_content() if isinstance(sibling.tag, str) else "", sibling.tail or ""]
        node = node.getparent()
        if node is None or node is heading:
            break
        out.append(node.tail or "")
    return " ".join("".join(out).split())


def _overlap(a: str, b: str) -> float:
    words = set(re.findall(r"\w+", a.casefold()))
    return len(words & set(re.findall(r"\w+", b.casefold()))) / max(1, len(words))


def _unescape(text: str) -> str:
    return html_entities.unescape(text)


def strip_site_tail(title: str, site_name: str) -> str:
    """Drop a " | Site", " - Section - Site" or " * Site * by Name" tail; a dash tail only where it names the site or is short."""
    title = " ".join(title.split())
    # "» Local » Noticias » Site": a breadcrumb's arrows, where no « opens a quotation they could close
    arrows = "»›" if "«" not in title and "‹" not in title else ""
    parts = re.split(rf"\s+(?:[|–—*•·{arrows}-]|::)\s+", title)
    while len(parts) > 1:
        tail = parts[-1]
        named = site_name and (tail.casefold() == site_name.casefold() or site_name.casefold() in tail.casefold())
        if named or " | " in title and len(tail.split()) <= 5 or len(tail.split()) <= 3 and len(parts[0].split()) >= 4 and (tail[:1].isupper() or tail.startswith("by ")):
            title = title[: title.rfind(tail)].rstrip(" |–—*•·:»›-")
            parts = parts[:-1]
            continue
        break
    return title


def visible_head(tree, title: str) -> tuple[list[str], int]:
    """The page's text as lines, and the index of the line after the headline: where a byline is read from.

    The headline is the <h1> that shows the title where there is one: a page repeats its title in a masthead bar,
    a share form or a list of other stories above it, and a byline read there is a neighbour's."""
    lines: list[str] = []
    body = tree.find("body") if tree.find("body") is not None else tree
    key = title.casefold()[:60]
    headline = next((h for h in body.iter("h1") if key and heading_text(h).casefold().startswith(key)), None)
    if headline is not None and heading_text(headline).casefold() != title.casefold():
        # an <h1> that holds more than the title (a masthead's logo link after it): a heading that is the title itself
        headline = next((h for h in body.iter("h1", "h2", "h3") if heading_text(h).casefold() == title.casefold()), headline)
    _text_lines(body, lines, headline)
    lines = [" ".join(line.split()) for line in lines]
    lines = join_times([line for line in lines if line])
    marked = next((i for i, line in enumerate(lines) if HEADLINE in line), None)
    lines = [line.replace(HEADLINE, "").strip() for line in lines]
    at = marked if marked is not None else next((i for i, line in enumerate(lines) if key and line.casefold().startswith(key)), None)
    return lines, (at + 1 if at is not None else len(lines))


HEADLINE = "\ue000"  # marks the headline's line while the page's lines are made


def _text_lines(element, lines: list[str], headline=None) -> None:
    """innerText, roughly: a new line at each block element; scripts, styles and hidden elements left out."""
    if not isinstance(element.tag, str) or element.tag in ("script", "style", "noscript", "template", "svg", "iframe"):
        return
    if element.get("hidden") is not None or element.get("aria-hidden") == "true" or "display:none" in (element.get("style") or "").replace(" ", ""):
        return
    block = element.tag in BLOCKS - {"span", "a"}
    if block or not lines:
        lines.append("")
    if element is headline:
        lines[-1] += HEADLINE
    if element.tag == "time" and element.text:
        lines[-1] += " "
    lines[-1] += element.text or ""
    for child in element:
        _text_lines(child, lines, headline)
        if isinstance(child.tag, str) and child.tag in BLOCKS - {"span", "a"}:
            lines.append("")
        lines[-1] += child.tail or ""


def _authors(meta: dict, ld: list[dict], visible: tuple[str, ...], publishers: set[str], notes: list[str], lines: list[str]) -> tuple[str, ...]:
    """JSON-LD authors, article:author, the visible byline, then meta tags; a publisher's name is never the author."""
    candidates: list[tuple[str, list[str]]] = []
    for item in ld:
        raw = item.get("author") or item.get("creator")
        candidates.append(("JSON-LD author", [_as_shown_name(_ld_names(a), lines) for a in (raw if isinstance(raw, list) else [raw])
                                               if not _organisation(a)]))
    if meta.get("article:author") and not re.match(r"https?://", meta["article:author"]):
        candidates.append(("article:author", [meta["article:author"]]))
    if meta.get("parsely-author"):  # structured metadata the publisher wrote, like JSON-LD: ahead of a byline read off the page
        candidates.append(("parsely-author", [meta["parsely-author"]]))
    candidates.append(("visible byline", list(visible)))
    candidates += [(f"<meta name={key}>", [meta[key]]) for key in AUTHOR_META if key in meta and key != "article:author"]
    people = {_ld_names(a) for item in ld for a in _as_list(item.get("author")) if isinstance(a, dict) and a.get("@type") == "Person"}
    for label, raw_names in candidates:
        found = list(dict.fromkeys(n for raw in raw_names for n in (_names_of(raw, publishers) or _person(raw, people))))
        fuller = [names_ for names_ in [list(visible), *(_names_of(m, publishers) for _, ms in candidates for m in ms if m)]
                  if len(names_) > len(found) and {n.casefold() for n in found} <= {n.casefold() for n in names_}]
        if found and fuller:
            found = fuller[0]  # the page's byline or another tag lists every author; the first source only the first
        if found and all(names.is_agency(n) for n in found) and any(not names.is_agency(n) for n in visible):
            found, label = list(visible), f"visible byline (the {label} names only the agency)"  # the agency sent it, the reporter wrote it
        if found:
            notes.append(f"author: {', '.join(found)} from the {label}")
            return tuple(found)
    return ()


def _dateline_outlets(lines: list[str], named: list[str]) -> set[str]:
    """Names that metadata gives as the author but the story's Chinese dateline shows as the outlet its reporters wrote for
    ("新京报快讯（记者 裴剑飞）…" where article:author is "新京报"): an outlet, never the author."""
    leads = [found.group("lead") for line in lines if (found := names.CN_DATELINE.match(line))]
    return {name.casefold() for name in named if name and any(lead.startswith(name) for lead in leads)}


def _organisation(author) -> bool:
    """A JSON-LD author typed as an organisation ("Focus Taiwan - CNA English News"): the site, not a writer; an agency
    (AP, Reuters) is kept, as it signs the story."""
    return isinstance(author, dict) and author.get("@type") in ("Organization", "NewsMediaOrganization") and not names.is_agency(_ld_names(author))


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _person(raw: str, people: set[str]) -> list[str]:
    """A JSON-LD Person's name that reads as a name although a word of it is a common word ("Xiaoying You"): the publisher
    typed it as a person, so two to four capitalised words are taken as they stand."""
    words = raw.split()
    if raw in people and 2 <= len(words) <= 4 and all(w[:1].isupper() and not any(c.isdigit() for c in w) for w in words):
        return [raw]
    return []


def _as_shown_name(name: str, lines: list[str]) -> str:
    """A name metadata writes in small letters ("viktor hedlund") as the page shows it ("Viktor Hedlund")."""
    if not name.islower():
        return name
    found = next((line for line in lines if line.casefold() == name.casefold()), "")
    return found or name


def _names_of(raw: str, publishers: set[str]) -> list[str]:
    """The people an author field names; the site's own name only where it signs jointly with an agency ("AFP/The Local")."""
    raw = names.swap_surname_first(raw or "")
    if not raw or re.match(r"https?://", raw):
        return []
    if names.CJK_NAME.fullmatch(raw.strip()) or names.CJK_SPACED_NAME.fullmatch(raw.strip()):
        return [] if raw.strip().casefold() in publishers else [raw.strip()]  # a name in Chinese characters or Hangul, written without spaces: one name as it stands
    found: list[str] = []
    for piece in (names.SEPARATORS.split(raw)[:1] if "," in raw or " and " in raw else names.SEPARATORS.split(raw)):
        joint = "/" in piece and any(names.is_agency(p.strip()) for p in piece.split("/"))
        found += [n for n in names.split_names(piece) if n.casefold() not in publishers or names.is_agency(n) or joint]
    return found


def _date(tree, meta: dict, ld: list[dict], visible, fallback: tzinfo, notes: list[str]) -> tuple[datetime | date | None, bool]:
    """The publication date by precedence; a visible local time, where it shows one, gives the publisher's own offset."""
    candidates = [("JSON-LD datePublished", str(x.get("datePublished") or "")) for x in ld]
    candidates += [("article:published_time", meta.get("article:published_time", ""))]
    candidates += [("<time datetime>", t) for t in tree.xpath("//time[@pubdate or @itemprop='datePublished']/@datetime | //*[@itemprop='datePublished']/@content")]
    candidates += [("first <time datetime>", t) for t in tree.xpath("//body//time/@datetime")[:1]]
    for label, raw in candidates:
        when = parse_iso(raw, fallback) if raw else None
        if when:
            when = _as_shown(when, visible.when) if visible.when else _in_page_offset(when, meta, ld, fallback)
            notes.append(f"date: {when.isoformat()} from the {label}")
            return when, True
    if visible.when:
        notes.append(f"date: {visible.when.isoformat()} from the visible byline")
        return visible.when, visible.zone_written
    for label, raw in [("<time datetime>", t) for t in tree.xpath("//time/@datetime")] + [(f"<meta name={k}>", meta[k]) for k in DATE_META if k in meta]:
        when = parse_iso(raw, fallback)
        if when:
            notes.append(f"date: {when.isoformat()} from the {label}")
            return when, True
    return None, False


def _in_page_offset(when: datetime | date, meta: dict, ld: list[dict], fallback: tzinfo) -> datetime | date:
    """A UTC stamp where the page's other times carry its own offset ("…T22:15:39-05:00"): the same moment in that offset."""
    if not isinstance(when, datetime) or when.utcoffset() != timedelta(0):
        return when
    others = [str(x.get(k) or "") for x in ld for k in ("dateModified", "dateCreated")]
    others += [v for k, v in meta.items() if re.search(r"time|date", k)]
    for raw in others:
        other = parse_iso(raw, fallback) if re.match(r"\d{4}-\d\d-\d\dT", raw) else None
        if isinstance(other, datetime) and other.utcoffset() not in (None, timedelta(0)):
            return when.astimezone(other.tzinfo)
    return when


def _url_day(when, zone_written: bool, shown, url: str, fallback: tzinfo, notes: list[str]):
    """The day in the address (/2019/11/18/) is the publisher's own: it corrects a UTC stamp the page never shows locally."""
    found = re.search(r"/((?:19|20)\d\d)/(\d\d)/(\d\d)/", url)
    try:
        day = date(int(found.group(1)), int(found.group(2)), int(found.group(3))) if found else None
    except ValueError:
        day = None
    if day is None or shown is not None:
        return when, zone_written
    if when is None:
        notes.append(f"date: {day.isoformat()} from the page's address")
        return day, False
    if isinstance(when, datetime) and when.utcoffset() == timedelta(0) and when.date() != day and abs((when.date() - day).days) == 1:
        local = when.astimezone(fallback)
        notes.append(f"date: the address says {day.isoformat()}, the metadata a UTC time of the next or previous day")
        return (local, True) if local.date() == day else (day, False)
    return when, zone_written


def _as_shown(when: datetime | date, shown: datetime | date | None) -> datetime | date:
    """Metadata in UTC beside a visible local time of the same moment: keep the moment, write it in the page's offset."""
    if not isinstance(when, datetime) or shown is None:
        return when
    if not isinstance(shown, datetime):  # a day beside the byline, one off a UTC stamp as a zone east or west of UTC would be
        utc = when.astimezone(timezone.utc)
        east, west = shown == utc.date() + timedelta(days=1) and utc.hour >= 10, shown == utc.date() - timedelta(days=1) and utc.hour < 14
        if shown == when.date() - timedelta(days=1) and when.hour < 3:
            return shown  # a stamp in the first hours after midnight, under the day before ("Domingo, 17 de julio 2022" over 02:00 on the 18th)
        return shown if when.utcoffset() == timedelta(0) and (east or west) else when
    utc_clock = when.astimezone(timezone.utc).replace(tzinfo=None, second=0)
    gap = round((shown.replace(tzinfo=None, second=0) - utc_clock).total_seconds() / 60)
    if abs(gap) <= 14 * 60 and gap % 15 == 0:
        return when.astimezone(timezone(timedelta(minutes=gap)))  # gap 0: the page shows the UTC clock, and its day
    return when


def _drop_head_furniture(blocks: list[str], meta: PageMeta, fallback: tzinfo) -> list[str]:
    """Before the first sentence of the story: headline again, kickers, bylines and timestamps go."""
    start = 0
    for index, block in enumerate(blocks[:8]):
        text = plain(block)
        if block.startswith("#") or re.fullmatch(r"\*\*[^*]+\*\*", block.strip()) and len(text.split()) < 20:
            start = index + 1  # a heading or a bold line before the story's first paragraph is its kicker or standfirst
            continue
        items = [_first_line(line) for line in block.split("\n")]
        if block.lstrip().startswith(("- ", "* ", "1. ")) and all(_head_line(item, meta, fallback) for item in items):
            start = index + 1  # "- 24 July 2015 / - From the section US & Canada / - 941 comments": the byline's facts as a list
            continue
        rest = text[len(meta.title):].strip() if meta.title and text.casefold().startswith(meta.title.casefold()) else None
        if rest is not None and (not rest or names.PREFIX.match(rest + " ") and len(rest.split()) <= 16):
            start = index + 1  # the headline again, as a link, with its byline's "by" after it (the name in a link of its own)
            continue
        between = index + 1 < len(blocks) and _between_headline_and_byline(text, meta)
        if cleanup.word_count(text) >= 12 and not re.match(r"^(?:by|posted by)\s", text, re.I):
            start = index + 1 if between else start  # a long sub-heading: what follows is the story, whatever its markup
            break
        if block.startswith("#") or _head_line(text, meta, fallback) or between:
            start = index + 1
    return blocks[start:]


def _between_headline_and_byline(text: str, meta: PageMeta) -> bool:
    """A short line the page shows under its headline and above its byline: the head's sub-heading ("SubTitulo"), which
    no story opens with, whatever the page calls it."""
    head = meta.lines[: meta.story_from]
    headline = next((i for i in range(len(head) - 1, -1, -1) if _norm(head[i]) == _norm(meta.title)), None)
    if headline is None or not headline + 2 < meta.story_from <= headline + 5:  # a byline read a few lines under the headline
        return False
    return any(_norm(line) == _norm(text) for line in meta.lines[headline + 1: meta.story_from - 1])


SHARE_RUN = re.compile(r"(?:\b(?:share|tweet|e-?mail|facebook|twitter|linkedin|whatsapp|telegram|reddit|pinterest|print|copy)\b\s+){3,}(?=[A-Z“\"])", re.I)


def _story_after_glued_head(blocks: list[str], meta: PageMeta) -> list[str]:
    """A first block that extraction glued from the whole head (breadcrumb, headline, caption, byline, share buttons) and the
    story: the story, from after the share buttons that follow the headline."""
    head = blocks[0].casefold().rfind(meta.title.casefold()) if blocks and meta.title else -1
    run = SHARE_RUN.search(blocks[0], head + len(meta.title)) if head >= 0 else None
    story = blocks[0][run.end():] if run else ""
    tail = next((m.start() for m in re.finditer(r"(?<=[.?!”\"])\s+", story) if cleanup.TAIL.match(story[m.end():])), len(story))
    return [story[:tail], *blocks[1:]] if is_prose(story) else blocks  # (and without the other stories glued after it)


def _teaser_above_headline(blocks: list[str], meta: PageMeta) -> list[str]:
    """A first paragraph the page shows only above its headline, with the next one below it: another story's teaser in the
    masthead ("Headline" / a linked title / its teaser), not the story's lead."""
    headline = next((i for i, line in enumerate(meta.lines) if _norm(line) == _norm(meta.title)), None)
    at = next((i for i, block in enumerate(blocks) if not block.startswith("#")), len(blocks))  # (under the card's label)
    if at + 1 >= len(blocks) or headline is None:
        return blocks
    first, second = _norm(plain(blocks[at])), _norm(plain(_first_line(blocks[at + 1])))
    shown = [i for i, line in enumerate(meta.lines) if _norm(line) == first]
    below = any(_norm(line) == second for line in meta.lines[headline + 1:])
    return blocks[:at] + blocks[at + 1:] if shown and max(shown) < headline and below else blocks


def _head_line(text: str, meta: PageMeta, fallback: tzinfo) -> bool:
    """A line of a story's head: the headline again, a kicker, a stamp, names, a counter ("941 comments"), a section's label, a
    short line that is no sentence, or a line in a headline's capitals ("Photo of Baby Wrapped in US Flag Seen as Unpatriotic")."""
    words = text.split()
    capitals = [w for w in words if len(w) >= 4 and w[:1].isalpha()]
    return bool(text.casefold() == meta.title.casefold() or cleanup.KICKER.fullmatch(text) or find_stamp(unglue(text), fallback)
                or names.split_names(text) or cleanup.word_count(text) <= 6 and not re.search(r"[.?!:。！？：]$", text)
                or re.fullmatch(r"\d[\d,.]*\s*\w+|from the section\b.*", text, re.I)
                or len(words) <= 15 and not re.search(r"[.?!:;,。！？：”\"]$", text) and len(capitals) >= 3
                and sum(w[:1].isupper() for w in capitals) >= 0.8 * len(capitals))


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').split()).casefold().rstrip(" .…")


def _drop_standfirst(blocks: list[str], meta: PageMeta, tree) -> list[str]:
    """A first paragraph that repeats the page's description and stands apart from the story's paragraphs is its standfirst."""
    if len(blocks) < 2 or not meta.description or blocks[0].startswith(("#", ">", "-", "|")):
        return blocks
    first, description = _norm(plain(blocks[0])), _norm(meta.description)
    if not (first == description or len(first) > 40 and description.startswith(first)
            or len(description) > 40 and (first.startswith(description) or first.endswith(description))):  # "**gros temps** <description>": a kicker before it
        return blocks
    here, story = _element_holding(tree, plain(blocks[0])), _element_holding(tree, _first_line(blocks[1]))
    if here is None:
        return blocks
    marked = _marked_standfirst(here)
    if story is None:  # the story's text runs on in one element, between line breaks: only the mark can tell
        return blocks[1:] if marked else blocks
    second = _norm(plain(_first_line(blocks[1])))
    above_byline = any(_norm(line) == first for line in meta.lines[: meta.story_from]) and any(  # the page shows it above its
        _norm(line) == second for line in meta.lines[meta.story_from:])  # byline, and the story below (not a byline at the foot)
    return blocks[1:] if marked or above_byline or here.getparent() is not story.getparent() else blocks


def _marked_standfirst(element) -> bool:
    """An element, or one of the two around it, whose class or id names it a standfirst ("standfirst", "spIntroTeaser")."""
    return _marked(element, STANDFIRST)


def _marked(element, pattern: re.Pattern) -> bool:
    """Whether the class or id of the element, or of one of the two around it, matches the pattern."""
    return any(pattern.search(f'{e.get("class") or ""} {e.get("id") or ""}') for e in [element, *list(element.iterancestors())[:2]])


def _description_shown_as_standfirst(tree, line: str, meta: PageMeta) -> bool:
    """The page's description, shown in an element whose class or id names it a teaser ("spIntroTeaser"): never the lead to
    bring back. (A lead in an element marked "intro" or "excerpt" is the story's: pages mark their first paragraph so too.)"""
    here = _element_holding(tree, line) if _norm(line) == _norm(meta.description) else None
    return here is not None and _marked(here, TEASER)


TEASER = re.compile("teaser", re.I)
SUMMARY_CLASS = re.compile(r"summary|key-?points|highlights|takeaways|bullets", re.I)


def _drop_summary_list(blocks: list[str], tree) -> list[str]:
    """A list of the story's points set above it in an element marked as a summary ("- Storm winds reach the coast…"):
    the story starts after it."""
    if len(blocks) < 2 or not blocks[0].lstrip().startswith(("- ", "* ", "1. ")):
        return blocks
    here = _element_holding(tree, _first_line(blocks[0]))
    marked = here is not None and any(SUMMARY_CLASS.search(e.get("class") or "") for e in [here, *list(here.iterancestors())[:3]])
    return blocks[1:] if marked else blocks


def _first_line(block: str) -> str:
    """A block's first line as plain text, without a list's mark: what to look the block up by in the page."""
    return plain(re.sub(r"^\s*(?:[-*]|\d+\.)\s+", "", block.split("\n")[0]))


CAPTION_WORD = r"(?<!no)(?<!no[_-])caption"  # not "no_caption", "nocaption"
CAPTION_CLASS = re.compile(rf"{CAPTION_WORD}|(?:^|[\s_-])(?<!drop[_-])cap(?:$|[\s_-])|credit", re.I)  # not "has-drop-cap"


def _caption_by_place(tree, block: str) -> bool:
    """A short paragraph that is a picture's caption by where the page puts it, though it names no credit: in an element
    marked as a caption ("illo-cap"), or right after the image it describes."""
    text = plain(block)
    if block.startswith(("#", ">", "-", "|")) or len(text.split()) >= 50:
        return False
    here = _element_holding(tree, text)
    if here is None:
        return False
    if any(e.tag == "figcaption" or CAPTION_CLASS.search(e.get("class") or "") for e in [here, *list(here.iterancestors())[:2]]):
        return True
    before = here.getprevious()
    while before is not None and not isinstance(before.tag, str):
        before = before.getprevious()  # a comment between them
    if before is not None and (before.tag == "figure" or CAPTION_CLASS.search(before.get("class") or "")):
        return False  # the picture's own frame ("wp-caption", <figure>) is where its caption would stand: what follows is the story
    return before is not None and (before.tag in ("img", "picture") or before.tag in ("a", "div", "span") and bool(before.xpath(".//img"))
                                   and not before.text_content().strip())


def _element_holding(tree, text: str):
    """The smallest element whose text starts with `text` (its first 60 characters)."""
    key = _norm(text.lstrip("# "))[:60]
    found = [e for e in tree.iter("p", "div", "h2", "h3", "h4", "span", "section", "header", "li") if _norm(e.text_content()).startswith(key)]
    return min(found, key=lambda e: len(e.text_content()), default=None)


def _recover_first_paragraph(blocks: list[str], meta: PageMeta, tree) -> list[str]:
    """Extraction sometimes drops the story's first paragraph (a lead marked up as a heading or an excerpt): the page shows it
    after the byline, right above the paragraph extraction starts with, with only captions and buttons between, and in the
    same container as the story's paragraphs (a standfirst or a video's blurb stands in a header or a player of its own)."""
    if not blocks or not meta.lines:
        return blocks
    lead = plain(blocks[0]).lstrip("# ")
    if (blocks[0].startswith("#") and len(blocks) > 1 and len(lead.split()) >= 12 and re.search(cleanup.SENTENCE_END, lead)
            and _near(tree, lead, plain(blocks[1])) and not _standfirst(tree, lead)):
        return [blocks[0].lstrip("# ")] + blocks[1:]  # a lead paragraph marked up as a heading, beside the story
    key = _norm(plain(blocks[0]))[:50]
    lines = meta.lines
    at = next((i for i in range(meta.story_from, len(lines)) if len(key) >= 20 and _norm(lines[i]).startswith(key)), None)
    if at is None:
        return blocks
    index = at - 1
    while index >= meta.story_from and (len(lines[index].split()) <= 4 or cleanup.is_junk(lines[index], frozenset()) or _caption_line(lines[index])):
        index -= 1
    if index < meta.story_from:
        return blocks
    line = lines[index]
    known = {_norm(plain(b)) for b in blocks}
    if (len(line.split()) >= 6 and re.search(cleanup.SENTENCE_END_ELLIPSIS, line) and not cleanup.is_promo(line) and _norm(line) not in known
            and _norm(line) != _norm(meta.title) and not names.PREFIX.match(line) and _near(tree, line, plain(blocks[0]))
            and not _standfirst(tree, line) and not _set_apart(tree, line) and len(re.findall(r"[»›>]", line)) < 2
            and not _caption_by_place(tree, line) and not _description_shown_as_standfirst(tree, line, meta)):
        return [_escape_inline(line)] + blocks
    return blocks


def _set_apart(tree, text: str) -> bool:
    """Text the page sets apart from the story: in a <header> (a standfirst), or in a note or navigation box ("This is a
    dynamic list…"). (A lead set as a heading is still a lead: pages set their first paragraph in an <h2>.)"""
    here = _element_holding(tree, text)
    return here is not None and (here.tag == "header" or bool(re.search(r"\b(?:hatnote|notice|navigation|nav)\b", here.get("class") or "")))


def _standfirst(tree, text: str) -> bool:
    """A line the page sets, somewhere, in an element marked as a standfirst ("subhead", "dek"); repeating the description is
    no sign: many leads do."""
    key = _norm(text.lstrip("# "))[:60]
    return any(_norm(e.text_content()).startswith(key) for e in tree.iter() if isinstance(e.tag, str) and SUBHEAD.search(e.get("class") or ""))


def _lead_from_article_body(blocks: list[str], meta: PageMeta) -> list[str]:
    """Paragraphs the publisher's own articleBody puts before the one extraction starts with, and the page shows after the
    byline (a lead set in a box of its own), are the story's opening: extraction dropped them."""
    if not blocks or not meta.article_body:
        return blocks
    text = re.sub(r"<[^>]+>", "\n", _unescape(meta.article_body))
    paragraphs = [" ".join(p.split()) for p in re.split(r"\r?\n", text) if p.strip()]
    key = _norm(plain(blocks[0]))[:50]
    at = next((i for i, p in enumerate(paragraphs) if len(key) >= 20 and _norm(p).startswith(key)), 0)
    shown = {_norm(line) for line in meta.lines[meta.story_from:]}
    known = {_norm(plain(b)) for b in blocks} | {_norm(meta.title)}
    if not at and len(key) >= 20 and paragraphs and not _norm(paragraphs[0]).startswith(key):
        # an articleBody that runs its paragraphs together: the lead is a line the page shows, which the body opens with
        # and which runs straight into the paragraph extraction starts with
        body = _norm(paragraphs[0])
        paragraphs = [line for line in meta.lines[meta.story_from:][:40] if len(_norm(line)) >= 20 and body.startswith(_norm(line))
                      and body[len(_norm(line)):].lstrip(" .").startswith(key)][:1]
        at = len(paragraphs)
    lead = [p for p in paragraphs[:at] if _norm(p) in shown and _norm(p) not in known and len(p.split()) >= 6
            and re.search(cleanup.SENTENCE_END_ELLIPSIS, p) and not _caption_line(p) and not cleanup.is_promo(p)]
    return [_escape_inline(p) for p in lead] + blocks


def _near(tree, text: str, story: str) -> bool:
    """The text stands beside the story's paragraph (within two levels of its parent, not in a caption, player or aside),
    or wraps it closely (a lead element that holds the story)."""
    here, there = _element_holding(tree, text), _element_holding(tree, story)
    if here is not None and there is None:  # no element starts with the story's paragraph: it runs on after a line break
        return _norm(story)[:60] in _norm(here.text_content())  # in the lead's own element
    while there is not None and there.tag in INLINE and there.getparent() is not None:
        there = there.getparent()  # "<p><span>The story…</span></p>": the paragraph is what stands beside the lead
    if here is None or there is None or there.getparent() is None:
        return False
    if here in list(there.iterancestors())[:2]:
        return True
    path = [here, *list(here.iterancestors())[:2]]
    if _items_of_one_list(here.getparent(), there.getparent()):
        return True  # a page built as a list of items: the lead heads the first, the story's paragraphs the next
    if there.getparent() not in path[1:]:
        return False
    inside = path[: path.index(there.getparent())]
    return not any(e.tag in ("figure", "figcaption", "aside") or re.search(rf"{CAPTION_WORD}|video|player|promo|related|embed", e.get("class") or "", re.I)
                   for e in inside)


def _items_of_one_list(one, other) -> bool:
    """Two elements side by side in one parent, of one tag and one first class: items of a list the page is built as."""
    return one is not None and other is not None and one is not other and one.getparent() is other.getparent() \
        and one.tag == other.tag and bool(one.get("class")) and (one.get("class") or "").split()[:1] == (other.get("class") or "").split()[:1]


INLINE = frozenset({"span", "a", "em", "strong", "b", "i", "font"})


def _caption_line(line: str) -> bool:
    if re.match(r"^\W*(?:photos?|image|picture|credit|illustration|video)\s*:", line, re.I):
        return True  # "Photo: Adil Boukind Archives Le Devoir Les entreprises…"
    found = cleanup.split_caption(line)
    return bool(found and found[1])


def _menu_list(block: str) -> bool:
    """A list whose every item is a button or menu word ("Previous", "Next", "Share") is navigation."""
    items = [re.sub(r"^\s*(?:[-*]|\d+\.)\s+", "", line) for line in block.split("\n")]
    return block.lstrip().startswith(("-", "1.")) and all(cleanup.is_junk(plain(item), frozenset()) for item in items)


def _without_bare_links(block: str) -> str:
    """A block without its lines that are a label and a link showing its own address (a player's buttons, one a line)."""
    return "\n".join(line for line in block.split("\n") if not BARE_LINK.fullmatch(line.strip()))


def _without_buttons(block: str) -> str:
    """A list without the items that are only buttons or counters ("Previous", "Next", "1 of 5", an empty item)."""
    if not block.lstrip().startswith(("-", "1.")):
        return block
    items = block.split("\n")
    kept = [line for line in items if not re.fullmatch(r"\s*(?:[-*]|\d+\.)\s*", line)
            and not cleanup.is_junk(plain(re.sub(r"^\s*(?:[-*]|\d+\.)\s+", "", line)), frozenset())]
    return "\n".join(kept) if len(kept) < len(items) and kept and kept[0].startswith(("-", "1.")) else block if kept else ""


def _is_caption_block(block: str) -> bool:
    found = cleanup.split_caption(plain(block)) if len(block) < 400 and not block.startswith((">", "-", "|", "#")) else None
    return bool(found and found[1] and len(found[1]) < 80 and len(found[0].split()) < 60)


def _figure(tree, page_url: str) -> tuple[str, str, str, str]:
    """Caption, credit, image address and alt text of the page's first figure."""
    figures = tree.xpath("//figure[figcaption]")
    if not figures:
        return "", "", "", ""
    figure = figures[0]
    figcaption = figure.find(".//figcaption")
    credit_nodes = figcaption.xpath('.//*[self::cite or self::small or contains(@class, "credit") or contains(@class, "copyright")]')
    credit = ""
    if credit_nodes:
        credit = " ".join(credit_nodes[0].text_content().split())
        credit_nodes[0].drop_tree()
    caption = " ".join(figcaption.text_content().split())
    if not credit:
        found = cleanup.split_caption(caption)
        if found and found[1]:
            caption, credit = found
    image = figure.find(".//img")
    src = _picture_address(image, page_url) if image is not None else ""
    alt = " ".join((image.get("alt") or "").split()) if image is not None else ""
    if not (re.match(r"https?://\S+$", src) and alt):
        src = alt = ""  # a page-relative picture, or one without alt text, cannot be shown here
    return caption, cleanup.strip_credit_label(credit), src, alt


# A lazy-loading page's <img src> is a stand-in until a script swaps in the real address, kept in a data- attribute.
LAZY_ATTRIBUTES = ("src", "data-src", "data-lazy-src", "data-original", "data-normal")
PLACEHOLDER = re.compile(r"lazy|placeholder|missing|blank|spacer|pixel|transparent|loading|1x1|\.gif$", re.I)  # "t.gif" too


def _picture_address(image, page_url: str) -> str:
    """The address of the picture an <img> shows once loaded: never a placeholder, and never the page itself (no src)."""
    for name in LAZY_ATTRIBUTES:
        value = (image.get(name) or "").strip()
        if value and not value.startswith("data:"):
            address = urljoin(page_url or "", value)
            if not PLACEHOLDER.search(address.rsplit("/", 1)[-1]):
                return address
    return ""


LINE_BREAK = "\x00"  # stands for <lb/> until whitespace is collapsed; no decoded source holds a NUL


def markdown_blocks(main, title: str) -> list[str]:
    """Markdown blocks for trafilatura's XML body: paragraphs, headings, quotes, lists, tables and code."""
    blocks = []
    for element in main if main is not None else []:
        if element.tag == "div":
            blocks += markdown_blocks(element, title)  # extraction keeps a page's wrappers round each paragraph
            continue
        if _layout_table(element):
            blocks += [b for cell in element.iter("cell") if cell.getparent().getparent() is element for b in markdown_blocks(cell, title)]
            continue
        block = _block(element, title)
        if block:
            blocks += _heading_after_break(block) if element.tag == "p" else [block]
    return blocks


def _layout_table(element) -> bool:
    """A table that lays the page out (an old page's columns), not data: a cell of it holds headings or paragraphs."""
    return element.tag == "table" and any(child.tag in ("p", "head") for row in element.findall("row") for cell in row.findall("cell") for child in cell)


def _heading_after_break(paragraph: str) -> list[str]:
    """A paragraph that ends, after a line break, in a short line with no stop under a sentence ("…in two places.<br><b>New
    Add-ons</b>"): the next part's heading, set inside the paragraph before it. The paragraph, then the heading."""
    text, _, last = paragraph.rpartition("  \n")
    words = plain(last).split()
    if text and is_prose(plain(text)) and re.search(cleanup.SENTENCE_END, text) and 1 <= len(words) <= 5 and words[0][:1].isupper() \
            and not re.search(r"[.?!:,;)]$", last) and not names.split_names(plain(last)):
        return [text, f"### {last.strip('* ')}"]
    return [paragraph]


def _block(element, title: str) -> str:
    tag = element.tag
    if tag == "p":
        return _inline(element)
    if tag == "head":
        text = _inline(element)
        rend = element.get("rend") or ""
        level = max(2, int(rend[1])) if re.fullmatch(r"h[1-6]", rend) else 2  # the title is the page's only h1
        return "" if not text or plain(text).casefold() == title.casefold() else f"{'#' * level} {text}"
    if tag == "quote":
        inner = markdown_blocks(element, title) if len(element) and element[0].tag in ("p", "list", "quote", "head") else [_inline(element)]
        return "\n>\n".join("\n".join(f"> {line}" if line else ">" for line in block.split("\n")) for block in inner if block)
    if tag == "list":
        return _list(element)
    if tag == "table":
        rows = [[_inline(cell).replace("|", "\\|") for cell in row.findall("cell")] for row in element.findall("row")]
        rows = [row for row in rows if any(row)]
        if not rows:
            return ""
        width = max(len(row) for row in rows)
        lines = [f"| {' | '.join(row + [''] * (width - len(row)))} |" for row in rows]
        return "\n".join([lines[0], f"|{' --- |' * width}", *lines[1:]])
    if tag == "code":
        return f"```\n{element.xpath('string()').strip()}\n```"
    return ""


def _list(element, depth: int = 0) -> str:
    ordered = (element.get("rend") or "").lower() in ("ol", "1")
    lines = []
    for number, item in enumerate(element.findall("item"), 1):
        nested = [child for child in item if child.tag == "list"]
        for child in nested:
            child.getparent().remove(child)  # rendered below, indented under its item
        marker = f"{number}." if ordered else "-"
        lines.append(f"{'    ' * depth}{marker} {_inline(item)}")
        lines.extend(_list(child, depth + 1) for child in nested)
    return "\n".join(lines)


def _inline(element) -> str:
    """The Markdown of an element's mixed content: emphasis, links, code and line breaks."""
    parts = [_escape_inline(element.text or "")]
    for child in element:
        inner = _inline(child)
        marked = child.tag in ("hi", "ref") and inner.strip()
        if marked and _spaced("".join(parts)[-1:]) and _spaced(inner.strip()[:1]):
            parts.append(" ")  # the page had a space here that extraction lost: "a new[trade deal](u)" reads wrong
        if child.tag == "hi":
            mark = {"#b": "**", "#i": "*", "#t": "`"}.get(child.get("rend") or "", "")
            parts.append(_wrap(inner, mark))
        elif child.tag == "ref" and child.get("target", "").startswith(("http://", "https://", "mailto:")):
            parts.append(f"[{inner.strip()}]({child.get('target').replace(' ', '%20').replace(')', '%29')})" if inner.strip() else "")
        elif child.tag == "lb":
            parts.append(LINE_BREAK)
        elif child.tag not in ("graphic", "list"):
            parts.append(inner)
        tail = _escape_inline(child.tail or "")
        parts.append(" " + tail if marked and _spaced(tail[:1]) and _spaced(inner.strip()[-1:]) else tail)
    text = "".join(parts)
    return "  \n".join(" ".join(line.split()) for line in text.split(LINE_BREAK)).strip()


def _spaced(char: str) -> bool:
    """A letter or digit of a script that puts spaces between words: Chinese and Japanese do not, nor Korean before its particles."""
    return char.isalnum() and not cleanup.CJK_CHAR.match(char)


def _wrap(text: str, mark: str) -> str:
    # "** bold **" is not bold in Markdown: the marks must touch the words, so spaces move outside.
    if not mark or not text.strip():
        return text
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return f"{lead}{mark}{text.strip()}{mark}{trail}"


def _escape_inline(text: str) -> str:
    text = re.sub(r"([\\`*_\[\]])", r"\\\1", text)
    return re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)


# --- Options, tags and the path ---------------------------------------------------------------------
