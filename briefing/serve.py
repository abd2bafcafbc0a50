"""Live preview: build, serve the output over HTTP, rebuild with the same build function on every change, and reload open tabs."""
from __future__ import annotations

import html
import os
import threading
import time
from dataclasses import replace
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from . import cache, pipeline
from .errors import Problem, Report

EVENTS = "/__briefing/events"
DEBOUNCE = 0.05  # seconds of quiet before a rebuild: an editor's save is often several events
PING = 15.0  # seconds between keep-alive comments on the event stream, so a closed tab is noticed
WATCHED = {"created", "modified", "deleted", "moved"}  # not "opened"/"closed": the build itself reads these files

# Reloads the tab when the server's build number differs from the one this page was served with.
SNIPPET = (
    '<script>(() => {{ const built = "{version}"; const events = new EventSource("{url}");'
    " events.onmessage = (e) => {{ if (e.data !== built) location.reload(); }}; }})();</script>"
)


class CannotListen(Exception):
    """The address is taken or not ours to use; the message says which."""


class Preview:
    """What the HTTP threads read and the build loop writes: the build number and the errors of the last build."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.version = 0
        self.errors: list[Problem] = []
        self.closed = False

    def publish(self, errors: list[Problem]) -> None:
        with self.changed:
            self.version += 1
            self.errors = errors
            self.changed.notify_all()

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.notify_all()


class Handler(SimpleHTTPRequestHandler):
    """Static files from the output folder; HTML gets the reload snippet, or the error page while the build is broken."""

    preview: Preview

    def log_message(self, format, *args) -> None:  # the terminal shows builds, not every request
        pass

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] == EVENTS:
            return self.stream_events()
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().do_GET()  # the redirect to the folder's URL with a slash
            path = os.path.join(path, "index.html")
        wants_html = path.endswith((".html", ".htm")) or not os.path.splitext(path)[1]
        if wants_html and self.preview.errors:
            return self.send_html(HTTPStatus.INTERNAL_SERVER_ERROR, error_page(self.preview.errors))
        if path.endswith((".html", ".htm")) and os.path.isfile(path):
            return self.send_html(HTTPStatus.OK, Path(path).read_bytes())
        if wants_html and not os.path.exists(path):
            missing = Path(self.directory) / "404.html"
            if missing.is_file():
                return self.send_html(HTTPStatus.NOT_FOUND, missing.read_bytes())
        return super().do_GET()

    def send_html(self, status: HTTPStatus, body: bytes) -> None:
        snippet = SNIPPET.format(version=self.preview.version, url=EVENTS).encode()
        at = body.rfind(b"</body>")
        body = body[:at] + snippet + body[at:] if at >= 0 else body + snippet
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def stream_events(self) -> None:
        """Server-sent events: the build number now, then after every build, until the tab or the server goes."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        preview, sent = self.preview, None
        try:
            while True:
                with preview.changed:
                    if preview.version == sent and not preview.closed:
                        preview.changed.wait(PING)
                    version, closed = preview.version, preview.closed
                if closed:
                    return
                self.wfile.write(f"data: {version}\n\n".encode() if version != sent else b": ping\n\n")
                self.wfile.flush()
                sent = version
        except (BrokenPipeError, ConnectionResetError):
            return


def error_page(errors: list[Problem]) -> bytes:
    items = "\n".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in sorted(errors))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Build failed</title>\n'
        "<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem;max-width:60rem}code{white-space:pre-wrap}li{margin:.5rem 0}</style>\n"
        f"</head>\n<body>\n<h1>Build failed</h1>\n<p>{len(errors)} error(s). Fix the files below and save: this page reloads by itself.</p>\n"
        f'<ul class="problems">\n{items}\n</ul>\n</body>\n</html>\n'
    ).encode()


