#!/usr/bin/env python3
"""Write a deterministic synthetic Briefing content tree (site.yaml, topics, briefings) for benchmarks.

Usage:
  python bench/gen_corpus.py --n 1000 --out DIR [--seed 42]

Stdlib only. The same --n and --seed always give byte-identical files, and
briefing i does not depend on --n, so a small corpus is a prefix of a larger
one (up to slug de-duplication, which follows generation order).

Each briefing is 600-900 words of Markdown (paragraphs, one or two ## headings,
a blockquote, a bullet list, inline links, emphasis, curly quotes) with front
matter: title, author (pool of 40, every fourth with a profile in authors/), date (2016-2025, Europe/London offset),
tags (1-6 drawn Zipf-like from a pool of 400, plus the name of its topic),
summary, and now and then `updated` and `source`.
"""
from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import os
import random
import re
import unicodedata

N_TAGS = 400
N_AUTHORS = 40
ZIPF_S = 1.07
WORDS_MIN, WORDS_MAX = 600, 900
TIMEZONE = "Europe/London"
START = dt.datetime(2016, 1, 1, tzinfo=dt.timezone.utc)
END = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)

TOPICS = [  # (name, accent or "", blurb used in the topic intro)
    ("Economy", "#1d4ed8", "growth, prices and the budgets that try to steer them"),
    ("Energy", "#b45309", "grids, fuels and the long argument over who pays for the transition"),
    ("Public Health", "#047857", "hospitals, waiting lists and the agencies that watch for the next outbreak"),
    ("Technology", "", "platforms, chips and the regulators trying to keep pace"),
    ("Transport", "#7c3aed", "rail, roads, ports and the timetables that never quite hold"),
    ("Climate", "#15803d", "emissions targets, floods and the money promised to adapt"),
    ("Agriculture", "", "harvests, subsidies and the weather that decides both"),
    ("Trade", "#0e7490", "tariffs, supply chains and the deals negotiated behind them"),
    ("Labour", "#be123c", "wages, strikes and the shifting shape of work"),
    ("Housing", "", "rents, planning permits and the homes that do not get built"),
    ("Education", "#a16207", "schools, universities and the funding formulas behind them"),
    ("Justice", "#334155", "courts, prisons and the laws that send people to both"),
]

FIRST = ("Ada Bruno Chen Dara Emil Farah Goran Hana Ivo Jana Kofi Lena Mika Nadia Omar "
         "Petra Quinn Rosa Sami Tara Zoë José Ingrid Łukasz Aoife Matías").split()
LAST = ("Abbott Baran Costa Dvořák Eriksen Fischer García Horvat Iqbal Jensen Kowalski "
        "Lindqvist Moreau Novak Okafor Pereira O’Neill Nakamura Achterberg Mensah").split()

NOUNS = """
agency agreement allowance audit backlog ballot bank barrier bill board bond border
budget cabinet capacity cargo ceiling charter claim coalition commission committee
compensation contract corridor council court credit deadline debt deficit deposit
deal directive dispute district dividend election emissions exchange exemption
export facility fare fee forecast framework freight fund grant grid guideline harbour
hearing household import incentive index inquiry inspection insurance inventory
investment label ledger levy licence loan mandate margin memorandum merger ministry
mortgage network office operator output panel pension permit pipeline platform
pledge policy port premium programme proposal quota rate referendum refinery
regulator reform rent reserve review ruling runway salary scheme settlement
shortfall shipment subsidy summit surplus survey tariff tender terminal threshold
timetable tribunal turbine union utility vaccine valuation verdict wage warehouse
waiver watchdog workforce yield
""".split()

ADJECTIVES = """
annual broad central coastal cautious critical direct disputed early eastern emergency
federal final fragile gradual independent interim internal joint key local long-term
major modest municipal national northern official overdue partial pending persistent
preliminary private provincial public rapid record recent regional revised rural
seasonal sharp short-term southern stalled steady temporary unexpected uneven urban
voluntary western
""".split()

VERBS_PAST = """
announced approved blocked cut delayed doubled endorsed expanded extended
halved launched lowered opposed paused postponed proposed raised rejected renewed

reviewed revised scrapped signed suspended tightened trimmed unveiled widened
""".split()

