"""The routing table: one row per page family (its pages, template, heading and feeds), planned from briefings' places alone."""
from __future__ import annotations

import bisect
import heapq
import itertools
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import Callable

from .model import Author, Place, ProfilePlace, SiteConfig, Tag, Topic, slugify

RELATED_MAX = 5
SECONDS = 4  # briefings under the home page's lead, with their summaries
LATEST_MAX = 5  # headlines beside them
SECTION_MAX = 4  # headlines per topic on the home page
ASIDE_MAX = 8  # tags, authors and other topics' briefings beside a topic's list
TOP_TAGS_MAX = 30  # the tag index's most used tags
NEIGHBOURS = 40  # for very common tags, only briefings this close in time compete as related
SITEMAP_MAX = 50_000


@dataclass(frozen=True)
class Page:
    """One output: where it goes, its family, the source that claims it, and the data it shows (places, not briefings)."""

    url: str
    kind: str
    template: str
    context: dict = field(hash=False, compare=False)
    source: str = ""
    kept: bool = False  # left alone by a retag (Index.retag), so planned without its data: the last plan's is used

    @property
    def output_path(self) -> str:
        return self.url.lstrip("/") + ("index.html" if self.url.endswith("/") else "")


@dataclass(frozen=True)
class Outline:
    """Everything pages are planned from. Anything else (a briefing's text or title) changes what pages say, not which there are."""

    config: SiteConfig
    places: tuple[Place, ...]  # the published briefings, newest first
    topics: tuple[Topic, ...]  # sorted by title
    tags: dict[str, Tag] = field(hash=False)  # key -> the tag with its display name
    year_pages: bool = True  # the layouts have archive_year.html (older layouts put every briefing on /archive/)
    profiles: tuple[ProfilePlace, ...] = ()  # authors' profiles: which author pages have one


@dataclass
class Index:
    """Lookups over the outline that several families share, computed once."""

    by_topic: dict[str, list[Place]]
    topics_of: dict[str, list[Topic]]
    by_tag: dict[str, list[Place]]
    by_author: dict[str, list[Place]]
    authors: dict[str, Author]
    related: dict[str, list[tuple[Place, tuple[str, ...]]]] = field(default_factory=dict)  # path -> (related briefing, the tag keys they share)
    places: dict[str, dict[str, int]] = field(default_factory=dict)  # topic slug -> path -> position, filled on first use
    starts: dict[str, tuple] = field(default_factory=dict)  # path -> where each of SPANS starts for it, filled on first use
    retag: Retag | None = None  # how the outline differs from the last plan's, when only by a retag


def build_index(outline: Outline) -> Index:
    by_tag: dict[str, list[Place]] = defaultdict(list)
    by_author: dict[str, list[Place]] = defaultdict(list)
    spellings: dict[str, Counter] = defaultdict(Counter)
    for place in outline.places:  # newest first, so every list below is too
        for key in place.tag_keys:
            by_tag[key].append(place)
        for name in place.authors:
            by_author[slugify(name)].append(place)
            spellings[slugify(name)][name] += 1
    topics_with: dict[str, set[str]] = defaultdict(set)  # tag key -> slugs of the topics listing it
    for topic in outline.topics:
        for key in topic.tag_keys:
            topics_with[key].add(topic.slug)
    by_topic: dict[str, list[Place]] = {t.slug: [] for t in outline.topics}
    for place in outline.places:
        for slug in set().union(*(topics_with.get(key, ()) for key in place.tag_keys)):
            by_topic[slug].append(place)
    topics_of: dict[str, list[Topic]] = defaultdict(list)
    for topic in outline.topics:
        for place in by_topic[topic.slug]:
            topics_of[place.path].append(topic)
    authors = {slug: Author(slug, min(c, key=lambda s: (-c[s], s))) for slug, c in sorted(spellings.items())}
    return Index(by_topic, topics_of, dict(by_tag), dict(by_author), authors)


