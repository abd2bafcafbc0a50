"""Read a scraped plain-text article: headline, byline, caption, dateline and the paragraphs of the story."""
from __future__ import annotations

import itertools
import re
from datetime import timezone, tzinfo

from . import cleanup, names
from .article import Article
from .languages import SUMMARY_LABELS
from .byline import EXPIRES, PRINT_ISSUE, PUBLISHED, UPDATED, author_box, byline_names, foot_byline, head_end, is_prose, is_sentence, read_byline, stamp_only
from .stamps import find_stamp, join_times, unglue

CJK_CHARACTER = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
TITLE_SEARCH = 8  # the headline is among the first lines; above it stand only kickers, dates and captions


# A section's name set before the headline with a spaced colon, the headline holding a colon of its own:
# "Kultur : Ehrengast der Buchmesse: Was lesen die Philippinen?" (one colon alone may be the headline's, as French writes it).
SECTION_LABEL = re.compile(r"^[A-ZÀ-Þ][\w-]+ : (?=[^:]+:\s)")
# A topic or place set before the headline with a spaced hyphen, as German news sites title a story ("Corona-Pandemie - „Es
# kommt …“", "Premiere in Eisenhüttenstadt - DDR-Hotel …"): at most three words, and a headline of four or more after it
# that opens as a headline does (not "Wann sie sind - und wie das Wetter wird", one headline). A site's name goes at the end.
DASH_KICKER = re.compile(r"^[A-ZÀ-Þ][^\s:]*(?:\s+[^\s:]+){0,2} - (?=[„“\"'«A-ZÀ-Þ]\S*(?:\s+\S+){3})")
# Characters a browser never shows: soft hyphens, word joiners, a byte-order mark.
INVISIBLE = re.compile("[\u00ad\u2060\ufeff]")


def read_text(text: str, fallback: tzinfo, drop_lines: frozenset[str]) -> Article:
    """Title, byline, caption, dateline and paragraphs of a scraped plain-text article."""
    raw = [line.rstrip() for line in INVISIBLE.sub("", text).split("\n")]  # "Paläs\xadti\xadnenser" reads as "Palästinenser"
    lines = ["" if cleanup.is_junk(line, drop_lines) else cleanup.drop_hover_cards(line) for line in raw]
    lines = _join_name_links(_join_times(_without_cards(lines)))
    title_at, skipped = find_title(lines, fallback)
    if title_at is None:
        return Article(notes=("title: no line reads as a headline",))
    below = headline_below(lines, title_at, fallback)
    title_at, skipped = (below, skipped + 1) if below is not None else (title_at, skipped)
    before = range(0, title_at)  # a byline set above the headline stands above its first showing
    title_at = headline_again(lines, title_at, fallback) or title_at
    if title_at + 2 < len(lines) and lines[title_at + 1].strip() == ":":  # a headline in two parts, the colon on a line of its own
        lines[title_at], lines[title_at + 1], lines[title_at + 2] = f"{lines[title_at].rstrip()}:", lines[title_at + 2], ""
    shown = kicker_heading(lines, title_at)
    if shown is not None:
        lines[title_at + 1] = shown
        title_at += 1
    title = DASH_KICKER.sub("", SECTION_LABEL.sub("", title_case(" ".join(lines[title_at].split()))))
    if _headline_goes_on(lines, title_at, fallback):
        title, lines[title_at + 1] = f"{title} {' '.join(lines[title_at + 1].split())}", ""
        lines[title_at] = title
    end = head_end(lines, title_at + 1)
    byline = foot_byline(lines, title_at + 1, read_byline(lines, title_at + 1, end, fallback, before=before), fallback)
    caption, credit = _head_caption(lines, title_at + 1, end, byline.used)
    pictures = picture_captions(lines, title_at + 1, fallback, frozenset(i for i, line in enumerate(raw) if ENLARGE.fullmatch(line.strip())))
    story_last = max((i for i, line in enumerate(lines) if is_prose(line)), default=len(lines))
    # below the story: the page's promos; a standfirst over the byline ("By Ana Lima • 11/08/23") is no picture
    shown = [pair for pair, span in pictures.items() if span.start < story_last and not byline.used.intersection(span)]
    if shown and not (caption or credit):
        caption, credit = shown[0]
    furniture = frozenset(i for span in pictures.values() for i in span) | spec_lines(lines, title_at + 1, fallback) | _repeated(lines) \
        | summary_box(raw, title_at + 1)
    head_last = max(_head_last(lines, byline.used - {byline.foot}), title_at)
    head_last = max(head_last, share_bar(raw, head_last + 1, end) or -1, author_box_again(lines, head_last, byline))
    lead = lead_shown_twice(lines, title_at, head_last, fallback)
    furniture -= {lead}
    end = lead if lead is not None else story_start(lines, head_last + 1, fallback, furniture)
    lines = ["" if i in furniture else line for i, line in enumerate(lines)]
    rest = ["" if i in byline.used else line for i, line in enumerate(lines)][end: byline.foot if byline.foot and byline.foot > end else len(lines)]
    paragraphs, (picture_caption, picture_credit) = head_picture(clean_paragraphs(split_paragraphs(rest), title, byline.authors))
    if picture_credit and not (caption or credit):
        caption, credit = picture_caption, picture_credit
    kept = []
    for paragraph in paragraphs:
        found = cleanup.split_caption(paragraph)
        if found and found[1] and len(found[1]) < 120:
            if not (caption or credit):
                caption, credit = found
            continue  # later captions belonged to photos the text no longer has
        kept.append(paragraph)
    kept = _drop_signed_standfirst(kept, byline.authors)
    kept = cleanup.drop_lead_furniture(kept, str)
    body, agency = cleanup.strip_dateline(kept)
    notes = (f"title: line {title_at + 1}" + (f" (skipped {skipped} kicker or date line(s) above it)" if skipped else ""),) + byline.notes
    return Article(
        title=title, authors=byline.authors, date=byline.when, zone_written=byline.zone_written,
        paragraphs=tuple(escape_markdown(p) for p in body if p), caption=caption, credit=credit,
        source_name=agency, notes=notes,
    )


