"""The routing table: one pure function from a Site to every page it publishes, one line per family."""
from __future__ import annotations

import bisect
import heapq
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby

from .model import Author, Briefing, Site, Tag, Topic, slugify

RELATED_MAX = 5
NEIGHBOURS = 40  # for very common tags, only briefings this close in time compete as related
SITEMAP_MAX = 50_000


@dataclass(frozen=True)
class Page:
    """One output: where it goes, what renders it, the source that claims it, and the data it shows."""

    url: str
    kind: str
    template: str
    context: dict = field(hash=False, compare=False)
    source: str = ""

    @property
    def output_path(self) -> str:
        return self.url.lstrip("/") + ("index.html" if self.url.endswith("/") else "")


@dataclass(frozen=True)
class Index:
    """Lookups over the site that several page families share, computed once."""

    by_topic: dict[str, list[Briefing]]
    topics_of: dict[str, list[Topic]]
    by_tag: dict[str, list[Briefing]]
    by_author: dict[str, list[Briefing]]
    authors: dict[str, Author]
    places: dict[str, dict[str, int]] = field(default_factory=dict)  # topic slug -> briefing path -> index, filled on first use


def build_index(site: Site) -> Index:
    by_tag: dict[str, list[Briefing]] = defaultdict(list)
    by_author: dict[str, list[Briefing]] = defaultdict(list)
    spellings: dict[str, Counter] = defaultdict(Counter)
    for briefing in site.briefings:  # newest first, so every list below is too
        for key in briefing.tag_keys:
            by_tag[key].append(briefing)
        for name in briefing.authors:
            by_author[slugify(name)].append(briefing)
            spellings[slugify(name)][name] += 1
    topics_with: dict[str, set[str]] = defaultdict(set)  # tag key -> slugs of the topics listing it
    for topic in site.topics:
        for key in topic.tag_keys:
            topics_with[key].add(topic.slug)
    by_topic: dict[str, list[Briefing]] = {t.slug: [] for t in site.topics}
    for briefing in site.briefings:
        for slug in set().union(*(topics_with.get(key, ()) for key in briefing.tag_keys)):
            by_topic[slug].append(briefing)
    topics_of: dict[str, list[Topic]] = defaultdict(list)
    for topic in site.topics:
        for briefing in by_topic[topic.slug]:
            topics_of[briefing.path].append(topic)
    authors = {slug: Author(slug, min(c, key=lambda s: (-c[s], s))) for slug, c in sorted(spellings.items())}
    return Index(by_topic, topics_of, dict(by_tag), dict(by_author), authors)


def related(site: Site, index: Index, only: set[str] | None = None) -> dict[str, list[Briefing]]:
    """3 to 5 briefings per briefing (or per briefing named in `only`), ranked by shared tags weighted by how rare each tag is (idf)."""
    total = max(len(site.briefings), 1)
    idf = {key: math.log(1 + total / len(members)) for key, members in index.by_tag.items()}
    position = {b.path: i for i, b in enumerate(site.briefings)}
    paths = [b.path for b in site.briefings]
    places = {key: [position[b.path] for b in members] for key, members in index.by_tag.items()}  # ints: the hot loop below runs millions of times
    result = {}
    for here, briefing in enumerate(site.briefings):
        if only is not None and briefing.path not in only:
            continue
        scores: dict[int, float] = {}
        for key in briefing.tag_keys:
            members = places[key]
            if len(members) > 4 * NEIGHBOURS:  # a common tag: the members nearest in time stand for it
                at = bisect.bisect_left(members, here)
                members = members[max(0, at - NEIGHBOURS) : at + NEIGHBOURS]
            weight = idf[key]
            for other in members:
                scores[other] = scores.get(other, 0) + weight
        scores.pop(here, None)
        ranked = heapq.nsmallest(RELATED_MAX, [(-score, abs(other - here), paths[other]) for other, score in scores.items()])  # keys are unique: as sorted()[:5]
        result[briefing.path] = [site.briefings[position[p]] for _, _, p in ranked]
    return result