@dataclass(frozen=True)
class Related:
    """Each briefing's related briefings (by path, with the tag keys that made them related, rarest first), and the
    (path, tag keys) they were ranked from."""

    ranked: dict[str, list[tuple[str, tuple[str, ...]]]]
    shape: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Retag:
    """How an outline differs from the one last planned when only briefings' tags changed: the same briefings in the
    same order, the same everything else, and no briefing in or out of a topic. Only pages showing these briefings'
    own pages or these tags can differ (each family says which of its pages stay: Family.stays)."""

    paths: frozenset[str]  # briefings retagged, or holding a tag in `keys`: their pages and related lists can change
    keys: frozenset[str]  # tags that gained or lost a briefing, or changed their display name


def frame(outline: Outline) -> Outline:
    """The outline without its tags: two outlines with the same frame differ at most by a retag."""
    return replace(outline, places=tuple(Place(**{**vars(p), "tag_keys": ()}) for p in outline.places), tags={})  # every other field, whatever fields come


def retag(outline: Outline, shape: tuple[tuple[str, tuple[str, ...]], ...], tags: dict[str, Tag]) -> Retag | None:
    """The retag from the outline whose briefings had these tags (`shape`, as Related keeps it) and these display
    names to this one, whose frame is the same; None if a briefing moved, or came into or left a topic."""
    if len(shape) != len(outline.places) or any(path != p.path for (path, _), p in zip(shape, outline.places)):
        return None
    topics_with: dict[str, set[str]] = defaultdict(set)
    for topic in outline.topics:
        for key in topic.tag_keys:
            topics_with[key].add(topic.slug)
    retagged, keys = set(), {key for key in tags.keys() | outline.tags.keys() if tags.get(key) != outline.tags.get(key)}
    for (path, old), place in zip(shape, outline.places):
        if old != place.tag_keys:
            if set().union(*(topics_with.get(k, ()) for k in old)) != set().union(*(topics_with.get(k, ()) for k in place.tag_keys)):
                return None
            retagged.add(path)
            keys.update(set(old) ^ set(place.tag_keys))
    return Retag(frozenset(retagged | {p.path for p in outline.places if keys.intersection(p.tag_keys)}), frozenset(keys))


def rank_related(outline: Outline, index: Index, previous: Related | None = None) -> Related:
    """3 to 5 related briefings per briefing, ranked by shared tags weighted by how rare each tag is (idf).

    When the same briefings stand in the same order and only some tags changed, only briefings holding a changed
    tag can rank differently (every other score, weight and distance is as it was): only they are ranked again.
    """
    shape = tuple((p.path, p.tag_keys) for p in outline.places)
    if previous is not None and previous.shape == shape:
        return previous
    again: set[str] | None = None
    if previous is not None and len(previous.shape) == len(shape) and all(old[0] == new[0] for old, new in zip(previous.shape, shape)):
        retagged = {path: set(old) ^ set(new) for (path, old), (_, new) in zip(previous.shape, shape) if old != new}
        changed = set().union(*retagged.values())
        again = {path for path, keys in shape if changed.intersection(keys)} | set(retagged)
    ranked = _rank(outline, index, again)
    return Related({**previous.ranked, **ranked} if again is not None else ranked, shape)


def _rank(outline: Outline, index: Index, only: set[str] | None) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    places = outline.places
    total = max(len(places), 1)
    idf = {key: math.log(1 + total / len(members)) for key, members in index.by_tag.items()}
    position = {p.path: i for i, p in enumerate(places)}
    paths = [p.path for p in places]
    members_of = {key: [position[p.path] for p in members] for key, members in index.by_tag.items()}  # ints: the hot loop runs millions of times
    result = {}
    for here, place in enumerate(places):
        if only is not None and place.path not in only:
            continue
        scores: dict[int, float] = {}
        for key in place.tag_keys:
            members = members_of[key]
            if len(members) > 4 * NEIGHBOURS:  # a common tag: the members nearest in time stand for it
                at = bisect.bisect_left(members, here)
                members = members[max(0, at - NEIGHBOURS) : at + NEIGHBOURS]
            weight = idf[key]
            for other in members:
                scores[other] = scores.get(other, 0) + weight
        scores.pop(here, None)
        # Only a briefing scoring at least the RELATED_MAX-th best score can rank: the rest (most of them) are never made tuples.
        cut = heapq.nlargest(RELATED_MAX, scores.values())[-1] if len(scores) > RELATED_MAX else 0
        ranked = heapq.nsmallest(RELATED_MAX, [(-score, abs(other - here), paths[other], other) for other, score in scores.items() if score >= cut])  # keys are unique: as sorted()[:5]
        rarest = sorted(place.tag_keys, key=lambda key: (-idf[key], key))
        result[place.path] = [(path, tuple(key for key in rarest if key in places[other].tag_keys)) for _, _, path, other in ranked]
    return result