# A picture's source and photographer on a line under its caption: "Źródło: East News, fot: Ana Lima/Agency", "Source: X, photo: Y".
PICTURE_SOURCE = re.compile(r"^(?:źródło|source|quelle|fuente|fonte|bron|kilde|källa)\s*:\s*[^.]{1,80}?[,;|]\s*(?:fot|foto|photo|bild|zdj)\w*\.?\s*:", re.I)


def head_picture(paragraphs: list[str]) -> tuple[list[str], tuple[str, str]]:
    """The picture at the head of the story, its caption and its source line (among the first three paragraphs), taken out of
    the body; a short paragraph above them is a standfirst, as the picture stands between it and the story."""
    at = next((i for i in (1, 2) if len(paragraphs) > i + 1 and PICTURE_SOURCE.match(paragraphs[i])), None)
    if at is None:
        return paragraphs, ("", "")
    caption = paragraphs[at - 1] if len(paragraphs[at - 1].split()) <= 15 else ""
    above = paragraphs[: at - 1] if caption else paragraphs[:at]
    if len(above) == 1 and cleanup.short_sentences(above[0], sentences=3, words=60):
        above = []
    return [*above, *paragraphs[at + 1:]], (caption, paragraphs[at])


CREDIT_MARK = re.compile(r"[©/]|\b(?:courtesy|getty|images|photo|photos|image|credit|AP|AFP|Reuters|EPA|Shutterstock|Alamy|pool|handout|file)\b", re.I)


def _credit_line(line: str, marked: bool) -> bool:
    """A picture's credit on a line of its own: short, no sentence, a credit's marks ("/", ©, "Getty", "Courtesy"), or
    (where `marked` is False) a name or an institution in capitals ("Berkeley Earth")."""
    text = " ".join(line.split())
    words = text.split()
    if not 1 <= len(words) <= 8 or re.search(r"[.?!:;,]$", text) or "\t" in line:
        return False
    if CREDIT_MARK.search(text):
        return True
    return not marked and len(words) <= 4 and all(w[:1].isupper() for w in words)


# A picture's button to show it larger: the line under it is the picture's credit.
ENLARGE = re.compile(r"(?:click|tap)?\s*(?:to\s+)?(?:enlarge|expand)(?:\s+(?:image|photo|picture))?", re.I)


def picture_captions(lines: list[str], start: int, fallback: tzinfo, enlarge: frozenset[int] = frozenset()) -> dict[tuple[str, str], range]:
    """Photo captions a scrape keeps as text: a sentence with its credit on the line right under it, before a blank line
    ("Air pollution in Delhi remains unhealthy." / "Berkeley Earth"), or right above it after a blank line ("Courtesy
    Google" / "…"), or after an "enlarge" button (`enlarge`, the lines that held one: "click to enlarge" / "Ana Lima" /
    "…"). Paragraphs of the story stand between blank lines of their own. (caption, credit) -> lines taken."""
    found: dict[tuple[str, str], range] = {}
    blank = lambda i: i < 0 or i >= len(lines) or not lines[i].strip()
    for i in range(start, len(lines)):
        if blank(i) or not is_sentence(lines[i], fallback) or len(lines[i].split()) > 60:
            continue
        caption = " ".join(lines[i].split())
        if not blank(i + 1) and blank(i + 2) and _credit_line(lines[i + 1], marked=False):
            found.setdefault((caption, " ".join(lines[i + 1].split())), range(i, i + 2))
        elif blank(i + 1) and not blank(i - 1) and blank(i - 2) and i - 1 >= start and _credit_line(lines[i - 1], marked=i - 2 not in enlarge):
            found.setdefault((caption, " ".join(lines[i - 1].split())), range(i - 1, i + 1))
        else:
            above = next((j for j in range(i - 1, start - 1, -1) if not blank(j)), None)
            below = next((j for j in range(i + 1, len(lines)) if not blank(j)), None)
            if above is not None and IMAGE_FILE.search(lines[above].strip()):  # "cash and cards.jpg" / its caption / "(Ana Lima)"
                credit = PAREN_CREDIT.fullmatch(lines[below].strip()) if below is not None else None
                found.setdefault((caption, credit.group(1) if credit else ""), range(above, (below if credit else i) + 1))
    return found


