"""Find the byline in the head of an article's lines (or at its foot): who wrote it and when, which lines that used, and why."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone, tzinfo

from . import names
from .languages import EDITOR_LABELS, FILLER as SMALL_WORDS, MONTH_FIRST_PATTERN, MONTH_PATTERN, PUBLISHED_WORDS, UPDATED_WORDS, WEEKDAYS, WRITER_LABELS
from . import cleanup
from .cleanup import junk_key, split_caption, word_count
from .stamps import Stamp, find_stamp, order_guessed, unglue

HEAD_LINES = 40  # a byline stands among the first lines after the title, before the story starts
LABEL = re.compile(rf"(?=\b(?:{PUBLISHED_WORDS}|{UPDATED_WORDS})\b)", re.I)
UPDATED = re.compile(rf"^\W*(?:{UPDATED_WORDS})\b", re.I)
YEARLESS = re.compile(rf"\s(?:{MONTH_FIRST_PATTERN})\.?\s+\d{{1,2}}\b|\s\d{{1,2}}:\d\d\b|\s\d{{1,2}}\.?\s+(?:{MONTH_PATTERN})\b", re.I)
PUBLISHED = re.compile(rf"^\W*(?:{PUBLISHED_WORDS})\b", re.I)
LABEL_ALONE = re.compile(rf"\W*(?:{PUBLISHED_WORDS}|{UPDATED_WORDS})(?:\s+(?:on|am|le|el|em|il))?\W*", re.I)
# The print issue a story ran in, and its page: "Aus: Ausgabe vom 26.04.2024, Seite 1 / Titel", "From the print edition of 3 May 2024".
# The label of the day a page or its video goes offline: "Verfügbar bis 06.05.2024", "Available until 3 May 2025".
EXPIRES = re.compile(r"\b(?:verfügbar|abrufbar|online|available|disponible|disponibile|beschikbaar)\s+(?:bis|until|till|through|"
                     r"jusqu['’]au|hasta el|hasta|fino al|tot)\b|\bexpir(?:es|y|ation)\b", re.I)
PRINT_ISSUE = re.compile(r"^\W*(?:aus:\s*)?(?:ausgabe vom|from the print edition(?: of)?|print edition:?|édition du|edición del?)\s+(?=\d)", re.I)


@dataclass(frozen=True)
class Byline:
    authors: tuple[str, ...] = ()
    when: datetime | date | None = None
    zone_written: bool = False
    used: frozenset[int] = frozenset()  # indexes of the lines that held the byline and its stamps
    notes: tuple[str, ...] = ()
    foot: int | None = None  # the line of a byline or date found at the story's foot: the story ends above it


def is_prose(line: str) -> bool:
    """A line of the story itself: a sentence of some length, not a label, a caption credit or a headline."""
    return word_count(line) >= 25


def is_sentence(line: str, fallback: tzinfo) -> bool:
    """A line the story could start with: words ending in a full stop (or long), not a stamp, byline or credit."""
    text = " ".join(line.split())
    if len(text.split()) >= 25:
        return True
    if len(text.split()) < 4 or not re.search(cleanup.SENTENCE_END, text) or _byline_words(text):
        return False
    stamp = find_stamp(unglue(text), fallback)
    return not (stamp and _leftover_words(text, stamp) <= 3)


STORY_WORDS = 100


def head_end(lines: list[str], start: int) -> int:
    """Where the byline search stops: the first long line of prose after `start`, or the end of the head window."""
    seen = prose = 0
    for index in range(start, len(lines)):
        if not lines[index].strip():
            continue
        seen += 1
        if is_prose(lines[index]) and not _byline_words(lines[index]) and not _caption(lines[index]):
            prose += 1  # a standfirst or a long caption may stand above the byline: the third long line is the story
            if prose == 3 or len(lines[index].split()) >= STORY_WORDS:  # (none is a hundred words long: that is the story)
                return index
        if seen > HEAD_LINES:
            return index
    return len(lines)


def author_box(line: str, following: str) -> bool:
    """An author's box: a name (and role) with a line about that name under it ("Ana Lima, Editor" / "Ana Lima is Editor at …")."""
    found = names.split_names(" ".join(line.split())) if len(line.split()) <= 8 else ()
    return len(found) == 1 and " ".join(following.split()).startswith(found[0] + " ") and len(following.split()) > len(line.split())


