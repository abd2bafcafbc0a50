"""The command line: parse arguments, call the library, print its report, set the exit code. The only module that prints."""
from __future__ import annotations

import argparse
import gc
import os
import sys
from dataclasses import replace
from pathlib import Path

from . import errors, pipeline

COMMANDS = ("build", "check", "serve", "import", "new", "schema")


def _site_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    parser.add_argument("--layouts", type=Path, default=Path("layouts"), help="templates folder (default: layouts)")
    parser.add_argument("--drafts", action="store_true", help="include briefings marked draft: true")
    parser.add_argument("--future", action="store_true", help="include briefings dated in the future")
    parser.add_argument("--base-url", help="override site.yaml's base_url, e.g. for a preview deploy")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefing", description="Build a static site from a collection of news briefings.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", help="build content/ into site/ (the default command)")
    _site_arguments(build)
    build.add_argument("--output", type=Path, default=Path("site"), help="output folder (default: site)")
    build.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    build.add_argument("-v", "--verbose", action="store_true", help="print warnings and details")
    build.add_argument("-j", "--jobs", type=int, default=None, metavar="N", help="processes for Markdown and rendering (default: one per CPU)")
    build.add_argument("--clean", action="store_true", help="ignore the build state in .cache/ and build everything")
    build.add_argument("--no-search", dest="search", action="store_false", help="skip the Pagefind search index (about a minute at 10,000 briefings)")

    serve = commands.add_parser("serve", help="preview on http://HOST:PORT/, rebuilding on every change and reloading open tabs (never writes site/)")
    _site_arguments(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("-j", "--jobs", type=int, default=None, metavar="N", help="processes for Markdown and rendering (default: one per CPU)")
    serve.add_argument("--clean", action="store_true", help="ignore the build state in .cache/ for the first build")
    serve.add_argument("--search", action="store_true", help="re-index search after every change (slow on large sites; off by default)")

    check = commands.add_parser("check", help="validate content and templates; write nothing")
    _site_arguments(check)
    check.add_argument("--format", choices=("text", "json", "github"), default=None, help="output format (default: text, or github under GitHub Actions)")

    importer = commands.add_parser("import", help="turn raw scraped articles (text or saved HTML), or folders of them, into briefings")
    importer.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="article files, or folders whose .txt and .html files are imported")
    importer.add_argument("--content", type=Path, default=Path("content"))
    importer.add_argument("--tags", default="", help="comma-separated tags to add to those detected")
    importer.add_argument("--title", help="headline, when the article has none or to override it")
    importer.add_argument("--author", help="author, when the article has none or to override it")
    importer.add_argument("--date", help="ISO date or datetime, when the article has none or to override it")
    importer.add_argument("--timezone", metavar="ZONE", help="IANA zone for times the articles write without one (default: site.yaml's import timezones for the source, else the site's)")
    importer.add_argument("--source-name", help="name of the original publisher")
    importer.add_argument("--source-url", help="address of the original article")
    importer.add_argument("--force", action="store_true", help="overwrite an existing briefing")
    importer.add_argument("--dry-run", action="store_true", help="print the briefing instead of writing it")
    importer.add_argument("-v", "--verbose", action="store_true", help="with --dry-run: say where title, author and date came from")
    importer.add_argument("--report", type=Path, metavar="FILE.json", help="write what became of every path as JSON")

    new = commands.add_parser("new", help="write a new briefing's skeleton at content/briefings/<year>/<slug>.md")
    new.add_argument("title")
    new.add_argument("--tags", required=True, help="comma-separated tag names, e.g. immigration,human rights")
    new.add_argument("--author", help="default: git config user.name")
    new.add_argument("--date", help="ISO date or datetime (default: now, in the site timezone)")
    new.add_argument("--content", type=Path, default=Path("content"))

    schema = commands.add_parser("schema", help="print the JSON Schema of front matter, or write them all with --write")
    schema.add_argument("kind", nargs="?", choices=("briefing", "topic", "author"), default="briefing")
    schema.add_argument("--write", nargs="?", type=Path, const=Path("schema"), metavar="DIR", help="write every schema into DIR (default: schema)")
    return parser


