"""The build, one path for every caller: gather and validate every source, plan the pages, render what changed, write once.

`build(options, state)` is the whole of it; the CLI (`build_site`), serve, `--clean` (an empty state) and a rebuild
that finds nothing to do all run it. What the last build left (`state.State`) is consulted at three points: is this
source's parse current, which outputs' fingerprints are current, can the last plan be reused. `check` stops before writing.
"""
from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import operator
import os
import signal
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import jinja2
import markdown
import nh3
import yaml

from . import content, fingerprint, inputs, render, routes, search, state as states, writer
from .errors import Problem, Report
from .frontmatter import MAX_SOURCE_BYTES, too_large
from .model import Briefing, Profile, Site, SiteConfig, Tag, Topic

PARALLEL_MIN = 64  # fewer sources or pages than this are done in-process faster than a pool starts
CHUNK = 32
WORKER_PAGES = 4_000  # pages a set of render workers takes before fresh ones are forked (see render_pages)


@dataclass(frozen=True)
class Options:
    content_dir: Path = Path("content")
    layouts_dir: Path = Path("layouts")
    output_dir: Path = Path("site")
    base_url: str | None = None
    drafts: bool = False
    future: bool = False
    now: datetime | None = None  # injectable, so tests decide what "future" means
    jobs: int | None = None  # processes for Markdown and rendering; None: one per CPU
    clean: bool = False  # ignore the build state: a full build
    cache_dir: Path = Path(".cache")
    search: bool = True  # index the site with Pagefind


@dataclass(frozen=True)
class Summary:
    """What a collection of sources amounts to, kept so that the same sources need not be loaded again, and the same
    shape (every briefing's filing, every topic) need not be checked and sorted again."""

    key: bytes  # the config, the options and every source's token
    shape_key: bytes  # the config, the options, every briefing's filing and every topic
    setup: bytes  # the config and options alone (Collection.setup)
    problems: list[Problem]  # each source's and the cross-file checks'
    cross: list[Problem]  # the cross-file checks' alone
    held_back: int
    wake: datetime | None  # the first held-back briefing's date: from then on the same sources publish more
    outline_key: bytes
    order: tuple[str, ...]  # the published briefings, newest first
    tags: dict[str, Tag]


@dataclass
class Collection:
    """What gathering found: every input, each source's token, the problems; and the site itself, when it had to be
    assembled (None when the sources are the last build's: its summary stands in, and sources load when asked for)."""

    config: SiteConfig | None
    problems: list[Problem]
    entries: dict[str, inputs.Input] = field(default_factory=dict)
    walk_problems: list[Problem] = field(default_factory=list)
    tokens: dict[str, bytes] = field(default_factory=dict)  # source path (as Briefing.path names it) -> token
    parsed: dict[bytes, tuple] = field(default_factory=dict)  # token -> (value, problems, shape digest), of what was parsed now
    filed: dict[bytes, tuple] = field(default_factory=dict)  # token -> the same with a briefing's filing, of every source
    sources: dict[str, object] = field(default_factory=dict)  # path -> Briefing, Topic or Profile, of what was parsed now
    templates: dict[str, bytes] = field(default_factory=dict)  # template name -> its bytes
    template_reads: dict[bytes, tuple] = field(default_factory=dict)  # digest of a template -> render.template_reads of it
    static: dict[str, str] = field(default_factory=dict)  # 'static/…' -> the layouts file published there
    summary: Summary | None = None
    site: Site | None = None
    files: inputs.Files = field(default_factory=inputs.Files)  # every input's path
    read: dict[str, bytes] = field(default_factory=dict)  # bytes the scan read on the way
    setup: bytes = b""  # the config and options the summary depends on besides the sources
    key: bytes = b""  # the setup and every source's token, when every source was known to the scan
    settings: bytes = b""  # what a parse depends on besides the source's bytes: the timezone and markup options
    moved: list[str] | None = None  # when known (serve's patched edit): the source paths whose tokens differ from the state's


@dataclass
class Plan:
    """The pages of one outline as fingerprinting and the summary line need them: each page's output, template, the
    digest of its packed data and the sources it shows. The packed pages themselves are kept apart (`Pages`)."""

    problems: list[Problem]  # two sources claiming one URL: only a plan without any is ever kept
    key: bytes  # the outline's digest
    outputs: list[str]  # each page's output path
    templates: list[str]
    digests: list[bytes]  # of each packed page
    shown: list[tuple[str, ...]]  # the sources each page shows
    counts: dict[str, int]
    topics: tuple[Topic, ...]  # what the templates' globals are made of
    tags: dict[str, Tag]
    pages: Pages | None = field(default=None, repr=False)  # the packed pages, when in memory (the state keeps them apart)
    frame: bytes = b""  # the digest of the outline without its tags (routes.frame): the next plan may be a retag of this one

    @functools.cached_property
    def output_set(self) -> frozenset[str]:
        return frozenset(self.outputs)

    @functools.cached_property
    def shown_on(self) -> dict[str, list[int]]:
        """Source path -> the pages that show it."""
        found: dict[str, list[int]] = {}
        for i, shown in enumerate(self.shown):
            for path in shown:
                found.setdefault(path, []).append(i)
        return found


@dataclass
class Pages:
    """The large part of a plan: each page's data, packed (fingerprint.Packer), and the related ranking it was planned with."""

    packed: list[bytes]
    related: routes.Related