# A picture's file name where the scrape kept its alt text ("skimming scheme seized cash and cards.jpg"), and a credit in
# brackets on a line of its own under the caption ("(Ana Lima/ana@example.com)").
IMAGE_FILE = re.compile(r"\S\.(?:jpe?g|png|gif|webp|avif)$", re.I)
PAREN_CREDIT = re.compile(r"\(([^()]{2,80})\)")


def _join_times(lines: list[str]) -> list[str]:
    """A bare time on the line under a date belongs to it; the line it leaves is blank, so numbering holds."""
    out = list(lines)
    for index in range(1, len(out)):
        if out[index].strip() and out[index - 1].strip() and join_times([out[index - 1].strip(), out[index].strip()]) != [out[index - 1].strip(), out[index].strip()]:
            out[index - 1], out[index] = f"{out[index - 1].strip()} {out[index].strip()}", ""
    return out


def _join_name_links(lines: list[str]) -> list[str]:
    """Authors a page links one by one come out a line each ("David Brand" / "and" / "Ramsey Khalifeh"): one line again.
    The lines it leaves are blank, so numbering holds."""
    out = list(lines)
    for index in range(1, len(out) - 1):
        joiner = out[index].strip()
        if joiner.casefold() not in ("and", "&", ",", *names.AND_WORDS) or not out[index - 1].strip() or not out[index + 1].strip():
            continue
        if names.split_names(out[index - 1]) and names.split_names(out[index + 1]) and len(out[index + 1].split()) <= 5:
            out[index - 1], out[index], out[index + 1] = f"{out[index - 1].strip()} {joiner} {out[index + 1].strip()}", "", ""
    return out


def _without_cards(lines: list[str]) -> list[str]:
    """Another story's card set into this one: its headline over a "Read article" button. Both go (a sentence over the
    button is the story's own: "… as we reported. Read more")."""
    lines = list(lines)
    for index, line in enumerate(lines):
        if READ_CARD.fullmatch(" ".join(line.split())):
            above = next((i for i in range(index - 1, -1, -1) if lines[i].strip()), None)
            if above is not None and not re.search(cleanup.SENTENCE_END, lines[above].strip()) and cleanup.word_count(lines[above]) <= 20:
                lines[above] = ""
            lines[index] = ""
    return lines


READ_CARD = re.compile(r"(?:read|view) (?:the )?(?:full )?(?:article|story|more)|weiterlesen|mehr lesen|leer más|lire la suite|leia mais", re.I)


def story_start(lines: list[str], start: int, fallback: tzinfo, furniture: frozenset[int] = frozenset()) -> int:
    """The first sentence after the byline (what stands between is furniture), backed up over hard-wrapped lines.
    A short sentence set apart from the next by two or more lines of furniture (captions, buttons, a box of facts) is a
    standfirst or a verdict; a table after a sentence is the story's own."""
    story = lambda i: i not in furniture and is_sentence(lines[i], fallback) and not _furniture_sentence(lines[i]) and not _pull_quote(lines, i)
    at = next((i for i in range(start, len(lines)) if lines[i].strip() and story(i)), None)
    if at is None:
        return start
    following = [i for i in range(at + 1, min(len(lines), at + 12)) if lines[i].strip()]
    between = weight = 0
    for i in following:
        if story(i) or "\t" in lines[i]:
            break
        between += 1
        weight += 2 if READING_TIME.match(" ".join(lines[i].split())) else 1  # "3 Min Lesezeit" ends the head: above it, a standfirst
    if weight >= 2 and len(lines[at].split()) < 30 and at + 1 < len(lines):
        rest = following[between - 1] + 1  # the story may start past the window, after a long table of contents
        later = story_start(lines, rest, fallback, furniture) if any(lines[i].strip() and story(i) for i in range(rest, len(lines))) else None
        if later is not None and later > at:
            return later  # a standfirst set apart from the story by a caption or buttons
    while at - 1 >= start and 40 <= len(lines[at - 1].strip()) <= 100 and not re.search(r"[.?!:”\"]$", lines[at - 1].strip()) and lines[at].strip()[:1].islower():
        at -= 1  # "…about the agreement and what" wraps into the sentence below it
    return at


def _pull_quote(lines: list[str], at: int) -> bool:
    """A quotation alone on its line with its speaker on the next, a few words and no full stop ("“We will not stop.”" /
    "Ana Lima, the party's leader"): a pull quote set beside the story, not a paragraph of it."""
    following = next((line for line in lines[at + 1: at + 3] if line.strip()), "")
    words = following.split()
    return _quoted(lines[at]) and 1 <= len(words) <= 8 and not re.search(r"[.?!:;。]$", following.strip()) and not _quoted(following)


def lead_shown_twice(lines: list[str], title_at: int, head_last: int, fallback: tzinfo) -> int | None:
    """The story's first sentence where the head shows it too, as a summary above the byline: its line below the byline,
    when it comes within the first few lines there (what stands before it, a caption or buttons, is furniture)."""
    shown = {" ".join(lines[i].split()) for i in range(title_at + 1, head_last + 1) if lines[i].strip()}
    after = [i for i in range(head_last + 1, len(lines)) if lines[i].strip()][:6]
    return next((i for i in after if is_sentence(lines[i], fallback) and " ".join(lines[i].split()) in shown), None)