def _caption(line: str) -> bool:
    found = split_caption(" ".join(line.split()))
    return bool(found and found[1])


def _byline_words(line: str) -> bool:
    return bool(names.PREFIX.match(line)) and len(line.split()) < 30


def read_byline(lines: list[str], start: int, end: int, fallback: tzinfo, before: range = range(0)) -> Byline:
    """Authors and date from lines[start:end] (and the lines `before` the title): the best-evidenced name, the publication stamp."""
    indexes = [i for i in [*before, *range(start, end)] if lines[i].strip()]
    stamps: list[tuple[int, int, Stamp]] = []  # (preference, line, stamp)
    candidates: list[tuple[int, int, tuple[str, ...], str]] = []  # (score, line, names, why)
    headline = " ".join(lines[start - 1].split()).casefold() if start else ""
    first_after = next((i for i in indexes if i >= start), -1)
    unread = False  # a byline whose name is no name we read ("by admin", "by" over a user name)
    guessed: set[int] = set()  # the stamps whose day and month could be either way round ("01.07.19")
    for position, index in enumerate(indexes):
        line = unglue(lines[index])
        for segment in LABEL.split(line) or [line]:
            stamp = find_stamp(segment, fallback)
            if stamp and EXPIRES.search(segment[: stamp.spans[0][0]]):
                continue  # "Verfügbar bis 06.05.2024": the day a video goes offline, not the day the story came out
            if stamp and (_leftover_words(segment, stamp) <= 3 or PRINT_ISSUE.match(segment)):
                preference = 0 if PUBLISHED.match(segment) or PRINT_ISSUE.match(segment) else 2 if UPDATED.match(segment) else 1
                label = unglue(lines[indexes[position - 1]]) if position and preference == 1 else ""
                if LABEL_ALONE.fullmatch(label):  # "Updated:" / "Mar 6, 2018" / "Original:" / "Dec 21, 2016": the label on the line above
                    preference = 0 if PUBLISHED.match(label) else 2
                stamps.append((preference, index, stamp))
                guessed |= {id(stamp)} if order_guessed(segment, stamp) else set()
        found, why = _names_in(line, fallback) if not headline or headline not in " ".join(line.split()).casefold() else ((), "")
        if not found and (index == first_after or names.BRACKET_BYLINE.match(line) or names.chinese_byline(line)[0]):
            found, why = _east_asian_byline(line, [unglue(lines[i]) for i in indexes[max(0, position - 1): position + 2] if i != index], fallback)
        if not found:  # (a line that repeats the headline is a breadcrumb or a share text, never the byline)
            unread = unread or (bool(BY_AFTER.search(line) or names.LABEL_LINE.match(line)) and len(line.split()) <= 12
                                and not CREDIT_LINE.match(line) and not _caption(line))  # not "Por su parte Gazprom…", a sentence
            continue
        above_headline = position + 1 < len(indexes) and headline and " ".join(lines[indexes[position + 1]].split()).casefold() == headline
        dated = find_stamp(line, fallback) or position and _stamp_line(unglue(lines[indexes[position - 1]]), fallback)
        if above_headline and not dated and not names.PREFIX.match(line):
            continue  # a section's name right above the headline shown again ("Middle East"): a kicker
        if position and _place_under_name(line, found, unglue(lines[indexes[position - 1]]), fallback):
            continue  # "Ana Lima" / "Santo Domingo - abr. 22, 2022 | 12:01 a. m.": where she writes from, then the date
        label = _label_under(lines, indexes, position)
        if label in EDITOR_LABELS:
            continue  # "Yoga Sukmana" / "Editor": the editor is named beside the writer, and is not the author
        score = 3 if names.PREFIX.match(line) or re.search(r"\bby\s", line, re.I) or why in ("byline", "dateline") else 0  # "| Par Ana Lima": a "by" word after a bar
        score += 2 if find_stamp(line, fallback) else 0
        neighbours = [unglue(lines[i]) for i in indexes[max(0, position - 1): position + 2] if i != index]
        if any(_stamp_line(n, fallback) or names.PREFIX.fullmatch(n.strip() + " ") or names._role(n) or names.is_agency(n) or WRITES_FROM.match(n)
               or _yearless_stamp(n) for n in neighbours):
            score += 1
        elif position + 2 < len(indexes) and len(lines[indexes[position + 1]].split()) <= 4 and not re.search(r"\d", lines[indexes[position + 1]]) \
                and _stamp_line(unglue(lines[indexes[position + 2]]), fallback):
            score += 1  # "Ana Lima" / "Sevilla, Los Gallardos" / "10/07/2026 00:50": the place the reporter writes from between name and date
        if re.fullmatch(r"\W*(?:[A-ZÀ-Þ][\w.'’-]*\s+){1,3}[A-ZÀ-Þ][\w'’-]*,?\s+@\w+\s*", line):
            score += 1  # "Nishant Kumar @Nishantopines": a name with its handle beside it signs the story
        if names.role_first(re.sub("|".join(map(re.escape, found)), " ", line).strip(" ,|·-–")):
            score += 2  # "Ana Lima Contributor", "Ana Lima, Staff Writer (Harbour Business Journal)": a name with its job beside it signs the story
        if AUTHOR_LINK.search(line):
            score += 2  # the name links to the author's page ("Jose Altoveros View More Articles")
        if position and (names.LABEL_LINE.match(unglue(lines[indexes[position - 1]])) or names.AUTHOR_LABEL.match(lines[indexes[position - 1]])):
            score += 2  # "Article by" or "Authors" on the line above
        if any(unglue(lines[i]) == line for i in indexes if i != index):
            score += 1  # a name repeated (picture and text of an author box)
        if index == first_after and len(re.findall(r"[^\W\d_]{2,}", line)) <= sum(len(n.split()) for n in found):
            score += 1  # a line of names alone, right under the headline
        if label in WRITER_LABELS or position + 1 < len(indexes) and author_box(line, lines[indexes[position + 1]]):
            score += 3  # "Ana Lima" / "Penulis", or a line about Ana Lima under her name: the credit says who wrote it
        if score:
            candidates.append((score, index, found, why))
    if unread:
        candidates = [c for c in candidates if c[0] >= 2 or c[3] == "byline"]  # the author is where the byline says, not a name nearby
    if not stamps:
        stamps = [(3, index, stamp) for index in indexes if (stamp := _dateline(lines[index], fallback))][:1]
    notes = []
    authors: tuple[str, ...] = ()
    used: set[int] = set()
    if candidates:
        # on equal evidence, a name under the headline over one above it (a section's or a blog's name: "Fact Checks")
        score, index, authors, why = max(candidates, key=lambda c: (c[0], c[1] >= start, -c[1]))
        used |= set() if why == "dateline" else {index}  # a dateline naming the reporter opens the story, and stays in it
        authors, more = _whole_byline(lines, index, start, end, authors)
        bio = next((i for i in indexes if i > index), None)
        used |= more | ({bio} if bio is not None and author_box(lines[index], lines[bio]) else set())  # the box's line about the author
        notes.append(f"author: {', '.join(authors)} from line {index + 1} ({why}; evidence {score})")
        own = find_stamp(unglue(lines[index]), fallback) if not stamps else None
        stamps = [(1, index, own)] if own else stamps  # "Written by Ana Lima in Valve on 1 June 2019 at 08:34 PM EDT. 51 Comments"
    when, zone_written = None, False
    if used:  # a date below the byline with the story between them is the story's own (a quoted post's), not the byline's
        byline_at = min(used)
        stamps = [s for s in stamps if s[1] <= byline_at or not any(is_prose(lines[i]) for i in range(byline_at + 1, s[1]) if i not in used)]
    if stamps:
        byline_line = next(iter(used), None)
        preference, index, stamp = min(stamps, key=lambda s: (s[0], s[1] != byline_line, abs(s[1] - (byline_line or s[1]))))
        if id(stamp) in guessed:  # "01.07.19" beside "January 7th, 2019": the day written out says which way round it was
            preference, index, stamp = next((s for s in stamps if id(s[2]) not in guessed and _swapped(s[2].when) == _day_of(stamp.when)),
                                            (preference, index, stamp))
        when, zone_written = stamp.when, stamp.zone_written
        used |= {i for p, i, _ in stamps if p < 3}  # a dateline's line is the story's first
        kind = ("published", "undated label", "updated", "the story's dateline")[preference]
        fallback_name = getattr(fallback, "key", None) or str(fallback)  # ZoneInfo's key ("America/New_York"), else its name
        zone = "zone written" if zone_written else f"no zone written: read in {fallback_name} (--timezone sets another)" if isinstance(when, datetime) else "date only"
        notes.append(f"date: {when.isoformat()} from line {index + 1} ({kind}; {zone})")
    return Byline(authors, when, zone_written, frozenset(used), tuple(notes))


