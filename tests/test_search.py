"""The search module alone: how pages fall into shards, what a shard's fingerprint covers, and what index_shard returns."""
from __future__ import annotations

import errno
import gzip
import json
import os
import subprocess
import sys
import random
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from briefing import search

UTC = timezone.utc


def dated(n: int, rng: random.Random, years=(2019, 2020, 2021)) -> list[tuple[str, datetime]]:
    pages = []
    for i in range(n):
        year = rng.choice(years)
        when = datetime(year, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(365 * 86400))
        pages.append((f"briefings/{year}/item-{i}/index.html", when))
    return pages


def changed_shards(before: dict[str, list[str]], after: dict[str, list[str]]) -> set[str]:
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


def fragment(data: bytes) -> dict:
    raw = gzip.decompress(data)
    assert raw.startswith(b"pagefind_dcd")
    return json.loads(raw[len(b"pagefind_dcd") :])


def article(title: str, body: str, topic: str = "Economy", when: str = "2020-03-04T05:06:00+00:00") -> bytes:
    return (
        f'<!DOCTYPE html><html lang="en"><head><title>{title}</title></head><body>'
        f'<article data-pagefind-body data-pagefind-sort="date:{int(datetime.fromisoformat(when).timestamp())}" data-pagefind-filter="year:{when[:4]}" data-pagefind-meta="date:{when[:10]}">'
        f'<p data-pagefind-ignore><a data-pagefind-meta="topic" data-pagefind-filter="topic">{topic}</a></p>'
        f'<h1>{title}</h1><p data-pagefind-ignore><time datetime="{when}" data-pagefind-meta="day">{when[:10]}</time></p>'
        f"<p>{body}</p></article></body></html>"
    ).encode()


def test_every_shard_holds_at_most_the_limit_and_every_page_is_in_exactly_one():
    pages = dated(2000, random.Random(1))
    found = search.shards(pages, limit=100)
    assert max(len(rels) for rels in found.values()) <= 100
    assert sorted(rel for rels in found.values() for rel in rels) == sorted(rel for rel, _ in pages)
    assert len(found) >= 20


def test_shards_are_spans_of_time_listed_newest_first():
    pages = dated(1000, random.Random(2))
    found = search.shards(pages, limit=60)
    when = dict(pages)
    spans = [(min(when[r] for r in rels), max(when[r] for r in rels)) for rels in found.values()]
    for newer, older in zip(spans, spans[1:]):
        assert older[1] < newer[0], "a shard must hold only briefings older than the one listed before it"


def test_a_small_year_is_one_shard_named_by_its_year():
    pages = [("briefings/2020/a/index.html", datetime(2020, 5, 1, tzinfo=UTC)), ("briefings/2021/b/index.html", datetime(2021, 5, 1, tzinfo=UTC))]
    assert search.shards(pages) == {"2021": ["briefings/2021/b/index.html"], "2020": ["briefings/2020/a/index.html"]}


def test_a_shard_belongs_to_the_year_of_the_local_date():
    tz = ZoneInfo("America/New_York")
    late = datetime(2020, 12, 31, 23, 30, tzinfo=tz)  # 2021 in UTC
    assert list(search.shards([("a/index.html", late)])) == ["2020"]


def test_undated_pages_are_shards_of_their_own_after_the_briefings():
    pages = [("briefings/2020/a/index.html", datetime(2020, 5, 1, tzinfo=UTC))] + [(f"topics/t{i}/index.html", None) for i in range(7)]
    found = search.shards(pages, limit=3)
    assert list(found)[0] == "2020" and all(key.startswith("pages") for key in list(found)[1:])
    assert max(map(len, found.values())) <= 3


def test_adding_or_deleting_a_briefing_reindexes_one_shard_or_two_when_one_splits():
    rng = random.Random(3)
    pages = dated(600, rng)
    before = search.shards(pages, limit=50)
    splits = merges = 0
    for step in range(400):
        after_pages = list(pages)
        if step % 2:
            after_pages.append((f"briefings/new-{step}/index.html", dated(1, rng)[0][1]))
        else:
            after_pages.pop(rng.randrange(len(after_pages)))
        after = search.shards(after_pages, limit=50)
        todo = [key for key in after if after[key] != before.get(key)]  # what a build must index again
        assert len(todo) <= (2 if step % 2 else 1), (step, todo)
        assert sum(len(after[key]) for key in todo) <= 51
        splits += len(after) > len(before)
        merges += len(after) < len(before)
        pages, before = after_pages, after
    assert splits and merges, "the walk should have split and merged shards at least once"


def test_a_text_edit_keeps_every_shard():
    pages = dated(300, random.Random(4))
    assert search.shards(pages, limit=40) == search.shards(list(reversed(pages)), limit=40)


