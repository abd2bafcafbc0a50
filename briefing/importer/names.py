"""Who wrote it: the small pieces bylines are made of (prefixes, name lists, agencies, roles, handles) and the rules joining them."""
from __future__ import annotations

import itertools
import re

from .languages import BY_WORDS, FURNITURE_WORDS, MONTH_NUMBER, NOT_NAME_WORDS

# Agencies and desks sign articles as authors ("By Reuters", "AFP", "By Our Staff with Agencies"): they are kept as the author.
AGENCIES = (
    "Associated Press", "The Associated Press", "AP", "Reuters", "Thomson Reuters", "AFP", "Agence France-Presse", "Bloomberg",
    "PTI", "Press Trust of India", "IANS", "ANI", "UPI", "Xinhua", "Kyodo", "Kyodo News", "Yonhap", "EFE", "dpa", "DPA",
    "ANSA", "Canadian Press", "The Canadian Press", "AAP", "Australian Associated Press", "PA", "PA Media", "Press Association",
    "TASS", "Anadolu", "Anadolu Agency", "NTB", "TT", "ČTK", "WAFA", "APA", "Europa Press",
    "Jiji", "Jiji Press", "Bernama", "Antara", "Interfax", "IRNA", "Belga", "Lusa", "KNA", "epd",
)
AGENCY_KEYS = frozenset(name.casefold() for name in AGENCIES)
# A byline naming a desk rather than a person: "Our Foreign Staff", "Telegraph Sport", "HNN Staff", "News Desk".
DESK = re.compile(r"^(?P<qualifier>(?:[\w.&'’-]+\s+){0,3})(?:staff|desk|bureau|team|reporters?|correspondents?|sport|editorial|newsroom|wire services?)(?:\s+(?:with|and)\s+agencies)?$", re.I)
# Job titles and labels that stand beside names: never a name themselves.
ROLE_WORDS = frozenset(
    """reporter writer editor correspondent columnist contributor contributing staff senior chief deputy executive
    managing associate assistant political politics health science business sports sport tech technology national
    international foreign local news digital producer analyst critic photographer photojournalist host anchor
    presenter intern fellow freelance freelancer special guest opinion commentator bureau desk lead data investigative
    economics entertainment culture arts music film games gaming video audio social media travel food lifestyle
    markets economy climate environment education legal security defense defence diplomatic mail auto author
    gov governor rep sen senator president minister mayor secretary prime dr mr mrs ms prof
    engineer technologist scientist researcher professor lecturer founder ceo director officer manager developer designer
    consultant expert experte advisor adviser specialist strategist economist attorney student moderator
    corresponsal periodista redactor redactora enviado enviada corrispondente giornalista inviato inviata redattore redattrice
    correspondant correspondante journaliste rédacteur rédactrice envoyé envoyée correspondente jornalista repórter
    redakteur redakteurin chefredakteur chefredakteurin korrespondent korrespondentin journalist journalistin reporterin
    volontär volontärin autorin ressortleiter ressortleiterin fotograf fotografin
    biography about view more articles stories follow subscribe twitter facebook instagram linkedin email share""".split()
)
# Roles a byline names with their beat or place before them ("China Correspondent", "Political Editor"), rarely bare.
QUALIFIED_ROLES = frozenset(("correspondent", "editor"))
# English weekdays only: in other languages some are surnames too (Freitag, Domingo).
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun".split())
# Month names (no short forms but the English ones) never stand after a given name: "April Roach" is a person, "Roach April" is not.
MONTH_WORDS = frozenset(name for name in MONTH_NUMBER if len(name) > 4 and name not in ("marco", "abril", "julio")) | frozenset("jan feb mar apr may jun jul aug sep sept oct nov dec".split())
# Endings of German and French common words that a capitalised pair ("Tierische Mitbewohner", "Maximale Teilnahmen")
# can be made of, and names are not: adjectives inflected ("-ische", "-liche", "-ige"), abstract nouns ("-heit", "-schaft", "-ungen").
COMMON_WORD = re.compile(r"(?:isch|lich)(?:e|en|es|em)$|\w{4}ig(?:e|en|es|em)$|(?:heit|keit|schaft|tät|ismus)(?:en)?$|\w{5}ungen?$|nahmen?$")
NAME_PARTICLES = frozenset("de da del della der den van von la le du dos das di bin al el ibn ter y e st st.".split())
_BY = "|".join(BY_WORDS)
_FRENCH_CREDIT = r"(?:un texte|une chronique|un reportage|une analyse|une entrevue)\s+d[e'’]\s*"
PREFIX = re.compile(
    rf"^\s*(?:(?:written|reported|posted|story|words|text|analysis|opinion|commentary|photos?|video|ein kommentar|un article|texto|testo"
    rf"|geschrieben|verfasst|écrit|ecrit|escrito|publicado|publié)\s+)?(?:(?:{_BY})\s*)?(?:{_BY})\b[:\s]*"  # "Byby …": a scrape may double it
    r"|^\s*(?:author|authors|autor|autorin|auteur|autora|autore|auteurs|words|text|texto|testo|reporting|reported by|written by)\s*:\s*"
    rf"|^\s*{_FRENCH_CREDIT}",  # French credits: "Un texte de Ana Lima"
    re.I,
)
# A French credit ("Un texte de Ana Lima d'Enquête"): after the name, the programme or desk the author works for.
FRENCH_CREDIT = re.compile(rf"^\s*{_FRENCH_CREDIT}(?P<rest>.+)$", re.I)
FRENCH_CREDIT_TAIL = re.compile(r"\s+(?:d['’]|de\s+|du\s+|des\s+)[A-ZÀ-Þ][^,]*$")
# A line that is only a byline's label ("By", "Article by", "Written by:"): the name stands on the next line.
LABEL_LINE = re.compile(rf"^\W*(?:[^\W\d_]+\s+){{0,2}}(?:{_BY})\W*$", re.I)
# A line that is only the label of an author box ("Authors", "Author of the article:", "Autorin"): the names stand under it.
AUTHOR_LABEL = re.compile(r"^\W*(?:authors?(?:\s+of\s+(?:the|this)\s+(?:article|story|post))?|autor(?:in|en|innen|es|a|as)?|auteure?s?|autore|autori"
                          r"|forfatter(?:e|ne)?|författare|tekijä|autorzy)\s*:?\s*$", re.I)