def _place_under_name(line: str, found: tuple[str, ...], above: str, fallback: tzinfo) -> bool:
    """A line that opens with what reads as a name, then a dash and the date, under a line of names alone: a dateline's place."""
    if not found or names.PREFIX.match(line) or not re.match(rf"^\W*{re.escape(found[0])}\s+[-–—]\s+", line) or not find_stamp(line, fallback):
        return False
    people = names.split_names(above)
    return bool(people) and len(above.split()) == sum(len(n.split()) for n in people)


def _day_of(when: datetime | date) -> date:
    return when.date() if isinstance(when, datetime) else when


def _swapped(when: datetime | date) -> date | None:
    """The day read the other way round (July 1 for January 7), where that is a day."""
    day = _day_of(when)
    return date(day.year, day.day, day.month) if day.day <= 12 else None


def _whole_byline(lines: list[str], index: int, start: int, end: int, authors: tuple[str, ...]) -> tuple[tuple[str, ...], set[int]]:
    """The authors of a byline that goes on beyond its line, and the lines it takes: an author box, names one a line, two lines."""
    used: set[int] = set()
    above = next((i for i in range(index - 1, start - 1, -1) if lines[i].strip()), None)
    if above is not None and names.AUTHOR_LABEL.match(lines[above]):
        more = _author_box(lines, index, end)  # "Authors" / "Ana Lima" / "Professor of …, University" / "Jan Roth" / "Lecturer …"
        authors, used = tuple(dict.fromkeys([*authors, *(n for _, found in more for n in found)])), used | {i for i, _ in more}
    listed = _names_one_a_line(lines, index, start, end)
    if listed:  # "Ingrid Treborg" / "Marlene Lundberg Holm" / "Published …": authors linked one a line, without an "and"
        authors, used = tuple(dict.fromkeys(n for i in listed for n in names.split_names(lines[i]))), used | set(listed)
    first, second = _byline_pair(lines, index, start, end)
    if first is not None:  # "Sarah Hinger, Staff Attorney, …" / "& Sylvia Torres-Guillén, Director of …": a byline on two lines
        more = names.split_names(lines[first]) + names.split_names(AND_START.sub("", lines[second]))
        authors = tuple(dict.fromkeys(more)) if set(authors) <= set(more) else authors
        used |= {first, second}
    return authors, used


