"""The build in order: gather and validate everything, plan pages, render what changed, then write once; check stops before writing."""
from __future__ import annotations

import copy
import functools
import hashlib
import multiprocessing
import os
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from . import cache, content, render, routes, search, writer
from .errors import Problem, Report
from .model import Briefing, Site

PARALLEL_MIN = 64  # fewer sources than this parse faster in-process than a pool starts
CHUNK = 32


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
    search: bool = True  # run Pagefind; serve turns it off, since a re-index of a large site takes a minute


@dataclass
class Gathered:
    """What reading the inputs found: the site (None on any error), and what the next build needs to skip work."""

    site: Site | None
    problems: list[Problem]
    inputs: dict[str, cache.Input] = field(default_factory=dict)
    parsed: dict[str, tuple] = field(default_factory=dict)  # rel -> (token, result, problems), as in cache.Body
    layouts: dict[str, bytes] = field(default_factory=dict)  # template name -> its bytes, for dependency sets
    wake: datetime | None = None


@dataclass
class Plan:
    """Every page of a build with its fingerprint, and what rendering them takes. Serve keeps the last one, so that an
    edit to a briefing's text re-plans nothing and renders only the pages that show the briefing (`quick_build`)."""

    site: Site
    pages: list[routes.Page]
    fingerprints: list[bytes]
    fps: cache.Fingerprints
    env: object  # the Jinja environment
    site_fp: bytes
    template_fps: dict[str, bytes]  # template name -> digest of its files and the globals it reads
    shown_on: dict[str, list[int]] = field(default_factory=dict)  # source path -> positions of the pages whose data holds it
    state: cache.State | None = None  # the build state this plan belongs to


def input_files(options: Options) -> tuple[dict[str, Path], list[Problem]]:
    """Every file a build reads, named content/… or layouts/…, sorted."""
    files: dict[str, Path] = {}
    problems: list[Problem] = []
    for folder in ("briefings", "topics"):
        sources, found = content.walk_sources(options.content_dir, folder)
        problems += found
        files.update((f"content/{s.rel}", s.path) for s in sources)
    files["content/site.yaml"] = options.content_dir / "site.yaml"
    root = options.layouts_dir
    for directory, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(directory, name)
            files[f"layouts/{path.relative_to(root).as_posix()}"] = path
    return files, problems


def gather(options: Options, previous: cache.State | None = None, scanned=None, only: set[str] | None = None) -> Gathered:
    """Read and validate every source, reusing what the state parsed from identical bytes; a Site only when there is no error."""
    config, problems = content.load_config(options.content_dir, options.base_url)
    if config is None:
        return Gathered(None, problems)
    now_ns = time.time_ns()
    files, walk_problems = scanned or input_files(options)
    problems += walk_problems
    head, body = (previous.head, previous.body) if previous and previous.head and previous.body else (None, None)
    table, changed, read = cache.scan(files, head.inputs if head else {}, now_ns, only)
    markup = content.markup_options(config)
    key = parse_key(config, markup)
    old_parsed = body.parsed if body else {}
    parsed: dict[str, tuple] = {}
    todo: list[str] = []
    for rel in files:
        if not rel.startswith("content/") or rel == "content/site.yaml":
            continue
        entry = table.get(rel)
        old = old_parsed.get(rel)
        if rel not in changed and entry is not None and old is not None and old[0] == cache_token(rel, entry.digest, key):
            parsed[rel] = old
        else:
            todo.append(rel)
    for rel, result in zip(todo, parse_all(todo, files, read, config.timezone, markup, options.jobs, now_ns)):
        entry, value, found = result
        table[rel] = entry
        parsed[rel] = (cache_token(rel, entry.digest, key), value, found)
    parsed = {rel: parsed[rel] for rel in files if rel in parsed}  # file order, as a cold build has it: the first claim of a URL wins
    for rel in files:
        if rel.startswith("layouts/") and rel not in table:
            data = read.get(rel) or files[rel].read_bytes()
            read[rel] = data
            table[rel] = cache.record(files[rel], data, now_ns)
    table["content/site.yaml"] = cache.record(files["content/site.yaml"], (options.content_dir / "site.yaml").read_bytes(), now_ns)
    layouts = {rel[len("layouts/") :]: read.get(rel) for rel in files if rel.startswith("layouts/") and not rel.startswith("layouts/static/")}
    briefings = [value for rel, (_, value, _) in parsed.items() if rel.startswith("content/briefings/") and value is not None]
    topics = [value for rel, (_, value, _) in parsed.items() if rel.startswith("content/topics/") and value is not None]
    for _, _, found in parsed.values():
        problems += found
    problems += content.cross_checks(briefings, topics)
    gathered = Gathered(None, problems, table, parsed, layouts)
    if any(p.severity == "error" for p in problems):
        return gathered
    now = options.now or datetime.now(timezone.utc)
    gathered.site = content.assemble(config, briefings, topics, now=now, drafts=options.drafts, future=options.future)
    if not options.future:
        gathered.wake = min((b.date for b in briefings if b.date > now and (options.drafts or not b.draft)), default=None)
    return gathered