HANDLE = re.compile(r"@[a-z0-9_]+(?=[A-Z][a-z])|@\w+|\S+@\S+\.\w+")  # a lower-case handle may be glued to the next name
WITH_OTHERS = re.compile(r"\s*\((?:with|avec|mit|con|com|met)\s+([^()]+)\)", re.I)
# A social network's name glued to the end of a name, the label of a link beside the byline.
SOCIAL_GLUED = re.compile(r"(?<=[a-zà-ÿ])(?:Twitter|Facebook|Instagram|LinkedIn|Bluesky|Mastodon|Threads|TikTok|Email|E-Mail)(?:\b|(?=[A-Z]))")
# A role in brackets after a name: "Martí Abad (Enviado especial)", "Ana Lima (special correspondent)".
ROLE_AFTER = re.compile(r"\s*\((?:[A-ZÀ-Þ]?[a-zà-ÿ]+)(?:\s+[a-zà-ÿ]+){1,3}\)$")
# An outlet in brackets after a name ("Mike Dennison (MTN News)", "Ana Lima (KPAX)"): where the story first ran, not the name.
OUTLET_AFTER = re.compile(r"(?<=\w)\s*\((?:[A-ZÀ-Þ][\w.&'’-]*)(?:\s+[A-ZÀ-Þ][\w.&'’-]*){0,3}\)$")
# The words a newspaper's or news site's name ends or opens with: "Chugiak-Eagle River Star", "Christian Post", "Daily Kos".
MASTHEAD_LAST = frozenset("""star post times news journal herald tribune gazette chronicle observer examiner courier dispatch
    register bulletin telegraph magazine review independent standard monitor""".split())