def test_the_fingerprint_changes_with_any_page_the_key_or_pagefind_and_not_with_order():
    pages = [("a/index.html", b"1" * 16), ("b/index.html", b"2" * 16)]
    fp = search.shard_fingerprint("2020", pages, "pagefind 1.5.2")
    assert fp == search.shard_fingerprint("2020", list(reversed(pages)), "pagefind 1.5.2")
    assert fp != search.shard_fingerprint("2020", [pages[0], ("b/index.html", b"3" * 16)], "pagefind 1.5.2")
    assert fp != search.shard_fingerprint("2020", pages[:1], "pagefind 1.5.2")
    assert fp != search.shard_fingerprint("2020-0", pages, "pagefind 1.5.2")
    assert fp != search.shard_fingerprint("2020", pages, "pagefind 1.5.3")


def test_the_manifest_lists_shards_newest_first_in_the_same_bytes_every_time():
    fps = {"2019": b"\x01" * 16, "2020-1": b"\x02" * 16, "2020-01": b"\x03" * 16, "2020-00": b"\x04" * 16, "pages": b"\x05" * 16}
    files = search.bundle_files(fps)
    assert files == search.bundle_files(dict(reversed(fps.items())))
    manifest = json.loads(files[search.MANIFEST])
    assert [s["key"] for s in manifest["shards"]] == ["2020-1", "2020-01", "2020-00", "2019", "pages"]
    assert search.read_manifest(files[search.MANIFEST]) == {key: fp.hex()[:16] for key, fp in fps.items()}
    assert search.read_manifest(b"not json") == {} and search.read_manifest(None) == {}


needs_pagefind = pytest.mark.skipif(search.find_pagefind() is None, reason="Pagefind is not installed (pip install -e .)")


@needs_pagefind
def test_index_shard_returns_a_complete_bundle_of_exactly_the_given_pages(tmp_path):
    pages = [
        (f"briefings/2020/p{i}/index.html", article(f"Title {i}", f"Body of page {i} about {word}.", topic))
        for i, (word, topic) in enumerate([("harbours", "Trade"), ("tariffs", "Trade"), ("wages", "Labour")])
    ]
    files = search.index_shard("2020", pages, tmp_path)
    assert isinstance(files, dict), files
    assert all(rel.startswith("pagefind/2020/") for rel in files)
    names = {rel.removeprefix("pagefind/2020/") for rel in files}
    assert {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.en.pagefind"} <= names
    assert not [n for n in names if n.startswith(("pagefind-ui", "pagefind-modular", "pagefind-component", "pagefind-highlight", "wasm.unknown"))]
    fragments = [fragment(data) for rel, data in files.items() if "/fragment/" in rel]
    assert sorted(f["url"] for f in fragments) == ["/briefings/2020/p0/", "/briefings/2020/p1/", "/briefings/2020/p2/"]
    wages = next(f for f in fragments if "wages" in f["content"])
    assert wages["filters"] == {"topic": ["Labour"], "year": ["2020"]}
    assert wages["meta"]["topic"] == "Labour" and wages["meta"]["date"] == "2020-03-04" and wages["meta"]["title"] == "Title 2"
    assert list(tmp_path.iterdir()) == [], "the scratch folder is removed"
    for _ in range(3):  # Pagefind writes filter tables in hash-map order; index_shard sorts them
        assert search.index_shard("2020", list(reversed(pages)), tmp_path) == files, "the same pages make the same bytes"


def test_without_pagefind_index_shard_is_a_warning(monkeypatch, tmp_path):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "none"))
    problem = search.index_shard("2020", [("a/index.html", b"<html></html>")], tmp_path)
    assert isinstance(problem, search.Problem) and problem.severity == "warning" and "not installed" in problem.message


def test_a_failing_pagefind_is_a_warning_naming_the_shard(monkeypatch, tmp_path):
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: something broke' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    problem = search.index_shard("2020-1", [("a/index.html", b"<html></html>")], tmp_path / "work")
    assert isinstance(problem, search.Problem) and problem.severity == "warning"
    assert "shard 2020-1" in problem.message and "something broke" in problem.message
    assert list((tmp_path / "work").iterdir()) == []


def test_index_shard_refuses_a_path_outside_the_site(tmp_path):
    if search.find_pagefind() is None:
        pytest.skip("Pagefind is not installed")
    with pytest.raises(ValueError):
        search.index_shard("2020", [("../escape.html", b"x")], tmp_path)


PAGE = (
    b'<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<title>A page \xc2\xb7 Site</title>\n<link rel="stylesheet" href="/s.css">\n</head>\n<body>\n'
    b"<header>masthead</header>\n<main><article class=\"x\" data-pagefind-body data-pagefind-filter=\"year:2020\"><h1>A page</h1>"
    b"<article><p>a nested article</p></article><p>Body.</p></article>\n<section class=\"related\">Related: other</section></main>\n</body>\n</html>\n"
)