VERBS_BASE = """
approve block cut delay expand extend freeze launch lower oppose pause postpone
propose raise reject renew review revise scrap sign suspend tighten trim widen
""".split()

SPEECH = ["said", "announced", "warned", "argued", "confirmed", "insisted", "noted", "acknowledged"]
ACTORS = [
    "the ministry", "the central bank", "the regulator", "the city council", "union leaders",
    "the commission", "opposition lawmakers", "the finance committee", "the port authority",
    "industry groups", "the court", "the health agency", "local officials", "the treasury",
    "the transport board", "analysts", "the statistics office", "the mayor’s office",
    "the energy watchdog", "employers", "tenant groups", "the auditor", "the governor",
]
ROLES = [
    "a senior economist", "the committee chair", "a spokeswoman for the ministry",
    "a union organiser", "the agency’s director", "an industry lobbyist", "a local councillor",
    "a former regulator", "the port’s operations chief", "a researcher at the institute",
]
PLACES = [
    "Northhaven", "Port Calder", "Eastmere", "Brightwater", "Kelso Ridge", "Lowmoor",
    "Saint Aubin", "Westford", "Marrow Bay", "Ostrava Flats", "Greyholm", "Villanueva",
    "the capital", "the coastal provinces", "the northern districts", "the border region",
]
TIMES = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "at the weekend",
         "last week", "this month", "late on Thursday", "earlier this year", "in March", "in October"]
OUTLETS = ["The Northhaven Ledger", "Calder Daily", "Eastmere Post", "Regional Wire",
           "The Lowmoor Courier", "Westford Gazette", "Harbour News Service", "The Civic Record"]
CONNECTORS = ["However,", "Meanwhile,", "Even so,", "By contrast,", "In practice,", "For now,",
              "Separately,", "At the same time,", "Critics note that", "Supporters say"]


def build_pools(seed: int) -> tuple[list[str], list[str], list[float]]:
    """Return the 40 authors, the 400 tags in popularity order, and the Zipf cumulative weights."""
    r = random.Random(f"pools:{seed}")
    authors: set[str] = set()
    while len(authors) < N_AUTHORS:
        authors.add(f"{r.choice(FIRST)} {r.choice(LAST)}")
    reserved = {_key(name) for name, _, _ in TOPICS}
    tags: dict[str, str] = {}
    while len(tags) < N_TAGS:
        x = r.random()
        if x < 0.55:
            name = f"{r.choice(ADJECTIVES).replace('-', ' ').title()} {r.choice(NOUNS).title()}"
        elif x < 0.85:
            name = f"{r.choice(NOUNS).title()} {r.choice(NOUNS).title()}"
        else:
            name = f"{r.choice(PLACES).replace('the ', '').title()} {r.choice(NOUNS).title()}"
        key = _key(name)
        if key not in reserved and key not in tags:
            tags[key] = name
    ranked = [tags[k] for k in sorted(tags)]
    r.shuffle(ranked)  # rank order = popularity order
    acc, cum = 0.0, []
    for rank in range(1, N_TAGS + 1):
        acc += 1.0 / rank**ZIPF_S
        cum.append(acc)
    return sorted(authors), ranked, cum


def _key(text: str) -> str:
    """A lower-case ASCII hyphen slug, used for tag identity and file names."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    plain = re.sub(r"(?<=\w)['’.](?=\w)", "", plain)
    words = re.findall(r"[a-z0-9]+", plain.lower().encode("ascii", "ignore").decode("ascii"))
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 60:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is a subset of it)."""
    return json.dumps(text, ensure_ascii=False)


def count_words(markdown: str) -> int:
    """Words a reader sees: link URLs and bare Markdown markers (##, >, -) are not words."""
    text = re.sub(r"\]\([^)]*\)", "]", markdown)
    return sum(1 for token in text.split() if any(c.isalnum() for c in token))


def london(instant: dt.datetime) -> dt.datetime:
    """The instant in Europe/London time (GMT, or BST from the last Sunday of March to October)."""

    def last_sunday(year: int, month: int) -> dt.datetime:
        day = dt.datetime(year, month + 1, 1, 1, tzinfo=dt.timezone.utc) - dt.timedelta(days=1)
        return day - dt.timedelta(days=(day.weekday() + 1) % 7)

    y = instant.year
    summer = last_sunday(y, 3) <= instant < last_sunday(y, 10)
    return instant.astimezone(dt.timezone(dt.timedelta(hours=1 if summer else 0)))


