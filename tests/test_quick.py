"""Serve's quick path: an edit to a briefing's text re-plans nothing, renders only the pages that show the briefing,
and still builds byte for byte what a clean build builds."""
from __future__ import annotations

import dataclasses
import os
import random
import shutil

import pytest

from briefing import cache, pipeline
from briefing.model import Briefing
from conftest import NOW, snapshot
from test_incremental import Collection

# What a briefing holds besides its place: other pages show these only through the briefing itself (its token).
TEXT_FIELDS = {"title", "body_html", "summary", "word_count", "source", "image", "id", "extra"}


@pytest.fixture
def quick_results(monkeypatch):
    """Every quick_build outcome: the new state, or None where it left the edit to a full build."""
    results = []
    real = pipeline.quick_build

    def spy(*args, **kwargs):
        results.append(real(*args, **kwargs))
        return results[-1]

    monkeypatch.setattr(pipeline, "quick_build", spy)
    return results


def options(collection: Collection, output, cache_dir) -> pipeline.Options:
    return pipeline.Options(content_dir=collection.content, layouts_dir=collection.layouts, output_dir=output, now=NOW, jobs=1, cache_dir=cache_dir, search=False)


def inputs(collection: Collection) -> dict:
    return {p: p.read_bytes() for folder in (collection.content, collection.layouts) for p in folder.rglob("*") if p.is_file()}


def touched_between(before: dict, after: dict) -> frozenset[str] | None:
    """What serve's watcher reports: the modified files, or None when files came or went."""
    if set(before) != set(after):
        return None
    return frozenset(str(p) for p in after if after[p] != before[p])


def append_sentence(path, n: int) -> None:
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"\nA sentence added while serving, number {n}.\n")


def test_every_briefing_field_is_either_its_place_or_its_text():
    # a new field must be sorted into one of the two: a place field wrongly called text would leave stale pages
    names = {f.name for f in dataclasses.fields(Briefing)}
    assert set(pipeline.PLACE_FIELDS) | TEXT_FIELDS == names
    assert not set(pipeline.PLACE_FIELDS) & TEXT_FIELDS


class Serving:
    """A collection built as serve builds it: in one session, each rebuild told which files were modified."""

    def __init__(self, tmp_path, layouts, seed: int):
        self.tmp, self.collection, self.session = tmp_path, Collection(tmp_path, random.Random(seed), layouts), cache.Session()
        self.site = tmp_path / "site"
        self.first = self.build()
        assert self.first.ok

    def build(self, *modified):
        return pipeline.build(options(self.collection, self.site, self.tmp / ".cache"), self.session, frozenset(map(str, modified)) if modified else None)

    def same_as_clean(self) -> bool:
        clean = self.tmp / "clean"
        shutil.rmtree(clean, ignore_errors=True)
        assert pipeline.build(options(self.collection, clean, self.tmp / "clean-cache"), cache.Session()).ok
        return snapshot(self.site) == snapshot(clean)


def test_a_text_edit_renders_only_the_pages_showing_the_briefing(tmp_path, copy_layouts, quick_results, monkeypatch):
    serving = Serving(tmp_path, copy_layouts(), 23)
    rendered: list[str] = []
    real_render = pipeline.render_pages
    monkeypatch.setattr(pipeline, "render_pages", lambda env, pages, *rest: (rendered.extend(p.url for p in pages), real_render(env, pages, *rest))[1])
    edited = serving.collection.briefings()[4]
    append_sentence(edited, 1)
    assert serving.build(edited).ok and quick_results[-1] is not None
    url = f"/briefings/{edited.parent.name}/{edited.stem}/"
    assert url in rendered and "/sitemap.xml" not in rendered  # what it shows of the page, its address and date, stayed
    assert len(rendered) < sum(serving.first.counts.values()) / 3  # the tag index, other tags' pages, other articles stay
    assert "/tags/" not in rendered
    assert b"number 1." in (serving.site / url.strip("/") / "index.html").read_bytes()
    assert serving.same_as_clean()