def main(argv: list[str] | None = None) -> int:
    from_command_line = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")  # `python build.py --drafts` means `build --drafts`
    args = make_parser().parse_args(argv)
    if from_command_line and args.command in ("build", "check"):
        # A build pauses the cycle collector while it runs; turned on again at its end, the collector's first pass
        # walks the whole heap (0.2-0.27 s at 10,000 briefings), for a process that is about to exit anyway.
        gc.disable()
    handler = {"build": run_build, "check": run_check, "serve": run_serve, "import": run_import, "new": run_new, "schema": run_schema}[args.command]
    return handler(args)


def _options(args: argparse.Namespace, output: Path = Path("site")) -> pipeline.Options:
    return pipeline.Options(
        content_dir=args.content,
        layouts_dir=args.layouts,
        output_dir=output,
        base_url=args.base_url,
        drafts=args.drafts,
        future=args.future,
        jobs=getattr(args, "jobs", None),
        clean=getattr(args, "clean", False),
        search=getattr(args, "search", True),
    )


def print_problems(problems: list[errors.Problem], fmt: str = "text", warnings: bool = True) -> None:
    shown = [p for p in problems if warnings or p.severity == "error"]
    if not shown:
        return
    formatter = {"text": errors.format_text, "json": errors.format_json, "github": errors.format_github}[fmt]
    print(formatter(shown), file=sys.stderr if fmt == "text" else sys.stdout)


def summary(report: errors.Report) -> str:
    machine_read = ("feed", "opml", "sitemap", "sitemapindex", "robots")
    pages = {kind: n for kind, n in sorted(report.counts.items()) if kind not in machine_read}
    kinds = ", ".join(f"{n} {kind}" for kind, n in pages.items())
    held = f"; {report.held_back} held back (drafts or dated in the future: --drafts, --future)" if report.held_back else ""
    took = f"{report.seconds:.2f} s" if report.seconds >= 0.1 else f"{report.seconds * 1000:.0f} ms"  # a preview's edit: "0.00 s" said nothing
    return f"{sum(pages.values())} pages ({kinds}), {report.counts.get('feed', 0)} feeds in {took}{held}"


WARNINGS_SHOWN = 10  # a build shows the first few warnings; -v shows all, `check` lists them all


def run_build(args: argparse.Namespace) -> int:
    report = pipeline.build_site(_options(args, args.output))
    print_problems(report.errors)
    if not args.quiet:
        shown = report.warnings if args.verbose else report.warnings[:WARNINGS_SHOWN]
        print_problems(shown)
        if len(shown) < len(report.warnings):
            print(f"… and {len(report.warnings) - len(shown)} more warning(s): -v or `check` lists them all", file=sys.stderr)
    if not report.ok:
        print(f"build failed: {len(report.errors)} error(s); {args.output}/ was not changed", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"Built {summary(report)} → {args.output}/")
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from . import serve

    def on_build(report: errors.Report, first: bool) -> None:
        print_problems(report.problems, warnings=first or not report.ok)
        if report.ok:
            print(f"{'Built' if first else 'Rebuilt'} {summary(report)}", flush=True)
        else:
            print(f"build failed: {len(report.errors)} error(s); still serving the last good build, with the errors on every page", file=sys.stderr, flush=True)

    def on_ready(url: str, folder: Path) -> None:
        print(f"Serving a preview on {url} (Ctrl-C stops); watching {args.content}/ and {args.layouts}/; built into {folder}/, never site/", flush=True)

    try:
        serve.run(_options(args), args.host, args.port, on_build, on_ready)
    except (KeyboardInterrupt, serve.Stop):
        print("stopped", file=sys.stderr)
        return 0
    except serve.CannotListen as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc}; pass another port with --port, e.g. --port {args.port + 1}", file=sys.stderr)
        return 1
    return 0