def neighbours(index: Index, place: Place) -> tuple[Place | None, Place | None]:
    """Previous (older) and next (newer) briefing within the briefing's first topic."""
    topics = index.topics_of.get(place.path)
    if not topics:
        return None, None
    members = index.by_topic[topics[0].slug]
    places = index.places.get(topics[0].slug)
    if places is None:  # a search per briefing would make this quadratic
        places = index.places[topics[0].slug] = {p.path: i for i, p in enumerate(members)}
    i = places[place.path]
    return (members[i + 1] if i + 1 < len(members) else None), (members[i - 1] if i > 0 else None)


def labels(ix: Index, places) -> dict[str, Topic]:
    """The topic each listed briefing is shown under (its first, as on its own page): path -> topic."""
    return {p.path: ix.topics_of[p.path][0] for p in places if ix.topics_of.get(p.path)}


SPANS: dict[str, Callable[[datetime], date]] = {  # where each heading of a list starts: its day, Monday, month, year
    "day": lambda d: d.date(),
    "week": lambda d: d.date() - timedelta(days=d.weekday()),
    "month": lambda d: d.date().replace(day=1),
    "year": lambda d: d.date().replace(month=1, day=1),
}


def spans(places: list[Place], starts: dict[str, tuple] | None = None) -> list[dict]:
    """A list's briefings under headings that help scanning: by day, week, month or year, the shortest span that puts
    one and a half briefings or more under a heading on average; a list too sparse for any is one group without one."""
    starts = {} if starts is None else starts  # a plan passes its index's, shared by every list
    for p in places:
        if p.path not in starts:  # each briefing's day, week, month and year, worked out once for every list it is in
            starts[p.path] = tuple(start(p.date) for start in SPANS.values())
    for n, span in enumerate(SPANS):
        keys = [starts[p.path][n] for p in places]
        cuts = [i for i in range(1, len(keys)) if keys[i] != keys[i - 1]]
        if 2 * len(places) >= 3 * (len(cuts) + 1):
            bounds = [0, *cuts, len(places)]
            return [{"span": span, "start": keys[a], "briefings": places[a:b]} for a, b in zip(bounds, bounds[1:])]
    return [{"span": "", "start": None, "briefings": list(places)}] if places else []


def paginate(f: Family, ix: Index, base: str, items: list, per_page: int, source: str = "", template: str = "", **context) -> list[Page]:
    """List pages at base, base/page/2/, …, each knowing its neighbours for rel=prev/next, its rows' topics and
    its rows grouped by day, week or month."""
    chunks = [items[i : i + per_page] for i in range(0, len(items), per_page)] or [[]]
    urls = [base if n == 1 else f"{base}page/{n}/" for n in range(1, len(chunks) + 1)]
    pages = []
    for n, chunk in enumerate(chunks, start=1):
        pagination = {"number": n, "count": len(chunks), "prev_url": urls[n - 2] if n > 1 else None, "next_url": urls[n] if n < len(chunks) else None, "first_url": urls[0]}
        rows = {"briefings": chunk, "groups": spans(chunk, ix.starts), "labels": labels(ix, chunk), "pagination": pagination}
        pages.append(Page(urls[n - 1], f.kind, template or f.template, {**context, **rows}, source))
    return pages


def feed(f: Family, o: Outline, url: str, title: str, link: str, description: str, members: list[Place], source: str = "") -> Page:
    """An RSS feed of the newest members; it names its items' tags, so it reads nothing but its own data."""
    items = members[: o.config.feed_size]
    names = {key: o.tags[key].name for place in items for key in place.tag_keys}
    return Page(url, f.kind, f.template, {"title": title, "link": link, "description": description, "briefings": items, "tag_names": names}, source)