def _names_one_a_line(lines: list[str], index: int, start: int, end: int) -> list[int]:
    """The byline's line and the lines right above and below it (no blank between) that are a person's name alone, where there
    are more than one: each author on a line of its own (not a desk or an outlet: "Ana Lima" / "Harbour News Reporter", "Chugiak-Eagle River Star"). [] otherwise."""
    alone = lambda i: start <= i < end and bool(lines[i].strip()) and bool(found := names.split_names(" ".join(lines[i].split()))) \
        and len(lines[i].split()) == sum(len(n.split()) for n in found) \
        and all(names.is_name(n) and not names.is_agency(n) and not names.is_masthead(n) for n in found)
    if not alone(index):
        return []
    first, last = index, index
    while alone(first - 1) and index - first < 3:
        first -= 1
    while alone(last + 1) and last - index < 3:
        last += 1
    return list(range(first, last + 1)) if last > first else []


def _author_box(lines: list[str], index: int, end: int) -> list[tuple[int, tuple[str, ...]]]:
    """The names listed under an author box's label after the first, each line a name alone or the one line that describes
    the name above it (a job and an institution); the box ends at the first other line."""
    found: list[tuple[int, tuple[str, ...]]] = []
    after_name = True
    for i in [i for i in range(index + 1, end) if lines[i].strip()]:
        text = " ".join(lines[i].split())
        people = names.split_names(text)
        if people and len(text.split()) == sum(len(n.split()) for n in people):
            found.append((i, people))
            after_name = True
        elif after_name and not is_prose(text):
            after_name = False  # the name's description
        else:
            break
    return found