def test_an_edit_that_moves_a_briefing_is_left_to_a_full_build(tmp_path, copy_layouts, quick_results):
    serving = Serving(tmp_path, copy_layouts(), 29)
    edited = serving.collection.briefings()[2]
    edited.write_text(edited.read_text(encoding="utf-8").replace("tags:\n", "tags:\n  - Brand New Tag\n", 1), encoding="utf-8")
    assert serving.build(edited).ok
    assert quick_results[-1] is None
    assert (serving.site / "tags/brand-new-tag/index.html").is_file()
    append_sentence(edited, 2)
    assert serving.build(edited).ok
    assert quick_results[-1] is not None  # the full build left a plan for the next edit
    assert serving.same_as_clean()


def retitle(path, title: str) -> None:
    head, _, rest = path.read_text(encoding="utf-8").partition("\n---\n")
    lines = [f'title: "{title}"' if line.startswith("title:") else line for line in head.splitlines()]
    path.write_text("\n".join(lines) + "\n---\n" + rest, encoding="utf-8")


def test_a_title_edit_is_quick_unless_redirect_pages_show_the_title(tmp_path, copy_layouts, quick_results):
    serving = Serving(tmp_path, copy_layouts(), 41)
    plain, aliased = serving.collection.briefings()[:2]
    retitle(plain, "A Title Written While Serving")
    assert serving.build(plain).ok and quick_results[-1] is not None
    assert serving.same_as_clean()
    head, _, rest = aliased.read_text(encoding="utf-8").partition("\n---\n")
    aliased.write_text(head + "\naliases:\n  - /old/address/\n---\n" + rest, encoding="utf-8")
    assert serving.build(aliased).ok and quick_results[-1] is None  # a new alias is a new page
    retitle(aliased, "Renamed With A Redirect")
    assert serving.build(aliased).ok and quick_results[-1] is None  # its redirect page copies the title
    assert "Renamed With A Redirect" in (serving.site / "old/address/index.html").read_text(encoding="utf-8")
    assert serving.same_as_clean()


def test_a_text_edit_that_brings_a_problem_is_left_to_a_full_build_that_reports_it(tmp_path, copy_layouts, quick_results):
    serving = Serving(tmp_path, copy_layouts(), 31)
    before = snapshot(serving.site)
    edited = serving.collection.briefings()[1]
    good = edited.read_text(encoding="utf-8")
    edited.write_bytes(good.encode() + b"\nBroken \xff bytes.\n")
    report = serving.build(edited)
    assert quick_results[-1] is None and not report.ok
    assert [p.path for p in report.errors] == [edited.as_posix()]  # as it opens from here
    assert snapshot(serving.site) == before
    edited.write_text(good + "\nFixed.\n", encoding="utf-8")
    assert serving.build(edited).ok
    assert b"Fixed." in (serving.site / "briefings" / edited.parent.name / edited.stem / "index.html").read_bytes()


def test_random_edits_while_serving_build_what_a_clean_build_builds(tmp_path, copy_layouts, quick_results):
    serving = Serving(tmp_path, copy_layouts(), 20261128)
    collection, rng, site = serving.collection, serving.collection.rng, serving.site
    for n in range(40):
        before = inputs(collection)
        if rng.random() < 0.5:  # text edits, the common case while writing, take the quick path
            for path in rng.sample(collection.briefings(), rng.choice([1, 1, 2])):
                append_sentence(path, n)
            done = "text"
        elif rng.random() < 0.2:  # the sitemap shows `updated`: the quick path must leave this to a full build
            path = rng.choice(collection.briefings())
            head, _, rest = path.read_text(encoding="utf-8").partition("\n---\n")
            lines = [line for line in head.splitlines() if not line.startswith("updated:")] + [f"updated: 2022-0{rng.randint(1, 9)}-01"]
            path.write_text("\n".join(lines) + "\n---\n" + rest, encoding="utf-8")
            done = f"updated {path.name}"
        else:
            done = collection.step()
        touched = touched_between(before, inputs(collection))
        report = pipeline.build(options(collection, site, tmp_path / ".cache"), serving.session, touched)
        clean_site = tmp_path / f"clean-{n}"
        clean = pipeline.build(options(collection, clean_site, tmp_path / f"clean-cache-{n}"), cache.Session())
        assert report.ok and clean.ok, (n, done, report.errors)
        assert snapshot(site) == snapshot(clean_site), f"step {n}: {done}"
        assert sorted(map(str, report.problems)) == sorted(map(str, clean.problems)), (n, done)
        shutil.rmtree(clean_site)
    assert sum(result is not None for result in quick_results) >= 15  # the quick path did run, and did not just decline


