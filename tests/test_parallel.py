"""Both cores: Markdown runs in a process pool on a cold build, and the output does not depend on how many processes."""
from __future__ import annotations

import pytest

from briefing import pipeline
from conftest import NOW, briefing_text, snapshot

TAGS = ["Economy", "Health", "Climate", "Courts", "Elections"]


@pytest.fixture(autouse=True)
def no_search_index(monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/nonexistent/pagefind")


def collection(make_content, n: int):
    files = {
        f"briefings/{2018 + i % 5}/item-{i:03d}.md": briefing_text(
            title=f"Item {i}",
            date=f"{2018 + i % 5}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            tags=[TAGS[i % 5], TAGS[(i * 7) % 5]],
            body=f"Paragraph *{i}* with a [link](/about/).\n\n| a | b |\n|---|---|\n| {i} | x |\n\nA note.[^1]\n\n[^1]: Footnote {i}.",
        )
        for i in range(pipeline.PARALLEL_MIN * 2 + 5)
    }
    files["briefings/2019/bad-one.md"] = "---\ntitle: Broken\n---\n"  # its problems must come back from the pool too
    return make_content(files)


def build(content, output, tmp_path, jobs, layouts):
    return pipeline.build_site(pipeline.Options(content_dir=content, layouts_dir=layouts, output_dir=output, now=NOW, jobs=jobs, clean=True, cache_dir=tmp_path / f".cache-{jobs}"))


def test_the_output_is_the_same_whatever_the_number_of_processes(make_content, tmp_path, copy_layouts):
    content, layouts = collection(make_content, 0), copy_layouts()
    (content / "briefings/2019/bad-one.md").unlink()
    sites = {}
    for jobs in (1, 2, 3):
        report = build(content, tmp_path / f"site-{jobs}", tmp_path, jobs, layouts)
        assert report.ok, report.errors
        sites[jobs] = snapshot(tmp_path / f"site-{jobs}")
    assert sites[1] == sites[2] == sites[3]
    assert len([p for p in sites[1] if p.startswith("briefings/")]) == pipeline.PARALLEL_MIN * 2 + 5


def test_workers_replaced_partway_render_the_same_pages_in_the_same_order(make_content, tmp_path, copy_layouts, monkeypatch):
    content, layouts = collection(make_content, 0), copy_layouts()
    (content / "briefings/2019/bad-one.md").unlink()
    assert build(content, tmp_path / "site-1", tmp_path, 1, layouts).ok
    monkeypatch.setattr(pipeline, "WORKER_PAGES", 37)  # fresh workers several times, each set ending mid-chunk
    report = build(content, tmp_path / "site-2", tmp_path, 2, layouts)
    assert report.ok, report.errors
    assert snapshot(tmp_path / "site-2") == snapshot(tmp_path / "site-1")


def test_problems_found_in_worker_processes_are_reported_in_order(make_content, tmp_path, copy_layouts):
    content, layouts = collection(make_content, 0), copy_layouts()
    one = build(content, tmp_path / "a", tmp_path, 1, layouts)
    two = build(content, tmp_path / "b", tmp_path, 2, layouts)
    assert not one.ok and [str(p) for p in one.problems] == [str(p) for p in two.problems]
    assert any(p.path == f"{content}/briefings/2019/bad-one.md" for p in two.errors)
    assert not (tmp_path / "b").exists()