BY_OPENS = re.compile(rf"^\s*(?:{names._BY})\s+[A-ZÀ-Þ]", re.I)


def author_box_again(lines: list[str], head_last: int, byline) -> int:
    """The last line of an author box that shows the byline again below a standfirst or a picture (its name, then its date
    as the head wrote it, within a few lines): the story starts under it. -1 where there is none."""
    key = lambda line: " ".join(line.split())
    dates = {key(lines[i]) for i in byline.used if i <= head_last and find_stamp(lines[i], timezone.utc)}
    for i in range(head_last + 1, min(len(lines), head_last + 25)):
        if key(lines[i]) in dates and any(a in lines[j] for a in byline.authors for j in range(max(head_last + 1, i - 5), i)):
            return i
    return -1


def _drop_signed_standfirst(paragraphs: list[str], authors: tuple[str, ...]) -> list[str]:
    """A first paragraph that ends with the byline ("… Bei der Premiere wurde das Hotel wieder lebendig. Von Eva Lind") is the
    standfirst the page sets the byline under: the story starts below it."""
    if len(paragraphs) < 2 or not authors:
        return paragraphs
    signed = re.search(rf"[.?!…]\s+(?:{names._BY})\s+(?P<names>[^.?!]+)$", paragraphs[0], re.I)
    return paragraphs[1:] if signed and any(a in signed.group("names") for a in authors) else paragraphs


def _head_last(lines: list[str], used: set[int]) -> int:
    """The last line of the head: byline lines read below a paragraph of the story ("Un texte de Ana Lima" under the lead)
    are the story's credit, and the story still starts above them."""
    ordered = sorted(used)
    if not ordered:
        return -1
    for here, following in zip(ordered, ordered[1:]):
        if any(is_prose(line) for line in lines[here + 1: following]) and not BY_OPENS.match(lines[following]):
            return here  # (a byline that opens with its "By" heads the story: the paragraph above it is a standfirst)
    return ordered[-1]


def _repeated(lines: list[str]) -> frozenset[int]:
    """Lines a page shows twice (a gallery's captions, a share bar): a story does not repeat its sentences."""
    seen: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if len(line.split()) > 3:
            seen.setdefault(" ".join(line.split()), []).append(i)
    twice = {i for found in seen.values() if len(found) > 1 for i in found}
    # A caption shown with its credit and buttons and again alone ("… in 2015. Chuck Burton/AP hide caption" / "… in 2015."):
    # a sentence that opens a longer line, which adds a few words after it.
    sentences = {text: found for text, found in seen.items() if len(text.split()) >= 6 and re.search(cleanup.SENTENCE_END, text)}
    for text, found in seen.items():
        for end in re.finditer(r"[.?!][”\"’']?(?= )", text):  # each sentence the line opens with, looked up: linear, not lines²
            where = sentences.get(text[: end.end()])
            if where and len(text.split()) - len(text[: end.end()].split()) <= 8:
                twice |= set(found) | set(where)
    return frozenset(twice)


SHARE_BUTTON = re.compile(r"share|tweet|e-?mail|facebook|twitter|linkedin|whatsapp|reddit|pinterest|print|copy")


def share_bar(lines: list[str], start: int, end: int) -> int | None:
    """The last line of a bar of three or more share buttons in a row ("Email" / "Twitter" / "Facebook") below the byline and
    within the head: what stands above it (an author's notes, a box of the publisher's partners) is the head's, not the story."""
    run = 0
    for i in range(start, min(end, len(lines))):
        key = cleanup.junk_key(lines[i])
        run = run + 1 if key in cleanup.JUNK_LINES and SHARE_BUTTON.search(key) else 0
        if run >= 3 and not (i + 1 < len(lines) and SHARE_BUTTON.search(cleanup.junk_key(lines[i + 1])) and cleanup.junk_key(lines[i + 1]) in cleanup.JUNK_LINES):
            return i
    return None


def summary_box(lines: list[str], start: int) -> frozenset[int]:
    """A box of the story's points under its label ("Key points", "Kort fortalt", "Das Wichtigste in Kürze"), up to the first
    blank line: a summary set above the story, not its paragraphs."""
    found: set[int] = set()
    for i in range(start, len(lines)):
        if cleanup.junk_key(lines[i]) in SUMMARY_LABELS:
            block = range(i, next((j for j in range(i + 1, len(lines)) if not lines[j].strip()), len(lines)))
            found |= set(block) if len(block) <= 12 else set()
    return frozenset(found)


def spec_lines(lines: list[str], start: int, fallback: tzinfo) -> frozenset[int]:
    """A box of facts ("Developer Paintbucket Games" / "Expect to pay $15" / "Multiplayer? No"): three or more lines in a row,
    most of them short labels with their values, not sentences nor table rows."""
    found: set[int] = set()
    block: list[int] = []
    for i in range(start, len(lines) + 1):
        if i < len(lines) and lines[i].strip():
            block.append(i)
            continue
        short = [j for j in block if len(lines[j].split()) <= 8 and not is_sentence(lines[j], fallback) and "\t" not in lines[j]]
        if len(block) >= 3 and len(short) * 3 >= len(block) * 2 and not any("\t" in lines[j] for j in block):
            found |= set(block)
        block = []
    return frozenset(found)