MASTHEAD_FIRST = frozenset(("daily", "weekly", "the"))
# Academic titles before a name, which a byline may give and an author list leaves out: "Dr.", "Prof. Dr.", "Dr. med.".
ACADEMIC = re.compile(r"^(?:(?:Prof|Dr|Dres|PD|Mag|Dipl\.-Ing)\.?\s+(?:(?:med|phil|jur|rer\.\s?nat|h\.\s?c)\.\s+)?)+(?=[A-ZÀ-Þ])")
# "Jr.", "III": the end of a person's name, not a word of it to check.
SUFFIX = re.compile(r",?\s+(?:Jr|Sr|II|III|IV)\.?$")
# Names in Chinese characters (Japanese, Chinese) or Hangul (Korean), written without spaces: a few characters, never a word list.
_CJK_NAME = r"[\u4e00-\u9fff々]{2,5}|[\uac00-\ud7af]{2,4}"
CJK_NAME = re.compile(_CJK_NAME)
# A Japanese name as metadata often writes it, family name and given name apart ("大渡 美咲"; the given name may be in kana).
CJK_SPACED_NAME = re.compile(r"[\u4e00-\u9fff々]{1,4}[ \u3000][\u3040-\u30ff\u4e00-\u9fff々]{1,4}")
# A Korean or Japanese reporter's credit: the name and the word for reporter ("순천 구현모 기자 ninek@…", "渡辺洋介記者").
REPORTER_CREDIT = re.compile(rf"(?:^|\s)(?P<name>{_CJK_NAME})\s*(?:기자|記者)(?:\s+\S+@\S+)?\s*$")
# A dateline in brackets that names the reporter after the place or outlet: "【エルサレム＝酒井圭吾】イスラエルと…", and as Korean
# pages write it, square, with the word for reporter or the name's column after it ("[엔터미디어=정덕현의 이슈공감]", "[서울=홍길동 기자]").
BRACKET_BYLINE = re.compile(rf"^\s*[【\[][^【】\[\]＝=]{{1,20}}[＝=](?P<names>(?:{_CJK_NAME})(?:[、・,](?:{_CJK_NAME}))*)"
                            r"(?:\s*기자|의\s*[^【】\[\]]{1,15})?[】\]]")
# A Japanese or Chinese job title before the name, on the line under the headline: "編集委員　中沢克二" (senior staff writer).
CJK_ROLE_NAME = re.compile(rf"^\s*(?:客員)?(?:編集委員|論説委員|解説委員|編集長|特派員|記者|特约记者|本报记者)[\s\u3000]*(?P<name>{_CJK_NAME})\s*$")
# Chinese bylines: a "作者：" (author) label, even glued after the source's ("来源：新华网作者：温素霞"); the word for reporter after
# the outlet's name with the names after it ("澎湃新闻记者 段彦超 廖艳"); and a dateline that names its reporters in brackets
# ("新华社巴黎12月9日电（记者唐霁）", "长江网10月4日讯（记者陈智 整合）"); "文/" (text by) before the writer ("【文/观察者网专栏作者 王文】").
_CN_NAMES = r"[\u4e00-\u9fff]{2,4}(?:[\s\u3000、，,]+[\u4e00-\u9fff]{2,4})*"
CN_AUTHOR_LABEL = re.compile(rf"作者\s*[:：]\s*(?P<names>{_CN_NAMES})\s*$")
CN_REPORTERS = re.compile(rf"^\s*[\u4e00-\u9fff]{{0,8}}记者[\s\u3000]+(?P<names>{_CN_NAMES})\s*$")
CN_TEXT_BY = re.compile(rf"^\s*[【\[]?\s*文\s*[/|｜]\s*(?:[\u4e00-\u9fff]*(?:作者|记者|编辑|评论员)[\s\u3000]*)?(?P<names>{_CN_NAMES})\s*[】\]]?\s*$")
CN_DATELINE = re.compile(rf"^\s*(?P<lead>\S{{2,30}}?)[电讯]\s*[（(]\s*(?:本报)?记者\s*(?P<names>{_CN_NAMES})\s*[）)]")
# What a Chinese credit writes after the names: the work done ("整合", compiled; "报道", reporting), not another name.
CN_CREDIT_WORDS = frozenset(("整合", "综合", "报道", "采写", "编译", "摄影", "实习生", "通讯员"))
SEPARATORS = re.compile(r"\s*(?:\||·|•|—|–|\s-\s|/\s|;|:\s)\s*")


