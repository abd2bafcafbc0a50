"""Clean a body: drop what pages put around the story (kickers, bylines, captions, promos, notices) and keep the story."""
from __future__ import annotations

import re

# Whole lines a scraper leaves behind; compared case-insensitively without a trailing colon.
_JUNK = """font size|글자크기 설정|글자 크기|글자크기|print|print this article|share this|share|share this article|share this story|share via|share permalink|
advertisement|advertisements|advertising|email|e-mail|email me|comments|comment|tweet|reblog|pin it|flipboard|pocket|related|
related articles|related stories|related posts|related links|related topics|related coverage|skip to content|skip to main content|
subscribe|subscribe now|sign up|sign in|log in|read more|continue reading|click to share|like this|loading|loading...|facebook|
twitter|linkedin|whatsapp|reddit|pinterest|share on facebook|share on twitter|share on reddit|copy|copy link|listen to this article|
save|save article|bookmark it|back to top|show comments|leave a comment|view comments|more|you may also like|recommended|sponsored|
sponsored content|story continues below|story continues below advertisement|article continues below|scroll to continue|caption|close|
replay|more videos|more videos ...|just watched|must watch|top video|report error|view all|see all|next|previous|shares|new|
show more sharing options|share close extra sharing options|all sharing options|share all sharing options|view author archive|
get author rss feed|email the author|key points|menu|home|news|opinion|sport|sports|video|videos|photos|gallery|listen|watch|
addthis sharing buttons|most popular|most read|trending|now playing|up next|follow|follow us|print edition|e-edition|
supported by|continue reading the main story|view more articles|about the author|newsletters|privacy policy"""
JUNK_LINES = frozenset(" ".join(line.split()) for line in _JUNK.replace("\n", "").split("|"))
# A line that sells, promotes or notifies rather than reports: dropped wherever it stands in the body. ("Watch" and "Listen"
# only open a button or a label: "Watch: …", "Watch the video"; a long sentence may start with them.)
PROMO = re.compile(
    r"^\W*(?:read more|also read|read also|see also|you may also like|related|(?:watch|listen)(?=\s*:|(?:\W+\w+){0,11}\W*$)|don'?t miss|more on this|more from|recommended|"
    r"click here|sign up|subscribe|get (?:the|our)|download (?:the|our)|follow (?:us|@|\w+'s|\w+(?=\s*:$)|the (?:author|topics?|[A-Z]\w+$))|chat with us|join (?:us|our)|support (?:us|our)|"
    r"this article (?:first|originally) appeared|for the latest|"
    r"this (?:article|story|piece|report) (?:is|was) (?:part of|(?:first |originally )?(?:published|produced) (?:by|in|with))|"
    r"dieser (?:beitrag|artikel|text) (?:stammt|erschien|ist zuerst)|cet article (?:est|a été) (?:extrait|publié)|view all|photo gallery|gallery|video|image \d+ of|"
    r"\[related|share (?:this|on|via)|follow\b[^.]{0,60}\bon\W+(?:facebook|twitter|instagram|linkedin|tiktok|youtube|x)|"
    r"e-?mail [\w .'’-]{2,40} at \S+@)\b.{0,400}$"
    r"|\b(?:newsletters?|podcast|our app|sign up for|subscribe (?:to|now)|privacy policy|terms of (?:service|use)|cookie|"
    r"all rights reserved|may not be (?:published|reproduced)|opinions expressed by|by registering|\(required\)|modal dialog|"
    r"share your thoughts|prices are subject to change|tell us what you think)\b|\(required\)|\b(?:get|delivered)\b[^.]{0,60}\bin(?:to)? your inbox\b",
    re.I,
)
# Lines where a page's furniture ends and other stories begin: everything from here on is dropped.
TAIL = re.compile(
    r"^\W*(?:related (?:articles|stories|coverage|content|links|topics|posts|videos)|you may also like|more (?:from|on|in|stories)\b|"
    r"most (?:popular|read)|recommended(?: for you)?|trending(?: now)?|read next|comments?|\d+ (?:comments|responses)|"
    r"join the conversation|filed under|tags?|topics?|©|copyright|top video|more videos|what to read next|"
    r"latest (?:news|stories)|around the web|sponsored stories)\b",
    re.I,
)
CREDIT_WORDS = r"(?:AP|AFP|Reuters|Getty|EPA|UPI|Bloomberg|Shutterstock|Alamy|PA)"
CAPTION = re.compile(
    r"^(?P<caption>.*?)\s*\(\s*(?P<credit>(?:(?:AP|AFP|Reuters|Getty|EPA|UPI)\s+)?(?:Photo(?:graph)?|Image|Picture)s?"
    r"(?:\s+credit)?\s*(?::|/|\bby\b)\s*[^()]+|(?:Photo\s+)?Credit\s*:\s*[^()]+)\)\s*$",
    re.I | re.S,
)
# "…at the port. Credit: Luis Mendes", "…Credit...Doug Mills/The New York Times", "…(AP Photo/Evan Vucci)", "Photo: Damian Dovarganes, AP".
CREDIT_TAIL = re.compile(
    r"(?:\s|(?<=[.”a-z]))(?:Credit\s*(?::|\.{3}|…)|Photo(?:graph)?\s*(?::|by\b|via\b)|(?:Foto|Bild)\s*:|Image\s*(?::|credit\b)|(?-i:Picture)\s*:|\(\s*(?:Image|Photo)\s*:\s*©?)"
    r"\s*(?P<credit>[^.]{2,120}?)\)?\s*$"
    rf"|\(\s*(?P<credit2>{CREDIT_WORDS}[^()]{{0,80}}|[^()]{{0,60}}/\s*{CREDIT_WORDS}[^()]{{0,40}})\)\s*$"
    # "…(13 ans). | DR", "…à Rennes. | Ouest-France": a few words after a bar that closes a sentence
    r"|(?<=[.!?”)])\s+\|\s*(?P<credit3>[^\W\d][^|.\d]{1,40})$"
    # "…in southern England. EPA-EFE/Stuart Brock", "…og Eydís. mbl.is/Ana Lima": an agency or outlet and a name after a slash
    # (a name's words start with a capital and hold no digit: "pic.twitter.com/PQqbN51wBW", a tweet's link, is no credit)
    r"|(?<=[.!?”])\s+(?P<credit4>\w[\w.&-]*(?:\s[\w.&-]+){0,2}/\s?(?-i:[A-ZÀ-Þ])(?:[^\W\d]|[.'’-])*(?:\s(?-i:[A-ZÀ-Þ])(?:[^\W\d]|[.'’-])*){0,3})$"
    # Chinese: "…纸片。 小花母亲供图" (picture provided by), "…。 陈智 摄" (photographed by), "…。本文图片除特别标注外，均为…记者段彦超 图"
    r"|(?<=[。！？”])\s*(?:(?P<credit5>本文图片[^。]{0,40}|图[/／]\s*[\u4e00-\u9fff]{2,12})|(?P<credit6>[\u4e00-\u9fff]{2,10})\s*(?:供图|摄))$",
    re.I,
)
CREDIT_LABEL = re.compile(r"^(?:Photo(?:graph)?|Foto|Bild|Image|Picture)s?(?:\s+credit)?\s*(?::|\bby\b)\s*|^(?:Photo\s+)?Credit\s*:\s*", re.I)
# "(AP) — ", "WASHINGTON (AP) — ", "LONDON, March 3 (Reuters) - ", and the bare "( – " some scrapers leave.
DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'’ -]*[A-Z.](?:,\s+[A-Z][a-z]+\.?\s+\d{1,2})?\s+)?"
    r"\(\s*(?:(?P<agency>[^()\n]{1,60}?)\s*\)|\)?)\s*[–—-]+\s*(?=\S)"
)
KICKER = re.compile(r"^(?:#+\s*)?(?:[A-Z0-9][A-Z0-9 &'’.,:/-]{1,40}|filed under:?.*|[\w&'’ -]{1,30}\s*[|/>›»]\s*[\w&'’ >/|-]{1,40})$")


