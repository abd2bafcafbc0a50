"""Render planned pages to bytes: Jinja2 for HTML (strict, autoescaped), feeds.py for XML; template errors located."""
from __future__ import annotations

import traceback
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from . import feeds
from .errors import Problem
from .model import Site, slugify
from .routes import Page

WORDS_PER_MINUTE = 230


def make_environment(layouts_dir: Path, site: Site) -> jinja2.Environment:
    """StrictUndefined: a typo in a template is an error that names the template and line, not an empty string."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(layouts_dir)),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    base_path = urlsplit(site.config.base_url).path or "/"
    env.filters["url"] = lambda url: base_path + str(url).lstrip("/") if str(url).startswith("/") else url
    env.filters["absolute"] = lambda url: feeds.absolute(site.config, url)
    env.filters["day"] = lambda moment: f"{moment.day} {moment:%B %Y}"
    env.filters["author_slug"] = slugify
    env.filters["reading_minutes"] = lambda words: max(1, round(words / WORDS_PER_MINUTE))
    env.globals.update(site=site.config, all_topics=site.topics, tag_names={k: t.name for k, t in site.tags.items()})
    return env


def page_feeds(page: Page, site: Site) -> list[dict]:
    """The feeds a page advertises with <link rel="alternate">: the site's, and its own topic's or tag's."""
    result = [{"title": site.config.title, "url": "/feed.xml"}]
    owner = page.context.get("topic") or page.context.get("tag")
    if owner is not None and page.kind in ("topic", "tag"):
        result.append({"title": f"{site.config.title}: {getattr(owner, 'title', None) or owner.name}", "url": f"{owner.url}feed.xml"})
    return result


def render_page(env: jinja2.Environment, page: Page, site: Site) -> bytes:
    if page.template.endswith(".html"):
        template = env.get_template(page.template)
        return template.render(page.context, page=page, feeds=page_feeds(page, site)).encode("utf-8")
    return feeds.RENDERERS[page.template](page, site.config, env.globals["tag_names"]).encode("utf-8")


def template_problem(exc: Exception, layouts_dir: Path, page: Page) -> Problem:
    """Point at the template line that failed; Jinja puts template frames into the traceback."""
    if isinstance(exc, jinja2.TemplateNotFound):
        field = "layout" if page.kind == "topic" and page.source else ""
        where = page.source if field else f"layouts/{page.template}"
        return Problem(where, 1, 1, field, f"template '{exc.name}' not found in {layouts_dir}", "check the name, or pass --layouts DIR")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name = exc.filename or exc.name or page.template
        return Problem(_layout_path(name, layouts_dir), exc.lineno or 1, 1, "template", f"syntax error: {exc.message}", "fix the Jinja2 syntax")
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".xml"))]
    frame = frames[-1] if frames else None
    where = _layout_path(frame.filename, layouts_dir) if frame else f"layouts/{page.template}"
    hint = "a name used in the template does not exist; check its spelling" if isinstance(exc, jinja2.UndefinedError) else "see the template line"
    return Problem(where, frame.lineno if frame else 1, 1, "template", f"{type(exc).__name__}: {exc} (rendering {page.url})", hint)


def _layout_path(filename: str, layouts_dir: Path) -> str:
    path = Path(filename)
    try:
        return (Path(layouts_dir.name) / path.resolve().relative_to(layouts_dir.resolve())).as_posix()
    except ValueError:
        return filename


def render_all(pages: list[Page], layouts_dir: Path, site: Site) -> tuple[dict[str, bytes], list[Problem]]:
    """Every page's bytes by output path; each distinct template error is reported once."""
    env = make_environment(layouts_dir, site)
    outputs: dict[str, bytes] = {}
    problems: dict[tuple, Problem] = {}
    for page in pages:
        try:
            outputs[page.output_path] = render_page(env, page, site)
        except Exception as exc:  # any template failure becomes a located problem, never a traceback
            problem = template_problem(exc, layouts_dir, page)
            problems.setdefault((problem.path, problem.line, problem.message.split(" (rendering")[0]), problem)
    return outputs, list(problems.values())