def _furniture_sentence(line: str) -> bool:
    """A sentence that is not the story: a promo, a gallery caption ("1of4…"), a caption with its credit, credits between slashes."""
    found = cleanup.split_caption(" ".join(line.split()))
    parts = re.split(r"\s/\s", " ".join(line.split()))  # "Ana Lima / J. Roth / LRT nuotr.": a picture's subject and credits
    slashed = len(parts) >= 3 and all(1 <= len(part.split()) <= 4 for part in parts)
    return cleanup.is_promo(line) or bool(re.match(r"^\s*\d+\s*of\s*\d+", line)) or bool(found and found[1] and len(found[1]) < 120) or slashed


def find_title(lines: list[str], fallback: tzinfo) -> tuple[int | None, int]:
    """The headline: the first line of a few words that is not a kicker, date, caption, byline, address or label."""
    skipped = 0
    bio = None  # the line about the author under an author box's name, above the headline
    teaser: set[int] = set()  # a teaser's title shown again under its picture's link
    for index, line in enumerate(lines):
        if not line.strip() or index == bio or index in teaser:
            continue
        if skipped >= TITLE_SEARCH:
            break
        following = next((other for other in lines[index + 1:] if other.strip()), "")
        if author_box(line, following):
            bio, skipped = lines.index(following, index + 1), skipped + 2
            continue
        repeated = _breadcrumb(line, lines, index)
        repeated = repeated if repeated is not None else _ticker(line, lines, index)
        if repeated is not None:
            return repeated, skipped + 1
        if _link_shown_twice(lines, index, fallback):
            again = [i for i in range(index + 1, len(lines)) if lines[i].strip()]
            teaser |= set(itertools.takewhile(lambda i: " ".join(lines[i].split()) == " ".join(line.split()), again))
            skipped += 1  # another story's picture link and title link ("X" / "X"), with the headline under them
            continue
        if _caps_headline(line, following, fallback):
            return index, skipped
        if _attribution(line) or _quoted(line) and _attribution(following):
            skipped += 1  # a fact check's claim ("“$53 million a week…”" / "— David McKinley on …"): the headline is below
            continue
        after = [other for other in lines[lines.index(following, index + 1) + 1:] if other.strip()][:3] if following else []
        if _above_title(line, fallback) and not (len(line.split()) < 4 and (_lede(following, fallback) or names.PREFIX.match(following)) and not line.rstrip().endswith(":")
                                                 and not stamp_only(line, fallback) and not names.PREFIX.match(line)
                                                 and not (_lede(following, fallback) and any(names.PREFIX.match(a) for a in after))):
            # a kicker over a headline that ends in a full stop, the byline close under it (a standfirst, a caption between)
            skipped += 1
            continue
        return index, skipped
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    return first, 0


def headline_below(lines: list[str], at: int, fallback: tzinfo) -> int | None:
    """The headline where the first line of a few words is a menu, a slogan or a caption above it ("Essays Magazine Brexit Empire",
    "SmartNews Keeping you current"): a longer line just below, with the byline or date further down. Taken only on evidence:
    a kicker between the two lines, or a standfirst or caption between the lower line and the byline (a standfirst right
    above the byline may be the line under a short headline)."""
    first = " ".join(lines[at].split())
    glued = re.search(r"[a-zß-ÿ]{3}[A-ZÀ-Þ][a-zß-ÿ]{2}", first)  # two kickers run together: "Märkte am AbendIndex gibt leicht nach"
    if len(first.split()) > (12 if glued else 5) or re.search(r"[.?!:]$", first):
        return None
    following = [i for i in range(at + 1, min(len(lines), at + 40)) if lines[i].strip()]
    kickers = 0
    while kickers < len(following) and kickers < 2 and len(lines[following[kickers]].split()) < 4 and not re.search(r"[.?!]$", lines[following[kickers]].strip()):
        kickers += 1  # "Life", "PointCloud": a section's name stands above the headline, never under it
    if kickers >= len(following):
        return None
    candidate = following[kickers]
    text = " ".join(lines[candidate].split())
    if not 4 <= len(text.split()) <= 14 or len(text.split()) < len(first.split()) + 2 and not glued or text.endswith(".") or _above_title(text, fallback):
        return None
    between = 0
    for position, i in enumerate(following[kickers + 1:]):
        line = unglue(lines[i])
        if names.PREFIX.match(line) and len(line.split()) <= 16 or stamp_only(line, fallback) or byline_names(line, fallback) or names.split_names(line):
            return candidate if kickers or between else None
        if is_prose(line) and position and not cleanup.split_caption(" ".join(line.split())):
            return None  # the story has started: no byline under this line
        between += 1
    return None


CAPS_KICKER = re.compile(r"^(?:[A-ZÀ-Þ0-9][A-ZÀ-Þ0-9&'’.-]+\s+){2,}(?=[A-ZÀ-Þ][a-zß-ÿ])")