class Watch(FileSystemEventHandler):
    """Watchdog's threads only note what changed and raise a flag; the build loop does the rest (as MkDocs' livereload does)."""

    def __init__(self, flag: threading.Event):
        self.flag = flag
        self.lock = threading.Lock()
        self.touched: set[str] = set()  # every file named by an event: modified, created, deleted, either end of a move
        self.walk = False  # something was created, deleted or moved: the next build walks the folders again

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in WATCHED:
            return
        with self.lock:
            if event.event_type != "modified":
                self.walk = True
            if not event.is_directory:  # a folder is "modified" when its entries change; those have events of their own
                self.touched.add(os.fsdecode(event.src_path))
                if getattr(event, "dest_path", ""):
                    self.touched.add(os.fsdecode(event.dest_path))
        self.flag.set()

    def take(self) -> tuple[frozenset[str], bool]:
        """The files named since the last call, and whether the folders must be walked again to know the inputs."""
        with self.lock:
            taken = frozenset(self.touched), self.walk
            self.touched, self.walk = set(), False
        return taken


def bind(host: str, port: int, preview: Preview, output_dir: Path) -> ThreadingHTTPServer:
    """The listening server; an OSError (the port is taken) comes out before anything is built."""
    handler = type("PreviewHandler", (Handler,), {"preview": preview})
    try:
        server = ThreadingHTTPServer((host, port), partial(handler, directory=str(output_dir.absolute())))
    except OSError as exc:
        raise CannotListen(exc.strerror or str(exc)) from None
    server.daemon_threads = True  # open event streams never hold up the exit
    return server


def base_url(server: ThreadingHTTPServer, host: str) -> str:
    shown = "localhost" if host in ("", "0.0.0.0", "::") else host
    return f"http://{shown}:{server.server_address[1]}/"


def run(options: pipeline.Options, host: str, port: int, on_build: Callable[[Report, bool], None], on_ready: Callable[[str], None]) -> None:
    """Serve until interrupted (KeyboardInterrupt leaves here after a clean shutdown); errors never stop the loop."""
    preview = Preview()
    server = bind(host, port, preview, options.output_dir)
    options = replace(options, base_url=base_url(server, host))
    session = cache.Session()
    if not options.clean:
        key = cache.code_key(options.content_dir, options.layouts_dir)
        head = cache.load_head(options.cache_dir, options.output_dir, key)
        session.state = cache.State(head, cache.load_body(options.cache_dir, options.output_dir, head) if head else None)
    options = replace(options, clean=False)
    flag = threading.Event()
    watch = Watch(flag)
    observer = Observer()
    for folder in (options.content_dir, options.layouts_dir):
        if folder.is_dir():
            observer.schedule(watch, str(folder), recursive=True)
    thread = threading.Thread(target=server.serve_forever, name="http", daemon=True)
    try:
        observer.start()
        rebuild(options, session, preview, on_build, first=True)
        thread.start()
        on_ready(options.base_url)
        while True:
            if not flag.wait(0.5):
                continue
            while flag.is_set():  # quiet for DEBOUNCE seconds: then build once for all of it
                flag.clear()
                time.sleep(DEBOUNCE)
            touched, walk = watch.take()
            rebuild(options, session, preview, on_build, touched=touched, walk=walk)
    finally:
        preview.close()
        observer.stop()
        server.shutdown() if thread.is_alive() else None
        server.server_close()
        if session.state.head is not None and session.state.body is not None:
            cache.save(options.cache_dir, options.output_dir, session.state)


def rebuild(options: pipeline.Options, session: cache.Session, preview: Preview, on_build: Callable[[Report, bool], None], first: bool = False, touched: frozenset[str] | None = None, walk: bool = False) -> None:
    """One build; open tabs reload only when the site was swapped or the errors changed (a touched file changes neither)."""
    before = session.state.head.live_id if session.state.head else None
    report = pipeline.build(options, session, touched, walk)
    after = session.state.head.live_id if session.state.head else None
    if first or before != after or report.errors != preview.errors:
        preview.publish(report.errors)
    on_build(report, first)