def _east_asian_byline(line: str, neighbours: list[str], fallback: tzinfo) -> tuple[tuple[str, ...], str]:
    """Bylines written without a "by": a Japanese dateline naming the reporter ("【エルサレム＝酒井圭吾】イスラエルと…"), and a
    name in Chinese characters or Hangul alone on the line under the headline, beside the date ("渡辺洋介" / "2025年1月13日")."""
    chinese, why = names.chinese_byline(line)
    if chinese:
        return chinese, why
    bracket = names.BRACKET_BYLINE.match(line)
    if bracket:
        return tuple(re.split(r"[、・,]", bracket.group("names"))), "dateline"
    role = names.CJK_ROLE_NAME.match(line)
    if role:  # the job title says, as a "By" would, that the name under the headline is the writer's
        return (role.group("name"),), "byline"
    if names.CJK_NAME.fullmatch(line.strip()) and not LABEL_WORDS & {line.strip()} and any(stamp_only(n, fallback) for n in neighbours):
        return (line.strip(),), "name line"
    return (), ""


FOOT_LINES = 6  # below a byline at the foot stand only a few buttons ("Back to Business", "Share")


def _yearless_stamp(line: str) -> bool:
    """A day and a time without a year, alone on a line: "mandag 5. august kl. 14:47", "Monday, May 5, 10:32"."""
    words = line.split()
    return 2 <= len(words) <= 6 and bool(YEARLESS.search(" " + line)) and bool(re.search(r"\d{1,2}[:.]\d\d\b", line)) \
        and (words[0].casefold().strip(",.") in WEEKDAYS or words[0][:1].isdigit())


def foot_byline(lines: list[str], start: int, head: Byline, fallback: tzinfo) -> Byline:
    """Where the head names no author, the byline some outlets set at the foot: a name alone on the line under the story's
    last sentence, with only a few short buttons below it ("…the new law." / "Ana Lima" / "Share"), or a Korean or Japanese
    reporter's credit on a line of its own ("순천 구현모 기자 ninek@…"), however much the page puts below it. Where the head
    shows no date, a line that is a date alone under the story's last paragraph ("5 gennaio 2025 (modifica il 6 gennaio)")."""
    if not head.authors and not head.when:
        signed = _byline_under_story(lines, start, fallback)
        if signed.authors:
            return signed
    head = head if head.when else _foot_date(lines, start, head, fallback)
    if head.authors:
        return head
    found, index, why = _name_under_story(lines, start)
    if not found:
        index = next((i for i in range(len(lines) - 1, start - 1, -1) if names.REPORTER_CREDIT.search(lines[i]) and len(lines[i].split()) <= 8), None)
        found, why = (_reporter_credits(lines, index, start), "a reporter's credit") if index is not None else ((), "")
    if not found:
        return head
    note = f"author: {', '.join(found)} from line {index + 1} ({why})"
    return replace(head, authors=found, used=head.used | {index}, notes=(*head.notes, note), foot=min(index, head.foot or index))


def sidebar_byline(lines: list[str], end: int, fallback: tzinfo) -> Byline:
    """A byline in a column beside the story, which a page's source order sets above the headline: a date alone on a line and
    a name alone on the line under it ("5/24/2016 02:05 PM" / "Ana Lima"), the nearest to the headline (lines[:end])."""
    for index in range(end - 2, -1, -1):
        stamp = find_stamp(unglue(lines[index]), fallback) if stamp_only(lines[index], fallback) else None
        text = " ".join(lines[index + 1].split())
        found = names.split_names(text) if stamp else ()
        if found and len(text.split()) == sum(len(n.split()) for n in found) and not any(names.is_agency(n) for n in found):
            notes = (f"author: {', '.join(found)} from line {index + 2} (a name under a date, beside the story)",
                     f"date: {stamp.when.isoformat()} from line {index + 1} (beside the story)")
            return Byline(found, stamp.when, stamp.zone_written, frozenset({index, index + 1}), notes)
    return Byline()


