"""Live preview, driven as a user runs it: a subprocess on a free port, files edited on disk, pages and reload events read over HTTP."""
from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest

from conftest import ROOT, briefing_text

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="signals and inotify")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read().decode("utf-8")


class Events:
    """The server-sent event stream a tab listens to."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        self.connection.request("GET", "/__briefing/events")
        self.response = self.connection.getresponse()
        assert self.response.getheader("Content-Type") == "text/event-stream"

    def next(self) -> str:
        while True:
            line = self.response.fp.readline().decode().strip()
            if line.startswith("data: "):
                return line[len("data: ") :]

    def close(self) -> None:
        self.connection.close()


def serve(tmp_path, port: int, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PAGEFIND_BINARY_PATH": "/nonexistent/pagefind"}  # search is not what this tests
    command = [sys.executable, str(ROOT / "build.py"), "serve", "--content", "content", "--layouts", str(ROOT / "layouts"), "--port", str(port), *extra]
    return subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until_serving(process: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            if get(port, "/")[0] in (200, 500):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the server did not answer within 60 s")


def wait_for(port: int, path: str, condition, seconds: float = 20) -> tuple[int, str]:
    deadline = time.monotonic() + seconds
    while True:
        status, text = get(port, path)
        if condition(status, text) or time.monotonic() > deadline:
            return status, text
        time.sleep(0.05)


@pytest.fixture
def site_dir(make_content):
    content = make_content(
        {
            "briefings/2020/first.md": briefing_text(title="First", body="The original text."),
            "briefings/2020/second.md": briefing_text(title="Second", date="2020-02-03", body="Another one."),
        }
    )
    return content.parent


def test_an_edit_rebuilds_reloads_the_tab_and_an_error_shows_until_fixed(site_dir):
    port = free_port()
    process = serve(site_dir, port)
    try:
        wait_until_serving(process, port)
        status, page = get(port, "/briefings/2020/first/")
        assert status == 200 and "The original text." in page and "/__briefing/events" in page
        assert "__briefing" not in (site_dir / f".cache/preview/{port}/site/briefings/2020/first/index.html").read_text(encoding="utf-8")
        assert not (site_dir / "site").exists()  # the preview never writes site/
        assert f"http://127.0.0.1:{port}/briefings/2020/first/" in page  # the preview's own base URL
        events = Events(port)
        first = events.next()

        source = site_dir / "content/briefings/2020/first.md"
        source.write_text(briefing_text(title="First", body="The edited text."), encoding="utf-8")
        assert events.next() != first  # the open tab is told to reload
        assert "The edited text." in get(port, "/briefings/2020/first/")[1]

        source.write_text(briefing_text(title="First", date="2020-13-45", body="Broken."), encoding="utf-8")
        status, page = wait_for(port, "/briefings/2020/second/", lambda s, _: s == 500)
        assert status == 500 and "Build failed" in page
        assert "briefings/2020/first.md:4:" in page and "date" in page and "/__briefing/events" in page
        events.next()
        assert get(port, "/static/style.css")[0] == 200  # only HTML is replaced by the error page

        source.write_text(briefing_text(title="First", body="Fixed again."), encoding="utf-8")
        status, page = wait_for(port, "/briefings/2020/first/", lambda s, t: s == 200 and "Fixed again." in t)
        assert status == 200 and "Fixed again." in page

        # new, renamed and deleted files: the watcher's list of modified files cannot tell, so the folders are walked again
        (site_dir / "content/briefings/2020/third.md").write_text(briefing_text(title="Third", body="Brand new."), encoding="utf-8")
        assert wait_for(port, "/briefings/2020/third/", lambda s, t: s == 200 and "Brand new." in t)[0] == 200
        os.rename(site_dir / "content/briefings/2020/third.md", site_dir / "content/briefings/2020/fourth.md")
        assert wait_for(port, "/briefings/2020/fourth/", lambda s, t: s == 200)[0] == 200
        assert wait_for(port, "/briefings/2020/third/", lambda s, t: s == 404)[0] == 404
        (site_dir / "content/briefings/2020/fourth.md").unlink()
        assert wait_for(port, "/briefings/2020/fourth/", lambda s, t: s == 404)[0] == 404
        (site_dir / "content/briefings/2020/second.md").write_text(briefing_text(title="Second", body="Edited after the walk."), encoding="utf-8")
        assert "Edited after the walk." in wait_for(port, "/briefings/2020/second/", lambda s, t: "Edited after" in t)[1]
        events.close()
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Serving a preview on http://127.0.0.1:" in out and "Rebuilt" in out
    assert "first.md:4:" in err  # the error was shown in the terminal too


def test_a_template_error_shows_and_the_server_recovers(site_dir, copy_layouts):
    layouts = copy_layouts()
    port = free_port()
    process = serve(site_dir, port, "--layouts", str(layouts))
    try:
        wait_until_serving(process, port)
        article = layouts / "article.html"
        good = article.read_text(encoding="utf-8")
        article.write_text(good.replace("{{ briefing.title }}", "{{ briefing.title | no_such_filter }}"), encoding="utf-8")
        status, page = wait_for(port, "/", lambda s, _: s == 500)
        assert status == 500 and "layouts/article.html" in page
        article.write_text(good, encoding="utf-8")
        assert wait_for(port, "/", lambda s, _: s == 200)[0] == 200
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)
    assert process.returncode == 0


def test_a_port_in_use_is_a_clear_error(site_dir):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = serve(site_dir, port)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in err and "--port" in err
    assert "Traceback" not in err


def raw_request(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request)
        chunks = []
        while True:
            data = s.recv(65536)
            if not data:
                return b"".join(chunks)
            chunks.append(data)


def test_the_preview_recovers_when_content_disappears_and_comes_back(site_dir):
    port = free_port()
    process = serve(site_dir, port)
    try:
        wait_until_serving(process, port)
        content = site_dir / "content"
        shutil.copytree(content, site_dir / "backup")
        shutil.rmtree(content)  # a branch switch, a restore from backup: the folder comes back as another folder
        wait_for(port, "/", lambda s, _: s == 500)
        shutil.copytree(site_dir / "backup", content)
        assert wait_for(port, "/briefings/2020/first/", lambda s, _: s == 200)[0] == 200
        (content / "briefings/2020/first.md").write_text(briefing_text(title="First", body="Edited after the return."), encoding="utf-8")
        status, page = wait_for(port, "/briefings/2020/first/", lambda s, t: "Edited after the return." in t)
        assert status == 200 and "Edited after the return." in page
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Traceback" not in err


def test_the_preview_answers_only_to_its_own_address_and_never_with_a_traceback(site_dir):
    port = free_port()
    process = serve(site_dir, port)
    try:
        wait_until_serving(process, port)
        rebound = raw_request(port, b"GET / HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n")
        assert rebound.startswith(b"HTTP/1.0 403"), rebound[:200]
        assert raw_request(port, f"GET / HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n".encode()).startswith(b"HTTP/1.0 200")
        for path in (b"/%00", b"/briefings/%00/", b"/\x00", b"/%ff%fe", b"/%", b"nonsense"):
            answer = raw_request(port, b"GET " + path + f" HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
            assert answer.startswith(b"HTTP/1.0 400"), (path, answer[:200])
        assert get(port, "/")[0] == 200  # still serving
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Traceback" not in err


def test_the_preview_queues_a_burst_of_connections_while_it_is_busy(site_dir):
    port = free_port()
    process = serve(site_dir, port)
    try:
        wait_until_serving(process, port)
        process.send_signal(signal.SIGSTOP)  # busy: nothing is accepted until it resumes
        try:
            sockets = [socket.create_connection(("127.0.0.1", port), timeout=2) for _ in range(60)]  # a page's assets, at once
        finally:
            process.send_signal(signal.SIGCONT)
        for s in sockets:
            s.settimeout(20)
            s.sendall(f"GET /static/style.css HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        answers = []
        for s in sockets:
            answers.append(s.recv(20))
            s.close()
        assert all(a.startswith(b"HTTP/1.0 200") for a in answers), answers
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_preview_stops_on_a_signal_in_the_middle_of_a_build(make_content, copy_layouts, sig):
    """A signal that lands while pages render must stop the preview, never pass for a failed page and be forgotten."""
    content = make_content({f"briefings/2020/b{i}.md": briefing_text(title=f"Briefing {i}") for i in range(200)})
    layouts = copy_layouts()
    article = layouts / "article.html"
    article.write_text(article.read_text().replace("{% block main %}", "{% block main %}{% for i in range(3000000) %}{% endfor %}", 1))
    port = free_port()
    process = serve(content.parent, port, "--layouts", str(layouts))
    time.sleep(3)  # rendering 200 slow pages takes longer than this
    process.send_signal(sig)
    try:
        out, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError("the preview went on after the signal") from None
    assert process.returncode == 0, err
    assert "Traceback" not in err


def test_a_replaced_folder_makes_the_next_build_look_at_every_file(tmp_path):
    """While a replaced folder was not yet watched again, its changes went unseen: the next build must not take the
    files the watcher named for the only ones that changed, and it must run even if no event comes."""
    import threading

    from watchdog.events import FileModifiedEvent

    from briefing import serve as preview

    flag = threading.Event()
    watch = preview.Watch(flag)
    watch.on_any_event(FileModifiedEvent(str(tmp_path / "content" / "a.md")))
    assert watch.take() == (frozenset({str(tmp_path / "content" / "a.md")}), False)
    flag.clear()
    watch.on_any_event(FileModifiedEvent(str(tmp_path / "content" / "b.md")))
    watch.force_walk()
    assert flag.is_set()
    assert watch.take() == (None, True)
    assert watch.take() == (frozenset(), False)


def test_a_folders_modified_event_neither_wakes_the_build_nor_names_a_file(tmp_path):
    """Writing a file gives the file's event and its folder's "modified" a moment later; the folder's adds nothing,
    and taken for a new event it could restart the quiet wait after the first had been seen."""
    import threading

    from watchdog.events import DirModifiedEvent

    from briefing import serve as preview

    flag = threading.Event()
    watch = preview.Watch(flag)
    watch.on_any_event(DirModifiedEvent(str(tmp_path / "content" / "briefings")))
    assert not flag.is_set()
    assert watch.take() == (frozenset(), False)


def test_the_quiet_wait_is_counted_from_the_last_event_not_in_whole_rounds():
    """Two events a millisecond apart wait DEBOUNCE after the second (not a second full round); an event that comes
    during the wait moves its end to DEBOUNCE after that event."""
    import threading

    from briefing import serve as preview

    now = [100.0]
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    watch = preview.Watch(threading.Event())
    watch.last, now[0] = 100.0, 100.001  # the last event came 1 ms ago
    watch.settle(0.05, clock=lambda: now[0], sleep=sleep)
    assert now[0] == pytest.approx(100.05) and sum(slept) == pytest.approx(0.049)

    slept.clear()
    watch.last, now[0] = 200.0, 200.0
    late = iter([200.03])  # during the first sleep, an event at 200.03

    def sleep_with_event(seconds):
        at = next(late, None)
        if at is not None:
            watch.last = at
        sleep(seconds)

    watch.settle(0.05, clock=lambda: now[0], sleep=sleep_with_event)
    assert now[0] == pytest.approx(200.08)


def test_the_watcher_hears_edits_but_not_the_builds_own_reads(tmp_path):
    """Each build opens site.yaml and every layout: asked only for changes, the watcher is not woken by those reads."""
    import threading

    from watchdog.observers import Observer

    from briefing import serve as preview

    folder = tmp_path / "content"
    folder.mkdir()
    source = folder / "a.md"
    source.write_text("one\n")
    heard: list[str] = []

    class Recording(preview.Watch):
        def on_any_event(self, event):
            heard.append(event.event_type)
            super().on_any_event(event)

    flag = threading.Event()
    observer = Observer()
    folders = preview.Folders(observer, Recording(flag), (folder,))
    folders.check()
    observer.start()
    try:
        time.sleep(0.2)  # the watch is in place
        source.read_bytes()
        with open(source, "a") as f:
            f.write("two\n")
        assert flag.wait(10), "the edit was heard"
        time.sleep(0.3)  # any event the read or the edit caused has arrived
    finally:
        observer.stop()
        observer.join()
    assert "modified" in heard
    assert not {"opened", "closed", "closed_no_write"} & set(heard), heard