def kicker_heading(lines: list[str], at: int) -> str | None:
    """The shown heading right under a page's title line, its kicker set before the headline: the same words without the
    title's colon ("Die Eisheiligen 2024: Wann sie sind" / "Die Eisheiligen 2024 Wann sie sind"), or a kicker in capitals
    ("EUROPEAN PAYMENTS INITIATIVE Statt Paypal & Co.: So könnte …"). The headline, without its kicker; None if no such line."""
    if at + 1 >= len(lines) or not lines[at + 1].strip():
        return None
    title, below = " ".join(lines[at].split()), " ".join(lines[at + 1].split())
    kicker, colon, headline = title.partition(": ")
    if colon and len(headline.split()) >= 3 and below == f"{kicker} {headline}":
        return headline
    caps = CAPS_KICKER.match(below)
    rest = below[caps.end():] if caps else ""
    if caps and not title.isupper() and 4 <= len(rest.split()) <= 20 and not re.search(r"[.!]$", rest):
        return rest
    return None


def headline_again(lines: list[str], at: int, fallback: tzinfo) -> int | None:
    """The headline shown again below, with only menus and lists between (no date, no prose, no "By"): the first is a title
    bar, and the story's head, its byline, stands under the second."""
    key = " ".join(lines[at].split()).casefold()
    head, bar, tail = key.rpartition(" | ")
    keys = {key, head} if bar and len(head.split()) >= 3 and len(tail.split()) <= 4 else {key}  # "<headline> | wdr aktuell": a video's or site's tail
    for i in range(at + 1, min(len(lines), at + 60)):
        text = " ".join(lines[i].split())
        if text.casefold() in keys:
            return i
        if text and (find_stamp(unglue(text), fallback) and not EXPIRES.search(text) or is_sentence(text, fallback) or names.PREFIX.match(text) or names.LABEL_LINE.match(text)):
            return None
    return None


def _quoted(line: str) -> bool:
    return bool(re.fullmatch(r"\s*[“\"‘'„«].+[”\"’'“»][.?!]?\s*", line))


def _attribution(line: str) -> bool:
    """A quotation's attribution on a line of its own: "— David McKinley on Sunday, October 13th, 2019 in …"."""
    return bool(re.match(r"\s*[—–]\s*[A-ZÀ-Þ]", line))


def _breadcrumb(line: str, lines: list[str], at: int) -> int | None:
    """A breadcrumb whose last step is the headline, shown again a few lines below ("Home Climate <headline>"): that line."""
    text = " ".join(line.split())
    later = [i for i in range(at + 1, len(lines)) if lines[i].strip()][:4]
    for i in later:
        other = " ".join(lines[i].split())
        before = text[: len(text) - len(other)]
        if len(other.split()) >= 3 and before and text.casefold().endswith(other.casefold()) and (before[-1] == " " or before[-1].islower() and other[0].isupper()):
            return i  # "Home Climate <headline>", or glued: "HomeLatest News<headline>"
    return None


def _ticker(line: str, lines: list[str], at: int) -> int | None:
    """A ticker of headlines run together that opens with the story's own, shown alone a few lines below
    ("法国全国大罢工再次严重影响交通未成年人网游…" / … / "法国全国大罢工再次严重影响交通"): that line."""
    text = " ".join(line.split())
    for i in [i for i in range(at + 1, len(lines)) if lines[i].strip()][:TITLE_SEARCH]:
        other = " ".join(lines[i].split())
        if len(other) >= 8 and len(text) > len(other) + 4 and text.startswith(other) and not re.search(cleanup.SENTENCE_END, other):
            return i
    return None


def _link_shown_twice(lines: list[str], at: int, fallback: tzinfo) -> bool:
    """A line said twice in a row and then another line of a headline's shape: a teaser's two links (its picture's and its
    title's), above the story's own headline. (A headline shown twice has its standfirst or byline under it, not a headline.)"""
    later = [" ".join(lines[i].split()) for i in range(at + 1, len(lines)) if lines[i].strip()][:3]
    text = " ".join(lines[at].split())
    if len(later) < 3 or later[0] != text:
        return False
    if later[1] == text:
        return _link_shown_twice(lines, at + 1, fallback)
    return 4 <= len(later[1].split()) <= 20 and not re.search(r"[.:]$", later[1]) and not _above_title(later[1], fallback) \
        and not names.PREFIX.match(later[1])


def _lede(line: str, fallback: tzinfo) -> bool:
    """A standfirst or the story's first sentence: it states (a headline may ask or exclaim)."""
    return is_sentence(line, fallback) and (len(line.split()) >= 25 or re.search(r"\.[”\"’']?$", line.strip()) is not None)


def _headline_goes_on(lines: list[str], at: int, fallback: tzinfo) -> bool:
    """A headline set on two lines, the first ending in a colon ("Dance in the old depot:" / "Washed in every water")."""
    if not lines[at].rstrip().endswith(":") or at + 1 >= len(lines) or not lines[at + 1].strip():
        return False
    rest = " ".join(lines[at + 1].split())
    return len(rest.split()) <= 15 and not re.search(r"[.:]$", rest) and not _above_title(rest, fallback) and not re.match(r"^\W*by\b", rest, re.I)


