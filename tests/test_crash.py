"""Crash safety: a build killed at any moment, or stopped by a full disk, leaves site/ one complete build, old or new."""
from __future__ import annotations

import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, snapshot
from pathlib import Path

KILLS = 8
SEED = 6


def generate(out: Path, n: int, seed: int = 1) -> Path:
    subprocess.run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "--n", str(n), "--out", str(out), "--seed", str(seed)], check=True, capture_output=True)
    return out


def revise(source: Path, target: Path) -> Path:
    """The next version of a collection: a quarter of the briefings edited, a few deleted, so some pages change and most do not."""
    shutil.copytree(source, target)
    briefings = sorted((target / "briefings").rglob("*.md"))
    for path in briefings[::4]:
        path.write_text(path.read_text(encoding="utf-8") + "\nA paragraph added in the revision.\n", encoding="utf-8")
    for path in briefings[1::25]:
        path.unlink()
    return target


def build_command(content: Path, output: Path) -> list[str]:
    return [sys.executable, str(ROOT / "build.py"), "build", "--content", str(content), "--layouts", str(ROOT / "layouts"), "--output", str(output), "-q"]


def build(content: Path, output: Path, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(build_command(content, output), cwd=cwd, capture_output=True, text=True, timeout=300, **kwargs)


def differing(found: dict, expected: dict) -> list[str]:
    """The paths whose bytes differ: asserting on this list keeps a failure's report short (pytest's diff of two whole sites takes minutes)."""
    return sorted(p for p in set(found) | set(expected) if found.get(p) != expected.get(p))


def describe(found: dict, expected: dict) -> str:
    changed = differing(found, expected)
    return f"{len(changed)} files differ, e.g. {changed[:5]}"


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """Two versions of a ~120-briefing collection, and the site each builds to when nothing goes wrong."""
    tmp = tmp_path_factory.mktemp("crash")
    contents = {"a": generate(tmp / "a", 120)}
    contents["b"] = revise(contents["a"], tmp / "b")
    sites = {}
    for name, content in contents.items():
        done = build(content, tmp / f"ref-{name}", cwd=tmp)
        assert done.returncode == 0, done.stderr
        sites[name] = snapshot(tmp / f"ref-{name}")
    assert sites["a"] != sites["b"]
    # The kills land in builds that switch one site between the versions: time such a switch, not a cold build.
    started = time.perf_counter()
    assert build(contents["a"], tmp / "ref-b", cwd=tmp).returncode == 0
    seconds = time.perf_counter() - started
    assert build(contents["b"], tmp / "ref-b", cwd=tmp).returncode == 0
    return contents, sites, seconds


def kill_at_random(command, contents: dict, sites: dict, site: Path, cwd: Path, seconds: float) -> tuple[list[str], int]:
    """Start builds toward alternating versions and SIGKILL each at a seeded random moment; list every mixed site/."""
    state, rng, killed_mid_build, mixes = "a", random.Random(SEED), 0, []
    for attempt in range(KILLS):
        target = "b" if state == "a" else "a"
        process = subprocess.Popen(command(contents[target], site), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, seconds * 1.1))
        process.send_signal(signal.SIGKILL)
        killed_mid_build += process.wait() == -signal.SIGKILL
        found = snapshot(site)
        if found not in (sites[state], sites[target]):
            mixes.append(f"kill {attempt}: site/ is a mix: {describe(found, sites[state])} from the old build, {describe(found, sites[target])} from the new")
        state = target if found == sites[target] else state
    return mixes, killed_mid_build


def test_a_build_killed_at_random_moments_leaves_one_complete_site(versions, tmp_path):
    contents, sites, seconds = versions
    site = tmp_path / "site"
    assert build(contents["a"], site, cwd=tmp_path).returncode == 0
    mixes, killed_mid_build = kill_at_random(build_command, contents, sites, site, tmp_path, seconds)
    assert mixes == []
    assert killed_mid_build >= KILLS // 2, "the kills must land while builds run, or this test proves nothing"
    # The next build clears what the killed ones left beside site/ and finishes normally.
    assert build(contents["b"], site, cwd=tmp_path).returncode == 0
    assert differing(snapshot(site), sites["b"]) == []


COPY_IN_PLACE = """
import shutil, sys, time
from pathlib import Path
source, target = Path(sys.argv[1]), Path(sys.argv[2])
for path in sorted(source.rglob("*")):
    if path.is_file():
        (target / path.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / path.relative_to(source))
        time.sleep(0.001)
"""


def test_the_kill_check_catches_a_writer_that_is_not_atomic(versions, tmp_path):
    """The check above can fail: a 'build' that copies the new site over the old file by file is caught mid-way."""
    contents, sites, seconds = versions
    site = tmp_path / "site"
    shutil.copytree(contents["a"].parent / "ref-a", site)
    refs = {"a": contents["a"].parent / "ref-a", "b": contents["a"].parent / "ref-b"}
    command = lambda content, output: [sys.executable, "-c", COPY_IN_PLACE, str(refs[content.name]), str(output)]  # noqa: E731
    mixes, _ = kill_at_random(command, contents, sites, site, tmp_path, seconds)
    assert mixes


def _ignore_sigxfsz_and_limit(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # ignored, so an oversize write fails with EFBIG instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_write_that_fails_mid_build_is_reported_and_changes_nothing(versions, tmp_path):
    """RLIMIT_FSIZE makes every write over 4 KB fail with EFBIG, the same path a full disk takes (OSError)."""
    contents, sites, _ = versions
    site = tmp_path / "site"
    assert build(contents["a"], site, cwd=tmp_path).returncode == 0
    done = build(contents["b"], site, cwd=tmp_path, preexec_fn=_ignore_sigxfsz_and_limit(4096))
    assert done.returncode == 1
    assert "File too large" in done.stderr and "Traceback" not in done.stderr
    assert "nothing was changed in the output folder" in done.stderr
    assert differing(snapshot(site), sites["a"]) == []


@pytest.fixture
def small_disk(tmp_path):
    """A 24 MB tmpfs, when this process may mount one (root); skipped elsewhere, where the EFBIG test above stands in."""
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(disk)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=True)