def archive_groups(places: tuple[Place, ...]) -> list[dict]:
    """Years, newest first, each with its months (newest first, each with its briefings) and its calendar: all twelve
    months in calendar order with how many briefings each has, none for a month without."""
    years = []
    for year, in_year in groupby(places, key=lambda p: p.date.year):
        months = [{"month": month, "name": group[0].date.strftime("%B"), "date": group[0].date, "briefings": group} for month, group in ((m, list(g)) for m, g in groupby(in_year, key=lambda p: p.date.month))]
        counts = {m["month"]: len(m["briefings"]) for m in months}
        calendar = [{"month": n, "date": date(year, n, 1), "count": counts.get(n, 0)} for n in range(1, 13)]
        years.append({"year": year, "url": f"/archive/{year}/", "months": months, "calendar": calendar, "count": sum(counts.values())})
    return years


def letter_groups(tag_counts: list[tuple[Tag, int]]) -> list[dict]:
    """Tags under their initial A–Z (by slug, so "Économie" files under E), digits and the rest under "0–9" first."""
    groups: dict[str, list] = defaultdict(list)
    for tag, count in tag_counts:
        initial = tag.key[:1].upper()
        groups[initial if initial.isalpha() else "0–9"].append((tag, count))
    order = sorted(groups, key=lambda letter: (letter != "0–9", letter))
    return [{"letter": letter, "id": f"letter-{slugify(letter) or 'other'}", "tags": groups[letter]} for letter in order]


def most_used(places: list[Place], keys_of: Callable[[Place], tuple[str, ...]], skip: tuple[str, ...] = (), most: int = ASIDE_MAX) -> list[tuple[str, int]]:
    """The keys (tags, author slugs) the places carry most often, with their counts: most first, then A–Z."""
    counts = Counter(key for place in places for key in keys_of(place) if key not in skip)
    return sorted(counts.items(), key=lambda kc: (-kc[1], kc[0]))[:most]


def sizes(counts: list[int]) -> list[int]:
    """A size from 1 to 4 for each count, by its logarithm's share of the largest: a cloud that reads at a glance."""
    top = math.log(max(counts, default=1) + 1)
    return [1 + min(3, int(3 * math.log(c + 1) / top + 0.5)) if top else 1 for c in counts]


def count_line(count: int, what: str) -> str:
    return f"{count} briefing{'s' if count != 1 else ''} {what}"


# The planners: each makes one family's pages from the outline (and, for lists of pages, the pages planned so far).

def articles(f: Family, o: Outline, ix: Index, _: list[Page]) -> list[Page]:
    pages = []
    for place in o.places:
        if ix.retag is not None:
            kept = Page(place.url, f.kind, f.template, {"briefing": place}, place.path, kept=True)  # what the sitemap reads
            if f.stays(kept, ix.retag):
                pages.append(kept)
                continue
        older, newer = neighbours(ix, place)
        related = [other for other, _ in ix.related[place.path]]
        shared = {other.path: [o.tags[k] for k in keys] for other, keys in ix.related[place.path]}  # why each is related
        context = {"briefing": place, "topics": ix.topics_of.get(place.path, []), "tags": [o.tags[k] for k in place.tag_keys], "related": related, "older": older, "newer": newer, "shared": shared, "labels": labels(ix, related)}
        pages.append(Page(place.url, f.kind, f.template, context, place.path))
    return pages


def redirects(f: Family, o: Outline, ix: Index, _: list[Page]) -> list[Page]:
    return [Page(alias, f.kind, f.template, {"briefing": place, "target": place.url}, place.path) for place in o.places for alias in place.aliases]


def topic_index(f: Family, o: Outline, ix: Index, _: list[Page]) -> list[Page]:
    return [Page("/topics/", f.kind, f.template, {"topic_counts": [(t, len(ix.by_topic[t.slug])) for t in o.topics]})]