def _port(text: str) -> int:
    """A TCP port, 0 (any free one) to 65535: argparse's own message for anything else, never a traceback."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number; use 0 to 65535, e.g. --port 8001") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number; use 0 to 65535, e.g. --port 8001")
    return port


def run_check(args: argparse.Namespace) -> int:
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    report = pipeline.check(_options(args))
    problems = report.problems if fmt != "github" else [replace(p, path=repository_path(p.path)) for p in report.problems]
    print_problems(problems, fmt)
    if fmt == "text":
        verdict = "ok" if report.ok else "failed"
        print(f"check {verdict}: {len(report.errors)} error(s), {len(report.warnings)} warning(s)", file=sys.stderr if not report.ok else sys.stdout)
    return 0 if report.ok else 1


def repository_path(path: str) -> str:
    """A path that opens from here, made relative to the repository root: GitHub attaches an annotation to a pull
    request's line only when its file= is (the root is GITHUB_WORKSPACE under Actions, else the working directory)."""
    root = os.path.realpath(os.environ.get("GITHUB_WORKSPACE") or os.getcwd())
    return Path(os.path.relpath(os.path.abspath(path), root)).as_posix()


def run_import(args: argparse.Namespace) -> int:
    from . import importer  # imported lazily: the HTML path pulls in optional libraries

    options = importer.ImportOptions(
        content_dir=args.content,
        tags=tuple(t.strip() for t in args.tags.split(",") if t.strip()),
        title=args.title,
        author=args.author,
        date=args.date,
        source_name=args.source_name,
        source_url=args.source_url,
        timezone=args.timezone,
        force=args.force,
        dry_run=args.dry_run,
    )
    results = importer.import_articles(args.paths, options, _progress_bar() if sys.stderr.isatty() else None)
    for result in results:
        if args.verbose and result.notes:
            print("\n".join(f"{result.input}: {note}" for note in result.notes), file=sys.stderr)
        if result.problems:
            print_problems(list(result.problems))
        elif args.dry_run:
            print(result.text, end="")
        else:
            print(result.output)
    if args.report:
        _write_report(args.report, results)
    if len(results) > 1 or any(r.problems for r in results):
        print(_import_summary(results), file=sys.stderr)
    return 1 if any(r.status == "refused" for r in results) else 0


def _progress_bar():
    """A one-line bar on the terminal, redrawn in place; cleared when the batch ends."""
    def show(done: int, total: int, path: Path) -> None:
        width = 30
        filled = width * done // max(total, 1)
        line = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {path.name[:40]}" if done < total else ""
        print(f"\r\x1b[2K{line}", end="" if line else "", file=sys.stderr, flush=True)

    return show


def _import_summary(results: list) -> str:
    """A table: how many were imported, refused (with each reason) and already imported."""
    counts = {status: sum(r.status == status for r in results) for status in ("imported", "refused", "duplicate")}
    lines = [f"{'imported':<10} {counts['imported']:>5}", f"{'refused':<10} {counts['refused']:>5}", f"{'duplicate':<10} {counts['duplicate']:>5}"]
    for result in results:
        if result.status != "imported":
            reasons = "; ".join(f"{p.field + ': ' if p.field else ''}{p.message}{f' ({p.hint})' if p.hint else ''}" for p in result.problems)
            lines.append(f"  {result.status:<9} {result.input}: {reasons}")
    return "\n".join(lines)


def _write_report(path: Path, results: list) -> None:
    import json

    rows = [
        {
            "input": str(r.input), "status": r.status, "output": str(r.output) if r.output else None,
            "problems": [str(p) for p in r.problems], "notes": list(r.notes),
        }
        for r in results
    ]
    path.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def run_new(args: argparse.Namespace) -> int:
    from . import scaffold

    new = scaffold.NewBriefing(args.title, tuple(t.strip() for t in args.tags.split(",") if t.strip()), args.author, args.date)
    path, problems = scaffold.create(args.content, new)
    print_problems(problems)
    if path is None:
        return 1
    print(path)
    return 0


def run_schema(args: argparse.Namespace) -> int:
    from . import fields

    if args.write is None:
        print(fields.schema_text(args.kind), end="")
        return 0
    args.write.mkdir(parents=True, exist_ok=True)
    for kind in fields.SCHEMAS:
        path = args.write / f"{kind}.schema.json"
        path.write_text(fields.schema_text(kind), encoding="utf-8")
        print(path)
    return 0