class Writer:
    """Makes news-like prose from one random stream."""

    def __init__(self, rng: random.Random, people: list[str]):
        self.r = rng
        self.people = people

    def np(self) -> str:
        r = self.r
        x = r.random()
        if x < 0.4:
            return f"the {r.choice(ADJECTIVES)} {r.choice(NOUNS)}"
        if x < 0.7:
            return f"the {r.choice(NOUNS)} {r.choice(NOUNS)}"
        if x < 0.85:
            return f"{r.choice(['a', 'a second', 'another', 'one'])} {r.choice(ADJECTIVES)} {r.choice(NOUNS)}"
        return f"the {r.choice(NOUNS)} for {r.choice(PLACES)}"

    def decorate(self, phrase: str) -> str:
        """Sometimes turn a phrase into emphasis or an inline link."""
        r = self.r
        x = r.random()
        if x < 0.05:
            return f"*{phrase}*"
        if x < 0.07:
            return f"**{phrase}**"
        if x < 0.13:
            path = "-".join(r.choice(NOUNS) for _ in range(2))
            return f"[{phrase}](https://news.example.com/{r.randint(2016, 2025)}/{path}-{r.randint(1, 99999)})"
        return phrase

    def figure(self) -> str:
        r = self.r
        x = r.random()
        if x < 0.35:
            return f"{r.randint(1, 60)}.{r.randint(0, 9)}%"
        if x < 0.7:
            return f"£{r.randint(2, 950)} million"
        if x < 0.85:
            return f"{r.randint(2, 40):,} {r.choice(['jobs', 'homes', 'vessels', 'patients', 'schools', 'households'])}"
        return f"{r.randint(1, 12)} {r.choice(['months', 'weeks', 'years'])}"

    def clause(self) -> str:
        r = self.r
        x = r.random()
        if x < 0.3:
            return f"{self.decorate(self.np())} would {r.choice(VERBS_BASE)} {self.np()} by {self.figure()}"
        if x < 0.55:
            return f"{r.choice(ACTORS)} had {r.choice(VERBS_PAST)} {self.decorate(self.np())} {r.choice(TIMES)}"
        if x < 0.75:
            return f"{self.np()} in {r.choice(PLACES)} was worth £{r.randint(2, 950)} million, up {r.randint(1, 60)}.{r.randint(0, 9)}% on the year"
        return (f"{self.np()} {r.choice(['could', 'might', 'is likely to', 'is unlikely to'])} "
                f"{r.choice(VERBS_BASE)} {self.decorate(self.np())} before {r.choice(['the election', 'the summer', 'the end of the year', 'the next budget', 'the deadline'])}")

    def sentence(self) -> str:
        r = self.r
        x = r.random()
        if x < 0.28:
            s = f"{r.choice(ACTORS)} {r.choice(SPEECH)} {r.choice(TIMES)} that {self.clause()}."
        elif x < 0.45:
            s = f"{self.clause()}, according to {r.choice(ACTORS)}."
        elif x < 0.6:
            s = f"“{_cap(self.clause())},” said {r.choice(self.people)}, {r.choice(ROLES)}."
        elif x < 0.75:
            s = f"{r.choice(CONNECTORS)} {self.clause()}."
        elif x < 0.88:
            s = f"{self.clause()}, and {self.clause()}."
        else:
            s = f"{self.clause()}{r.choice(['?', '.', ' — for now.'])}"
        return _cap(s)

    def paragraph(self, budget: int, sentences: tuple[int, int] = (2, 4)) -> str:
        """2-4 sentences, stopping early once `budget` words are reached."""
        out: list[str] = []
        words = 0
        for _ in range(self.r.randint(*sentences)):
            s = self.sentence()
            out.append(s)
            words += count_words(s)
            if words >= budget:
                break
        return " ".join(out)

    def heading(self) -> str:
        r = self.r
        return "## " + _cap(r.choice([
            f"What the {r.choice(NOUNS)} means for {r.choice(PLACES)}",
            f"The {r.choice(ADJECTIVES)} {r.choice(NOUNS)}",
            f"Who pays for the {r.choice(NOUNS)}",
            f"What happens next",
            f"Reaction from {r.choice(ACTORS)}",
            f"{r.choice(NOUNS)} and {r.choice(NOUNS)}",
        ]))

    def quote(self) -> str:
        return "> " + self.paragraph(60, (1, 2))

    def bullets(self) -> str:
        r = self.r
        items = []
        for _ in range(r.randint(3, 5)):
            items.append(f"- {_cap(self.decorate(self.np()))}: {self.figure()} {r.choice(['so far', 'this year', 'since the review', 'in the first quarter', 'by the deadline'])}")
        return "\n".join(items)

    def title(self) -> str:
        r = self.r
        x = r.random()
        t = r.choice([
            f"{r.choice(ACTORS)} {r.choice(VERBS_PAST)} {r.choice(NOUNS)} {r.choice(NOUNS)}",
            f"{r.choice(PLACES)} {r.choice(NOUNS)} {r.choice(VERBS_PAST)} after {r.choice(NOUNS)} {r.choice(['row', 'review', 'vote', 'ruling'])}",
            f"{r.choice(ADJECTIVES)} {r.choice(NOUNS)} {r.choice(VERBS_PAST)} in {r.choice(PLACES)}",
            f"Why the {r.choice(NOUNS)} {r.choice(NOUNS)} matters",
        ])
        t = " ".join(w if w in ("the", "in", "after", "for") else w[:1].upper() + w[1:] for w in t.split())
        if x < 0.15:
            t += f": “{_cap(r.choice(['not yet ready', 'a fair deal', 'we will appeal', 'too little, too late', 'the numbers don’t add up']))}”"
        elif x < 0.2:
            t += "?"
        return _cap(t)

    def body(self, target: int) -> str:
        """A skeleton (lede, quote, heading, list) that cannot pass 600 words, then paragraphs to `target`."""
        r = self.r
        blocks = [self.paragraph(999), self.paragraph(999), self.quote(), self.heading(),
                  self.paragraph(999), self.bullets(), self.paragraph(999)]
        words = sum(count_words(b) for b in blocks)
        second_heading = r.random() < 0.6
        while words < target:
            remaining = target - words
            if second_heading and remaining < 250:
                blocks.append(self.heading())
                second_heading = False
            elif r.random() < 0.08 and remaining > 80:
                blocks.append(self.quote())
            else:
                blocks.append(self.paragraph(remaining))
            words += count_words(blocks[-1])
        return "\n\n".join(blocks) + "\n"