def chinese_byline(line: str) -> tuple[tuple[str, ...], str]:
    """The reporters a Chinese byline or dateline names, with what kind of line it is ("byline", "dateline"); ((), "")."""
    for pattern, why in ((CN_AUTHOR_LABEL, "byline"), (CN_REPORTERS, "byline"), (CN_TEXT_BY, "byline"), (CN_DATELINE, "dateline")):
        found = pattern.search(line) if pattern is CN_AUTHOR_LABEL else pattern.match(line)
        if found:
            people = [n for n in re.split(r"[\s\u3000、，,]+", found.group("names")) if n]
            people = list(itertools.takewhile(lambda n: n not in CN_CREDIT_WORDS, people))
            return tuple(people), why
    return (), ""


def strip_prefix(text: str) -> str:
    """'By Ana Lima' -> 'Ana Lima'; also "Written by", "Analysis by", "Author:"."""
    return PREFIX.sub("", text.strip(), count=1).strip(" \t|·•,;:–—-")


# Two capitals inside one word: three words glued together (a menu's "LatestVideoThe"), not a name ("McDonald", "DeShawn").
GLUED = re.compile(r"[a-zà-ÿ][A-ZÀ-Þ].*[a-zà-ÿ][A-ZÀ-Þ]")
# "and" in the languages bylines are written in: "Par Alexandre Hervaud et Jérémy Piette", "Von Anna Lang und Jan Roth".
AND_WORDS = ("and", "et", "und", "en", "og", "och")
SHORT_AND = re.compile(r"\s+[ye]\s+")  # Spanish and Portuguese "and", also a particle: "Rita e Silva" is one person


def is_agency(text: str) -> bool:
    return text.casefold().removeprefix("the ").strip() in AGENCY_KEYS or text.casefold() in AGENCY_KEYS