def topic_pages(f: Family, o: Outline, ix: Index, _: list[Page]) -> list[Page]:
    """A topic's briefings, and beside them what a reader may go on to: its most used tags (besides those that define
    it), its authors, and on its first page the latest from other topics."""
    pages = []
    for t in o.topics:
        members = ix.by_topic[t.slug]
        top_tags = [(o.tags[k], n) for k, n in most_used(members, lambda p: p.tag_keys, t.tag_keys)]
        top_authors = [(ix.authors[slug], n) for slug, n in most_used(members, lambda p: tuple(dict.fromkeys(slugify(a) for a in p.authors)))]
        own = set(p.path for p in members)
        elsewhere = [p for p in o.places[: len(members) + ASIDE_MAX] if p.path not in own][:ASIDE_MAX]
        extra = {"topic": t, "count": len(members), "tag_names": {k: o.tags[k].name for k in t.tag_keys if k in o.tags}, "top_tags": top_tags, "top_authors": top_authors, "elsewhere": [], "elsewhere_labels": {}}
        listed = paginate(f, ix, t.url, members, o.config.per_page, t.path, t.layout, **extra)
        listed[0].context.update(elsewhere=elsewhere, elsewhere_labels=labels(ix, elsewhere))  # only the first page: the rest stay put as briefings come
        pages += listed
    return pages


def _tags(o: Outline) -> list[Tag]:
    return sorted(o.tags.values(), key=lambda t: (t.name.lower(), t.key))


def tag_index(f: Family, o: Outline, ix: Index, _: list[Page]) -> list[Page]:
    """Every tag A–Z, led by the most used (those on two briefings or more), most first, each with a size by use."""
    tag_counts = [(tag, len(ix.by_tag[tag.key])) for tag in _tags(o)]
    used = sorted((tc for tc in tag_counts if tc[1] > 1), key=lambda tc: (-tc[1], tc[0].name.lower(), tc[0].key))[:TOP_TAGS_MAX]
    top = [(tag, count, size) for (tag, count), size in zip(used, sizes([count for _, count in used]))]
    return [Page("/tags/", f.kind, f.template, {"tag_counts": tag_counts, "letters": letter_groups(tag_counts), "top": top})]


def tag_pages(f: Family, o: Outline, ix: Index, _: list[Page]) -> list[Page]:
    return [page for tag in _tags(o) for page in paginate(f, ix, tag.url, ix.by_tag[tag.key], o.config.per_page, tag=tag, count=len(ix.by_tag[tag.key]))]


def author_index(f: Family, o: Outline, ix: Index, _: list[Page]) -> list[Page]:
    profiles = {p.slug: p for p in o.profiles if p.slug in ix.authors}
    return [Page("/authors/", f.kind, f.template, {"author_counts": [(a, len(ix.by_author[a.slug])) for a in ix.authors.values()], "profiles": profiles})]


def author_pages(f: Family, o: Outline, ix: Index, _: list[Page]) -> list[Page]:
    """An author's briefings, with their profile when content/authors/ has one."""
    profiles = {p.slug: p for p in o.profiles}
    pages = []
    for a in ix.authors.values():
        pages += paginate(f, ix, a.url, ix.by_author[a.slug], o.config.per_page, author=a, count=len(ix.by_author[a.slug]), profile=profiles.get(a.slug))
    return pages


def archive_front(f: Family, o: Outline, ix: Index, _: list[Page]) -> list[Page]:
    """Years and their months' counts, as a calendar; layouts without archive_year.html get every briefing here instead."""
    years = archive_groups(o.places)
    if o.year_pages:
        years = [{**y, "months": [{"month": m["month"], "name": m["name"], "date": m["date"], "count": len(m["briefings"])} for m in y["months"]]} for y in years]
    return [Page("/archive/", f.kind, f.template, {"years": years, "count": len(o.places)})]


def archive_years(f: Family, o: Outline, ix: Index, _: list[Page]) -> list[Page]:
    """A page a year (one page of 10,000 briefings weighs 1.5 MB), linked to the years beside it."""
    if not o.year_pages:
        return []
    years = archive_groups(o.places)
    links = [{"year": y["year"], "url": y["url"]} for y in years]
    return [Page(y["url"], f.kind, f.template, {**y, "newer": links[i - 1] if i else None, "older": links[i + 1] if i + 1 < len(years) else None}) for i, y in enumerate(years)]