def neighbours(index: Index, topics_of: list[Topic], briefing: Briefing) -> tuple[Briefing | None, Briefing | None]:
    """Previous (older) and next (newer) briefing within the briefing's first topic."""
    if not topics_of:
        return None, None
    members = index.by_topic[topics_of[0].slug]
    places = index.places.get(topics_of[0].slug)
    if places is None:  # a search per briefing would make this quadratic
        places = index.places[topics_of[0].slug] = {b.path: i for i, b in enumerate(members)}
    i = places[briefing.path]
    newer = members[i - 1] if i > 0 else None
    older = members[i + 1] if i + 1 < len(members) else None
    return older, newer


def paginate(kind: str, template: str, base: str, items: list, per_page: int, source: str = "", **context) -> list[Page]:
    """List pages at base, base/page/2/, …, each knowing its neighbours for rel=prev/next."""
    chunks = [items[i : i + per_page] for i in range(0, len(items), per_page)] or [[]]
    urls = [base if n == 1 else f"{base}page/{n}/" for n in range(1, len(chunks) + 1)]
    pages = []
    for n, chunk in enumerate(chunks, start=1):
        pagination = {
            "number": n,
            "count": len(chunks),
            "prev_url": urls[n - 2] if n > 1 else None,
            "next_url": urls[n] if n < len(chunks) else None,
            "first_url": urls[0],
        }
        pages.append(Page(urls[n - 1], kind, template, {**context, "briefings": chunk, "pagination": pagination}, source))
    return pages


def feed(url: str, title: str, link: str, description: str, briefings: list[Briefing], size: int, source: str = "") -> Page:
    return Page(url, "feed", "rss", {"title": title, "link": link, "description": description, "briefings": briefings[:size]}, source)


def archive_groups(briefings: tuple[Briefing, ...]) -> list[dict]:
    """Years, newest first, each with its months, each with its briefings."""
    years = []
    for year, in_year in groupby(briefings, key=lambda b: b.date.year):
        months = [{"month": month, "name": group[0].date.strftime("%B"), "date": group[0].date, "briefings": group} for month, group in ((m, list(g)) for m, g in groupby(in_year, key=lambda b: b.date.month))]
        years.append({"year": year, "url": f"/archive/{year}/", "months": months, "count": sum(len(m["briefings"]) for m in months)})
    return years


def archive(site: Site, year_pages: bool) -> list[Page]:
    """The archive: a front page of years and month counts plus a page a year (one page of 10,000 briefings weighs 1.5 MB),
    or, for layouts without archive_year.html, every briefing on the front page."""
    years = archive_groups(site.briefings)
    if not year_pages:
        return [Page("/archive/", "archive", "archive.html", {"years": years, "count": len(site.briefings)})]
    links = [{"year": y["year"], "url": y["url"]} for y in years]  # neighbours by name only: their briefings are not this page's data
    front = Page("/archive/", "archive", "archive.html", {"years": [archive_summary(y) for y in years], "count": len(site.briefings)})
    return [front] + [Page(y["url"], "archive-year", "archive_year.html", {**y, "newer": links[i - 1] if i else None, "older": links[i + 1] if i + 1 < len(years) else None}) for i, y in enumerate(years)]


def archive_summary(year: dict) -> dict:
    """A year as the archive's front page shows it: counts and links only, so editing a briefing's text leaves it be."""
    return {**year, "months": [{"month": m["month"], "name": m["name"], "date": m["date"], "count": len(m["briefings"])} for m in year["months"]]}


def letter_groups(tag_counts: list[tuple[Tag, int]]) -> list[dict]:
    """Tags under their initial A–Z (by slug, so "Économie" files under E), digits and the rest under "0–9" first."""
    groups: dict[str, list] = defaultdict(list)
    for tag, count in tag_counts:
        initial = tag.key[:1].upper()
        groups[initial if initial.isalpha() else "0–9"].append((tag, count))
    order = sorted(groups, key=lambda letter: (letter != "0–9", letter))
    return [{"letter": letter, "id": f"letter-{slugify(letter) or 'other'}", "tags": groups[letter]} for letter in order]