def _reporter_credits(lines: list[str], index: int, start: int) -> tuple[str, ...]:
    """The reporters credited on the lines that end at `index`, each credit on its own line, an e-mail address or a blank
    line between them ("배윤경 기자" / "bykj@mk.co.kr" / "이상현 기자" …), in the page's order."""
    found = [names.REPORTER_CREDIT.search(lines[index]).group("name")]
    for i in range(index - 1, start - 1, -1):
        text = lines[i].strip()
        credit = names.REPORTER_CREDIT.search(text) if len(text.split()) <= 8 else None
        if credit:
            found.insert(0, credit.group("name"))
        elif text and not re.fullmatch(r"\S+@\S+\.\w+", text):
            break
    return tuple(dict.fromkeys(found))


def _foot_date(lines: list[str], start: int, head: Byline, fallback: tzinfo) -> Byline:
    """The date alone on a line below the story's last long paragraph (what follows it is a copyright line, buttons, links)."""
    for index in range(len(lines) - 1, start - 1, -1):
        if is_prose(lines[index]):
            return head
        line = LABEL.split(unglue(lines[index]))[0]  # "5 gennaio 2025 (modifica il 6 gennaio 2025 | 15:24)": not the update's time
        if not line.strip() and PUBLISHED.match(lines[index]):
            line = PUBLISHED.sub("", unglue(lines[index]))  # "Publisert: 05.08.24 kl. 14:47": the date under its label
        stamp = find_stamp(line, fallback) if line.strip() else None
        if stamp and _leftover_words(line, stamp) <= 1:
            note = f"date: {stamp.when.isoformat()} from line {index + 1} (a date alone under the story)"
            return replace(head, when=stamp.when, zone_written=stamp.zone_written, used=head.used | {index}, notes=(*head.notes, note), foot=index)
    return head


def _byline_under_story(lines: list[str], start: int, fallback: tzinfo) -> Byline:
    """A whole byline, "By" a name with its date, on the line under the story's last paragraph ("…in Cheyenne." / "By Ana
    Lima|Jun. 17, 2019|"), however much the page puts below it (share buttons, an author box, related stories)."""
    for index in range(start + 1, len(lines)):
        line = unglue(lines[index])
        if not names.PREFIX.match(line) or len(line.split()) > 12 or not find_stamp(line, fallback):
            continue
        above = next((lines[i] for i in range(index - 1, start - 1, -1) if lines[i].strip()), "")
        found = read_byline(lines, index, index + 1, fallback)
        if found.authors and found.when and (is_prose(above) or re.search(cleanup.SENTENCE_END, above.strip())):
            notes = tuple(note.removesuffix(")") + "; under the story)" if note.endswith(")") else note for note in found.notes)
            return replace(found, notes=notes, foot=index)
    return Byline()


def _name_under_story(lines: list[str], start: int) -> tuple[tuple[str, ...], int, str]:
    for index in reversed([i for i in range(start, len(lines)) if lines[i].strip()][-FOOT_LINES:]):
        text = " ".join(lines[index].split())
        found = names.split_names(text) if len(text.split()) <= 5 else ()
        if found and len(text.split()) == sum(len(n.split()) for n in found):
            above = next((lines[i] for i in range(index - 1, start - 1, -1) if lines[i].strip()), "")
            if is_prose(above) or re.search(cleanup.SENTENCE_END, above.strip()):
                return found, index, "a name alone under the story"
            break
        if len(text.split()) > 4 or re.search(r"[.?!]$", text):
            break  # the story's own sentence: no byline stands below it
    return (), -1, ""


def _label_under(lines: list[str], indexes: list[int], position: int) -> str:
    """The line under a name, as a credit's label would be written ("penulis", "editor"), or "" at the end."""
    return junk_key(lines[indexes[position + 1]]) if position + 1 < len(indexes) else ""


