"""The benchmark's serve probe and memory figures work: run as the suite runs them, on a small generated corpus."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
from functools import partial
from pathlib import Path

import pytest

from conftest import LAYOUTS, ROOT

BENCH = ROOT / "bench"
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="signals, inotify and /proc")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def serve_latency(content: Path, layouts: Path, workdir: Path) -> tuple[subprocess.CompletedProcess, dict]:
    """Run the probe as a background job of a script would be: with SIGINT ignored, which the server must not inherit."""
    command = [sys.executable, str(BENCH / "serve_latency.py"), "--content", str(content), "--layouts", str(layouts),
               "--edits", "2", "--workdir", str(workdir), "--timeout", "60"]
    ignore_sigint = partial(signal.signal, signal.SIGINT, signal.SIG_IGN)
    done = subprocess.run(command, capture_output=True, text=True, timeout=400, preexec_fn=ignore_sigint)
    return done, json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "corpus"
    subprocess.run([sys.executable, str(BENCH / "gen_corpus.py"), "--n", "30", "--out", str(out)], check=True)
    return out


def test_serve_latency_times_each_edit_sees_it_on_the_page_and_puts_the_content_back(corpus, tmp_path):
    before = tree(corpus)
    done, result = serve_latency(corpus, LAYOUTS, tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(result["latencies"]) == 2 and all(t > 0 for t in result["latencies"])
    assert result["median"] > 0 and result["seen"] is True and result["rc"] == 0  # SIGINT, then exit 0
    assert "error" not in result
    assert tree(corpus) == before
    assert list(tmp_path.iterdir()) == []  # the server's folder (cwd, output, .cache) is gone


def test_serve_latency_fails_loudly_when_the_edit_never_reaches_the_page(corpus, tmp_path, copy_layouts):
    layouts = copy_layouts()
    article = layouts / "article.html"
    text = article.read_text(encoding="utf-8")
    assert "{{ briefing.body_html | safe }}" in text  # the layout this test strips the body from
    article.write_text(text.replace("{{ briefing.body_html | safe }}", ""), encoding="utf-8")
    done, result = serve_latency(corpus, layouts, tmp_path)
    assert done.returncode == 1
    assert result["seen"] is False and "without the sentence" in result["error"]
    assert done.stderr.strip().splitlines()[-1] == f"serve_latency: {result['error']}"


def test_tree_pss_counts_pages_a_forked_child_shares_once(tmp_path):
    script = tmp_path / "fork.py"
    script.write_text(textwrap.dedent("""\
        import os, time
        shared = b"x" * (64 << 20)  # written once, before the fork: the child shares every page of it
        pid = os.fork()
        time.sleep(1.0)
        if pid:
            os.waitpid(pid, 0)
    """))
    done = subprocess.run([sys.executable, str(BENCH / "measure.py"), "--", sys.executable, str(script)],
                          capture_output=True, text=True, timeout=60)
    m = json.loads(done.stdout)
    assert m["rc"] == 0 and m["maxrss_kib"] > 64 << 10
    assert 0 < m["tree_pss_kib"] <= m["tree_kib"]
    assert m["tree_kib"] > 1.7 * (64 << 10)  # RSS counts the shared 64 MiB in both processes
    assert m["tree_pss_kib"] < 0.75 * m["tree_kib"]  # PSS counts it once