def split_names(text: str) -> tuple[str, ...]:
    """The people (or agency, or desk) a byline fragment names, or () when it does not read as names."""
    text = HANDLE.sub(", ", text)  # a handle stands between two names, or after the last
    text = SOCIAL_GLUED.sub(", ", text)  # "Sarah LazareTwitter": the link to her account, its label glued to her name
    credit = FRENCH_CREDIT.match(text)
    if credit and len(FRENCH_CREDIT_TAIL.sub("", credit.group("rest")).split()) >= 2:
        text = FRENCH_CREDIT_TAIL.sub("", credit.group("rest"))  # "… d'Enquête" names the programme, not a second person
    text = WITH_OTHERS.sub(r", \1", text)  # "Ana Lima (with Jan Roth and Eva Berg)": the others signed too
    text = " ".join(strip_prefix(text).split()).strip(" ,;")
    if not text or len(text) > 160:
        return ()
    in_place = re.match(r"^(.+?)\s+in\s+[A-Z][\w .'’-]+$", text)  # "Reuters in Lisbon"
    if in_place and is_agency(in_place.group(1)):
        return (_tidy(in_place.group(1)),)
    if is_agency(text) or _desk(text):
        return (_tidy(text),)
    pieces = re.split(rf"\s*(,\s*and\s+|\b(?:{'|'.join(AND_WORDS)})\b|&|,|;)\s*", text)
    pieces = [OUTLET_AFTER.sub("", ROLE_AFTER.sub("", ACADEMIC.sub("", p))) if i % 2 == 0 else p for i, p in enumerate(pieces)]  # "Dr. Max Kolter" signs as "Max Kolter"
    joined = {_trim_outlet(p.strip()) for sep, p in zip(pieces[1::2], pieces[2::2]) if sep.strip(" ,")}  # parts after an "and"
    listed = joined | {_trim_outlet(p.strip()) for sep, p in zip(pieces[1::2], pieces[::2]) if sep.strip(" ,")}  # and before one
    parts = [p.strip() for p in pieces[::2] if p.strip()]
    parts = [q for p in parts for q in (SHORT_AND.split(p) if all(len(q.split()) >= 2 for q in SHORT_AND.split(p)) else [p])]
    joint = {q.strip() for p in parts if "/" in p and any(is_agency(q.strip()) for q in p.split("/")) for q in p.split("/")}
    parts = [q.strip() for p in parts for q in (p.split("/") if _slashed(p) else [p])]
    names: list[str] = []
    role_seen = False
    parts = [_trim_outlet(p) for p in parts]
    for at, part in enumerate(parts):
        if role_seen and part not in joined:
            break  # "X, Senior Staff Technologist, ACLU Speech…": after a role comes its organisation, not another author
        if part in joint and not is_agency(part) and re.fullmatch(r"(?:The\s+)?(?:[A-Z][\w.'’-]*\s*){1,3}", part):
            names.append(_tidy(part))  # "AFP/The Local": an agency's story signed jointly with the outlet that edited it
            continue
        if is_agency(part) or _desk(part):
            if not names:  # "Reuters, Washington" and "PTI," name the agency; "Tom Davies, AP" keeps the person
                names.append(_tidy(part))
            continue
        if part in joined and len([w for w in part.split() if w.islower() and w not in NAME_PARTICLES | ROLE_WORDS]) >= 2:
            return ()  # "Danni Büchner und Ennesto Monté trennen sich": a sentence about people, not their byline
        if part in listed and _role_surname(part):
            names.append(_tidy(part))  # "Cyrus Engineer & Sophie Alexander": each side of an "and" is a person
            continue
        if _role(part) or names and (_place_like(part) or _place(part) and not listed):
            role_seen = role_seen or _role(part)
            continue  # "Ap Auto Writer", "Staff Writer", "Cleveland.com", "Sioux Falls Argus Leader", "Melbourne Cricket Ground"
        if names and is_masthead(part) and part not in listed:
            continue  # "Michael Gryboski, Christian Post Reporter", "Mark Sumner, Daily Kos": after a name, the outlet's
        if names and part.isupper() and not parts[0].isupper() and part not in joined:
            continue  # "David Straub, MDR THÜRINGEN": after a name in mixed case, one in capitals is the outlet's
        if names and not is_name(part) and re.fullmatch(r"[A-ZÀ-Þ][\w'’.-]+(?:\s[A-ZÀ-Þ][\w'’.-]+)?", part) \
                and at + 1 < len(parts) and is_name(parts[at + 1]):
            continue  # "Markus M. Haefliger, London, Beat Bumbacher": where the first writes from, then the next author
        if not is_name(part):
            return tuple(names)  # "Alex Heath, a deputy editor and…": the names stop where the prose starts
        names.append(_tidy(part))
    return tuple(dict.fromkeys(names))


def is_masthead(part: str) -> bool:
    """A newspaper's or news site's name: capitalised words that end or open as mastheads do ("Chugiak-Eagle River Star")."""
    words = [w.casefold() for w in part.split()]
    return 2 <= len(words) <= 5 and all(w[:1].isupper() for w in part.split()) and (words[-1] in MASTHEAD_LAST or words[0] in MASTHEAD_FIRST)