def plan(site: Site, related_of: dict[str, list[Briefing]] | None = None, year_pages: bool = True) -> list[Page]:
    """Every page of the site, in a stable order; the table of contents of a build (`related_of` as a previous build computed it;
    `year_pages` when the layouts have archive_year.html)."""
    config, index = site.config, build_index(site)
    related_of = related(site, index) if related_of is None else related_of
    per_page, size = config.per_page, config.feed_size
    tags = sorted(site.tags.values(), key=lambda t: (t.name.lower(), t.key))
    pages: list[Page] = []
    for b in site.briefings:
        topics = index.topics_of.get(b.path, [])
        older, newer = neighbours(index, topics, b)
        context = {"briefing": b, "topics": topics, "tags": [site.tags[k] for k in b.tag_keys], "related": related_of[b.path], "older": older, "newer": newer}
        pages.append(Page(b.url, "article", "article.html", context, b.path))
        pages += [Page(alias, "redirect", "redirect.html", {"target": b.url, "title": b.title}, b.path) for alias in b.aliases]
    pages.append(Page("/topics/", "topics", "topics.html", {"topic_counts": [(t, len(index.by_topic[t.slug])) for t in site.topics]}))
    for t in site.topics:
        members = index.by_topic[t.slug]
        pages += paginate("topic", t.layout or "topic.html", t.url, members, per_page, t.path, topic=t, count=len(members))
        pages.append(feed(f"{t.url}feed.xml", f"{config.title}: {t.title}", t.url, t.summary, members, size, t.path))
    tag_counts = [(tag, len(index.by_tag[tag.key])) for tag in tags]
    pages.append(Page("/tags/", "tags", "tags.html", {"tag_counts": tag_counts, "letters": letter_groups(tag_counts)}))
    for tag in tags:
        members = index.by_tag[tag.key]
        pages += paginate("tag", "tag.html", tag.url, members, per_page, tag=tag, count=len(members))
        pages.append(feed(f"{tag.url}feed.xml", f"{config.title}: {tag.name}", tag.url, f"Briefings tagged {tag.name}", members, size))
    pages.append(Page("/authors/", "authors", "authors.html", {"author_counts": [(a, len(index.by_author[a.slug])) for a in index.authors.values()]}))
    for author in index.authors.values():
        pages += paginate("author", "author.html", author.url, index.by_author[author.slug], per_page, author=author, count=len(index.by_author[author.slug]))
    pages += archive(site, year_pages)
    pages.append(Page("/", "home", "home.html", {"briefings": list(site.briefings[:per_page]), "topic_counts": [(t, len(index.by_topic[t.slug])) for t in site.topics]}))
    pages.append(Page("/search/", "search", "search.html", {}))
    pages.append(Page("/404.html", "notfound", "404.html", {}))
    pages.append(feed("/feed.xml", config.title, "/", config.description, list(site.briefings), size))
    pages.append(Page("/feeds.opml", "opml", "opml", {"feeds": [{"title": p.context["title"], "url": p.url, "link": p.context["link"]} for p in pages if p.kind == "feed"]}))
    pages += sitemaps([p for p in pages if p.template.endswith(".html") and p.kind not in ("redirect", "notfound")])
    pages.append(Page("/robots.txt", "robots", "robots", {}))
    return pages


def last_change(page: Page) -> datetime | None:
    """A briefing's page last changed when the briefing says it was updated, or else on its date."""
    briefing = page.context["briefing"] if page.kind == "article" else None
    return (briefing.updated or briefing.date) if briefing else None


def sitemaps(pages: list[Page]) -> list[Page]:
    """One sitemap, or an index of several when there are more URLs than one sitemap may hold.

    Their data is what they show of each page, (URL, last change or None), not the pages: a page's other data
    changing (a briefing's text) leaves them as they are.
    """
    entries = [(p.url, last_change(p)) for p in pages]
    if len(entries) <= SITEMAP_MAX:
        return [Page("/sitemap.xml", "sitemap", "sitemap", {"entries": entries})]
    parts = [Page(f"/sitemap-{n}.xml", "sitemap", "sitemap", {"entries": entries[i : i + SITEMAP_MAX]}) for n, i in enumerate(range(0, len(entries), SITEMAP_MAX), 1)]
    return parts + [Page("/sitemap.xml", "sitemapindex", "sitemapindex", {"urls": [part.url for part in parts]})]

