"""The build in order: gather and validate everything, plan pages, render, then write once; check stops before writing."""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import content, render, routes, search, writer
from .errors import Problem, Report
from .model import Site


@dataclass(frozen=True)
class Options:
    content_dir: Path = Path("content")
    layouts_dir: Path = Path("layouts")
    output_dir: Path = Path("site")
    base_url: str | None = None
    drafts: bool = False
    future: bool = False
    now: datetime | None = None  # injectable, so tests decide what "future" means


def gather(options: Options) -> tuple[Site | None, list[Problem]]:
    """Read and validate every source; a Site only when there is no error anywhere."""
    config, problems = content.load_config(options.content_dir, options.base_url)
    if config is None:
        return None, problems
    markup = content.markup_options(config)
    sources, walk_problems = content.walk_sources(options.content_dir, "briefings")
    topic_sources, topic_walk_problems = content.walk_sources(options.content_dir, "topics")
    problems += walk_problems + topic_walk_problems
    briefings = []
    for source in sources:
        raw = content.read_source(source)
        if isinstance(raw, Problem):
            problems.append(raw)
            continue
        briefing, found = content.load_briefing(source.rel, raw, config.timezone, markup)
        problems += found
        if briefing is not None:
            briefings.append(briefing)
    topics = []
    for source in topic_sources:
        topic, found = content.load_topic(source, config.timezone, markup)
        problems += found
        if topic is not None:
            topics.append(topic)
    problems += content.cross_checks(briefings, topics)
    if any(p.severity == "error" for p in problems):
        return None, problems
    now = options.now or datetime.now(timezone.utc)
    return content.assemble(config, briefings, topics, now=now, drafts=options.drafts, future=options.future), problems


def static_files(layouts_dir: Path) -> dict[str, bytes]:
    root = layouts_dir / "static"
    if not root.is_dir():
        return {}
    return {f"static/{path.relative_to(root).as_posix()}": path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def collisions(pages: list[routes.Page], static: dict[str, bytes]) -> list[Problem]:
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


def render_site(site: Site, options: Options) -> tuple[dict[str, bytes], Counter, list[Problem]]:
    pages = routes.plan(site)
    static = static_files(options.layouts_dir)
    problems = collisions(pages, static)
    if problems:
        return {}, Counter(), problems
    outputs, problems = render.render_all(pages, options.layouts_dir, site)
    return {**outputs, **static}, Counter(page.kind for page in pages), problems


def check(options: Options) -> Report:
    """Everything a build does except writing: content, cross-file and template errors."""
    started = time.perf_counter()
    site, problems = gather(options)
    report = Report(problems=problems)
    if site is not None:
        _, report.counts, render_problems = render_site(site, options)
        report.problems += render_problems
        report.held_back = site.held_back
    report.seconds = time.perf_counter() - started
    return report


def build(options: Options) -> Report:
    """Gather, render, write; on any error nothing in the output folder changes."""
    started = time.perf_counter()
    site, problems = gather(options)
    report = Report(problems=problems, output=str(options.output_dir))
    if site is None:
        return report
    outputs, report.counts, render_problems = render_site(site, options)
    report.problems += render_problems
    report.held_back = site.held_back
    if not report.ok:
        return report
    try:
        writer.publish(options.output_dir, outputs, finish=search.indexer(outputs, report.problems))
    except (writer.OutputError, OSError) as exc:
        report.problems.append(Problem(str(options.output_dir), 1, 1, "output", str(exc), "nothing was changed in the output folder; fix the cause and build again"))
    report.seconds = time.perf_counter() - started
    return report