def _slashed(part: str) -> bool:
    """Authors written with a slash: an agency and the outlet ("AFP/The Local"), or people ("Ana Lima/Jan Roth")."""
    sides = [q.strip() for q in part.split("/")]
    return len(sides) > 1 and (any(is_agency(q) for q in sides) or all(is_name(q) for q in sides))


def _trim_outlet(part: str) -> str:
    """Cut what follows a name on the same line: an agency, an outlet in capitals, a job title ("Meg James Staff Writer"),
    a place or a blog's category ("Ana Lima in Kyiv", "by Christian Spließ in Allgemeines"), the outlet written for."""
    part = re.split(r"\s+(?:[Ii]n|for)\s+(?=[A-ZÀ-Þ])", part)[0]  # "Ana Lima for The Daily Star": the outlet she writes for
    words = part.split()
    for agency in sorted(AGENCIES, key=len, reverse=True):
        if part.endswith(" " + agency) and len(words) > len(agency.split()) + 1:
            return part[: -len(agency) - 1].strip()
    popped = ""
    while len(words) > 2 and (words[-1].casefold().strip(".,:") in ROLE_WORDS | FURNITURE_WORDS or words[-1].isupper() and not words[0].isupper()):
        popped = words.pop().casefold().strip(".,:")
    if popped in QUALIFIED_ROLES and len(words) > 2 and words[-1][:1].isupper():
        words.pop()  # "Denis Staunton China Correspondent": the beat or place a correspondent or editor covers goes with the role
    if len(words) > 4 and all(w[:1].isupper() or w.casefold() in NAME_PARTICLES for w in words):  # "Trevor J. Mitchell Sioux Falls Argus Leader"
        keep = 2
        while keep < len(words) and (re.fullmatch(r"[A-Z]\.", words[keep - 1]) or words[keep - 1].casefold() in NAME_PARTICLES):
            keep += 1
        words = words[:keep]
    return " ".join(words)


def is_name(text: str) -> bool:
    """Two to five capitalised words (particles allowed): a person's name, not a weekday, month or job title."""
    words = SUFFIX.sub("", text).split()
    if not 2 <= len(words) <= 4 and not (len(words) == 1 and is_agency(text)):
        return False
    lowered = [piece for w in words for piece in re.split(r"[-–]", w.casefold().strip(".,"))]
    if any(w in WEEKDAYS or w in ROLE_WORDS or w in FURNITURE_WORDS for w in lowered) or any(w in MONTH_WORDS for w in lowered[1:]):
        return False  # a given name may be a month ("April Roach", "June Kim"); a surname or a second word may not
    if any(COMMON_WORD.search(w) for w in lowered):
        return False  # "Maximale Teilnahmen", "Deutsche Sprache": capitalised common words, not a person
    if (lowered[0] in NOT_NAME_WORDS or lowered[-1] in NOT_NAME_WORDS - NAME_PARTICLES) and len(words) > 1:
        return False  # "Eine Kolumne", "Im Wortlaut", "Our Verdict"; "Prioritize Your", a headline cut short
    if lowered[-1] in NAME_PARTICLES:
        return False  # a particle stands before a surname, never last: "Teile das", "Verfasst von" are labels
    return all(w in NAME_PARTICLES or _name_word(w) for w in words)


def _name_word(word: str) -> bool:
    # A capital with an accent opens a name too ("Órfão", "Ólafsson", "Šimek"): any upper-case letter, not only A to Z.
    if re.fullmatch(r"\(?[^\W\d_][\w.'’-]*\)?", word) is None or not word.lstrip("(")[:1].isupper() or word.endswith(".") and len(word) > 2 and not re.fullmatch(r"(?:[A-Z]\.)+", word.strip("()")):
        return False
    if GLUED.search(word):
        return False  # "LatestVideoThe": a menu's words run together, not a name ("McDonald", "DeShawn", "FitzGerald" are)
    return any(c.isalpha() for c in word) and not any(c.isdigit() for c in word)