LABEL_WORDS = frozenset(w for words in (PUBLISHED_WORDS, UPDATED_WORDS) for w in re.split(r"[|\s]+", words) if w)
FILLER = SMALL_WORDS | WEEKDAYS | LABEL_WORDS | frozenset(names.BY_WORDS)
# A picture's credit names its photographer or agency, never the author: "Photo: …", "© Foto: …", "Bild: …", "Imagen: …".
CREDIT_LINE = re.compile(
    r"^\W*(?:©|\(c\)|(?:photo|image|picture|credit|source|illustration|video|foto|bild|imagen|immagine|imagem|crédit|credito|crédito|quelle|fuente|fonte|bron)s?\b)",
    re.I,
)


DATELINE = re.compile(r"^(.{6,60}?)\s+(?:--|—|–)\s+\w")
# The line under a reporter's name that says where the story was written: "writes from Kyiv", "skrifar frá Porsgrunn".
WRITES_FROM = re.compile(r"^\W*(?:writes|writing|reports|reporting|skrifar|skriver|schreibt|berichtet|écrit|escribe|scrive)\s+"
                         r"(?:from|frá|fra|från|aus|de|depuis|desde|da)\s+[A-ZÀ-Þ][\w .'’-]{1,40}$", re.I)
AUTHOR_LINK = re.compile(r"\b(?:view (?:more|all) (?:articles|posts|stories)|(?:more|all) (?:articles|posts|stories) by|(?:view )?author archive)\b", re.I)
# "By" opening a line or a part of it ("8 May 2020 · by Ana Lima · in News"): the names follow.
BY_AFTER = re.compile(rf"(?:^|[|·•—–]\s*|\s-\s|\|\s*)(?:posted |written |story |analysis |reporting |text |words )?(?:{names._BY})\s+(.+)"
                      r"|\b(?:propos\s+)?recueilli(?:e|s|es)?\s+par\s+(.+)", re.I)  # an interview's credit, after the outlet's name


def _dateline(line: str, fallback: tzinfo) -> Stamp | None:
    """The date a story opens with when no byline gives one: "Feb. 23, 2015 -- Life-threatening peanut allergies …"."""
    found = DATELINE.match(" ".join(line.split()))
    stamp = find_stamp(found.group(1), fallback) if found else None
    return stamp if stamp and _leftover_words(found.group(1), stamp) <= 1 else None


def stamp_only(line: str, fallback: tzinfo) -> bool:
    """A line that is a date (and time, zone, label) and nothing else: "08.03.2016 | 15:30 Uhr", "Updated Nov. 3, 2019"."""
    stamp = find_stamp(unglue(line), fallback)
    return stamp is not None and _leftover_words(unglue(line), stamp) <= 1


def _stamp_line(line: str, fallback: tzinfo) -> bool:
    """A short line with a date in it (a dateline, "Updated 3 March 2025 with …"): not a sentence of the story that mentions one."""
    stamp = find_stamp(line, fallback)
    return stamp is not None and (len(line.split()) < 15 or _leftover_words(line, stamp) <= 3)


def _leftover_words(line: str, stamp: Stamp) -> int:
    """How many words a line has besides its stamp, names and labels: a byline holds few, a sentence many."""
    chars = list(line)
    for begin, end in stamp.spans:
        chars[begin:end] = " " * (end - begin)
    rest = "".join(chars)
    found = _names_in(rest, timezone.utc)[0] or _names_in(line, timezone.utc)[0]  # the stamp a separator: "By Ana Lima Feb 8, 2020 5 min read"
    name_words = {w.casefold() for name in found for w in name.split()}
    return sum(1 for w in re.findall(r"[^\W\d_]{2,}", rest) if w.casefold() not in FILLER and w.casefold() not in name_words)


AND_START = re.compile(rf"^\s*(?:&|(?:{'|'.join(names.AND_WORDS)})\s)\s*")


def _byline_pair(lines: list[str], index: int, start: int, end: int) -> tuple[int | None, int | None]:
    """The two lines of a byline set on two, the second opening with an "and", when the byline's line is one of them."""
    previous = next((i for i in range(index - 1, start - 1, -1) if lines[i].strip()), None)
    following = next((i for i in range(index + 1, end) if lines[i].strip()), None)
    for first, second in ((previous, index), (index, following)):
        if first is not None and second is not None and AND_START.match(lines[second]) and not AND_START.match(lines[first]) \
                and names.split_names(lines[first]) and names.split_names(AND_START.sub("", lines[second])):
            return first, second
    return None, None


