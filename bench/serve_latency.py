#!/usr/bin/env python3
"""Time `build.py serve` from a briefing's write to the reload event an open tab receives, and print one JSON line.

Usage:
  python bench/serve_latency.py --content DIR --layouts DIR [--edits 7] [--repo PATH]
                                [--workdir DIR] [--timeout S] [--json FILE]

The server runs in a fresh temporary folder (under --workdir when given) that is
its cwd and holds its output, so its .cache/ is its own; it gets a free port and
no search index. Once it serves, this script listens on /__briefing/events as a
tab does and reads the first event; then, K times: sleep 1 s (so builds never
overlap), append a new sentence to one of three briefings, note the time right
after the file is closed, wait for the next `data:` line, and fetch the page,
which must hold the sentence. The server is stopped with SIGINT and must exit 0;
the edited briefings are then put back byte for byte.

The JSON line: `latencies` (seconds, one per edit), `median`, `edits`,
`first_build_s` (start until the first page answers), `stray_events` (events
no edit caused, seen between edits), `files`, `rc`, `seen`. On any failure it
also has `error`, the same reason is the last line on stderr, and the exit code is 1.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EVENTS = "/__briefing/events"
PAUSE = 1.0  # seconds between the last event and the next edit


class Failure(Exception):
    """Something a reader of the benchmark must see: the server, the event or the page did not behave."""


class EventStream:
    """The reload stream read over a plain socket, so events that arrive between edits can be counted without blocking."""

    def __init__(self, port: int, deadline: float):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.sock.sendall(f"GET {EVENTS} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
        self.buffer = b""
        self.arrived = 0.0  # perf_counter() when the last bytes came in
        while b"\r\n\r\n" not in self.buffer:
            self._fill(deadline)
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        if b"text/event-stream" not in head.lower():
            raise Failure(f"{EVENTS} did not answer with an event stream: {head[:200]!r}")

    def _fill(self, deadline: float | None) -> bool:
        """Add what the server sent to the buffer, waiting until deadline (None: not at all); False if nothing came."""
        if deadline is None:
            self.sock.setblocking(False)
        else:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failure("no reload event before the timeout")
            self.sock.settimeout(left)
        try:
            chunk = self.sock.recv(65536)
        except (BlockingIOError, TimeoutError):
            return False
        if not chunk:
            raise Failure("the server closed the event stream")
        self.arrived = time.perf_counter()
        self.buffer += chunk
        return True

    def _lines(self) -> list[str]:
        *done, self.buffer = self.buffer.split(b"\n")
        return [line.decode("utf-8", "replace").strip() for line in done]

    def next(self, deadline: float) -> float:
        """Block until the next `data:` line; return the perf_counter() at which it arrived."""
        while True:
            pending = self._lines()
            data = [i for i, line in enumerate(pending) if line.startswith("data: ")]
            if data:  # put back what follows the first event; it belongs to the next call
                rest = pending[data[0] + 1 :]
                self.buffer = b"".join(line.encode() + b"\n" for line in rest) + self.buffer
                return self.arrived
            self._fill(deadline)

    def stray(self) -> int:
        """How many `data:` lines have arrived since the last call to next(), consuming them."""
        while self._fill(None):
            pass
        return sum(line.startswith("data: ") for line in self._lines())

    def close(self) -> None:
        self.sock.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def page_of(content: Path, source: Path) -> str:
    """The URL path a briefing is served at: briefings/<year>/<slug>.md -> /briefings/<year>/<slug>/."""
    return "/" + source.relative_to(content).with_suffix("").as_posix() + "/"


def wait_until_serving(server: subprocess.Popen, port: int, deadline: float) -> None:
    while True:
        if server.poll() is not None:
            raise Failure(f"serve exited with {server.returncode} before it served anything")
        try:
            if fetch(port, "/")[0] in (200, 500):
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise Failure("serve did not answer before the timeout (the first build is a full build)")
        time.sleep(0.2)


def stop(server: subprocess.Popen) -> int:
    """SIGINT, as Ctrl-C would; the server saves its build state on the way out, so give it time."""
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=300)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            return -signal.SIGKILL
    return server.returncode


def session(content: Path, layouts: Path, repo: Path, edits: int, cwd: Path, timeout: float, result: dict) -> None:
    """Start the server, make the edits and time them; fills `result` as it goes, raises Failure when anything is off."""
    files = sorted(content.glob("briefings/*/*.md"))
    if not files:
        raise Failure(f"no briefings under {content}/briefings/")
    picks = list(dict.fromkeys(files[len(files) * i // 4] for i in (1, 2, 3)))  # a few briefings, spread out
    originals = {path: path.read_bytes() for path in picks}
    result["files"] = [p.relative_to(content).as_posix() for p in picks]
    token = os.urandom(3).hex()  # a sentence no earlier run wrote
    port = free_port()
    command = [sys.executable, str(repo / "build.py"), "serve", "--content", str(content), "--layouts", str(layouts),
               "--port", str(port)]
    env = {**os.environ, "PAGEFIND_BINARY_PATH": "/nonexistent/pagefind"}  # no search index: only the build is timed
    with open(cwd / "serve.out", "wb") as out, open(cwd / "serve.err", "wb") as err:
        server = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
    try:
        started = time.perf_counter()
        wait_until_serving(server, port, time.monotonic() + timeout)
        result["first_build_s"] = time.perf_counter() - started
        for path in picks:
            status, _ = fetch(port, page_of(content, path))
            if status != 200:
                raise Failure(f"{page_of(content, path)} answered {status} after the first build")
        stream = EventStream(port, time.monotonic() + 60)
        stream.next(time.monotonic() + 60)  # the build number the tab was served with
        for k in range(edits):
            time.sleep(PAUSE)
            result["stray_events"] += stream.stray()
            path = picks[k % len(picks)]
            sentence = f"Latency probe {k + 1} of run {token} reached the page."
            with open(path, "a", encoding="utf-8") as f:
                f.write(f"\n{sentence}\n")
            written = time.perf_counter()
            result["latencies"].append(stream.next(time.monotonic() + timeout) - written)
            status, page = fetch(port, page_of(content, path))
            if status != 200 or sentence not in page:
                raise Failure(f"after the reload event {page_of(content, path)} answered {status} "
                              f"without the sentence appended to {path.name}")
        stream.close()
        result["seen"] = True
    finally:
        result["rc"] = stop(server)
        for path, data in originals.items():  # leave the content as it was found
            path.write_bytes(data)
    if result["rc"] != 0:
        raise Failure(f"serve exited with {result['rc']} after SIGINT (want 0)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--content", required=True, type=Path)
    ap.add_argument("--layouts", required=True, type=Path)
    ap.add_argument("--edits", type=int, default=7, help="timed edits (default 7); the median is reported")
    ap.add_argument("--repo", type=Path, default=Path(__file__).resolve().parent.parent, help="the checkout whose build.py is run")
    ap.add_argument("--workdir", type=Path, help="where the server's temporary folder goes (default: the system's)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds to wait for the first build, and for each event")
    ap.add_argument("--json", type=Path, help="also write the JSON line to this file")
    a = ap.parse_args(argv)
    # Launched in the background, this process may ignore SIGINT, and the server would inherit that and never stop;
    # with a handler here instead, the server starts with the default and turns SIGINT into a clean shutdown.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    result: dict = {"latencies": [], "median": None, "edits": a.edits, "first_build_s": None,
                    "stray_events": 0, "files": [], "rc": None, "seen": False}
    with tempfile.TemporaryDirectory(prefix="serve-latency-", dir=a.workdir) as tmp:
        try:
            session(a.content.resolve(), a.layouts.resolve(), a.repo.resolve(), a.edits, Path(tmp), a.timeout, result)
        except (Failure, OSError) as exc:
            result["error"] = str(exc) or type(exc).__name__
            tail = (Path(tmp) / "serve.err").read_bytes()[-3000:].decode("utf-8", "replace") if (Path(tmp) / "serve.err").exists() else ""
            print("serve's stderr, last lines:\n" + tail.rstrip(), file=sys.stderr)
    if result["latencies"]:
        result["median"] = statistics.median(result["latencies"])
    line = json.dumps(result)
    print(line, flush=True)
    if a.json:
        a.json.write_text(line + "\n", encoding="utf-8")
    if "error" in result:
        print(f"serve_latency: {result['error']}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