class Sources(dict):
    """Every briefing, topic and author's profile by path. When the sources are the last build's, each is loaded when
    a page asks for it: from the state's parses, or parsed again when the state lost it."""

    def __init__(self, options: Options, collection: Collection, state: states.State, cards: bool = True):
        super().__init__(collection.sources)
        self.options, self.collection, self.state, self.cards = options, collection, state, cards

    def __missing__(self, path: str):
        token = self.collection.tokens[path]
        card = self.state.card(token) if self.cards and token not in self.state.parsed else None
        value = self[path] = Listed(card, functools.partial(self.whole, path)) if isinstance(card, Briefing) else card or self.whole(path)
        return value

    def load_all(self) -> None:
        """Every source in memory now, once: render workers forked after this share them, where each would load them all."""
        for path in self.collection.tokens:
            if path not in self:
                self.__missing__(path)

    def whole(self, path: str):
        """The source as parsed: from the state's parses, or parsed again when the state lost it."""
        found = self.state.parse(self.collection.tokens[path]) or parse_each(self.options, self.collection, [f"content/{path}"])[0][2:]
        return found[0]


class Listed:
    """A briefing as a list shows it, from the state's card (every field but the body); reading its body (its own
    page, a feed) loads the whole parse. A year's archive then loads one small file, not every parse."""

    __slots__ = ("_card", "_load", "_whole")

    def __init__(self, card: Briefing, load: Callable[[], Briefing]):
        self._card, self._load, self._whole = card, load, None

    def __getattr__(self, name: str):
        if name != "body_html":
            return getattr(self._card, name)
        if self._whole is None:
            self._whole = self._load()
        return self._whole.body_html


class RenderFailed(Exception):
    """Raised after the last page when any page failed, so the writer never swaps in a partial site."""