def byline_names(line: str, fallback: tzinfo) -> tuple[str, ...]:
    """The authors of a line that opens as a byline ("Von Moritz Bachmann publiziert am 25. September 2018"), else ()."""
    return _names_in(unglue(line), fallback)[0] if names.PREFIX.match(line) and len(line.split()) <= 16 else ()


EMAILED = re.compile(r"([^|,;@]+?)\s*[|,;]?\s*\S+@\S+\.\w+")


def _emailed_names(text: str) -> tuple[str, ...]:
    """Authors each followed by an e-mail address ("By ANA LIMA | alima@news.com | News Group, JAN ROTH | jroth@…"): the name
    right before each address (after an "and" or the outlet named with the last one)."""
    found = []
    for before in EMAILED.findall(text):
        before = re.split(rf"\s(?:{'|'.join(names.AND_WORDS)})\s|&", before)[-1]
        found += names.split_names(before)[:1]
    return tuple(dict.fromkeys(found))


def _name_piece(piece: str) -> str:
    """A byline's piece without the stamp (its place marked "|"), labels and the small words and weekday before the stamp."""
    piece = re.sub(rf"\b(?:{PUBLISHED_WORDS}|{UPDATED_WORDS}|on|at)\b:?", " ", piece.split("|")[0], flags=re.I)
    piece = YEARLESS.split(piece)[0]  # "Erin Cunningham March 18 at 3:57 PM": a date without its year ends the names
    words = piece.split()
    while words and (words[-1].casefold().rstrip(",") in SMALL_WORDS or words[-1].endswith(",") and words[-1].strip(",").casefold() in names.WEEKDAYS
                     or words[-1].isdigit() and len(words) > 2):
        words.pop()  # "… am" or "… on Monday," before the stamp it introduced; "Luis Holuch 6", a count of comments after it
    piece = re.sub(r"(\w{2})\.$", r"\1", " ".join(words))  # "Recueilli par Ana LIMA. Publié le …": the sentence's stop, not an initial's
    return "" if re.sub(r"\W", "", piece).casefold() in WEEKDAYS else piece


def _names_in(line: str, fallback: tzinfo) -> tuple[tuple[str, ...], str]:
    """The names a line gives, looking around its stamp and separators; with a word on how they were found."""
    stamp = find_stamp(line, fallback)
    text = line
    if stamp:
        chars = list(line)
        for begin, end in stamp.spans:
            chars[begin:end] = "|" * (end - begin)
        text = "".join(chars)
    if CREDIT_LINE.match(line) or _caption(line) and not names.PREFIX.match(line):  # "von Ana Lima Foto: © GEPA" is a byline
        return (), ""  # a caption names the photographer or the people in the picture, not the author
    text = re.split(r"\b(?:source|quelle|fuente|fonte|bron)\s*:", text, flags=re.I)[0]  # "| Source: Moneycontrol.com" names the outlet
    by = BY_AFTER.search(text)
    if not by and len(text.split()) > 12 and re.search(r"[.?!]$", text.strip()):
        return (), ""  # a sentence (a standfirst, a caption) may start with a name, but it is not a byline
    glued = re.search(r"[\w)\]][.?!](?=[A-ZÀ-Þ][a-zà-ÿ])", text)
    if not by and glued and len(text[:glued.start()].split()) >= 8:
        return (), ""  # a caption with its credit glued after its full stop ("…in Madrid (España).Ana Lima / Europa Press")
    by_names = by and (by.group(1) or by.group(2))
    emailed = _emailed_names(text)
    if len(emailed) >= 2:
        return emailed, "byline"
    if by:  # "… and Kiran C Nair - Chrome Safe Browsing team": a team after a dash must not cut the last name off
        pieces = [max((_name_piece(by_names), _name_piece(names.SEPARATORS.split(by_names)[0])), key=lambda p: len(names.split_names(p)))]
    else:
        pieces = []
    pieces += [_name_piece(p) for p in names.SEPARATORS.split(text) if p.strip()]
    for piece in pieces:
        found = names.split_names(piece)
        if found:
            return found, "byline" if by else "name line"
    return (), ""