# The end of a sentence, a closing quotation mark after it in any language's style ("…peace.”", German "…Ruhe.“", «…».
SENTENCE_END = r"[.?!]\s?[”“\"’'»«]?$"
SENTENCE_END_ELLIPSIS = r"[.?!…]\s?[”“\"’'»«]?$"  # a lead the page cuts short ("…") ends a sentence too
CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")  # kana, Chinese characters, Hangul


def word_count(text: str) -> int:
    """Words, where Chinese, Japanese and Korean text, written without spaces, counts one word for every two characters."""
    return max(len(text.split()), len(CJK_CHAR.findall(text)) // 2)


def junk_key(line: str) -> str:
    return " ".join(line.split()).rstrip(":").strip(" \t*#>-|").casefold()


def is_junk(line: str, drop_lines: frozenset[str]) -> bool:
    """A line of page furniture: a known junk line, a bare number (a date such as "01-09-17" is none) or handle, or an image counter."""
    key = junk_key(line)
    if not key:
        return False
    return key in JUNK_LINES or key in drop_lines or bool(re.fullmatch(
        r"(?!\d{1,2}([-/.])\d{1,2}\1\d{2,4}$)[\d\s/|.,:()-]{1,12}|@\w+|https?://\S+|(?:image|photo|slide) \d+ of \d+"
        r"|click to [\w ]{1,40}|.{0,80}\(opens in (?:a )?new (?:window|tab)\)"
        r"|[\[(（【]\s*(?:사진|사진제공|写真|写真提供|图|圖|图片|圖片|照片)\s*[=:：].{1,60}[\])）】]"  # a picture's credit: "[사진=JTBC]", "（写真：共同）"
        r"|(?:back to|zurück zu[rm]?|retour (?:à|aux?)|volver a|torna(?:re)? a|voltar (?:para|a)|terug naar)\b[\w '’-]{0,30}", key))  # share buttons: "Click to copy URL"


# A legal or sign-up notice, however long: nothing in a story reads like this.
NOTICE = re.compile(
    r"\ball rights reserved\b|\bby registering,? you\b|\byou agree to (?:receive|the terms)\b|^(?:topics|tags|categories|(?:filed|published) under)\s*:"
    # a link to more of a kind, marked with arrows: ">>> Mehr Gastkommentare", "» More opinion"
    r"|^\s*(?:>{2,}|»)\s*\S+(?:\s+\S+){0,4}\s*$|^(?!.*«)\s*\S+(?:\s+\S+){0,4}\s*(?:>{2,}|»)\s*$"  # or after it: "Explore charts >>" (not a «quote»)
    # an archive's warning above an old story: "… may contain information that is no longer up to date", "… qui ne sont plus à jour"
    r"|\b(?:may|might|could) contain (?:information|content|details) (?:that|which) (?:is|are|may be) (?:no longer|out of date|outdated)"
    r"|\bpourrait contenir des (?:informations|renseignements) qui ne sont plus à jour"
    r"|^this (?:article|story|post|page) is (?:more than|over) (?:\d+|an?|one|two|three) (?:years?|months?) old\W*$"  # its age
    # a metered paywall's offer and the sign-up form's privacy notice under it
    r"|\baccess \d+ (?:more )?articles? (?:for )?free\b|\b\d+ free articles? (?:left|remaining)\b|\bmay process your personal (?:information|data)\b"
    r"|\bprotected by recaptcha\b"
    # an old browser's warning: "You are using a browser version with limited support for CSS", "Please update your browser"
    r"|\byou are using (?:a|an) (?:browser|outdated browser|older browser)\b|\bbrowser (?:version )?(?:with|has) limited support\b",
    re.I,
)


# A link that asks for a click ("【点击投票】", "[Click here]"): a paragraph holding one is a plug, not the story.
CALL_LINK = re.compile(r"\[(?:点击|click here\b|klicken sie hier\b|cliquez ici\b|haga clic\b|clique aqui\b)[^\]]{0,12}\]", re.I)


# Chinese pages' furniture: the editor in charge ("责任编辑：霍琦"), and a plea to scan a QR code or follow an account.
CN_FURNITURE = re.compile(r"^\W*责任编辑\s*[:：]|扫描?二维码|扫码关注|关注[^。]{0,20}公众号|公众号[^。]{0,30}(?:关注|扫)")


def plain(markdown: str) -> str:
    """What a Markdown paragraph says: its words without emphasis marks, link brackets or addresses."""
    return " ".join(re.sub(r"[*_`\\]|\[|\]\([^)]*\)", "", markdown).split())


def is_promo(line: str) -> bool:
    line = re.sub(r"\]\([^)\s]*\)", "]", line)  # a link's address is no part of what the line says, nor of its length
    if NOTICE.search(line):
        return True  # a notice is one however long, and whatever story it mentions
    if (CALL_LINK.search(line) or CN_FURNITURE.search(line)) and len(line) <= 300:
        return True
    found = PROMO.search(line)
    if found and found.group(0).casefold() in ("podcast", "newsletter", "newsletters") and len(line.split()) > 30:
        return False  # a long sentence may report on a podcast or a newsletter; a plug for one is short
    return len(line.split()) <= 80 and bool(found)


def split_caption(line: str) -> tuple[str, str] | None:
    """A photo caption with its credit, as (caption, credit), or None for ordinary text."""
    if len(line) > 600:
        return None
    found = CAPTION.match(line)
    if found:
        return found.group("caption").strip(), strip_credit_label(found.group("credit"))
    found = CREDIT_TAIL.search(line)
    if found:
        credit = next((found.group(g) for g in ("credit", "credit2", "credit3", "credit4", "credit5", "credit6") if found.group(g)), "").strip(" .")
        return line[: found.start()].strip(), strip_credit_label(credit)
    return None


def strip_credit_label(credit: str) -> str:
    credit = " ".join(credit.split())
    if re.match(rf"^{CREDIT_WORDS}\s", credit):
        return credit  # "AP Photo/Evan Vucci" is the credit as agencies write it
    return CREDIT_LABEL.sub("", credit).strip()


def strip_dateline(paragraphs: list[str]) -> tuple[list[str], str]:
    """Remove a `(Agency) – ` credit from the first paragraph; return the paragraphs and the agency, if named."""
    if not paragraphs:
        return paragraphs, ""
    found = DATELINE.match(paragraphs[0])
    if not found or found.end() > 80:
        return paragraphs, ""
    return [paragraphs[0][found.end():], *paragraphs[1:]], (found.group("agency") or "").strip()


def cut_tail(paragraphs: list[str], plain) -> list[str]:
    """End the body where the page's lists of other stories, tags or comments begin (never before two paragraphs)."""
    for index, paragraph in enumerate(paragraphs):
        text = plain(paragraph)
        if index >= 2 and len(text.split()) <= 8 and TAIL.match(text):
            return paragraphs[:index]
    return paragraphs


def trim_promo_tail(paragraphs: list[str], plain) -> list[str]:
    # Shop and newsletter plugs trail the article: short lines at the very end that sell something.
    promo = re.compile(r"\b(merch|shop|store|newsletter|subscribe|donate|sign up|follow us|podcast|download our app)\b", re.I)
    while paragraphs and len(plain(paragraphs[-1]).split()) <= 8 and promo.search(plain(paragraphs[-1])):
        paragraphs = paragraphs[:-1]
    return paragraphs


def drop_teaser(paragraphs: list[str], plain) -> list[str]:
    """A first paragraph cut off with an ellipsis ("Two people have been diagnosed with the plague,...") is a teaser of the story
    (a share text, a search snippet) above the story itself."""
    first = plain(paragraphs[0]).strip() if len(paragraphs) > 1 else ""
    if re.search(r"(?:\.\.\.|…)$", first) and len(first.split()) < 40:
        return paragraphs[1:]
    if READ_ON.search(first) and len(first.split()) < 60:
        return paragraphs[1:]  # "… verursachen. Erfahren Sie, wie Sie die Pflanze erkennen.": a teaser that asks you to read on
    return paragraphs


# The last sentence of a teaser, asking the reader to read on: "Erfahren Sie, wie …", "Find out how …", "Découvrez pourquoi …".
READ_ON = re.compile(r"(?:^|[.?!]\s+)(?:erfahren sie|lesen sie|find out|learn (?:how|what|why|more)|read on|here'?s (?:what|why|how)|this is why|"
                     r"das ist der grund|das steckt dahinter|découvrez|descubra|descubre|scopri|ontdek)\b[^.?!]*[.?!:]?$", re.I)



# The link that ends a box presenting the series a story belongs to: "More in this series", "See all stories in this series".
SERIES_LINK = re.compile(r"^\W*(?:more|read more|see (?:all|more)|all|more stories)\b(?:\s+\w+){0,3}\s+(?:series|collection)\W*$", re.I)


def drop_series_box(paragraphs: list[str], plain) -> list[str]:
    """A box at the head of the story that presents its series: the series' name, a line about it, and a link to more of it
    ("Texas Legislature 2019" / "The 86th Legislature runs from …" / "More in this series"). None of it is the story."""
    for index, paragraph in enumerate(paragraphs[:6]):
        if index and SERIES_LINK.match(plain(paragraph)):
            start = index - 1
            if start and word_count(plain(paragraphs[start - 1])) <= 6 and not re.search(r"[.?!]$", plain(paragraphs[start - 1]).strip()):
                start -= 1  # the series' name over the line about it
            return paragraphs[:start] + paragraphs[index + 1:]
    return paragraphs


EDITORS_NOTE = re.compile(r"^\W*(?:editor['’]?s['’]? note|note from the editor|anmerkung der redaktion|hinweis der redaktion|note de la rédaction|"
                          r"nota del editor|nota de la redacción|nota della redazione)\b", re.I)


def drop_editors_note(paragraphs: list[str], plain) -> list[str]:
    """A first paragraph that opens with an editor's note's label ("Editor's Note: Inc. magazine will announce …") is the
    editor's word on the story, not the story's opening."""
    return paragraphs[1:] if len(paragraphs) > 1 and EDITORS_NOTE.match(plain(paragraphs[0])) else paragraphs


def drop_lead_furniture(paragraphs: list[str], plain) -> list[str]:
    """What both readers take off the top of a story: an editor's note, a teaser, a standfirst above the dateline, a
    standfirst the story says again."""
    return drop_restated_standfirst(drop_standfirst_above_dateline(drop_teaser(drop_editors_note(paragraphs, plain), plain), plain), plain)


def drop_italic_standfirst(paragraphs: list[str]) -> list[str]:
    """A first paragraph set wholly in italics (Markdown "*…*") above a story in roman is a standfirst or an editor's note,
    not the story's opening."""
    italic = re.compile(r"^(?:\*[^*\s](?:[^*]|\\\*)*\*|_[^_\s][^_]*_)$", re.S)
    if len(paragraphs) > 1 and italic.match(paragraphs[0].strip()) and not italic.match(paragraphs[1].strip()):
        return paragraphs[1:]
    return paragraphs


def drop_restated_standfirst(paragraphs: list[str], plain) -> list[str]:
    """A one-sentence first paragraph whose words the next paragraph's first sentence says again is a standfirst: the story
    restates it ("A new strain of ransomware is spreading…" / "Researchers are warning of a new ransomware spreading…")."""
    if len(paragraphs) < 2:
        return paragraphs
    first, following = plain(paragraphs[0]).strip(), plain(paragraphs[1]).strip()
    if not short_sentences(first):
        return paragraphs
    words = {w.casefold() for w in re.findall(r"\w{3,}", first)}
    again = {w.casefold() for w in re.findall(r"\w{3,}", re.split(r"(?<=[.?!])\s", following)[0])}
    return paragraphs[1:] if len(words) >= 6 and len(words & again) >= 0.6 * len(words) else paragraphs


# A story's opening dateline: "NAPA COUNTY, Calif. (KGO) -- ", "WASHINGTON (AP) — ", "HONOLULU, Hawaii (HawaiiNewsNow) - ".
STORY_DATELINE = re.compile(r"^[A-Z][A-Z.'’ -]{2,40}(?:,\s+[A-Z][\w.'’]*(?:\s+[A-Z][\w.'’]*){0,2})?\s*(?:\([^()]{1,40}\)\s*)?(?:--|—|–|-)\s"
                            # "NEW DELHI: …", as Indian papers write it; not a note's label ("UPDATE: …", "EDITOR'S NOTE: …")
                            r"|^(?!(?:UPDATED?|EDITOR|CORRECTION|CLARIFICATION|BREAKING|WATCH|READ|PHOTOS?|VIDEO|NOTE|LIVE)\b)[A-Z][A-Z.'’ -]{2,30}:\s(?=[A-Z\"“'‘])"
                            # "München/London – ", "Frankfurt am Main – ", as German papers write it: places in mixed case, a dash
                            r"|^(?!(?:Der|Die|Das|Ein|Eine|Es|Er|Sie|Wir|Ich|Am|Im|The|A|An|It|He|She|We|I)\b)"
                            r"[A-ZÀ-ÖØ-Þ][\w.'’-]+(?:(?:\s|/|\s/\s)(?:[A-ZÀ-ÖØ-Þ][\w.'’-]+|am|an der|im|bei))*\s[–—]\s(?=\S)")


def drop_standfirst_above_dateline(paragraphs: list[str], plain) -> list[str]:
    """A short paragraph (up to three sentences) right above one that opens with the story's dateline is a standfirst: the
    dateline starts the story. So is one above a credit in capitals over the dateline ("…" / "FROM OUR CORRESPONDENT" / "ROME - …")."""
    credit = len(paragraphs) >= 3 and plain(paragraphs[1]).isupper() and len(plain(paragraphs[1]).split()) <= 6
    story = 2 if credit else 1
    if len(paragraphs) <= story or not STORY_DATELINE.match(plain(paragraphs[story])) or STORY_DATELINE.match(plain(paragraphs[0])):
        return paragraphs
    return paragraphs[story:] if short_sentences(plain(paragraphs[0]).strip(), sentences=3, words=60) else paragraphs


def short_sentences(text: str, sentences: int = 1, words: int = 40) -> bool:
    """One sentence of under 40 words (or as many as given): what a standfirst is, and a story's opening paragraph seldom."""
    return len(re.findall(r"[.?!][”\"’']?(?:\s|$)", text)) <= sentences and len(text.split()) < words


# A link's hover card glued into the text after the linked name: "Gov. Ana LimaAna Maria LimaHeadline one … MORE (R) said".
# The card opens with the person's full name, glued to the surname the story wrote and ending in it, and ends with "MORE".
HOVER_CARD = re.compile(r"\b(?P<surname>[A-Z][a-z'’-]+)(?:[A-Z][\w.'’-]*\s+){1,3}(?P=surname)(?=[A-Z]).{0,400}?\sMORE(?=\s)")


def drop_hover_cards(line: str) -> str:
    """The line without the hover cards a scraper glued after linked names."""
    return HOVER_CARD.sub(lambda found: found.group("surname"), line)


# A button with its count or a label its own answer repeats: "Ver comentarios (0)", "SEE ALL COMMENTS (32)", "Search for: Search".
PROMPT = re.compile(r"^\W*\w+(?:\s+\w+){0,3}\s*\(\d+\)$|^\W*(\w+)\b[^:]{0,30}:\s*\1$", re.I)
# A paywall's plea to the reader: join, subscribe or log in for access ("If you're already a subscriber, you can log in…").
PAYWALL = re.compile(
    r"\byou(?:['’](?:ll|re))?\b[^.]*\b(?:subscribers?|subscription|log in|sign in|unlimited (?:digital )?access|join now)\b"
    r"|\b(?:subscribers?|subscription|log in|sign in|join now)\b[^.]*\byou\b|有料(?:会員|記事)",
    re.I,
)
# A sign-off or a source line closes a story and stays: "With Post wires", "SOURCE: Al Jazeera", "Additional reporting by …".
SIGN_OFF = re.compile(r"^\W*(?:with\b.{0,30}\bwires?|sources?\b|contributing\b|(?:additional )?reporting\b|edit(?:ed|ing) by\b|compiled by\b)", re.I)


def is_prompt(line: str) -> bool:
    """A comment, search or report button with its count or label, or a paywall's plea (short: a story's sentence is not one)."""
    text = " ".join(re.sub(r"[*_`\\]|\[|\]\([^)]*\)", "", line).split())
    return bool(PROMPT.match(text)) or word_count(text) <= 60 and bool(PAYWALL.search(text))


def before_paywall(paragraphs: list[str], plain) -> list[str]:
    """The story up to a paywall's plea that only buttons follow ("この記事は会員限定です…" / "無料・有料プランを選択" / "ログイン"):
    the plea ends what the page shows of the story, and the short lines after it are its plans and log-in buttons."""
    for index, paragraph in enumerate(paragraphs):
        text = " ".join(re.sub(r"[*_`\\]|\[|\]\([^)]*\)", "", plain(paragraph)).split())
        if index and word_count(text) <= 60 and PAYWALL.search(text) and all(_button_or_list(plain(p)) for p in paragraphs[index + 1:]):
            return paragraphs[:index]
    return paragraphs


def _button_or_list(text: str) -> bool:
    """A short line, or a line with no sentence's end: a button, or a list of tags run together."""
    return word_count(text) <= 12 or not re.search(r"[.?!。！？][”\"’'」]?$", text.strip())


def _headline_like(paragraph: str) -> bool:
    """Shaped like another story's headline: a few words, a capital or a quote first, a letter or a quote last; not a list
    item, a note in italics, a sign-off, or a dated entry of a list ("June 9 – Tampa, FL")."""
    text = " ".join(re.sub(r"[*_`\\#>]|\[|\]\([^)]*\)", "", paragraph).split())
    words = re.findall(r"\w+", text)
    return (1 <= len(words) <= 18 and bool(re.match(r"[\"“‘'«¿¡]?[^\W\d_a-zß-ÿ]", text)) and bool(re.search(r"[^\W\d_][\"”’'»]?$", text))
            and not re.match(r"#|\d+\. |[-+] |\*|_", paragraph.strip()) and not SIGN_OFF.match(text)
            and not re.match(r"[A-Z][a-z]{2,8}\.?\s+\d{1,2}\b", text))


def drop_headline_tail(paragraphs: list[str]) -> list[str]:
    """Drop the run of headline-like lines a body ends in when it is three or more (other stories' headlines) or all of four
    words or fewer (buttons: "Reportar un error"); a story ends in a sentence. Never below two paragraphs."""
    start = len(paragraphs)
    while start > 2 and _headline_like(paragraphs[start - 1]):
        start -= 1
    run = paragraphs[start:]
    if len(run) >= 3 or run and all(len(re.findall(r"\w+", p)) <= 4 for p in run):
        return paragraphs[:start]
    return paragraphs


def said_key(paragraph: str) -> str:
    """What a paragraph says, quotes, Markdown marks and a closing full stop aside: two that say the same have one key."""
    text = re.sub(r"[*_`\\#>]|\[|\]\([^)]*\)", "", paragraph).translate(str.maketrans("‘’“”", "''\"\""))
    return " ".join(text.split()).casefold().strip(" .")


def drop_said_again(paragraphs: list[str], plain) -> list[str]:
    """The paragraphs without those of four words or more that say an earlier one again (a lead shown again as a heading)."""
    kept, said = [], set()
    for paragraph in paragraphs:
        key = said_key(paragraph)
        if key not in said or word_count(plain(paragraph)) < 4:
            kept.append(paragraph)
        said.add(key)
    return kept