def home(f: Family, o: Outline, ix: Index, _: list[Page]) -> list[Page]:
    """The front page: the newest briefing as the lead, the next four under it, the next few as the latest, then each
    topic with its newest that the page has not shown above (or its newest, when it has shown them all)."""
    newest = list(o.places[: o.config.per_page])
    above = {p.path for p in newest[: 1 + SECONDS + LATEST_MAX]}
    sections = []
    for t in o.topics:
        members = ix.by_topic[t.slug]
        fresh = list(itertools.islice((p for p in members if p.path not in above), SECTION_MAX))
        sections.append({"topic": t, "count": len(members), "briefings": fresh or members[:SECTION_MAX]})
    shown = newest[: 1 + SECONDS + LATEST_MAX] + [p for s in sections for p in s["briefings"]]
    context = {
        "briefings": newest,
        "topic_counts": [(t, len(ix.by_topic[t.slug])) for t in o.topics],
        "lead": newest[0] if newest else None,
        "seconds": newest[1 : 1 + SECONDS],
        "latest": newest[1 + SECONDS : 1 + SECONDS + LATEST_MAX],
        "sections": sections,
        "labels": labels(ix, shown),
    }
    return [Page("/", f.kind, f.template, context)]


def one(url: str) -> Callable[[Family, Outline, Index, list[Page]], list[Page]]:
    """A family of one page with no data of its own."""
    return lambda f, o, ix, _: [Page(url, f.kind, f.template, {})]


def feeds(f: Family, o: Outline, ix: Index, _: list[Page]) -> list[Page]:
    """A feed per topic, per tag and per author, then the site's."""
    pages = [feed(f, o, f"{t.url}feed.xml", f"{o.config.title}: {t.title}", t.url, t.summary, ix.by_topic[t.slug], t.path) for t in o.topics]
    pages += [feed(f, o, f"{tag.url}feed.xml", f"{o.config.title}: {tag.name}", tag.url, f"Briefings tagged {tag.name}", ix.by_tag[tag.key]) for tag in _tags(o)]
    pages += [feed(f, o, f"{a.url}feed.xml", f"{o.config.title}: {a.name}", a.url, f"Briefings by {a.name}", ix.by_author[a.slug]) for a in ix.authors.values()]
    return pages + [feed(f, o, "/feed.xml", o.config.title, "/", o.config.description, list(o.places))]


def opml(f: Family, o: Outline, ix: Index, planned: list[Page]) -> list[Page]:
    return [Page("/feeds.opml", f.kind, f.template, {"feeds": [{"title": p.context["title"], "url": p.url, "link": p.context["link"]} for p in planned if p.kind == "feed"]})]


def sitemaps(f: Family, o: Outline, ix: Index, planned: list[Page]) -> list[Page]:
    """One sitemap, or an index of several when there are more URLs than one sitemap may hold. Each entry is what
    the sitemap shows of a page (URL, last change), so a briefing's text changing leaves the sitemap as it is."""
    listed = [p for p in planned if FAMILIES[p.kind].listed]
    entries = [(p.url, (p.context["briefing"].updated or p.context["briefing"].date) if p.kind == "article" else None) for p in listed]
    if len(entries) <= SITEMAP_MAX:
        return [Page("/sitemap.xml", f.kind, f.template, {"entries": entries})]
    parts = [Page(f"/sitemap-{n}.xml", f.kind, f.template, {"entries": entries[i : i + SITEMAP_MAX]}) for n, i in enumerate(range(0, len(entries), SITEMAP_MAX), 1)]
    return parts + [Page("/sitemap.xml", "sitemapindex", "sitemapindex", {"urls": [part.url for part in parts]})]


def author_description(context: dict) -> str:
    """'Briefings by Ana Ruiz, Europe correspondent.': with the role the author's profile gives, if any."""
    profile = context["profile"]
    name = (profile or context["author"]).name
    return f"Briefings by {name}, {profile.role}." if profile and profile.role else f"Briefings by {name}."