def parse_key(config, markup: content.Markup) -> bytes:
    """The settings a parsed source depends on besides its bytes."""
    return repr((config.timezone, markup)).encode()


def cache_token(rel: str, digest: bytes, parse_key: bytes) -> bytes:
    """A parsed source is a pure function of its path, its bytes and the parse settings: this names that result."""
    return hashlib.blake2b(rel.encode() + b"\0" + digest + parse_key, digest_size=16).digest()


def parse_all(todo: list[str], files: dict[str, Path], read: dict[str, bytes], tz: str, markup: content.Markup, jobs: int | None, now_ns: int) -> list:
    """Parse sources, in a process pool when there are many (Markdown is the cost of a cold build); same results in the same order."""
    tasks = [(rel, files[rel], read.get(rel), tz, markup, now_ns) for rel in todo]
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(tasks) < PARALLEL_MIN:
        return [parse_source(*task) for task in tasks]
    # fork is fastest, but forking a process that runs other threads (serve) can deadlock; forkserver is safe there
    context = multiprocessing.get_context("fork" if threading.active_count() == 1 else "forkserver")
    with context.Pool(min(jobs, len(tasks) // CHUNK + 1)) as pool:
        return pool.starmap(parse_source, tasks, chunksize=CHUNK)


def parse_source(rel: str, path: Path, data: bytes | None, tz: str, markup: content.Markup, now_ns: int) -> tuple:
    """Read (unless already read), hash and parse one source: (table entry, Briefing or Topic or None, problems)."""
    short = rel[len("content/") :]
    if data is not None and len(data) > content.MAX_SOURCE_BYTES:
        return cache.Input(None, b""), None, [content.too_large(short, len(data))]
    if data is None:
        raw = content.read_source(content.SourceFile(short, path))
        if isinstance(raw, Problem):
            return cache.Input(None, b""), None, [raw]
        data = raw
    entry = cache.record(path, data, now_ns)
    if rel.startswith("content/topics/"):
        value, problems = content.load_topic(content.SourceFile(short, path), tz, markup)
    else:
        value, problems = content.load_briefing(short, data, tz, markup)
    return entry, value, problems


def has_year_pages(options: Options) -> bool:
    """Layouts written before the archive had a page a year still build: their archive.html gets every briefing."""
    return (options.layouts_dir / "archive_year.html").is_file()


def static_files(layouts_dir: Path) -> dict[str, Path]:
    root = layouts_dir / "static"
    if not root.is_dir():
        return {}
    return {f"static/{path.relative_to(root).as_posix()}": path for path in sorted(root.rglob("*")) if path.is_file()}


def collisions(pages: list[routes.Page], static: dict[str, Path]) -> list[Problem]:
    """Two sources that would write the same file: an error naming both."""
    owner: dict[str, routes.Page] = {}
    problems = []
    for page in pages:
        path = page.output_path
        if path in static:
            problems.append(Problem(page.source or "layouts/static", 1, 1, "", f"{page.url} is also a file in layouts/static/", "rename one of them"))
        elif path in owner:
            first = owner[path]
            problems.append(Problem(page.source or first.source or "content", 1, 1, "", f"writes {page.url}, which {first.source or 'a generated page'} writes too", "two sources cannot share a URL; rename one"))
        else:
            owner[path] = page
    return problems


def check(options: Options) -> Report:
    """Everything a build does except writing: content, cross-file and template errors."""
    started = time.perf_counter()
    gathered = gather(options)
    site = gathered.site
    report = Report(problems=gathered.problems)
    if site is not None:
        pages = routes.plan(site, year_pages=has_year_pages(options))
        report.problems += collisions(pages, static_files(options.layouts_dir))
        if report.ok:
            env = render.make_environment(options.layouts_dir, site)
            found = [p for p in render_pages(env, pages, site, options.layouts_dir, options.jobs) if isinstance(p, Problem)]
            report.problems += each_once(found)
        report.counts = Counter(page.kind for page in pages)
        report.held_back = site.held_back
    report.seconds = time.perf_counter() - started
    return openable(report, options)


def openable(report: Report, options: Options) -> Report:
    """The report with every path as it opens from the working directory: the stages name a source relative to the
    content folder (briefings/…, topics/…, site.yaml) and a template as layouts/…; the folders given are put in front."""

    def where(path: str) -> str:
        top, _, rest = path.partition("/")
        if path == "content":
            return options.content_dir.as_posix()
        if path == "site.yaml" or top in ("briefings", "topics"):
            return (options.content_dir / path).as_posix()
        if top in ("layouts", options.layouts_dir.name) and rest:
            return (options.layouts_dir / rest).as_posix()
        return path

    report.problems = [replace(p, path=where(p.path)) for p in report.problems]
    return report


class RenderFailed(Exception):
    """Raised after the last page when any page failed, so the writer never swaps in a partial site."""


def build(options: Options, session: cache.Session | None = None, touched: frozenset[str] | None = None, walk: bool = False) -> Report:
    """Gather, render what changed, write what differs; on any error nothing in the output folder changes.

    The state comes from `session` (serve keeps it in memory) or from options.cache_dir, and is saved back there.
    `touched` (serve): every file a watcher named since the last build; no other input changed. `walk`: some were
    created, deleted or moved, so the folders are walked again to learn the inputs.
    """
    with cache.lock(options.cache_dir, options.output_dir) as holder:
        if holder is not None:
            problem = Problem(str(options.output_dir), 1, 1, "output", f"another build (process {holder}) is writing this output folder right now", "nothing was changed; build again when it has finished")
            return Report(problems=[problem], output=str(options.output_dir))
        return openable(_locked_build(options, session, touched, walk), options)


def _locked_build(options: Options, session: cache.Session | None, touched: frozenset[str] | None, walk: bool) -> Report:
    started = time.perf_counter()
    key = cache.code_key(options.content_dir, options.layouts_dir)
    state = _previous_state(options, session, key)
    report = Report(output=str(options.output_dir))
    scanned, only = walk_inputs(options, session, touched, walk)
    scan = cache.scan(scanned[0], state.head.inputs, time.time_ns(), only) if same_setup(options, state.head, scanned[0]) else None
    same = unchanged(state, scan)
    if same is not False and (session is None or session.plan is not None):  # serve wants a plan even when nothing changed
        head = state.head
        report.problems, report.counts, report.held_back = list(head.problems), dict(head.counts), head.held_back
        if session is None and same:
            cache.save(options.cache_dir, options.output_dir, state, body_changed=False)  # stats of touched files
        report.seconds = time.perf_counter() - started
        return report
    if state.head is not None and state.body is None:
        state.body = cache.load_body(options.cache_dir, options.output_dir, state.head)
    plan = session.plan if session is not None else None
    if session is not None:
        session.plan = None  # a plan stands for one state only; a successful build leaves a new one
    new_state = quick_build(options, state, plan, scanned, scan, key, report) if only is not None and scan is not None else None
    if new_state is not None:
        session.plan = plan
    else:
        try:
            new_state = _build(options, state, scanned, key, report, only, session)
        except writer.Stale:  # the output folder lost a file the state vouched for: start afresh
            report.problems = []
            new_state = _build(options, cache.State(), input_files(options), key, report, session=session)
    if new_state is not None:
        if session is not None:
            session.state = new_state
        else:
            cache.save(options.cache_dir, options.output_dir, new_state)
    report.seconds = time.perf_counter() - started
    return report


def walk_inputs(options: Options, session: cache.Session | None, touched: frozenset[str] | None, walk: bool = False) -> tuple[tuple, set[str] | None]:
    """Every input file, and which of them to look at (None: all); what a watcher named spares the walk, or the stats."""
    walked = session.walked if session is not None else None
    if touched is not None and walked is not None and not walk:
        files, problems, names = walked
        only = {names.get(os.path.normpath(path)) for path in touched}
        if None not in only:
            return (files, problems), only
    files, problems = input_files(options)
    if session is None:
        return (files, problems), None
    names = {os.path.normpath(path): rel for rel, path in files.items()}
    session.walked = (files, problems, names)
    if touched is not None and walked is not None and names.keys() == walked[2].keys() and problems == walked[1]:
        # the same inputs as before (say, an editor saved by renaming a new file over the old): only those named changed
        return (files, problems), {names[path] for path in map(os.path.normpath, touched) if path in names}
    return (files, problems), None


def _previous_state(options: Options, session: cache.Session | None, key: bytes) -> cache.State:
    if options.clean:
        return cache.State()
    if session is not None:
        return session.state if session.state.head is not None and session.state.head.key == key else cache.State()
    return cache.State(cache.load_head(options.cache_dir, options.output_dir, key))


def settings(options: Options) -> tuple:
    return (options.drafts, options.future, options.base_url)


def same_setup(options: Options, head: cache.Head | None, files: dict[str, Path]) -> bool:
    """Same settings, same input names, the site is still the one we built, and no held-back briefing came due."""
    if head is None or head.settings != settings(options) or writer.tree_id(options.output_dir.absolute()) != head.live_id:
        return False
    if head.wake is not None and (options.now or datetime.now(timezone.utc)) >= head.wake:
        return False
    return set(files) == set(head.inputs)


def unchanged(state: cache.State, scan: tuple | None) -> bool | None:
    """The no-op shortcut: in the same setup (`same_setup`; else no `scan`), every input has the same bytes."""
    head = state.head
    if scan is None or scan[1]:
        return False
    table = scan[0]
    touched = any(table[rel] is not head.inputs[rel] for rel in table)
    head.inputs = table
    return touched or None  # truthy: unchanged; None: unchanged and nothing to record


def _build(options: Options, state: cache.State, scanned, key: bytes, report: Report, only: set[str] | None = None, session: cache.Session | None = None) -> cache.State | None:
    gathered = gather(options, state, scanned, only)
    site = gathered.site
    report.problems += gathered.problems
    if site is None:
        return None
    related_state = remembered_related(site, state.body)
    related_paths = related_state[1]
    by_path = {b.path: b for b in site.briefings}
    pages = routes.plan(site, {path: [by_path[p] for p in others] for path, others in related_paths.items()}, has_year_pages(options))
    static = static_files(options.layouts_dir)
    report.problems += collisions(pages, static)
    report.counts = Counter(page.kind for page in pages)
    report.held_back = site.held_back
    if not report.ok:
        return None
    body = state.body
    old_outputs = body.outputs if body else {}
    known = body.trees if body else None
    if known is not None and known.live_id != writer.tree_id(options.output_dir.absolute()):
        known = None  # not the site this state describes (a build killed between its swap and its save): vouch for nothing
    outputs: dict[str, tuple[bytes, bool]] = {}
    render_problems: list[Problem] = []
    layout_digests = {entry.digest for rel, entry in gathered.inputs.items() if rel.startswith("layouts/")}
    templates = {digest: found for digest, found in (body.templates if body else {}).items() if digest in layout_digests}  # today's layouts only
    plan = fingerprint(options, site, pages, gathered, key, templates, standing_fingerprints(options, state, gathered, pages))
    files = _render(options, plan, static, gathered.inputs, old_outputs, known, outputs, render_problems)
    indexed = _search_finish(options.output_dir, outputs, old_outputs, known, report.problems) if options.search else None
    try:
        stats = writer.publish(options.output_dir, files, known, finish=indexed, spare=spare_tree(options), fill_spare=session is not None)
    except RenderFailed:
        report.problems += render_problems
        return None
    except writer.Stale:
        raise
    except (writer.OutputError, OSError) as exc:
        report.problems.append(Problem(str(options.output_dir), 1, 1, "output", str(exc), "nothing was changed in the output folder; fix the cause and build again"))
        return None
    if options.search and any(marked for _, marked in outputs.values()) and search.find_pagefind() is None:
        report.problems.append(search.run_pagefind(options.output_dir))  # "not installed", whether or not pages changed
    head = cache.Head(key, b"", settings(options), gathered.inputs, gathered.wake, stats.trees.live_id, list(report.problems), dict(report.counts), report.held_back)
    new_state = cache.State(head, cache.Body(b"", gathered.parsed, outputs, stats.trees, related_state, templates=templates, shown_on=plan.shown_on))
    if session is not None:
        plan.state, session.plan = new_state, plan
    return new_state


# What the plan copies out of a briefing (its place, URL, tags, last change in the sitemap; and its title, on its
# redirect pages, see keeps_place); an edit that keeps them, such as one to its text or title, changes only the pages
# that show the briefing itself. tests/test_quick.py makes every new Briefing field choose a side.
PLACE_FIELDS = ("path", "slug", "year", "authors", "date", "updated", "tag_names", "draft", "aliases", "tag_lines")


def keeps_place(old: Briefing, new: Briefing) -> bool:
    """Whether an edit left all the plan copies out of a briefing; the title counts only where redirect pages show it."""
    return all(getattr(new, name) == getattr(old, name) for name in PLACE_FIELDS) and (new.title == old.title or not old.aliases)


def text_edits(changed, old_parsed: dict, new_parsed: dict) -> dict[str, Briefing] | None:
    """The old briefing of each changed source, when every change is a briefing that keeps its place; else None."""
    olds = {}
    for rel in changed:
        old, new = old_parsed.get(rel, (None, None))[1], new_parsed.get(rel, (None, None))[1]
        if not rel.startswith("content/briefings/") or type(old) is not Briefing or type(new) is not Briefing or not keeps_place(old, new):
            return None
        olds[rel] = old
    return olds


def quick_build(options: Options, state: cache.State, plan: Plan | None, scanned, scan: tuple, key: bytes, report: Report) -> cache.State | None:
    """Serve's fast path, for edits that keep each briefing's place (keeps_place): parse the edited files, put the new
    briefings where the old ones stood in the last plan, and render only the pages that show them.

    Returns the new state, or None (nothing written) when the edit needs a full build: another kind of file, a new
    problem, a moved briefing, a render error. The full build then reports whatever is wrong, as it always does.
    """
    head, body = state.head, state.body
    files = scanned[0]
    if plan is None or plan.state is not state or body is None or body.trees is None or options.search:
        return None
    now_ns = time.time_ns()
    table, changed, read = scan  # the scan of the same setup
    if not changed or not all(rel.startswith("content/briefings/") for rel in changed):
        return None
    config = plan.site.config
    markup = content.markup_options(config)
    settings_key = parse_key(config, markup)
    parsed = dict(body.parsed)
    for rel in sorted(changed):
        entry, value, found = parse_source(rel, files[rel], read.get(rel), config.timezone, markup, now_ns)
        if found != body.parsed.get(rel, (None, None, None))[2]:
            return None  # a new problem: the full build reports it
        table[rel] = entry
        parsed[rel] = (cache_token(rel, entry.digest, settings_key), value, found)
    olds = text_edits(changed, body.parsed, parsed)
    if olds is None:
        return None
    swap = {id(olds[rel]): parsed[rel][1] for rel in changed}
    edited = {parsed[rel][1].path for rel in changed}
    live = body.trees.live
    if not all(rel in live for rel in body.outputs):
        return None
    fps = copy.copy(plan.fps)  # shares the encodings of tags and authors; only the edited sources' tokens differ
    fps.tokens = {**plan.fps.tokens, **{parsed[rel][1].path: "t" + parsed[rel][0].hex() for rel in changed}}
    site = replace(plan.site, briefings=tuple(swap.get(id(b), b) for b in plan.site.briefings))
    pages, fingerprints = list(plan.pages), list(plan.fingerprints)
    dirty = sorted({position for path in edited for position in plan.shown_on.get(path, ())})
    for position in dirty:
        page = pages[position] = replace(pages[position], context=_swapped(pages[position].context, swap))
        fingerprints[position] = fps.page(page, plan.site_fp, plan.template_fps[page.template])
    todo = [position for position in dirty if body.outputs[pages[position].output_path][0] != fingerprints[position]]
    outputs, fresh = dict(body.outputs), {}
    for position, data in zip(todo, render_pages(plan.env, [pages[p] for p in todo], site, options.layouts_dir, 1)):
        if isinstance(data, Problem):
            return None
        rel = pages[position].output_path
        outputs[rel] = (fingerprints[position], search.MARK in data if rel.endswith(".html") else False)
        fresh[rel] = data
    written = [writer.File(rel, writer.digest(data), data) for rel, data in fresh.items()]
    try:
        stats = writer.publish(options.output_dir, written, body.trees, spare=spare_tree(options), same={rel: live[rel] for rel in outputs if rel not in fresh})
    except (writer.Stale, writer.OutputError, OSError):
        return None
    report.problems, report.counts, report.held_back = list(head.problems), dict(head.counts), head.held_back
    new_head = cache.Head(key, b"", head.settings, table, head.wake, stats.trees.live_id, list(head.problems), dict(head.counts), head.held_back)
    new_state = cache.State(new_head, cache.Body(b"", parsed, outputs, stats.trees, body.related, templates=body.templates, shown_on=body.shown_on))
    plan.site, plan.pages, plan.fingerprints, plan.fps, plan.state = site, pages, fingerprints, fps, new_state
    return new_state


def _swapped(value, swap: dict[int, object]):
    """`value` with the objects named in `swap` (by id) replaced; lists, tuples and dicts are copied on the way."""
    new = swap.get(id(value))
    if new is not None:
        return new
    kind = type(value)
    if kind is dict:
        return {key: _swapped(item, swap) for key, item in value.items()}
    if kind is list or kind is tuple:
        return kind(_swapped(item, swap) for item in value)
    return value


def remembered_related(site: Site, body: cache.Body | None) -> tuple[bytes, dict[str, list[str]], tuple]:
    """Related briefings depend only on each briefing's place and tags: while those stay, the last build's ranking stands.

    When the same briefings stand in the same order and only some tags changed, only briefings holding a changed
    tag can rank differently (every other score, weight and distance is as it was): only they are ranked again.
    """
    places = tuple((b.path, b.tag_keys) for b in site.briefings)
    shape = hashlib.blake2b("\n".join(f"{path}\t{' '.join(keys)}" for path, keys in places).encode(), digest_size=16).digest()
    if body is not None and body.related[0] == shape:
        return body.related
    index = routes.build_index(site)
    old_places = body.related[2] if body is not None else ()
    if len(old_places) == len(places) and all(old[0] == new[0] for old, new in zip(old_places, places)):
        retagged = {path: set(old_keys) ^ set(keys) for (path, old_keys), (_, keys) in zip(old_places, places) if old_keys != keys}
        changed = set().union(*retagged.values())
        again = {path for path, keys in places if changed.intersection(keys)} | set(retagged)
        found = {**body.related[1], **{path: [b.path for b in others] for path, others in routes.related(site, index, again).items()}}
        return shape, found, places
    found = routes.related(site, index)
    return shape, {path: [b.path for b in others] for path, others in found.items()}, places


def spare_tree(options: Options) -> Path | None:
    """The previous site is kept with the build state when both are on one file system (a swap cannot cross them)."""
    output_parent = options.output_dir.absolute().parent
    try:
        same = output_parent.stat().st_dev == options.cache_dir.absolute().parent.stat().st_dev
    except OSError:
        same = False  # not there yet: a first build has no previous site to keep anyway
    return cache.state_paths(options.cache_dir, options.output_dir)[0].with_suffix(".spare") if same else None


def standing_fingerprints(options: Options, state: cache.State, gathered: Gathered, pages: list[routes.Page]) -> tuple[list, dict] | None:
    """When only briefings' text changed (each keeps its place, as `quick_build` requires, and nothing else changed), the
    pages are the last build's, and those showing none of the edited briefings have the fingerprints they had.

    Returns each page's standing fingerprint (None: compute it) with the last build's record of which pages show which
    source; None when that cannot be told, and every page is fingerprinted.
    """
    head, body = state.head, state.body
    if head is None or body is None or not body.shown_on or head.settings != settings(options) or gathered.inputs.keys() != head.inputs.keys():
        return None
    changed = [rel for rel, entry in gathered.inputs.items() if entry.digest != head.inputs[rel].digest]
    olds = text_edits(changed, body.parsed, gathered.parsed)
    if olds is None:
        return None
    edited = {old.path for old in olds.values()}  # a kept place keeps the path
    rels = [page.output_path for page in pages]
    if rels != list(body.outputs)[: len(rels)]:  # a held-back briefing came due, say
        return None
    dirty = {position for path in edited for position in body.shown_on.get(path, ())}
    return [None if position in dirty else body.outputs[rel][0] for position, rel in enumerate(rels)], body.shown_on


def fingerprint(options: Options, site: Site, pages: list[routes.Page], gathered: Gathered, key: bytes, template_names: dict, standing: tuple[list, dict] | None = None) -> Plan:
    """Each page's fingerprint: a digest of its data, its templates (with parents and includes) and the globals they read;
    and which pages show each source, for the next build (`standing_fingerprints`, `quick_build`).
    """
    tokens = {value.path: token for token, value, _ in gathered.parsed.values() if value is not None}
    fps = cache.Fingerprints(tokens)
    env = render.make_environment(options.layouts_dir, site, cache.bytecode_dir(options.cache_dir, key))
    layouts = {name: data if data is not None else (options.layouts_dir / name).read_bytes() for name, data in gathered.layouts.items()}
    layout_digests = {name: gathered.inputs[f"layouts/{name}"].digest for name in layouts}
    closures: dict[str, frozenset[str]] = {}
    names = functools.partial(cache.template_names, known=template_names)  # each template parsed once, ever
    template_fps: dict[str, bytes] = {}
    site_fp = fps.of(site.config)  # every page reads the config (filters, head); the other globals only where a template names them
    global_fps = {"all_topics": fps.of(site.topics), "tag_names": fps.of(sorted((k, t.name) for k, t in site.tags.items()))}
    for name in dict.fromkeys(page.template for page in pages):
        if name.endswith(".html"):
            deps = cache.template_closure(env, name, layouts, closures, names)
            used = cache.names_used(env, deps, layouts, names)
        else:
            deps, used = frozenset(), frozenset({"tag_names"} if name == "rss" else ())  # feeds.py: only RSS names tags
        template_fps[name] = fps.of(sorted((d, layout_digests.get(d, b"")) for d in deps), [global_fps[g] for g in sorted(used & set(global_fps))])
    plan = Plan(site, pages, [], fps, env, site_fp, template_fps)
    shows: set[str] | None = set() if standing is None else None
    paths = {encoding: path for path, encoding in fps.tokens.items()} if standing is None else {}
    if standing is not None:
        plan.shown_on = standing[1]  # the same pages show the same sources
    for position, page in enumerate(pages):
        if standing is not None and standing[0][position] is not None:
            plan.fingerprints.append(standing[0][position])
            continue
        plan.fingerprints.append(fps.page(page, site_fp, template_fps[page.template], shows=shows))
        if shows:
            for token in shows:
                plan.shown_on.setdefault(paths[token], []).append(position)
            shows.clear()
    return plan


def _render(options: Options, plan: Plan, static: dict[str, Path], inputs: dict, old_outputs, known, outputs, problems) -> Iterator[writer.File]:
    """Each output as the writer needs it: rendered only when its fingerprint changed, otherwise named as unchanged."""
    pages, fingerprints = plan.pages, plan.fingerprints
    live = known.live if known else {}
    reused = [old_outputs.get(page.output_path, (None,))[0] == fp and page.output_path in live for page, fp in zip(pages, fingerprints)]
    rendered = render_pages(plan.env, [page for page, same in zip(pages, reused) if not same], plan.site, options.layouts_dir, options.jobs)
    failed: list[Problem] = []
    for page, fp, same in zip(pages, fingerprints, reused):
        rel = page.output_path
        if same:
            outputs[rel] = old_outputs[rel]
            yield writer.File(rel, live[rel])
            continue
        data = next(rendered)
        if isinstance(data, Problem):
            failed.append(data)
            continue
        outputs[rel] = (fp, search.MARK in data if rel.endswith(".html") else False)
        yield writer.File(rel, writer.digest(data), data)
    for rel, path in static.items():
        fp = inputs[f"layouts/{rel}"].digest
        old = old_outputs.get(rel)
        outputs[rel] = (fp, False)
        if old is not None and old[0] == fp and rel in live:
            yield writer.File(rel, live[rel])
        else:
            data = path.read_bytes()
            yield writer.File(rel, writer.digest(data), data)
    if failed:
        problems += each_once(failed)
        raise RenderFailed()


def each_once(failed: list[Problem]) -> list[Problem]:
    """One template error fails many pages: report each (file, line, message) once, as first met."""
    seen: dict[tuple, Problem] = {}
    for problem in failed:
        seen.setdefault((problem.path, problem.line, problem.message.split(" (rendering")[0]), problem)
    return list(seen.values())


_RENDER_JOB: tuple | None = None  # what forked render workers inherit: never pickled, so pages keep their shared objects


def render_pages(env, pages: list[routes.Page], site: Site, layouts_dir: Path, jobs: int | None) -> Iterator[bytes | Problem]:
    """Each page's bytes (or the located problem), in order; on a cold build forked workers render while this process writes."""
    global _RENDER_JOB
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(pages) < PARALLEL_MIN or threading.active_count() > 1:  # forking beside threads (serve) can deadlock
        yield from (_render_one(env, page, site, layouts_dir) for page in pages)
        return
    _RENDER_JOB = (env, pages, site, layouts_dir)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for chunk in pool.imap(_render_chunk, [(start, start + CHUNK) for start in range(0, len(pages), CHUNK)]):
                yield from chunk
    finally:
        _RENDER_JOB = None


def _render_chunk(span: tuple[int, int]) -> list[bytes | Problem]:
    env, pages, site, layouts_dir = _RENDER_JOB
    return [_render_one(env, page, site, layouts_dir) for page in pages[span[0] : span[1]]]


def _render_one(env, page: routes.Page, site: Site, layouts_dir: Path) -> bytes | Problem:
    try:
        return render.render_page(env, page, site)
    except Exception as exc:  # any template failure becomes a located problem, never a traceback
        return render.template_problem(exc, layouts_dir, page)


def _search_finish(output_dir: Path, outputs: dict, old_outputs: dict, known: writer.Trees | None, problems: list[Problem]):
    """The writer's finish hook: Pagefind indexes the new tree when an indexed page changed; otherwise the last index is kept."""

    def finish(staging: Path) -> None:
        marked = {rel for rel, (_, m) in outputs.items() if m}
        was_marked = {rel for rel, (_, m) in old_outputs.items() if m}
        previous = output_dir.absolute() / "pagefind"
        same = known is not None and marked == was_marked and previous.is_dir() and all(old_outputs[rel][0] == outputs[rel][0] for rel in marked)
        if same:
            _link_tree(previous, staging / "pagefind")
        elif marked and search.find_pagefind() is not None:
            problem = search.run_pagefind(staging)
            if problem is not None:
                problems.append(problem)

    return finish


def _link_tree(source: Path, target: Path) -> None:
    """Carry a folder over into the new tree by hard links: same files, no copying."""
    for directory, _, names in os.walk(source):
        here = target / Path(directory).relative_to(source)
        here.mkdir(parents=True, exist_ok=True)
        for name in names:
            os.link(Path(directory, name), here / name)