def code_key(options: Options) -> bytes:
    """Everything outside content and layouts that output bytes depend on: the code a build runs (the package's
    modules; not the importer, a build never loads it), the libraries, the folders."""
    h = hashlib.blake2b(digest_size=16)
    package = Path(__file__).parent
    for path in sorted(package.glob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    versions = (states.VERSION, sys.version_info[:2], markdown.__version__, jinja2.__version__, yaml.__version__, getattr(nh3, "__version__", ""), search.version())
    h.update(repr((versions, str(options.content_dir.absolute()), str(options.layouts_dir.absolute()))).encode())
    return h.digest()


def build_site(options: Options) -> Report:
    """The command line's build: one at a time per output folder, with the state kept in options.cache_dir."""
    with writer.lock(options.output_dir) as holder, _without_collector_pauses():
        if holder is not None:
            problem = Problem(str(options.output_dir), 1, 1, "output", f"another build (process {holder}) is writing this output folder right now", "nothing was changed; build again when it has finished")
            return Report(problems=[problem], output=str(options.output_dir))
        key = code_key(options)
        previous = states.State(key=key) if options.clean else states.load(options.cache_dir, options.output_dir, key)
        report, new = build(options, previous)
        if not states.same(new, previous):
            try:
                states.save(options.cache_dir, options.output_dir, new)
            except OSError as exc:
                report.problems.append(Problem(str(options.cache_dir), 1, 1, "", f"cannot keep the build state: {exc.strerror or exc}", "the site was built; the next build starts from scratch (is .cache a file?)", "warning"))
        return openable(report, options)


def openable(report: Report, options: Options) -> Report:
    """The report with every path as it opens from the working directory: the stages name a source relative to the
    content folder (briefings/…, topics/…, site.yaml) and a template as layouts/…; the folders given are put in front."""

    def where(path: str) -> str:
        top, _, rest = path.partition("/")
        if path == "content":
            return options.content_dir.as_posix()
        if path == "site.yaml" or top in inputs.SOURCE_FOLDERS:
            return (options.content_dir / path).as_posix()
        if top == "layouts" and rest:
            return (options.layouts_dir / rest).as_posix()
        return path

    report.problems = [replace(p, path=where(p.path)) for p in report.problems]
    return report


def build(options: Options, state: states.State, changed: frozenset[str] | None = None, walk: bool = True, preview: bool = False) -> tuple[Report, states.State]:
    """Gather, plan, render what changed, write what differs; on any error nothing in the output folder changes.

    Returns the report and the state for the next build. `changed` (serve): every input a watcher named since the
    last build, so only those are looked at; `walk`: files may have come or gone, so the folders are walked first.
    `preview` (serve): builds follow each other, so the first also makes the spare tree the next will update.
    """
    with _without_collector_pauses():
        return _build(options, state, changed, walk, preview)


def ready_for_edits(state: states.State) -> None:
    """Work out ahead what an edit's build asks of the last plan (which pages show each source, the set of outputs):
    serve does it while it waits, so that the first edit after a start or a new plan does not (~0.1 s at 10,000)."""
    if state.plan is not None:
        state.plan.shown_on, state.plan.output_set


@contextlib.contextmanager
def _without_collector_pauses():
    """Python's cycle collector, run every few hundred allocations, walks the whole heap: with ten thousand parsed
    briefings in memory it took half the time of planning. A build makes little cyclic garbage (its values are plain
    data), so the collector waits until it ends; forked workers, which parse and render, turn it on again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(options: Options, state: states.State, changed: frozenset[str] | None, walk: bool, preview: bool) -> tuple[Report, states.State]:
    started = time.perf_counter()
    report = Report(output=str(options.output_dir))
    collection = gather(options, state, changed, walk)
    report.problems += collection.problems
    if collection.summary is None or not report.ok:
        return _done(report, started), _unbuilt(state, collection, changed)
    plan = plan_pages(options, collection, state)
    report.problems += plan.problems
    report.counts, report.held_back = plan.counts, collection.summary.held_back
    if not report.ok:
        return _done(report, started), _unbuilt(state, collection, changed)
    live, spare = _checked_trees(options.output_dir, state)
    env = render.make_environment(options.layouts_dir, collection.config, plan.topics, plan.tags, collection.templates, render.compiled_folder(options.cache_dir, state.key, collection.config) if state.key else None)
    fps, basis, redone = fingerprints(collection, plan, env, state)
    outputs: dict[str, tuple[bytes, bytes, bool]] = {}
    kept, files = produce(options, collection, plan, env, fps, redone, state, live.digests, outputs, report.problems)
    derived = search.index_files(outputs, state.outputs, live.digests, report.problems) if options.search else None
    try:
        published = writer.publish(options.output_dir, files, live, spare, derived, kept, fill_spare=preview)
    except RenderFailed:
        return _done(report, started), replace(_unbuilt(state, collection, changed), trusted=False)
    except (writer.OutputError, OSError) as exc:
        report.problems.append(Problem(str(options.output_dir), 1, 1, "output", str(exc), "nothing was changed in the output folder; fix the cause and build again"))
        return _done(report, started), replace(_unbuilt(state, collection, changed), trusted=False)
    return _done(report, started), _next_state(state, collection, plan, outputs, basis, published)


def _unbuilt(state: states.State, collection: Collection, changed: frozenset[str] | None) -> states.State:
    """What a failed build leaves: the last state, less its records of the inputs this build found changed (or was
    told of, when it stopped before looking). The next build, told only of its own edits, then reads these again:
    a file that broke a build stays broken until it is fixed, and is never taken for its last good version."""
    if collection.entries:
        stale = {rel for rel, entry in state.inputs.items() if collection.entries.get(rel) is not entry}
    else:
        stale = state.inputs.keys() if changed is None else changed
    if not stale:
        return state
    return replace(state, inputs={rel: entry for rel, entry in state.inputs.items() if rel not in stale})


def _next_state(state: states.State, collection: Collection, plan: Plan, outputs: dict, basis: bytes, published: writer.Published | None) -> states.State:
    """What this build leaves for the next: its inputs and parses, its plan, its outputs, the trees it wrote."""
    assembled = collection.site is not None  # else nothing was parsed, and the state's files still hold every parse
    if collection.moved is not None:  # serve's edit: the state's parses and cards, less those of the moved sources' old bytes
        gone = [state.tokens[path] for path in collection.moved]
        parsed, cards = {**state.parsed, **collection.parsed}, dict(state.cards)
        for token in gone:
            parsed.pop(token, None)
            cards.pop(token, None)
    else:
        current = set(collection.tokens.values())
        parsed = {token: parse for token, parse in {**state.parsed, **collection.parsed}.items() if token in current}
        cards = {token: card for token, card in state.cards.items() if token in current}
    return states.State(
        key=state.key,
        inputs=collection.entries,
        files=collection.files,
        walk_problems=collection.walk_problems,
        parsed=parsed,
        shards=state.shards,
        filed=collection.filed if assembled else state.filed,
        filed_shards={} if assembled else state.filed_shards,
        cards=cards,  # the state's save adds the new ones
        card_shards=state.card_shards,
        folder=state.folder,
        tokens=collection.tokens,
        settings=collection.settings,
        outputs=outputs,
        basis=basis,
        live=published.live if published is not None else state.live,
        spare=published.spare if published is not None else state.spare,
        spare_saved=published is None and state.spare_saved,
        plan=plan,
        pages=plan.pages,
        plan_key=plan.key,
        summary=collection.summary,
        site=collection.site or state.site,
        template_reads=collection.template_reads,
        trusted=True,
    )


def _done(report: Report, started: float) -> Report:
    report.seconds = time.perf_counter() - started
    return report


def _checked_trees(output_dir: Path, state: states.State) -> tuple[writer.Checked, Callable[[], writer.Checked]]:
    """The site, and how to learn the spare tree, as far as they are still what the state recorded: its own writes
    when this process made the state, else what `writer.verify` finds (a tree swapped in by a killed build names another)."""
    if state.trusted and state.live is not None:
        spare = state.previous_site()
        return writer.trusted(state.live), lambda: writer.trusted(spare) if spare is not None else writer.verify(writer.spare_path(output_dir), None)
    live = writer.verify(output_dir.absolute(), state.live)
    return live, lambda: writer.verify(writer.spare_path(output_dir), state.previous_site(), live.tree)


def gather(options: Options, state: states.State, changed: frozenset[str] | None = None, walk: bool = True) -> Collection:
    """Find and read every input; when every source is as the last build had it, its summary stands and nothing is
    parsed or loaded, else every source is parsed (or its parse reused), cross-checked and assembled into the site."""
    now_ns = time.time_ns()
    if changed is not None and not walk and changed <= state.inputs.keys():  # a watcher vouches that no file came or went
        files = state.files or inputs.Files({rel: _path_of(rel, options) for rel in state.inputs})
        walk_problems = state.walk_problems
    else:
        files, walk_problems = inputs.walk(options.content_dir, options.layouts_dir)
        if files.keys() != state.inputs.keys() or walk_problems != state.walk_problems:
            changed = None  # files came or went: every one is looked at
    collection = Collection(None, list(walk_problems), walk_problems=walk_problems, files=files)
    if "content/site.yaml" not in files and any(p.path == "site.yaml" for p in walk_problems):
        return collection
    config, problems = content.load_config(options.content_dir, options.base_url)
    collection.config = config
    collection.problems += problems
    if config is None:
        return collection
    entries, differ, read = inputs.scan(files, state.inputs, now_ns, changed)
    for rel in files.layouts:
        if rel not in entries:
            data, st = inputs.read_regular(files[rel])
            read[rel], entries[rel] = data, inputs.entry(data, st, now_ns)
    entries["content/site.yaml"] = inputs.entry(*inputs.read_regular(files["content/site.yaml"]), now_ns)
    collection.entries, collection.read = entries, read
    collection.templates = {rel[len("layouts/") :]: read.get(rel) or inputs.read_regular(files[rel])[0] for rel in files.layouts if not rel.startswith("layouts/static/")}
    collection.static = {rel[len("layouts/") :]: files[rel] for rel in files.layouts if rel.startswith("layouts/static/")}
    collection.setup = fingerprint.of((config, options.drafts, options.future, has_year_pages(collection.templates), sorted(collection.static)))
    collection.settings = repr((config.timezone, content.markup_options(config))).encode()
    sources = _sources(collection)
    moved = None  # when known: the sources whose tokens differ from the state's
    if all(map(entries.__contains__, sources)):
        same = collection.settings == state.settings  # a source whose record is the one the state holds keeps its token
        if same and files is state.files and changed is not None:  # serve: the state's tokens are of these very files, and only those named can differ
            collection.tokens, moved = dict(state.tokens), []
            for rel in changed:
                path = rel[len("content/") :]
                if path in state.tokens and entries[rel] is not state.inputs.get(rel):
                    collection.tokens[path] = _token(rel, entries[rel].digest, collection)
                    moved += [rel] if collection.tokens[path] != state.tokens[path] else []
        elif same and not differ and entries.keys() == state.inputs.keys() and len(state.tokens) == len(sources):
            collection.tokens = dict(state.tokens)  # the same files with the same bytes: the same tokens (a no-op build's case)
        else:
            collection.tokens = {
                rel[len("content/") :]: state.tokens[rel[len("content/") :]] if same and entries[rel] is state.inputs.get(rel) and rel[len("content/") :] in state.tokens else _token(rel, entries[rel].digest, collection)
                for rel in sources
            }
        last, now = state.summary, options.now or datetime.now(timezone.utc)
        collection.key = _collection_key(collection)
        if last is not None and last.key == collection.key and (last.wake is None or now < last.wake) and state.last_plan(last.outline_key) is not None:
            collection.summary = last  # the same sources as the last build: its summary stands, nothing is loaded
            collection.problems += last.problems
            return collection
        if moved is not None and _patched(options, collection, state, moved):
            return collection
    assemble(options, collection, state)
    return collection


def _patched(options: Options, collection: Collection, state: states.State, moved: list[str]) -> bool:
    """Serve's common edit, a briefing's text: when each moved source keeps its shape (what other files' checks and
    the plan read of it) and its problems, the last assembly stands as it is, and only those sources are parsed.
    False when it does not apply; the parses are then kept for `assemble`."""
    last, site = state.summary, state.site
    now = options.now or datetime.now(timezone.utc)
    if last is None or site is None or last.setup != collection.setup or not (last.wake is None or now < last.wake) or not moved:
        return False
    olds = [state.filed.get(state.tokens[rel[len("content/") :]]) for rel in moved]
    if None in olds:
        return False
    stands = True
    for (rel, entry, value, problems, shape), old in zip(parse_each(options, collection, moved), olds):
        if entry is None or entry.digest != collection.entries[rel].digest:
            return False  # changed again since the scan: assemble reads it afresh
        token = collection.tokens[rel[len("content/") :]]
        collection.parsed[token] = (value, problems, shape)
        collection.filed[token] = (value.filing if isinstance(value, Briefing) else value, problems, shape)
        if value is not None:
            collection.sources[value.path] = value
        stands = stands and value is not None and shape == old[2] and problems == old[1]
    if not stands:
        return False
    filed = dict(state.filed)  # copied whole and patched: ten thousand filings, of which one or two changed
    for rel in moved:
        filed.pop(state.tokens[rel[len("content/") :]], None)
    filed.update(collection.filed)
    collection.filed = filed
    collection.moved = [rel[len("content/") :] for rel in moved]
    collection.site = site
    collection.summary = replace(last, key=collection.key)
    collection.problems += last.problems
    return True


def assemble(options: Options, collection: Collection, state: states.State) -> Site | None:
    """Parse every source (reusing the state's parse of identical bytes), check them against each other, and assemble
    the site of what is published now; fills the collection's tokens, parses, problems, summary and site.

    The checks across files, the order, the tags and the outline depend on briefings' filings and the topics alone:
    while those are the last build's (an edit to a briefing's text or title), its findings stand.
    """
    sources = _sources(collection)
    tokens = collection.tokens or {rel[len("content/") :]: _token(rel, collection.entries[rel].digest, collection) for rel in sources if rel in collection.entries}
    results = {rel: found for rel in sources if (token := tokens.get(rel[len("content/") :])) and (found := collection.filed.get(token) or state.filing(token)) is not None}
    fresh = set()  # sources whose bytes were first known now (new to the scan, or changed since): their tokens are made now
    for rel, entry, value, problems, shape in parse_each(options, collection, [rel for rel in sources if rel not in results]):
        if entry is not None and (rel not in collection.entries or collection.entries[rel].digest != entry.digest):
            fresh.add(rel)
        if entry is not None:
            collection.entries[rel] = entry
            collection.parsed[_token(rel, entry.digest, collection)] = (value, problems, shape)
        if value is not None:
            collection.sources[value.path] = value
        results[rel] = (value.filing if isinstance(value, Briefing) else value, problems, shape)
    own, filings, topics, profiles = [], [], [], []
    for rel in sources:
        value, problems, _ = results[rel]
        own += problems
        if rel in collection.entries:
            path = rel[len("content/") :]
            token = collection.tokens.get(path) if rel not in fresh else None
            token = collection.tokens[path] = token or _token(rel, collection.entries[rel].digest, collection)
            collection.filed[token] = results[rel]
        if value is not None:
            {"topics": topics, "authors": profiles}.get(rel.split("/")[1], filings).append(value)
    now = options.now or datetime.now(timezone.utc)
    shape = fingerprint.digest(collection.setup, *(rel.encode() + b"\0" + results[rel][2] for rel in sources))
    last = state.summary
    reuse = last is not None and last.shape_key == shape and (last.wake is None or now < last.wake)
    cross = last.cross if reuse else content.cross_checks(filings, topics, profiles)
    collection.problems += own + cross
    if any(p.severity == "error" for p in collection.problems) or len(collection.tokens) < len(sources):
        collection.problems += _alias_collisions_of_the_rest(options, collection, filings, topics, profiles, now)
        return None
    if reuse:
        by_path = {f.path: f for f in filings}
        site = Site(collection.config, tuple(by_path[path] for path in last.order), tuple(sorted(topics, key=lambda t: (t.title.lower(), t.slug))), last.tags, last.held_back, tuple(sorted(profiles, key=lambda p: p.slug)))
        wake, outline_key = last.wake, last.outline_key
    else:
        site = collection.site = content.assemble(collection.config, filings, topics, now=now, drafts=options.drafts, future=options.future, profiles=profiles)
        wake = None if options.future else min((f.date for f in filings if f.date > now and (options.drafts or not f.draft)), default=None)
        outline_key = fingerprint.of(outline(collection))
    collection.site = site
    order = tuple(f.path for f in site.filings)
    key = collection.key if collection.key and not fresh else _collection_key(collection)
    collection.summary = Summary(key, shape, collection.setup, own + cross, cross, site.held_back, wake, outline_key, order, site.tags)
    return site


def _alias_collisions_of_the_rest(options: Options, collection: Collection, filings: list, topics: list, profiles: list, now: datetime) -> list[Problem]:
    """With errors in some files, the aliases of the others may still land on pages the build writes (/tags/, a feed,
    a static file): found only by planning, which an error stops. Plan the files that did load, for this report
    alone, so that every problem comes out in one run rather than one more after each fix."""
    if collection.config is None or not any(f.aliases for f in filings):
        return []
    try:
        site = content.assemble(collection.config, filings, topics, now=now, drafts=options.drafts, future=options.future, profiles=profiles)
        found = collisions(routes.plan(outline(collection, site)), collection.static, site)
    except Exception:  # a report on top of errors already found: never a crash of its own
        return []
    known = {(p.path, p.line, p.field) for p in collection.problems}
    return [p for p in found if p.field == "aliases" and (p.path, p.line, p.field) not in known]


def _sources(collection: Collection) -> tuple[str, ...]:
    return collection.files.sources


def outline(collection: Collection, site: Site | None = None) -> routes.Outline:
    """What the routes read of the collection's site (or of `site`, one assembled for a report alone)."""
    site = site or collection.site
    return routes.Outline(site.config, tuple(f.place for f in site.filings), site.topics, site.tags, has_year_pages(collection.templates), tuple(p.place for p in site.profiles))


def _collection_key(collection: Collection) -> bytes:
    files = collection.files
    paths = files.source_paths  # the tokens' keys, sorted: a collection has a token for every source, and only those
    if len(paths) != len(collection.tokens):
        raise LookupError("a collection's key is asked for before every source has its token")
    # tokens are all of one size (16 bytes): joined, they stay apart
    return fingerprint.digest(collection.setup, files.source_paths_digest, b"".join(map(collection.tokens.__getitem__, paths)))


def _path_of(rel: str, options: Options) -> str:
    folder, _, rest = rel.partition("/")
    return os.path.join(options.content_dir if folder == "content" else options.layouts_dir, rest)


def _token(rel: str, digest: bytes, collection: Collection) -> bytes:
    """A parsed source is a pure function of its path, its bytes and the parse settings: this names that result."""
    return hashlib.blake2b(rel.encode() + b"\0" + digest + collection.settings, digest_size=16).digest()


def parse_each(options: Options, collection: Collection, todo: list[str]) -> list[tuple]:
    """Parse sources, in a process pool when there are many (Markdown is the cost of a cold build): (name, input record
    or None, Briefing, Topic or Profile or None, problems), in order."""
    config = collection.config
    tasks = [(rel, collection.files[rel], collection.read.get(rel), config.timezone, content.markup_options(config), time.time_ns()) for rel in todo]
    jobs = options.jobs or os.cpu_count() or 1
    if jobs <= 1 or len(tasks) < PARALLEL_MIN:
        return [parse_source(*task) for task in tasks]
    import multiprocessing  # here, not at the top: a build with few sources to parse never forks, and it takes 7 ms to import

    # fork is fastest, but forking a process that runs other threads (serve) can deadlock; forkserver is safe there
    fork = threading.active_count() == 1
    ending = {"initializer": _start_worker, "initargs": (os.getpid(),)} if fork else {}  # a forkserver's child has another parent
    with multiprocessing.get_context("fork" if fork else "forkserver").Pool(min(jobs, len(tasks) // CHUNK + 1), **ending) as pool:
        return pool.starmap(parse_source, tasks, chunksize=CHUNK)


def parse_source(rel: str, path: str, data: bytes | None, tz: str, markup: content.Markup, now_ns: int) -> tuple:
    """Read (unless already read) and parse one source: (name, its input record or None, Briefing, Topic or Profile or
    None, problems, the digest of what other files' checks and the plan read of it: a briefing's or profile's filing,
    a whole topic)."""
    short = rel[len("content/") :]
    try:
        if data is None:
            data, st = inputs.read_regular(path, MAX_SOURCE_BYTES)
            if data is None:
                return rel, None, None, [too_large(short, st.st_size)], b""
        else:
            st = os.stat(path)
    except OSError as exc:
        return rel, None, None, [Problem(short, 1, 1, "", f"cannot read: {exc.strerror or exc}", "check the file's permissions")], b""
    entry = inputs.entry(data, st, now_ns)
    load = {"topics": content.load_topic, "authors": content.load_author}.get(rel.split("/")[1], content.load_briefing)
    value, problems = load(short, data, tz, markup)
    shape = b"" if value is None else fingerprint.of(value.filing if isinstance(value, (Briefing, Profile)) else value)
    return rel, entry, value, problems, shape


def has_year_pages(templates: dict[str, bytes]) -> bool:
    """Layouts written before the archive had a page a year still build: their archive.html gets every briefing."""
    return "archive_year.html" in templates


def plan_pages(options: Options, collection: Collection, state: states.State) -> Plan:
    """The last plan while the outline stays (an edit to briefings' text), else the outline's pages, packed."""
    last = state.last_plan(collection.summary.outline_key)
    if last is not None:
        return last
    site = collection.site or assemble(options, collection, state)
    shape = outline(collection)
    previous = state.last_pages(state.plan_key)
    index = routes.build_index(shape)
    related = routes.rank_related(shape, index, previous.related if previous is not None else None)
    frame = fingerprint.digest(repr(routes.frame(shape)).encode())  # by value: pickle's bytes also follow which parts share one object
    last = state.last_plan(state.plan_key)
    retag = routes.retag(shape, previous.related.shape, last.tags) if last is not None and previous is not None and last.frame == frame else None
    planned = routes.plan(shape, related, index, retag)
    packed, digests, shown = _packed(planned, retag, last, previous)
    plan = Plan(
        collisions(planned, collection.static, site),
        collection.summary.outline_key,
        [page.output_path for page in planned],
        [page.template for page in planned],
        digests,
        shown,
        dict(Counter(page.kind for page in planned)),
        site.topics,
        site.tags,
        frame=frame,
    )
    plan.pages = Pages(packed, related)
    return plan


def _packed(planned: list[routes.Page], retag: routes.Retag | None, last: Plan | None, pages: Pages | None) -> tuple[list[bytes], list[bytes], list[tuple[str, ...]]]:
    """Each page's packed data, its digest and the sources it shows. After a retag of the last plan's outline (the
    same frame), a page its family says the retag left alone is the last plan's, at the same output, as it was:
    planning and packing ten thousand briefings' pages to find them unchanged was most of a tags edit."""
    at = {rel: i for i, rel in enumerate(last.outputs)} if retag is not None else {}
    packer = fingerprint.Packer()
    packed, digests, shown = [], [], []
    for page in planned:
        i = at.get(page.output_path)
        if page.kept and (i is None or last.templates[i] != page.template):  # never: a retag keeps every such page's output
            raise LookupError(f"{page.output_path} was planned from the last plan, which has no such page")
        if page.kept or (i is not None and last.templates[i] == page.template and routes.FAMILIES[page.kind].stays(page, retag)):
            packed.append(pages.packed[i])
            digests.append(last.digests[i])
            shown.append(last.shown[i])
        else:
            data, sources = packer.pack(page)
            packed.append(data)
            digests.append(fingerprint.digest(data))
            shown.append(sources)
    return packed, digests, shown


def packed_pages(options: Options, collection: Collection, plan: Plan, state: states.State) -> Pages:
    """The plan's packed pages: in memory, or from the state; planned again (and the site assembled) if the state lost them."""
    if plan.pages is None:
        plan.pages = state.last_pages(plan.key) or plan_pages(options, collection, replace(state, plan_key=b"")).pages
    return plan.pages


def collisions(pages: list[routes.Page], static: dict[str, str], site: Site) -> list[Problem]:
    """Two sources that would write the same file, or an alias on a path the build writes by other means: located
    errors, on the alias's line when an alias is to blame."""
    lines = {f.path: dict(zip(f.aliases, f.alias_lines)) for f in site.filings if f.aliases}

    def where(page: routes.Page) -> tuple[str, int, int, str]:  # Problem's path, line, column, field
        if page.kind == "redirect":
            return page.source, lines.get(page.source, {}).get(page.url, 1), 1, "aliases"
        return page.source or "content", 1, 1, ""

    owner: dict[str, routes.Page] = {}
    problems = []
    for page in pages:
        path = page.output_path
        first = owner.setdefault(path, page)
        hidden = any(part.startswith(".") for part in path.split("/")) or path.split("/")[0] == search.FOLDER
        if page.kind == "redirect" and hidden:
            problems.append(Problem(*where(page), f"{page.url} is where the build keeps its own files (search index, hidden files)", "choose another old address"))
        elif path in static:
            problems.append(Problem(*where(page), f"{page.url} is also a file in layouts/static/", "rename one of them"))
        elif first is not page:
            culprit, other = (first, page) if first.kind == "redirect" and page.kind != "redirect" else (page, first)
            problems.append(Problem(*where(culprit), f"writes {page.url}, which {other.source or 'a generated page'} writes too", "two sources cannot share a URL; rename one"))
    return problems


def fingerprints(collection: Collection, plan: Plan, env: jinja2.Environment, state: states.State) -> tuple[list[bytes], bytes, list[int] | None]:
    """Each page's fingerprint: its packed data, the sources it shows, its templates (with what they extend, include
    and import, and the globals they read) and the config every filter reads; the digest of all but the sources; and
    the positions fingerprinted now (None: all of them).

    When the plan, templates and config are the last build's, only pages showing a source whose token changed can
    have another fingerprint: the rest keep theirs.
    """
    reads = {name: state.template_reads.get(fingerprint.digest(source)) or render.template_reads(env, source) for name, source in collection.templates.items()}
    collection.template_reads = {fingerprint.digest(source): reads[name] for name, source in collection.templates.items()}
    templates = render.template_digests(collection.templates, reads, _global_digests(plan, collection.config))
    config = fingerprint.of(collection.config)
    basis = fingerprint.digest(plan.key, config, *(name.encode() + digest for name, digest in sorted(templates.items())))
    tokens = collection.tokens
    redone = None
    if basis == state.basis and state.outputs.keys() >= plan.output_set:
        fps = list(map(operator.itemgetter(0), map(state.outputs.__getitem__, plan.outputs)))  # at C speed: every page
        moved = collection.moved if collection.moved is not None else [path for path, _ in tokens.items() - state.tokens.items()]
        todo = redone = sorted({i for path in moved for i in plan.shown_on.get(path, ())})
    else:
        fps, todo = [b""] * len(plan.outputs), range(len(plan.outputs))
    for i in todo:
        fps[i] = fingerprint.page(plan.digests[i], plan.shown[i], tokens, templates.get(plan.templates[i], plan.templates[i].encode()), config)
    return fps, basis, redone


_GLOBALS: dict[bytes, dict[str, bytes]] = {}  # the last plan's key -> the digests of the globals made of it


def _global_digests(plan: Plan, config: SiteConfig) -> dict[str, bytes]:
    """The digest of each template global. They are made of the config, the topics and the tags, all of which the
    plan's key (the outline's digest) covers: serve's builds share one plan, and ten thousand tags take a while to digest."""
    found = _GLOBALS.get(plan.key)
    if found is None:
        _GLOBALS.clear()
        found = _GLOBALS[plan.key] = render.global_digests(render.site_globals(config, plan.topics, plan.tags))
    return found


def produce(options: Options, collection: Collection, plan: Plan, env: jinja2.Environment, fps: list[bytes], redone: list[int] | None, state: states.State, live: dict[str, bytes], outputs: dict, problems: list[Problem]) -> tuple[dict[str, bytes], Iterator[tuple[str, bytes | writer.Kept, bytes | None]]]:
    """Every output as the writer takes it: the pages the site holds as they are (their fingerprint and bytes are the
    last build's), in bulk, and the others rendered, one by one, then the static files.

    Fills `outputs` (path -> fingerprint, digest, what search keeps of it) for the next build; after the last output,
    raises RenderFailed if any page failed, with every failure in `problems`.
    """
    found = _kept_in_bulk(plan, fps, redone, state, live)
    if found is None:
        current = state.current(plan.outputs, fps, live)
        kept = {rel: old[1] for rel, old in current.items()}
        todo = [i for i, rel in enumerate(plan.outputs) if rel not in kept]
    else:
        current, kept, todo = found
    outputs.update(current)
    return kept, _rendered(options, collection, plan, env, fps, state, live, todo, outputs, problems)


def _kept_in_bulk(plan: Plan, fps: list[bytes], redone: list[int] | None, state: states.State, live: dict[str, bytes]) -> tuple[dict, dict, list[int]] | None:
    """What `produce` keeps and renders when only the pages at `redone` have new fingerprints and the site is the very
    tree the state recorded (so it holds every recorded output): the rest are kept, in bulk, at C speed (serve's
    edit was mostly per-page loops). None when that does not hold."""
    if redone is None or state.live is None or live is not state.live.digests:
        return None
    current = dict(state.outputs)
    for rel in state.outputs.keys() - plan.output_set:  # the static files and the search index: produced after the pages
        del current[rel]
    todo = [i for i in redone if current[plan.outputs[i]][0] != fps[i]]
    for i in todo:
        del current[plan.outputs[i]]
    kept = dict(live)
    for rel in live.keys() - current.keys():
        del kept[rel]
    if len(kept) != len(current):  # the record and the tree disagree after all: page by page
        return None
    return current, kept, todo


def _rendered(options: Options, collection: Collection, plan: Plan, env: jinja2.Environment, fps: list[bytes], state: states.State, live: dict[str, bytes], todo: list[int], outputs: dict, problems: list[Problem]) -> Iterator[tuple[str, bytes | writer.Kept, bytes | None]]:
    packed = packed_pages(options, collection, plan, state).packed if todo else []
    cards = 4 * len(todo) < len(plan.outputs)  # rendering most of the site loads every parse anyway: cards would only add memory
    sources = Sources(options, collection, state, cards)
    if not cards:
        sources.load_all()
    rendered = render_pages(env, [packed[i] for i in todo], collection.config, sources, options.layouts_dir, options.jobs)
    failed: list[Problem] = []
    for i in todo:
        rel, data = plan.outputs[i], next(rendered)
        if isinstance(data, Problem):
            failed.append(data)
            continue
        data_digest = writer.digest(data)
        # None: not looked at (a build without search); the first build with search marks it then (search.index_files)
        outputs[rel] = (fps[i], data_digest, rel.endswith(".html") and (search.mark(data) if options.search else None))
        yield rel, data, data_digest
    for rel, path in collection.static.items():
        digest = collection.entries[f"layouts/{rel}"].digest
        outputs[rel] = (digest, digest, False)
        yield rel, writer.Kept(digest) if live.get(rel) == digest else inputs.read_regular(path)[0], None  # read now: the writer digests what it got
    if failed:
        problems += each_once(failed)
        raise RenderFailed()


def check(options: Options) -> Report:
    """Everything a build does except writing: content, cross-file and template errors."""
    started = time.perf_counter()
    collection = gather(options, states.State())
    report = Report(problems=collection.problems)
    if collection.site is not None:
        plan = plan_pages(options, collection, states.State())
        report.problems += plan.problems
        report.counts, report.held_back = plan.counts, collection.summary.held_back
        if report.ok:
            env = render.make_environment(options.layouts_dir, collection.config, plan.topics, plan.tags, collection.templates)
            found = [p for p in render_pages(env, plan.pages.packed, collection.config, Sources(options, collection, states.State()), options.layouts_dir, options.jobs) if isinstance(p, Problem)]
            report.problems += each_once(found)
    return openable(_done(report, started), options)


def each_once(failed: list[Problem]) -> list[Problem]:
    """One template error fails many pages: report each (file, line, message) once, as first met."""
    seen: dict[tuple, Problem] = {}
    for problem in failed:
        seen.setdefault((problem.path, problem.line, problem.message.split(" (rendering")[0]), problem)
    return list(seen.values())


_RENDER_JOB: tuple | None = None  # what forked render workers inherit: never pickled


def render_pages(env, packed: list[bytes], config, sources: dict, layouts_dir: Path, jobs: int | None) -> Iterator[bytes | Problem]:
    """Each packed page's bytes (or the located problem), in order; with many pages, forked workers render while this process writes."""
    global _RENDER_JOB
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(packed) < PARALLEL_MIN or threading.active_count() > 1:  # forking beside threads (serve) can deadlock
        yield from (_render_one(env, data, config, sources, layouts_dir) for data in packed)
        return
    import multiprocessing  # here, not at the top: like parse_each's
    from concurrent.futures import ProcessPoolExecutor

    _RENDER_JOB = (env, packed, config, sources, layouts_dir)
    # Not multiprocessing.Pool: when the writer stops early (a full disk), Pool.terminate() kills workers, and one
    # killed while it holds the result queue's lock hangs the build for good. An executor lets the few chunks in
    # flight finish, cancels the rest and joins its workers, so no worker outlives the build.
    # Fresh workers every WORKER_PAGES pages: reading this process's objects writes their reference counts, so a
    # worker copies, page by page, all of the parent's memory it reads (about 100 MB each over a cold build of
    # 10,000 briefings, most of the build's peak); a new one starts with none of it copied.
    try:
        for first in range(0, len(packed), WORKER_PAGES):
            last = min(first + WORKER_PAGES, len(packed))
            pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"), initializer=_start_worker, initargs=(os.getpid(),))
            try:
                for chunk in pool.map(_render_chunk, [(start, min(start + CHUNK, last)) for start in range(first, last, CHUNK)]):
                    yield from chunk
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
    finally:
        _RENDER_JOB = None


def _start_worker(parent: int) -> None:
    """A forked worker's setup: the cycle collector on again, and an end with its parent. A worker of a build killed
    outright (SIGKILL) would live on: a render worker holding the output folder's lock, so the next build would refuse
    to start, a parse worker until its result hits a closed pipe (with a traceback). Linux ends the worker with its parent."""
    gc.freeze()  # what the worker inherits is never collected here: walking it would copy the parent's pages
    gc.enable()  # off in the build that forked it (_without_collector_pauses); Markdown and Jinja make cycles
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _render_chunk(span: tuple[int, int]) -> list[bytes | Problem]:
    env, packed, config, sources, layouts_dir = _RENDER_JOB
    return [_render_one(env, data, config, sources, layouts_dir) for data in packed[span[0] : span[1]]]


def _render_one(env, data: bytes, config, sources: dict, layouts_dir: Path) -> bytes | Problem:
    page = fingerprint.unpack(data, sources)
    try:
        return render.render_page(env, page, config)
    except Exception as exc:  # any template failure becomes a located problem, never a traceback
        return render.template_problem(exc, layouts_dir, page)