@dataclass(frozen=True)
class Family:
    """One row of the routing table: a kind of page, its template, the planner of its pages, how its <head> names and
    describes it, the feed it offers, and whether crawlers are sent to it."""

    kind: str
    template: str  # a file in layouts/, or the name of a renderer in feeds.py
    pages: Callable[[Family, Outline, Index, list[Page]], list[Page]]
    heading: Callable[[dict], str] = lambda c: ""  # the page's own name, without the site's
    description: Callable[[dict], str] | None = None  # None: the site's description
    feed: Callable[[dict], tuple[str, str]] | None = None  # (name, feed URL) it advertises besides the site's feed
    listed: bool = True  # in the sitemap (HTML pages meant to be found)
    render_names: Callable[[dict], dict] | None = None  # more names for its template, from the briefings its data holds
    stays: Callable[[Page, Retag], bool] = lambda page, retag: False  # a retag leaves this page's data as it was


# The routing table, in publication order: a URL claimed twice is an error on the later claim, and the sitemap and
# the OPML list pages in this order.
TABLE: tuple[Family, ...] = (
    Family("article", "article.html", articles, lambda c: c["briefing"].title, lambda c: c["briefing"].summary, stays=lambda page, retag: page.source not in retag.paths),
    Family("redirect", "redirect.html", redirects, lambda c: c["briefing"].title, listed=False, render_names=lambda c: {"title": c["briefing"].title}),
    Family("topics", "topics.html", topic_index, lambda c: "Topics"),
    Family("topic", "topic.html", topic_pages, lambda c: c["topic"].title, lambda c: c["topic"].summary, lambda c: (c["topic"].title, f"{c['topic'].url}feed.xml")),
    Family("tags", "tags.html", tag_index, lambda c: "Tags"),
    Family("tag", "tag.html", tag_pages, lambda c: f"Tagged {c['tag'].name}", lambda c: count_line(c["count"], f"tagged {c['tag'].name}."), lambda c: (c["tag"].name, f"{c['tag'].url}feed.xml"), stays=lambda page, retag: page.context["tag"].key not in retag.keys),
    Family("authors", "authors.html", author_index, lambda c: "Authors"),
    Family("author", "author.html", author_pages, lambda c: (c["profile"] or c["author"]).name, author_description, lambda c: (c["author"].name, f"{c['author'].url}feed.xml"), stays=lambda page, retag: True),
    Family("archive", "archive.html", archive_front, lambda c: "Archive"),
    Family("archive-year", "archive_year.html", archive_years, lambda c: f"Archive: {c['year']}", lambda c: count_line(c["count"], f"from {c['year']}, month by month.")),
    Family("home", "home.html", home),
    Family("search", "search.html", one("/search/"), lambda c: "Search"),
    Family("notfound", "404.html", one("/404.html"), lambda c: "Page not found", listed=False),
    Family("feed", "rss", feeds, listed=False),
    Family("opml", "opml", opml, listed=False),
    Family("sitemap", "sitemap", sitemaps, listed=False),
    Family("robots", "robots", one("/robots.txt"), listed=False),
)
FAMILIES: dict[str, Family] = {f.kind: f for f in TABLE} | {"sitemapindex": Family("sitemapindex", "sitemapindex", sitemaps, listed=False)}


def plan(outline: Outline, related: Related | None = None, index: Index | None = None, retag: Retag | None = None) -> list[Page]:
    """Every page of the site, in a stable order: the table of contents of a build (`related` as ranked for this
    outline, `index` its build_index, when the caller made them already). After a `retag` of the last plan's outline,
    a family may plan a page the retag left alone without its data (Page.kept): the caller takes the last plan's."""
    index = index or build_index(outline)
    index.retag = retag
    ranked = (related or rank_related(outline, index)).ranked
    by_path = {p.path: p for p in outline.places}
    index.related = {path: [(by_path[other], shared) for other, shared in others] for path, others in ranked.items()}
    pages: list[Page] = []
    for family in TABLE:
        pages += family.pages(family, outline, index, pages)
    return pages
