"""Live preview: the same build in a loop, into a folder of its own, served over HTTP; open tabs reload after every change.

The preview never writes site/: it builds into .cache/preview/<port>/site with its own state, and with the
preview's address as the base URL, so a preview that is killed at any moment can leave nothing wrong behind.
"""
from __future__ import annotations

import html
import ipaddress
import os
import re
import signal
import socket
import threading
import time
from dataclasses import replace
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

from watchdog.events import (DirCreatedEvent, DirDeletedEvent, DirMovedEvent, FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent,
                             FileSystemEvent, FileSystemEventHandler)
from watchdog.observers import Observer

from . import inputs, pipeline, state as states, writer
from .errors import Problem, Report

EVENTS = "/__briefing/events"
DEBOUNCE = 0.05  # seconds of quiet before a rebuild: an editor's save is often several events
PING = 15.0  # seconds between keep-alive comments on the event stream, so a closed tab is noticed
POLL = 0.5  # seconds between checks that the watched folders are still the ones being watched
KEEP_AFTER = 3.0  # seconds without a build before the state is saved: a save (~0.3 s at 10k) must not delay the next edit
BACKLOG = 128  # connections waiting to be accepted: a page with many assets opens several at once
BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")  # a % that starts no percent-escape: a malformed URL
WATCHED = {"created", "modified", "deleted", "moved"}  # not "opened"/"closed": the build itself reads these files
# Asked of the watcher (on Linux, the inotify mask), so that the ~40 files each build opens (site.yaml, the layouts)
# wake no watchdog thread to compete with the build for the interpreter; a folder's "modified" is no event (Watch).
EVENT_TYPES = [FileModifiedEvent, FileCreatedEvent, FileDeletedEvent, FileMovedEvent, DirCreatedEvent, DirDeletedEvent, DirMovedEvent]

# Reloads the tab when the server's build number differs from the one this page was served with.
SNIPPET = (
    '<script>(() => {{ const built = "{version}"; const events = new EventSource("{url}");'
    " events.onmessage = (e) => {{ if (e.data !== built) location.reload(); }}; }})();</script>"
)


class CannotListen(Exception):
    """The address is taken or not ours to use, or another preview of this project runs on that port; the message says which."""


class Stop(BaseException):
    """SIGTERM or SIGHUP: leave the loop as Ctrl-C does. A BaseException, like KeyboardInterrupt, so that no `except
    Exception` on the way (a template's failure becomes a located problem) can take it for an error and go on."""