def test_serve_keeps_a_spare_tree_from_its_first_build_so_the_first_edit_links_nothing(tmp_path, copy_layouts):
    serving = Serving(tmp_path, copy_layouts(), 37)
    trees = serving.session.state.body.trees
    spare = pipeline.spare_tree(options(serving.collection, serving.site, tmp_path / ".cache"))
    assert trees.spare == trees.live and spare.is_dir() and not (spare / ".briefing-incomplete").exists()
    page = "tags/index.html"
    assert (spare / page).stat().st_ino == (serving.site / page).stat().st_ino  # hard links, not copies
    edited = serving.collection.briefings()[0]
    append_sentence(edited, 3)
    assert serving.build(edited).ok and serving.same_as_clean()
    assert (spare / page).stat().st_ino == (serving.site / page).stat().st_ino  # the swap kept the untouched page's links


def test_serve_started_on_a_built_site_plans_at_once_so_the_first_edit_is_quick(tmp_path, copy_layouts, quick_results):
    collection = Collection(tmp_path, random.Random(43), copy_layouts())
    site, cache_dir = tmp_path / "site", tmp_path / ".cache"
    assert pipeline.build(options(collection, site, cache_dir)).ok  # `python build.py`: the state is saved
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*")}
    key = cache.code_key(collection.content, collection.layouts)
    head = cache.load_head(cache_dir, site, key)
    session = cache.Session(cache.State(head, cache.load_body(cache_dir, site, head)))  # as serve starts
    assert pipeline.build(options(collection, site, cache_dir), session).ok
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*")} == before  # nothing to write
    edited = collection.briefings()[0]
    append_sentence(edited, 4)
    assert pipeline.build(options(collection, site, cache_dir), session, frozenset({str(edited)})).ok
    assert quick_results[-1] is not None


def test_an_editor_that_saves_by_renaming_a_new_file_over_the_old_still_takes_the_quick_path(tmp_path, copy_layouts, quick_results):
    serving = Serving(tmp_path, copy_layouts(), 47)
    edited = serving.collection.briefings()[3]
    temporary = edited.with_name(f".{edited.name}.tmp")
    temporary.write_text(edited.read_text(encoding="utf-8") + "\nSaved the safe way.\n", encoding="utf-8")
    os.replace(temporary, edited)  # what the watcher sees: a created temporary file, moved over the briefing
    report = pipeline.build(options(serving.collection, serving.site, tmp_path / ".cache"), serving.session, frozenset({str(temporary), str(edited)}), walk=True)
    assert report.ok and quick_results[-1] is not None
    assert serving.same_as_clean()
    stray = edited.with_name(f"{edited.name}~")  # a backup the editor leaves: the walk warns about it, so a full build runs
    stray.write_text("backup", encoding="utf-8")
    append_sentence(edited, 5)
    calls = len(quick_results)
    report = pipeline.build(options(serving.collection, serving.site, tmp_path / ".cache"), serving.session, frozenset({str(stray), str(edited)}), walk=True)
    assert report.ok and not any(quick_results[calls:])
    assert [p.path for p in report.warnings if "not a Markdown file" in p.message] == [stray.as_posix()]
    assert serving.same_as_clean()