def test_a_full_disk_mid_build_is_reported_and_leaves_the_site_intact(versions, small_disk, tmp_path):
    contents, sites, _ = versions
    site = small_disk / "site"
    assert build(contents["a"], site, cwd=tmp_path).returncode == 0
    before = snapshot(site)  # not sites["a"]: Pagefind's index follows the file system's directory order
    free = shutil.disk_usage(small_disk).free
    with open(small_disk / "filler", "wb") as filler:  # leave room for about a tenth of a site
        filler.write(b"\0" * max(0, free - sum(map(len, before.values())) // 10))
    done = build(contents["b"], site, cwd=tmp_path)
    assert done.returncode == 1, done.stdout
    assert "No space left on device" in done.stderr and "Traceback" not in done.stderr
    assert differing(snapshot(site), before) == []
    (small_disk / "filler").unlink()
    assert build(contents["b"], site, cwd=tmp_path).returncode == 0
    pages = {path: data for path, data in snapshot(site).items() if not path.startswith("pagefind/")}
    assert differing(pages, {path: data for path, data in sites["b"].items() if not path.startswith("pagefind/")}) == []


MISHAPS = ["kill", "kill", "serve", "base-url", "hand-edit", "damage-cache", "none"]


def mishap(kind: str, rng: random.Random, project: Path, content: Path, layouts: Path, site: Path) -> str:
    """Something that happens to a project between two builds, as users and machines do it."""
    env = {**os.environ, "PAGEFIND_BINARY_PATH": "/nonexistent/pagefind"}
    if kind == "kill":  # a build killed at a random point
        command = [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--layouts", str(layouts), "--output", str(site), "-q"]
        process = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 1.2))
        process.kill()
        process.wait()
    elif kind == "serve":  # a preview session with an edit, ended by a random signal
        port = _free_port()
        command = [sys.executable, str(ROOT / "build.py"), "serve", "--content", str(content), "--layouts", str(layouts), "--port", str(port)]
        server = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 2.0))
        path = rng.choice(sorted((content / "briefings").rglob("*.md")))
        path.write_text(path.read_text(encoding="utf-8") + "\nWritten while a preview ran.\n", encoding="utf-8")
        time.sleep(rng.uniform(0.1, 1.0))
        kind += f" ended by {rng.choice(['SIGTERM', 'SIGKILL', 'SIGHUP'])}"
        server.send_signal(getattr(signal, kind.rsplit(" ", 1)[1]))
        server.wait(timeout=60)
    elif kind == "base-url":  # a build for another address (a preview deploy), then the usual one
        other = rng.choice(["https://preview.example.org/pr-7/", "http://localhost:9999/", "https://example.org/news/"])
        command = [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--layouts", str(layouts), "--output", str(site), "--base-url", other, "-q"]
        assert subprocess.run(command, cwd=project, env=env, capture_output=True).returncode == 0
        kind += f" {other}"
    elif kind == "hand-edit" and site.exists():  # someone changes site/ by hand
        files = sorted(p for p in site.rglob("*") if p.is_file() and p.name != ".briefing")  # without its marker it is no longer ours: tests/test_trust.py
        victim = rng.choice(files)
        action = rng.choice(["delete", "append", "replace", "add"])
        if action == "delete":
            victim.unlink()
        elif action == "append":
            with open(victim, "ab") as f:
                f.write(b"<!-- hand edit -->")
        elif action == "replace":
            victim.unlink()
            victim.write_bytes(b"replaced by hand")
        else:
            (victim.parent / "stray.html").write_text("added by hand")
        kind += f" {action} {victim.relative_to(site)}"
    elif kind == "damage-cache" and (project / ".cache").exists():
        cached = sorted(p for p in (project / ".cache").rglob("*") if p.is_file())
        victim = rng.choice(cached)
        victim.write_bytes(victim.read_bytes()[: rng.randint(0, 64)])
        kind += f" {victim.name}"
    return kind


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_after_any_mishap_the_next_build_is_a_clean_build_byte_for_byte(tmp_path, copy_layouts):
    from test_incremental import Collection

    rng = random.Random(int(os.environ.get("MISHAP_SEED", 2026)))  # another seed explores further
    collection = Collection(tmp_path, rng, copy_layouts())
    content, layouts, site = collection.content, collection.layouts, tmp_path / "site"
    env = {**os.environ, "PAGEFIND_BINARY_PATH": "/nonexistent/pagefind"}
    command = lambda output, *extra: [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--layouts", str(layouts), "--output", str(output), "-q", *extra]  # noqa: E731
    assert subprocess.run(command(site), cwd=tmp_path, env=env).returncode == 0
    for step in range(int(os.environ.get("MISHAP_STEPS", 16))):
        edit = collection.step()
        what = mishap(rng.choice(MISHAPS), rng, tmp_path, content, layouts, site)
        done = subprocess.run(command(site), cwd=tmp_path, env=env, capture_output=True, text=True)
        clean = subprocess.run(command(tmp_path / "clean", "--clean"), cwd=tmp_path, env=env, capture_output=True, text=True)
        assert done.returncode == clean.returncode == 0, (step, edit, what, done.stderr, clean.stderr)
        assert differing(snapshot(site), snapshot(tmp_path / "clean")) == [], f"step {step}: {edit}, then {what}"
        shutil.rmtree(tmp_path / "clean")