def preview_dir(cache_dir: Path, port: int) -> Path:
    return cache_dir / "preview" / str(port) / "site"


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
    """Static files from the preview folder; HTML gets the reload snippet, or the error page while the build is broken."""

    preview: Preview
    hosts: frozenset[str]  # the Host headers this server answers: anything else is a DNS-rebinding attempt

    def log_message(self, format, *args) -> None:  # the terminal shows builds, not every request
        pass

    def do_GET(self) -> None:
        if not self.allowed():
            return
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

    def do_HEAD(self) -> None:
        if self.allowed():
            super().do_HEAD()

    def allowed(self) -> bool:
        """Refuse a request for another host (a page elsewhere that rebinds its name to this address) or a malformed path."""
        host = (self.headers.get("Host") or "").lower()
        if host not in self.hosts:
            self.send_error(HTTPStatus.FORBIDDEN, "This preview answers only to its own address")
            return False
        path = unquote(urlsplit(self.path).path, errors="strict") if "%" in self.path else self.path
        if not self.path.startswith("/") or "\x00" in path or BAD_ESCAPE.search(self.path) or any(0xD800 <= ord(c) <= 0xDFFF for c in path):
            self.send_error(HTTPStatus.BAD_REQUEST, "Malformed path")
            return False
        return True

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (UnicodeDecodeError, ValueError):  # a path no file can have (bad percent-encoding, say): a 400, never a traceback
            try:
                self.send_error(HTTPStatus.BAD_REQUEST, "Malformed path")
            except OSError:
                pass
        except (BrokenPipeError, ConnectionResetError):
            pass

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
        self.everything = False  # a watched folder was replaced: events may have been missed, so every file is looked at
        self.last = float("-inf")  # when the last event came (time.monotonic)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in WATCHED:
            return
        if event.is_directory and event.event_type == "modified":  # its entries changed: they have events of their own
            return
        with self.lock:
            self.last = time.monotonic()
            if event.event_type != "modified":
                self.walk = True
            if not event.is_directory:
                self.touched.add(os.fsdecode(event.src_path))
                if getattr(event, "dest_path", ""):
                    self.touched.add(os.fsdecode(event.dest_path))
        self.flag.set()

    def settle(self, quiet: float = DEBOUNCE, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        """Return once no event has come for `quiet` seconds: an editor's save is often several events, built once.
        Counted from the last event, so two events a moment apart wait `quiet` once, not a full round each."""
        while (left := self.last + quiet - clock()) > 0:
            sleep(left)

    def take(self) -> tuple[frozenset[str] | None, bool]:
        """The files named since the last call (None: any file may have changed), and whether the folders must be
        walked again to know the inputs."""
        with self.lock:
            taken = None if self.everything else frozenset(self.touched), self.walk or self.everything
            self.touched, self.walk, self.everything = set(), False, False
        return taken

    def force_walk(self) -> None:
        """A folder was replaced: until it was watched again, its changes went unseen."""
        with self.lock:
            self.everything = True
        self.flag.set()


class Folders:
    """Keeps watchdog watching content/ and layouts/ even when one is deleted and made again (a branch switch, a restore)."""

    def __init__(self, observer, handler: Watch, folders: tuple[Path, ...]):
        self.observer, self.handler, self.folders = observer, handler, folders
        self.watches: dict[Path, tuple] = {}  # folder -> (identity when scheduled, the watch)

    def check(self) -> None:
        """(Re)schedule every folder whose identity changed since it was scheduled; a change means a full build."""
        for folder in self.folders:
            try:
                st = folder.stat()
                identity = (st.st_dev, st.st_ino)
            except OSError:
                identity = None
            known = self.watches.get(folder)
            if known is not None and known[0] == identity:
                continue
            if known is not None:
                try:
                    self.observer.unschedule(known[1])
                except (KeyError, ValueError, OSError):
                    pass
                self.handler.force_walk()
            watch = self.observer.schedule(self.handler, str(folder), recursive=True, event_filter=EVENT_TYPES) if identity is not None else None
            self.watches[folder] = (identity, watch)


def bind(host: str, port: int, preview: Preview, output_dir: Path) -> ThreadingHTTPServer:
    """The listening server; an OSError (the port is taken) comes out before anything is built."""
    server_class = type("PreviewServer", (ThreadingHTTPServer,), {"request_queue_size": BACKLOG})
    handler = type("PreviewHandler", (Handler,), {"preview": preview, "hosts": frozenset()})
    try:
        server = server_class((host, port), partial(handler, directory=str(output_dir.absolute())))
    except OSError as exc:
        raise CannotListen(exc.strerror or str(exc)) from None
    handler.hosts = allowed_hosts(host, server.server_address[1])
    server.daemon_threads = True  # open event streams never hold up the exit
    return server


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The Host headers that name this server: its address and localhost, or, listening on every address, this
    machine's names and any IP address (a name that someone else's DNS points here is never on the list)."""
    names = {"localhost", "127.0.0.1", "[::1]", host.lower()}
    if host in ("", "0.0.0.0", "::"):
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    hosts = {name for name in names if name} | {f"{name}:{port}" for name in names if name}
    if host in ("", "0.0.0.0", "::"):
        return _AnyAddress(hosts, port)
    if ":" in host and not host.startswith("["):
        hosts |= {f"[{host.lower()}]", f"[{host.lower()}]:{port}"}
    return frozenset(hosts)


class _AnyAddress(frozenset):
    """Listening on every address: this machine's names, or any IP address literal (which no DNS rebinding can produce)."""

    def __new__(cls, hosts, port):
        self = super().__new__(cls, hosts)
        self.port = port
        return self

    def __contains__(self, host) -> bool:
        if frozenset.__contains__(self, host):
            return True
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 or host.startswith("[") else host
        try:
            ipaddress.ip_address(name.strip("[]"))
        except ValueError:
            return False
        return True