def _desk(text: str) -> bool:
    # "Telegraph Sport" is a desk, its name capitalised; "Sport" alone is the section's name, a kicker or a menu item.
    found = DESK.match(text)
    return bool(found) and not all(w.casefold() in ROLE_WORDS for w in text.split()) \
        and all(w[:1].isupper() or w[:1].isdigit() for w in found.group("qualifier").split())  # not "Zurück zum Newsroom", a button


# The small words inside a job title and after it, before its beat or place: "Editor at Large", "Corresponsal en Atenas".
ROLE_LINKS = frozenset("at of the and for in en à a em de di da del du für aus".split())


def _role(text: str) -> bool:
    words = [piece for w in text.split() for piece in re.split(r"[-–]", w.casefold().strip(".,")) if piece not in ROLE_LINKS]
    return bool(words) and sum(w in ROLE_WORDS for w in words) >= max(1, len(words) - 1)


# The job words that make a job title on their own, before the outlet's name: "Staff Writer Puget Sound Business Journal".
JOB_NOUNS = frozenset("""reporter writer editor correspondent columnist contributor producer critic photographer journalist
    redakteur redakteurin korrespondent korrespondentin journalistin reporterin""".split())


def role_first(text: str) -> bool:
    """A job title, alone or opening what follows a name: "Contributor", "Staff Writer", "Staff Writer Puget Sound Business Journal"."""
    if _role(text):
        return True
    words = text.split()
    lead = 0
    while lead < len(words) and words[lead].casefold().strip(".,") in ROLE_WORDS:
        lead += 1
    return lead >= 1 and words[lead - 1].casefold().strip(".,") in JOB_NOUNS


# The last word of a place a byline names after the author ("Ana Lima, Melbourne Cricket Ground", "Jan Roth, Downing Street").
PLACE_WORDS = frozenset("""ground grounds stadium arena oval park field street square hall house centre center city county court
    bridge airport station island islands valley beach port bay harbour harbor palace parliament capitol""".split())


def _place(text: str) -> bool:
    """A place after a comma, not a second author: bylines list their authors with an "and", not a bare comma before a place."""
    words = text.split()
    return len(words) >= 2 and words[-1].casefold() in PLACE_WORDS and all(w[:1].isupper() for w in words)


def _role_surname(text: str) -> bool:
    """A given name and a surname that is also a job word ("Cyrus Engineer"): a name, where the byline lists it as a person."""
    words = text.split()
    return len(words) == 2 and words[0].casefold() not in ROLE_WORDS | NOT_NAME_WORDS and _name_word(words[0]) and _name_word(words[1]) \
        and words[1].casefold() in ROLE_WORDS


def _place_like(text: str) -> bool:
    # An outlet or place after the names: "Cleveland.com", "NJ Advance Media for NJ.com", "Sioux Falls Argus Leader".
    return "." in text and " " not in text or len(text.split()) >= 3 and not is_name(text)


def _tidy(name: str) -> str:
    """Names written in capitals ("LISA MASCARO") are given ordinary capitals; others are kept as written."""
    name = " ".join(name.split())
    if name.isupper() and len(name) > 4 and not is_agency(name):
        return " ".join(w.capitalize() if w.casefold() not in NAME_PARTICLES else w.lower() for w in name.split())
    return name


def swap_surname_first(text: str) -> str:
    """'Surname, Given' (one comma, one word before it) is one person written surname first."""
    found = re.fullmatch(r"([A-Z][\w'’-]+),\s+([A-Z][\w.'’ -]+)", text.strip())
    if found and len(found.group(2).split()) <= 3 and not is_agency(found.group(2)) and not _role(found.group(2)):
        return f"{found.group(2)} {found.group(1)}"
    return text