def test_the_search_view_is_the_language_title_and_marked_element_alone():
    view = search.search_view(PAGE)
    assert view == (
        b'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>A page \xc2\xb7 Site</title></head><body>'
        b'<article class="x" data-pagefind-body data-pagefind-filter="year:2020"><h1>A page</h1><article><p>a nested article</p></article><p>Body.</p></article>'
        b"</body></html>"
    )
    assert search.search_view(view) == view


def test_a_change_around_the_marked_element_keeps_the_view_digest_and_one_inside_changes_it():
    digest = search.view_digest(PAGE)
    assert isinstance(digest, bytes)
    assert search.view_digest(PAGE.replace(b"Related: other", b"Related: another")) == digest
    assert search.view_digest(PAGE.replace(b"masthead", b"new masthead")) == digest
    assert search.view_digest(PAGE.replace(b"Body.", b"Body, edited.")) != digest
    assert search.view_digest(b"<html><body><p>no index here</p></body></html>") is False


@pytest.mark.parametrize("odd", [
    PAGE.replace(b"<header>", b'<header data-pagefind-meta="author:Jo">'),  # Pagefind reads attributes outside the element too
    PAGE.replace(b"</section>", b'<div data-pagefind-body>second</div></section>'),  # two marked elements
    PAGE.replace(b"<p>Body.</p></article>", b"<p>Body.</p>"),  # the marked element never closes
])
def test_an_unusual_page_is_its_own_search_view(odd):
    assert search.search_view(odd) == odd


def test_a_page_mark_reads_its_year_and_date_only_from_whole_attributes():
    """Shards are cut by the year filter and the date sort a page gives Pagefind: an attribute whose name merely ends
    the same way (no space before it) is another attribute."""
    page = (
        b'<html lang="en"><head><title>T</title></head><body><article data-pagefind-body'
        b' data-pagefind-filter="topic:x, year:2021" data-pagefind-sort="date:1612137600"><p>Body.</p></article></body></html>'
    )
    digest, when = search.mark(page)
    assert isinstance(digest, bytes) and when == (2021, 1612137600)
    glued = page.replace(b' data-pagefind-filter="', b' xdata-pagefind-filter="').replace(b' data-pagefind-sort="', b' xdata-pagefind-sort="')
    assert search.mark(glued)[1] is None
    assert search.mark(b"<html><body><p>not indexed</p></body></html>") is False


def test_scratch_goes_to_memory_only_when_it_has_room_and_tmpdir_names_no_other_place(monkeypatch, tmp_path):
    memory = tmp_path / "shm"
    memory.mkdir()
    monkeypatch.setattr(search, "MEMORY", memory)
    monkeypatch.delenv("TMPDIR", raising=False)
    free = os.statvfs(memory).f_bavail * os.statvfs(memory).f_frsize
    assert search.scratch_root(1_000) == memory
    assert search.scratch_root(free) is None, "room for one shard's scratch is not room for the two indexed at once"
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    assert search.scratch_root(1_000) is None, "the user's TMPDIR wins"
    monkeypatch.delenv("TMPDIR")
    monkeypatch.setattr(search, "MEMORY", tmp_path / "none")
    assert search.scratch_root(1_000) is None


def test_a_scratch_folder_that_cannot_be_written_is_the_shards_warning_not_a_failed_build(monkeypatch, tmp_path):
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(search.tempfile, "TemporaryDirectory", full)
    problem = search.index_shard("2021", [("a/index.html", b"<html></html>")])
    assert isinstance(problem, search.Problem) and problem.severity == "warning"
    assert "shard 2021" in problem.message and "No space left" in problem.message


def test_scratch_folders_a_killed_build_left_in_memory_are_removed_and_no_other(monkeypatch, tmp_path):
    memory = tmp_path / "shm"
    memory.mkdir()
    monkeypatch.setattr(search, "MEMORY", memory)
    monkeypatch.delenv("TMPDIR", raising=False)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a process that has ended: its pid names no running build

    def folder(name: str, marked: bool = True):
        path = memory / name
        (path / "site").mkdir(parents=True)
        if marked:
            (path / search.SCRATCH_MARK).touch()
        return path

    stale = folder(f".search-{gone.pid}-2020-abc")
    running = folder(f".search-{os.getpid()}-2021-def")
    unmarked = folder(f".search-{gone.pid}-2022-ghi", marked=False)
    users = folder("search-notes", marked=True)
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    problem = search.index_shard("2023", [("a/index.html", b"<html></html>")])
    assert isinstance(problem, search.Problem)
    assert not stale.exists(), "left by a build that is gone"
    assert running.exists() and unmarked.exists() and users.exists()
    assert sorted(p.name for p in memory.iterdir()) == sorted([running.name, unmarked.name, users.name]), "its own scratch is removed too"
