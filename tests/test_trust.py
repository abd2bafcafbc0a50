"""A site/ that is never silently wrong: whatever happened to the preview, the cache, the output or the inputs,
`python build.py` either builds exactly what a clean build would, or stops with a located error."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest

from conftest import LAYOUTS, ROOT, briefing_text, run_cli, snapshot, write_tree

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="signals, FIFOs and symbolic links")

TOPIC = "---\ntitle: News\nsummary: All the news.\ntags: [news]\n---\n\nThe news.\n"
SITE = "title: Test\ndescription: A test site.\nbase_url: https://example.org/news/\ntimezone: UTC\nper_page: 2\n"


@pytest.fixture
def project(tmp_path):
    """A project folder as a user has it: content/ and a copy of the layouts, built from the project folder."""
    write_tree(tmp_path / "content", {
        "site.yaml": SITE,
        "topics/news.md": TOPIC,
        "briefings/2020/a.md": briefing_text(title="Alpha", body="The first text."),
        "briefings/2020/b.md": briefing_text(title="Beta", date="2020-02-03", body="The second text."),
        "briefings/2021/c.md": briefing_text(title="Gamma", date="2021-03-04", body="The third text."),
    })
    shutil.copytree(LAYOUTS, tmp_path / "layouts")
    return tmp_path


def build(project, *args: str, output: str = "site") -> subprocess.CompletedProcess:
    env = {**os.environ, "PAGEFIND_BINARY_PATH": "/nonexistent/pagefind"}  # the search index is not what these compare
    return run_cli("build", "--content", "content", "--layouts", "layouts", "--output", output, *args, cwd=project, env=env)


def clean_build(project, *args: str) -> dict[str, bytes]:
    """What a clean build of the project makes, built elsewhere with its own state."""
    done = build(project, "--clean", *args, output=str(project / "reference"))
    assert done.returncode == 0, done.stderr
    reference = snapshot(project / "reference")
    shutil.rmtree(project / "reference")
    return reference


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_page(port: int, path: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                s.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
                if b" 200 " in s.recv(200):
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{path} was never served")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP])
def test_a_preview_ended_by_any_signal_leaves_site_as_python_build_made_it(project, sig):
    assert build(project).returncode == 0
    before = snapshot(project / "site")
    port = free_port()
    env = {**os.environ, "PAGEFIND_BINARY_PATH": "/nonexistent/pagefind"}
    server = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--content", "content", "--layouts", "layouts", "--port", str(port)], cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_page(port, "/")
        (project / "content/briefings/2020/a.md").write_text(briefing_text(title="Alpha", body="Edited during the preview."), encoding="utf-8")
        time.sleep(1.5)
    finally:
        server.send_signal(sig)
        server.wait(timeout=30)
    assert snapshot(project / "site") == before  # the preview never wrote site/
    assert build(project).returncode == 0
    site = snapshot(project / "site")
    assert site == clean_build(project)
    assert not [path for path, data in site.items() if b"127.0.0.1" in data or b"localhost" in data]


def test_a_base_path_follows_the_base_url_of_each_build(project):
    for base in ("https://example.org/a/", "https://example.org/b/", "https://example.org/"):
        assert build(project, "--base-url", base).returncode == 0
        site = snapshot(project / "site")
        home = site["index.html"].decode()
        expected = base.removeprefix("https://example.org") + "static/style.css"
        assert f'href="{expected}"' in home, (base, home[:2000])
        assert site == clean_build(project, "--base-url", base)


def test_every_damaged_cache_file_is_discarded_and_rebuilt_never_an_error(project):
    assert build(project).returncode == 0
    (project / "content/briefings/2020/a.md").write_text(briefing_text(title="Alpha", body="A second version."), encoding="utf-8")
    assert build(project).returncode == 0
    cached = [path for path in (project / ".cache").rglob("*") if path.is_file()]
    assert len(cached) >= 3
    for n, path in enumerate(cached):  # emptied, foreign, cut short, or its header kept and the rest garbage
        data = path.read_bytes()
        path.write_bytes([b"", b"\x00garbage", data[: len(data) // 2], data[:16] + b"\x80\x05garbage" * 8][n % 4])
    (project / "content/briefings/2021/c.md").write_text(briefing_text(title="Gamma", date="2021-03-04", body="Changed with the cache damaged."), encoding="utf-8")
    done = build(project)
    assert done.returncode == 0, done.stderr
    assert snapshot(project / "site") == clean_build(project)


def test_hand_edits_to_site_are_found_and_repaired(project):
    assert build(project).returncode == 0
    site = project / "site"
    (site / "briefings/2020/a/index.html").unlink()  # a page deleted
    with open(site / "briefings/2020/b/index.html", "ab") as f:  # a page changed in place
        f.write(b"<p>defaced</p>")
    (site / "static/style.css").write_text("body{}")  # an asset replaced
    (site / "stray.html").write_text("not built")  # files added, at the top and deep down
    (site / "briefings/2021/c/extra.html").write_text("not built either")
    done = build(project)
    assert done.returncode == 0, done.stderr
    assert snapshot(site) == clean_build(project)


def test_hand_edits_to_the_kept_previous_site_never_reach_the_next(project):
    """The spare tree (the previous site, kept to be updated into the next one) shares most files with site/ by hard
    link, and a build skips what the check of site/ already covered: edits to either name of a file must still count."""
    assert build(project).returncode == 0
    (project / "content/briefings/2020/a.md").write_text(briefing_text(title="Alpha", body="Version two."), encoding="utf-8")
    assert build(project).returncode == 0
    spare = project / ".site.briefing-spare"
    shared = sorted(rel for rel in snapshot(spare) if rel.endswith(".html") and os.path.samefile(spare / rel, project / "site" / rel))
    assert len(shared) >= 3, shared
    (spare / "static/style.css").unlink()  # replaced by another file: a new inode under the same name
    (spare / "static/style.css").write_text("body{}")
    with open(spare / shared[0], "ab") as f:  # changed in place: site/ sees it too (one inode)
        f.write(b"<p>defaced</p>")
    (spare / shared[1]).unlink()  # deleted
    (spare / shared[2]).with_name("extra.html").write_text("not built")  # added
    (project / "content/briefings/2020/a.md").write_text(briefing_text(title="Alpha", body="Version three."), encoding="utf-8")
    done = build(project)  # the spare becomes site/
    assert done.returncode == 0, done.stderr
    assert snapshot(project / "site") == clean_build(project)
    (project / "content/briefings/2020/a.md").write_text(briefing_text(title="Alpha", body="Version four."), encoding="utf-8")
    done = build(project)  # and the old site/, a page defaced through the shared inode, becomes the spare, then site/
    assert done.returncode == 0, done.stderr
    assert snapshot(project / "site") == clean_build(project)


def test_trees_swapped_by_hand_are_not_taken_for_each_other(project):
    assert build(project).returncode == 0
    (project / "content/briefings/2020/a.md").write_text(briefing_text(title="Alpha", body="Version two."), encoding="utf-8")
    assert build(project).returncode == 0
    spare = project / ".site.briefing-spare"
    assert spare.is_dir()  # the previous site, kept for the next build to update
    os.rename(project / "site", project / "swap")
    os.rename(spare, project / "site")
    os.rename(project / "swap", spare)
    done = build(project)
    assert done.returncode == 0, done.stderr
    assert snapshot(project / "site") == clean_build(project)


def test_folders_named_like_the_builds_own_are_never_deleted_or_renamed(project):
    mine = {}
    for name in (".site.old-123", ".site.new-456", ".site.tmp-1"):
        write_tree(project / name, {"keep.txt": f"{name} is mine"})
        mine[name] = snapshot(project / name)
    assert build(project).returncode == 0  # site/ is missing: nothing of the user's is renamed into place
    assert all(snapshot(project / name) == files for name, files in mine.items())
    assert snapshot(project / "site") == clean_build(project)


def test_a_folder_in_the_place_of_the_previous_site_that_is_not_ours_stops_the_build(project):
    assert build(project).returncode == 0
    write_tree(project / ".site.briefing-spare", {"thesis.txt": "years of work"})
    before = snapshot(project / "site")
    (project / "content/briefings/2020/a.md").write_text(briefing_text(title="Alpha", body="Needs a write."), encoding="utf-8")
    done = build(project)
    assert done.returncode == 1
    assert ".site.briefing-spare is in the way" in done.stderr and "Traceback" not in done.stderr
    assert (project / ".site.briefing-spare/thesis.txt").read_text() == "years of work"
    assert snapshot(project / "site") == before


@pytest.mark.parametrize("where", ["content/briefings/2020/leak.md", "content/site.yaml", "content/topics", "layouts/article.html", "layouts/partials", "layouts/static/leak.css"])
def test_a_link_out_of_the_project_is_a_located_error_and_nothing_behind_it_is_read(project, tmp_path_factory, where):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.md").write_text(briefing_text(title="Secret", body="SECRET-TEXT"))
    (outside / "site.yaml").write_text(SITE.replace("Test", "SECRET-TEXT"))
    (outside / "news.md").write_text(TOPIC.replace("All the news.", "SECRET-TEXT"))
    target = {"content/site.yaml": outside / "site.yaml", "content/topics": outside, "layouts/partials": outside}.get(where, outside / "secret.md")
    path = project / where
    if path.is_dir():
        shutil.rmtree(path)
    path.unlink(missing_ok=True)
    os.symlink(target, path)
    done = build(project)
    assert done.returncode == 1
    shown = where.removeprefix("content/")
    assert f"{shown}:1:1: error: symbolic link to a" in done.stderr and "outside" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "SECRET-TEXT" not in done.stderr
    assert not (project / "site").exists() or not [p for p, data in snapshot(project / "site").items() if b"SECRET-TEXT" in data]


def test_an_include_of_a_template_linked_from_outside_is_refused(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "footer.html").write_text("SECRET-TEXT")
    os.symlink(outside / "footer.html", project / "layouts/footer.html")
    base = project / "layouts/base.html"
    base.write_text(base.read_text().replace("</footer>", '{% include "footer.html" %}</footer>'))
    done = build(project)
    assert done.returncode == 1 and "layouts/footer.html:1:1: error: symbolic link to a file outside layouts/" in done.stderr
    assert not (project / "site").exists()


@pytest.mark.parametrize("where", ["content/briefings/2020/pipe.md", "content/site.yaml", "layouts/static/pipe.css"])
def test_a_fifo_is_a_located_error_never_a_hang(project, where):
    path = project / where
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    done = build(project)  # run_cli times out after 300 s; reading a FIFO would block for ever
    assert done.returncode == 1
    shown = where.removeprefix("content/")
    assert f"{shown}:1:1: error: not a regular file" in done.stderr, done.stderr


def test_editors_scratch_files_are_neither_inputs_nor_warnings(project):
    briefings = project / "content/briefings/2020"
    (briefings / "a.md~").write_text("backup")
    (briefings / ".a.md.swp").write_bytes(b"\x00swap")
    (briefings / "#a.md#").write_text("autosave")
    os.symlink("user@host.1234", briefings / ".#a.md")  # Emacs' lock file is a dangling link
    (project / "layouts/.article.html.swp").write_bytes(b"\x00swap")
    (project / "layouts/static/style.css~").write_text("backup")
    done = build(project, "-v", "--no-search")
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr, done.stderr
    site = snapshot(project / "site")
    assert "static/style.css~" not in site


def test_two_builds_of_one_output_are_serialised_wherever_they_start(project):
    from briefing import writer

    other = project / "elsewhere"
    other.mkdir()
    with writer.lock(project / "site") as holder:
        assert holder is None
        done = run_cli("build", "--content", "../content", "--layouts", "../layouts", "--output", "../site", cwd=other)  # another .cache/
    assert done.returncode == 1 and f"another build (process {os.getpid()})" in done.stderr
    assert not (project / "site").exists()


@pytest.mark.parametrize("alias", ["/pagefind/old/", "/.htaccess", "/.well-known/thing/", "/robots.txt", "/feed.xml", "/sitemap.xml", "/404.html", "/feeds.opml", "/static/style.css"])
def test_an_alias_on_a_path_the_build_writes_otherwise_is_a_located_error(project, alias):
    (project / "content/briefings/2020/a.md").write_text(briefing_text(title="Alpha", aliases=f'\n  - "/2019/old/"\n  - "{alias}"'), encoding="utf-8")
    done = build(project)
    assert done.returncode == 1
    assert "briefings/2020/a.md:9:1: error: aliases: " in done.stderr, done.stderr  # path:line:column: severity: field
    assert not (project / "site").exists()


def test_an_error_in_one_briefing_does_not_hide_another_ones_alias_on_a_generated_page(project):
    # every problem in one run: planning (which finds an alias on /tags/) is stopped by any error, so it runs for the report
    (project / "content/briefings/2020/a.md").write_text(briefing_text(title="Alpha", summary="[a, list]"), encoding="utf-8")
    (project / "content/briefings/2020/b.md").write_text(briefing_text(title="Beta", aliases='\n  - "/tags/"'), encoding="utf-8")
    done = build(project)
    assert done.returncode == 1
    assert "briefings/2020/a.md:" in done.stderr and "error: summary:" in done.stderr, done.stderr
    assert "briefings/2020/b.md:8:1: error: aliases: writes /tags/, which a generated page writes too" in done.stderr, done.stderr


def test_an_alias_on_another_briefings_address_is_located_on_its_line(project):
    (project / "content/briefings/2020/a.md").write_text(briefing_text(title="Alpha"), encoding="utf-8")
    (project / "content/briefings/2020/b.md").write_text(briefing_text(title="Beta", aliases='\n  - "/briefings/2020/a/"'), encoding="utf-8")
    done = build(project)
    assert done.returncode == 1
    assert "briefings/2020/b.md:8:1: error: aliases: /briefings/2020/a/ is already the address of briefings/2020/a.md" in done.stderr, done.stderr


def test_a_site_whose_marker_was_removed_is_refused_not_replaced(project):
    assert build(project).returncode == 0
    (project / "site/.briefing").unlink()
    before = snapshot(project / "site")
    done = build(project)
    assert done.returncode == 1 and "was not built by Briefing (it has no .briefing marker" in done.stderr, done.stderr
    assert snapshot(project / "site") == before