def base_url(server: ThreadingHTTPServer, host: str) -> str:
    shown = "localhost" if host in ("", "0.0.0.0", "::") else (f"[{host}]" if ":" in host else host)
    return f"http://{shown}:{server.server_address[1]}/"


def run(options: pipeline.Options, host: str, port: int, on_build: Callable[[Report, bool], None], on_ready: Callable[[str, Path], None]) -> None:
    """Serve until interrupted (Ctrl-C, SIGTERM or SIGHUP all leave here cleanly); errors never stop the loop."""
    output = preview_dir(options.cache_dir, port)
    with writer.lock(output) as holder:
        if holder is not None:
            raise CannotListen(f"another preview of this project (process {holder}) is using port {port}")
        preview = Preview()
        server = bind(host, port, preview, output)
        try:
            _serve(replace(options, output_dir=output, base_url=base_url(server, host)), server, preview, on_build, on_ready)
        finally:
            server.server_close()


def _serve(options: pipeline.Options, server: ThreadingHTTPServer, preview: Preview, on_build, on_ready) -> None:
    key = pipeline.code_key(options)
    state = states.State(key=key) if options.clean else states.load(options.cache_dir, options.output_dir, key)
    flag = threading.Event()
    watch = Watch(flag)
    observer = Observer()
    folders = Folders(observer, watch, (options.content_dir, options.layouts_dir))
    thread = threading.Thread(target=server.serve_forever, name="http", daemon=True)
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    saved = state
    try:
        folders.check()
        observer.start()
        state = rebuild(options, state, preview, on_build, first=True)
        thread.start()
        on_ready(options.base_url, options.output_dir)
        built = time.monotonic()
        while True:
            if not flag.wait(POLL):  # idle: keep the state, so a preview ended in any way restarts from here
                folders.check()
                pipeline.ready_for_edits(state)
                if time.monotonic() - built >= KEEP_AFTER:
                    saved = keep(options, state, saved)
                continue
            flag.clear()
            watch.settle()  # then build once for all of it
            folders.check()
            touched, walk = watch.take()
            state = rebuild(options, state, preview, on_build, None if touched is None else names_of(touched, options), walk)
            built = time.monotonic()
    finally:
        keep(options, state, saved)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        preview.close()
        observer.stop()
        server.shutdown() if thread.is_alive() else None


def _stop(signum, frame) -> None:
    raise Stop()


def names_of(paths: frozenset[str], options: pipeline.Options) -> frozenset[str] | None:
    """The build's names (content/…, layouts/…) of files a watcher named, editors' scratch files left out; None when
    one is outside both folders."""
    roots = (("content/", os.path.abspath(options.content_dir)), ("layouts/", os.path.abspath(options.layouts_dir)))
    names = set()
    for path in paths:
        if inputs.is_scratch(os.path.basename(path)):
            continue
        full = os.path.abspath(path)
        for label, root in roots:
            if full.startswith(root + os.sep):
                names.add(label + os.path.relpath(full, root).replace(os.sep, "/"))
                break
        else:
            return None
    return frozenset(names)


def rebuild(options: pipeline.Options, state: states.State, preview: Preview, on_build: Callable[[Report, bool], None], changed: frozenset[str] | None = None, walk: bool = True, first: bool = False) -> states.State:
    """One build; open tabs reload when the site or the errors changed."""
    report, new = pipeline.build(options, state, changed, walk, preview=True)
    report = pipeline.openable(report, options)
    if first or new.live is not state.live or report.errors != preview.errors:
        preview.publish(report.errors)
    on_build(report, first)
    return new


def keep(options: pipeline.Options, state: states.State, saved: states.State) -> states.State:
    """Save the state once the preview is idle (not after every build: saving takes as long as a small edit's build).
    A preview killed before that restarts from an older state, which the checks of its folder tell apart."""
    if state is not saved and not states.same(state, saved):
        try:
            states.save(options.cache_dir, options.output_dir, state)
        except OSError:
            pass  # a preview without a saved state only starts cold next time
    return state