def _cap(text: str) -> str:
    i = 1 if text[:1] in "“*[" else 0
    if text[i : i + 1] == "*":
        i += 1
    return text[:i] + text[i : i + 1].upper() + text[i + 1 :]


def pick_tags(r: random.Random, tags: list[str], cum: list[float], k: int) -> list[str]:
    chosen: list[str] = []
    while len(chosen) < k:
        t = tags[min(len(tags) - 1, bisect.bisect_left(cum, r.random() * cum[-1]))]
        if t not in chosen:
            chosen.append(t)
    return chosen


def briefing(i: int, seed: int, authors: list[str], tags: list[str], cum: list[float]) -> tuple[dt.datetime, str, str]:
    """Return (local date, title, file text) of briefing number i."""
    r = random.Random(f"briefing:{seed}:{i}")
    w = Writer(r, authors)
    title = w.title()
    author = r.choice(authors)
    span_minutes = int((END - START).total_seconds() // 60)
    date = london(START + dt.timedelta(minutes=r.randrange(span_minutes)))
    k = min(6, 1 + int(r.expovariate(1 / 1.8)))
    topic = r.choice(TOPICS)[0]
    own = pick_tags(r, tags, cum, k)
    summary = _cap(w.clause()) + "."
    body = w.body(r.randint(WORDS_MIN + 20, WORDS_MAX - 40))
    head = ["---", f"title: {q(title)}", f"author: {q(author)}", f"date: {date.isoformat()}", "tags:"]
    own.insert(r.randint(0, len(own)), topic)  # the topic tag sits anywhere in the list
    head += [f"  - {q(t)}" for t in own]
    head.append(f"summary: {q(summary)}")
    x = r.random()
    if x < 0.1:
        updated = date + dt.timedelta(hours=r.randint(2, 72), minutes=r.randint(0, 59))
        head.append(f"updated: {london(updated.astimezone(dt.timezone.utc)).isoformat()}")
    if r.random() < 0.3:
        published = london((date - dt.timedelta(hours=r.randint(1, 30))).astimezone(dt.timezone.utc))
        head += ["source:", f"  name: {q(r.choice(OUTLETS))}",
                 f"  url: {q(f'https://news.example.com/{date.year}/{_key(title)}')}",
                 f"  published: {published.isoformat()}"]
    head += ["---", ""]
    return date, title, "\n".join(head) + "\n" + body


def topic_file(index: int, seed: int, tags: list[str]) -> tuple[str, str]:
    """Return (slug, file text) of topic number index: its name plus 1-3 fairly popular pool tags."""
    name, accent, blurb = TOPICS[index]
    r = random.Random(f"topic:{seed}:{index}")
    extra = r.sample(tags[10:80], r.randint(1, 3))
    head = ["---", f"title: {q(name)}", f"summary: {q(f'Briefings on {blurb}.')}", "tags:"]
    head += [f"  - {q(t)}" for t in [name, *extra]]
    if accent:
        head.append(f"accent: {q(accent)}")
    head += ["---", ""]
    intro = (f"This topic collects our briefings on {blurb}. It gathers every briefing tagged "
             f"*{name}*, along with those filed under " + ", ".join(f"*{t}*" for t in extra) +
             ", newest first.\n")
    return _key(name), "\n".join(head) + "\n" + intro


ROLES_HELD = ["Economics correspondent", "Energy editor", "Health reporter", "Technology correspondent", "Transport reporter",
              "Climate editor", "Data journalist", "Courts reporter", "Labour correspondent", "Housing reporter"]


def author_file(index: int, seed: int, name: str, people: list[str]) -> tuple[str, str] | None:
    """Return (slug, file text) of a profile for every fourth author: name, role, a link and a two-paragraph bio."""
    if index % 4 or "Ł" in name:  # Ł has no ASCII decomposition: _key would not give the build's slug
        return None
    r = random.Random(f"author:{seed}:{index}")
    w = Writer(r, people)
    slug, role = _key(name), r.choice(ROLES_HELD)
    head = ["---", f"name: {q(name)}", f"role: {q(role)}", "links:",
            f"  - {{title: Website, url: {q(f'https://people.example.org/{slug}')}}}", "---", ""]
    bio = f"{name.split()[0]} has been our {role[0].lower() + role[1:]} since {r.randint(2005, 2018)}. {w.paragraph(40, (1, 2))}\n\n{w.paragraph(40, (1, 2))}\n"
    return slug, "\n".join(head) + "\n" + bio


SITE_YAML = """\
title: "Briefing Bench"
description: "A synthetic collection of news briefings, generated for benchmarks."
base_url: "https://bench.example.org/"
language: en
timezone: {tz}
feed_size: 20
per_page: 20
navigation:
  - title: Topics
    url: /topics/
  - title: Tags
    url: /tags/
  - title: Archive
    url: /archive/
"""


def write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def generate(n: int, out: str, seed: int = 42) -> int:
    """Write the whole tree under `out`; return the number of briefings written."""
    authors, tags, cum = build_pools(seed)
    write(os.path.join(out, "site.yaml"), SITE_YAML.format(tz=TIMEZONE))
    for index in range(len(TOPICS)):
        slug, text = topic_file(index, seed, tags)
        write(os.path.join(out, "topics", f"{slug}.md"), text)
    for index, name in enumerate(authors):
        profile = author_file(index, seed, name, authors)
        if profile is not None:
            write(os.path.join(out, "authors", f"{profile[0]}.md"), profile[1])
    used: dict[int, set[str]] = {}
    for i in range(n):
        date, title, text = briefing(i, seed, authors, tags, cum)
        taken = used.setdefault(date.year, set())
        base = _key(title) or f"briefing-{i}"
        slug, k = base, 2
        while slug in taken:
            slug, k = f"{base}-{k}", k + 1
        taken.add(slug)
        write(os.path.join(out, "briefings", str(date.year), f"{slug}.md"), text)
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, required=True, help="number of briefings")
    ap.add_argument("--out", required=True, help="content directory to write (created if missing)")
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    generate(a.n, a.out, a.seed)


if __name__ == "__main__":
    main()