def _caps_headline(line: str, following: str, fallback: tzinfo) -> bool:
    """A headline set in capitals ("THROUGH THE DARKEST OF TIMES REVIEW"): four words or more, with a standfirst or byline
    under it. A kicker in capitals is shorter, or has the headline itself under it."""
    text = " ".join(line.split())
    if not text.isupper() or len(text.split()) < 4 or re.search(r"[|>›»]", text) or find_stamp(unglue(text), fallback):
        return False  # "CONSERVATISM MAY 16, 2020" is a kicker and a date
    below = " ".join(following.split())
    standfirst = is_sentence(below, fallback) and re.search(r"\.[”\"’']?$", below)  # a headline under it may ask, not state
    return bool(standfirst or re.match(r"^\W*by\b", below, re.I) or find_stamp(unglue(below), fallback))


def title_case(title: str) -> str:
    """A headline written in capitals, in the capitals of a headline: "Through the Darkest of Times Review"."""
    if not title.isupper() or len(re.findall(r"[A-ZÀ-Þ]", title)) * 2 < len(re.findall(r"[^\W\d_]", title)):
        return title  # (a headline in a script without capitals is not in capitals for a few Latin letters: "DJ 고향에서")
    small = {"a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "but", "by", "with", "from", "as", "vs"}
    words = title.lower().split()
    return " ".join(w if i and w in small else w[:1].upper() + w[1:] for i, w in enumerate(words))


# A reading time set above the headline: "Tiempo de lectura: 6 min", "Lesezeit: 4 Minuten", "5 min read".
READING_TIME = re.compile(r"^\W*(?:(?:[^\W\d]+\s+){0,2}(?:lectura|lecture|leitura|lesezeit|reading time|read time|leestijd|lesetid|lästid)\s*:?\s*"
                          r"\d+\s*(?:min|mins|minutes?|minuten|minutos|minuti)\b\.?|\d+\s*(?:min|mins|minutes?|minuten|minutos)\b\.?\s+"
                          r"(?:read|de lectura|de lecture|de leitura|lesezeit|lesetid)\b)\W*$", re.I)


def _above_title(line: str, fallback: tzinfo) -> bool:
    text = " ".join(line.split())
    words = text.split()
    if READING_TIME.match(text) or PRINT_ISSUE.match(text) or cleanup.NOTICE.search(text):
        return True  # (an archive's notice: "This article is more than 1 year old")
    if re.match(r"https?://|www\.", text) or len(words) < 4 and len(CJK_CHARACTER.findall(text)) < 8 and not re.search(r"[.?!]$", text):
        return True  # an address, or a kicker such as "Politics", "Tech" or "公司" (Chinese and Japanese write no spaces)
    if text.isupper() and len(words) > 15 or re.search(r"\s[|›»>]$", text):
        return True  # a section's name and motto in capitals (longer than a headline in capitals), or a section's name and its bar
    buttons = [w for w in words if SHARE_BUTTON.match(w.lower())]
    if len(buttons) >= 3 and len(buttons) >= len(words) - 2:
        return True  # "Share on Facebook654 Tweet Email Email Print": a share bar above the headline
    if len(re.findall(r"\S\s{3,}(?=\S)", line)) >= 2 and len(words) <= 8 and not re.search(r"[.?!]$", text):
        return True  # a breadcrumb whose steps the scrape set apart with wide gaps ("हिंदी न्यूज़    समाचार     देश")
    if len(re.findall(r"\s[»›>]\s", text)) >= 2:
        return True  # a breadcrumb whose last step may repeat the headline: "Home » Politics » The headline" (not «quotes»)
    if re.match(r"Home\b", text) and len(words) <= 12 and all(w[:1].isupper() or not w[:1].isalpha() for w in words) and not re.search(r"[.?!]$", text):
        return True  # a breadcrumb: "Home Reviews Strategy Through The Darkest Of Times"
    if cleanup.KICKER.fullmatch(text) and (text.isupper() or "|" in text or ">" in text or " / " in text or text.lower().startswith("filed under")):
        return True
    stamp = find_stamp(unglue(text), fallback)
    if stamp and EXPIRES.search(text):
        return True  # "02:57 Min.. Verfügbar bis 06.05.2024.": a video's length and the day it goes offline
    if stamp and sum(end - begin for begin, end in stamp.spans) >= len(text) * 0.5 or stamp_only(text, fallback):
        return True  # "Wednesday 20 November 2019 9:22 am", "08.03.2016 | 15:30 Uhr 08.03.2016 um 15:30 Uhr"
    if byline_names(text, fallback):
        return True  # "Von Moritz Bachmann publiziert am 25. September 2018": a byline set above the headline
    if stamp and (PUBLISHED.match(text) or UPDATED.match(text)):
        return True  # "Last Updated : Nov 20, 2019 01:41 PM IST | Source: Moneycontrol.com": a stamp with its label and more
    found = cleanup.split_caption(text)
    if re.search(r"\((?:[^()]*/[^()]*|[^()]*©[^()]*)\)$", text):
        return True  # "Titan in false colour, 2004. (NASA/JPL/Space Science Institute)": a caption and its credit
    if found and found[1] and cleanup.CREDIT_LABEL.search(text[len(found[0]):].strip(" (")):
        return True  # "Amazon delivery vans. (Photo: Twitter)": a labelled credit, however short the caption
    return bool(found and found[1] and len(words) > 6)


def _head_caption(lines: list[str], start: int, end: int, byline: frozenset[int] | set[int] = frozenset()) -> tuple[str, str]:
    for index, line in enumerate(lines[start:end], start):
        found = cleanup.split_caption(" ".join(line.split())) if line.strip() and index not in byline else None  # "By Ana Lima | … | Topic: X" is no caption
        if found and found[0] and found[1] and len(found[1]) < 120:
            return found
    return "", ""


def split_paragraphs(lines: list[str]) -> list[str]:
    """Blank lines separate paragraphs; inside a block, hard-wrapped lines are joined and others stay apart."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(" ".join(line.split()))
        elif blocks[-1]:
            blocks.append([])
    paragraphs = []
    for block in blocks:
        # Lines of similar, editor-like width ending mid-sentence were wrapped; anything else is one paragraph a line.
        wrapped = len(block) > 1 and all(
            40 <= len(line) <= 100 and not line.endswith((".", "?", "!", "”", '"', ":")) and following[:1].islower()
            for line, following in zip(block, block[1:])
        )
        paragraphs.extend([" ".join(block)] if wrapped else block)
    return paragraphs


def clean_paragraphs(paragraphs: list[str], title: str, authors: tuple[str, ...]) -> list[str]:
    """Drop the furniture a scrape keeps inside the story: promos, repeated lines and headline, bylines, tails."""
    kept, said = [], set()  # what the kept paragraphs say (cleanup.said_key), to find one said again in other marks
    paragraphs = cleanup.drop_series_box(cleanup.before_paywall(paragraphs, lambda p: p), cleanup.plain)
    for index, paragraph in enumerate(paragraphs):
        words = cleanup.word_count(paragraph)
        if cleanup.is_promo(paragraph) or cleanup.is_prompt(paragraph) or paragraph.casefold() == title.casefold():
            continue
        if paragraph in paragraphs[max(0, index - 8): index] + paragraphs[index + 1: index + 9] and words < 60 or paragraph in kept:
            continue  # a caption shown twice in a row, or a share bar: a story does not repeat its sentences
        if words >= 4 and cleanup.said_key(paragraph) in said:
            continue  # nor says them again in other quotes or marks: a pull quote, a headline listed twice
        if words <= 6 and (any(name.casefold() in paragraph.casefold() for name in authors) or re.match(r"^(?:by|posted by)\s", paragraph, re.I)):
            continue
        if _short_furniture(paragraph) or _timestamp(paragraph) or re.search(r"\S+@\S+\.\w+", paragraph) and words <= 8 or re.match(r"^\d+\s*of\s*\d+", paragraph):
            continue
        kept.append(paragraph)
        said.add(cleanup.said_key(paragraph))
    kept = _drop_menus(kept)
    return cleanup.drop_headline_tail(cleanup.trim_promo_tail(cleanup.cut_tail(kept, lambda p: p), lambda p: p))


def _timestamp(paragraph: str) -> bool:
    """"Published 11:34 PM EST Nov 19, 2019", "Updated at 1:23 p.m.": a stamp on its own line."""
    if re.match(r"^\W*(?:published|updated|posted|last updated|modified)\b", paragraph, re.I) and len(paragraph.split()) <= 10:
        return True
    stamp = find_stamp(unglue(paragraph), timezone.utc)
    return bool(stamp and len(paragraph.split()) <= 8 and sum(e - b for b, e in stamp.spans) >= len(paragraph) * 0.4)


def _drop_menus(paragraphs: list[str]) -> list[str]:
    """Three or more short unpunctuated lines in a row are a menu or a list of tags, not the story."""
    short = [cleanup.word_count(p) <= 4 and not re.search(r"[.?!:;”\")。！？]$", p) for p in paragraphs]
    kept = []
    for index, paragraph in enumerate(paragraphs):
        run_start = index
        while run_start > 0 and short[run_start - 1]:
            run_start -= 1
        run_end = index
        while run_end + 1 < len(paragraphs) and short[run_end + 1]:
            run_end += 1
        if short[index] and run_end - run_start >= 2:
            continue
        kept.append(paragraph)
    return kept


def _short_furniture(paragraph: str) -> bool:
    """A short line that is not a sentence or a subheading: a counter, a label, a lone word from a button."""
    words = cleanup.word_count(paragraph)
    if words <= 3 and re.fullmatch(r"[“\"‘'][^.?!,;:]+[”\"’']", paragraph.strip()):
        return True  # a title in quotes on its own line ("“Wild Rose”"): a picture's label, not a quotation
    if words > 6 or re.search(r"[.?!:;”\"’)。！？]$", paragraph):
        return False
    if words <= 2:
        return True
    return bool(re.search(r"\b(?:share|tweet|email|print|comments?|subscribe|follow|sign (?:up|in)|newsletter|advert\w*|video|photos?|gallery|credit|getty|images?|click|read more|view (?:all|more)|more (?:videos|stories))\b", paragraph, re.I))


def escape_markdown(text: str) -> str:
    # Scraped prose is not Markdown: keep stray marks and tags from turning into formatting or HTML.
    text = re.sub(r"([\\`*_\[\]])", r"\\\1", text)
    text = re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)
    text = re.sub(r"^(\d+)([.)] )", r"\1\\\2", text)
    return re.sub(r"^([#>]|[-+] )", r"\\\1", text)
