"""Incremental builds: after any sequence of edits, the output is byte for byte what a clean build makes."""
from __future__ import annotations

import os
import random
import shutil
import time
from datetime import datetime, timezone

import jinja2
import pytest

from briefing import pipeline, render, state as states, writer
from conftest import NOW, SITE_YAML, briefing_text, snapshot, write_tree

TAGS = ["Economy", "Health", "Climate", "Courts", "Elections", "Energy", "Housing", "Trade", "Labour", "Schools", "Water", "Transport"]
WORDS = "the council said on Tuesday that a new plan would cut costs while critics argued it came too late for most".split()
TOPICS = {
    "topics/money.md": "---\ntitle: Money\nsummary: Economy and trade.\ntags: [Economy, Trade]\n---\n\nWhere the money goes.\n",
    "topics/planet.md": "---\ntitle: Planet\nsummary: Climate and energy.\ntags: [Climate, Energy, Water]\naccent: \"#2a7\"\n---\n\nThe *planet* beat.\n",
}


def body(rng: random.Random) -> str:
    paragraphs = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30))).capitalize() + "." for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.3:
        paragraphs.append("| a | b |\n|---|---|\n| 1 | 2 |")
    return "\n\n".join(paragraphs)


def briefing(rng: random.Random, year: int, **extra) -> str:
    date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    tags = rng.sample(TAGS, rng.randint(1, 4))
    author = rng.choice(["Jane Doe", "Ola Nordmann", "José Álvarez"])
    return briefing_text(title=" ".join(rng.sample(WORDS, 4)).title(), author=author, date=date, tags=tags, body=body(rng), **extra)


class Collection:
    """A content folder and a layouts folder that a seeded random editor changes one step at a time."""

    def __init__(self, root, rng: random.Random, layouts):
        self.rng, self.content, self.layouts = rng, root / "content", layouts
        files = {"site.yaml": SITE_YAML, **TOPICS}
        for i in range(30):
            year = rng.choice([2019, 2020, 2021])
            files[f"briefings/{year}/item-{i}.md"] = briefing(rng, year)
        write_tree(self.content, files)
        self.next = 30

    def briefings(self) -> list:
        return sorted((self.content / "briefings").rglob("*.md"))

    def step(self) -> str:
        rng = self.rng
        kind = rng.choice(["add", "body", "body", "tags", "tags", "date", "rename", "delete", "template", "config", "draft", "topic", "same-size", "profile"])
        existing = self.briefings()
        if kind in ("delete", "rename") and len(existing) < 10:
            kind = "add"
        path = rng.choice(existing)
        text = path.read_text(encoding="utf-8")
        head, _, rest = text.partition("\n---\n")
        if kind == "add":
            year = rng.choice([2019, 2020, 2021, 2022])
            target = self.content / f"briefings/{year}/new-{self.next}.md"
            self.next += 1
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(briefing(rng, year), encoding="utf-8")
        elif kind == "body":
            path.write_text(f"{head}\n---\n\n{body(rng)}\n", encoding="utf-8")
        elif kind == "same-size":  # the same length within the same mtime tick: only the digest can tell
            swapped = rest.replace("a", "e", 1) if "a" in rest else rest.replace("e", "a", 1)
            path.write_text(f"{head}\n---\n{swapped}", encoding="utf-8")
        elif kind == "tags":
            lines = [line for line in head.splitlines() if not line.startswith("  - ")]
            at = lines.index("tags:") + 1
            lines[at:at] = [f"  - {tag}" for tag in rng.sample(TAGS + ["Brand New Tag"], rng.randint(1, 3))]
            path.write_text("\n".join(lines) + "\n---\n" + rest, encoding="utf-8")
        elif kind == "date":
            year = path.parent.name
            path.write_text(head.replace(head.split("date: ")[1][:10], f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}") + "\n---\n" + rest, encoding="utf-8")
        elif kind == "rename":
            path.rename(path.with_name(f"renamed-{self.next}.md"))
            self.next += 1
        elif kind == "delete":
            path.unlink()
        elif kind == "template":
            name = rng.choice(["article.html", "base.html", "tag.html", "_list.html", "_rows.html", "_sections.html", "home.html", "static/style.css"])
            with open(self.layouts / name, "a", encoding="utf-8") as f:
                f.write(f"\n/* edit {self.next} */\n" if name.endswith(".css") else f"\n{{# edit {self.next} #}}<!-- {self.next} -->\n")
            self.next += 1
        elif kind == "config":
            title = rng.choice(["Test Briefings", "Other Title", "Third Title"])
            per_page = rng.choice([2, 3, 20])
            (self.content / "site.yaml").write_text(SITE_YAML.replace("Test Briefings", title).replace("per_page: 2", f"per_page: {per_page}"), encoding="utf-8")
        elif kind == "draft":
            if "draft: true" in head:
                path.write_text(text.replace("draft: true\n", ""), encoding="utf-8")
            else:
                path.write_text(head + "\ndraft: true\n---\n" + rest, encoding="utf-8")
        elif kind == "profile":  # an author's profile comes, changes its words or its name's spelling, or goes
            profile = self.content / "authors/jane-doe.md"
            if profile.exists() and rng.random() < 0.3:
                profile.unlink()
            else:
                name = rng.choice(["Jane Doe", "Jane DOE"])
                profile.parent.mkdir(exist_ok=True)
                profile.write_text(f"---\nname: {name}\nrole: {rng.choice(['Editor', 'Reporter'])}\n---\n\n{body(rng)}\n", encoding="utf-8")
        elif kind == "topic":
            topic = self.content / "topics/money.md"
            tags = rng.sample(TAGS, 2)
            topic.write_text(TOPICS["topics/money.md"].replace("[Economy, Trade]", f"[{tags[0]}, {tags[1]}]"), encoding="utf-8")
        return f"{kind} {path.name}"


def build(collection: Collection, output, cache_dir, **options):
    return pipeline.build_site(pipeline.Options(content_dir=collection.content, layouts_dir=collection.layouts, output_dir=output, now=NOW, jobs=1, cache_dir=cache_dir, **options))


def same_as_clean(collection: Collection, site, tmp_path) -> bool:
    """Whether `site` holds byte for byte what a clean build of the collection makes."""
    assert build(collection, tmp_path / "clean", tmp_path / "clean-cache", clean=True).ok
    return snapshot(site) == snapshot(tmp_path / "clean")


@pytest.fixture(autouse=True)
def no_search_index(monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/nonexistent/pagefind")  # its index is not ours to compare


def test_random_edits_build_what_a_clean_build_builds(tmp_path, copy_layouts):
    rng = random.Random(20260104)
    collection = Collection(tmp_path, rng, copy_layouts())
    site, cache_dir = tmp_path / "site", tmp_path / ".cache"
    assert build(collection, site, cache_dir).ok
    for n in range(60):
        done = collection.step()
        report = build(collection, site, cache_dir)
        clean_site = tmp_path / f"clean-{n}"
        clean = build(collection, clean_site, tmp_path / f"clean-cache-{n}", clean=True)
        assert report.ok and clean.ok, (n, done, report.errors)
        assert snapshot(site) == snapshot(clean_site), f"step {n}: {done}"
        assert sorted(map(str, report.problems)) == sorted(map(str, clean.problems)), (n, done)
        shutil.rmtree(clean_site)


def retag(path, tags: list[str]) -> None:
    head, _, rest = path.read_text(encoding="utf-8").partition("\n---\n")
    lines = [line for line in head.splitlines() if not line.startswith("  - ")]
    at = lines.index("tags:") + 1
    lines[at:at] = [f"  - {tag}" for tag in tags]
    path.write_text("\n".join(lines) + "\n---\n" + rest, encoding="utf-8")


def test_a_retag_packs_only_the_pages_it_can_change_and_plans_what_a_fresh_plan_does(tmp_path, copy_layouts, monkeypatch):
    """Retags that keep every briefing in its topics (a new tag, a spelling that renames it, a tag that ends, a
    shared tag swapped) reuse the last plan's pages a retag leaves alone; one that puts a briefing into a topic packs
    every page. Either way the plan is a fresh plan's, byte for byte, and so is the site."""
    collection = Collection(tmp_path, random.Random(29), copy_layouts())
    site, cache_dir = tmp_path / "site", tmp_path / ".cache"
    packed = []
    pack = pipeline.fingerprint.Packer.pack
    monkeypatch.setattr(pipeline.fingerprint.Packer, "pack", lambda self, value: packed.append(value.url) or pack(self, value))
    options = pipeline.Options(content_dir=collection.content, layouts_dir=collection.layouts, output_dir=site, now=NOW, jobs=1, cache_dir=cache_dir)
    assert pipeline.build_site(options).ok
    topics = [{"Economy", "Trade"}, {"Climate", "Energy", "Water"}]  # the tags of each topic
    first = next(path for path in collection.briefings() if any(not tags.intersection(tags_of(path)) for tags in topics))
    own = tags_of(first)
    shared = next(tag for tag in ["Courts", "Housing", "Labour"] if tag not in own)
    elsewhere = min(next(tags for tags in topics if not tags.intersection(own)))
    edits = [
        ("a new tag", own + ["Brand New Tag"], True),
        ("the new tag respelled", own + ["BRAND new tag"], True),
        ("the tag ends", own, True),
        ("a shared tag added", own + [shared], True),
        ("into a topic", own + [shared, elsewhere], False),
    ]
    for what, tags, reuses in edits:
        retag(first, tags)
        packed.clear()
        state = states.load(cache_dir, site, pipeline.code_key(options))
        plan = pipeline.plan_pages(options, pipeline.gather(options, state), state)
        again = len(packed)
        fresh = pipeline.plan_pages(options, pipeline.gather(options, states.State()), states.State())
        assert (plan.outputs, plan.templates, plan.digests, plan.shown, plan.pages.packed) == (fresh.outputs, fresh.templates, fresh.digests, fresh.shown, fresh.pages.packed), what
        assert (again < len(fresh.outputs) // 2) if reuses else (again == len(fresh.outputs)), (what, again, len(fresh.outputs))
        assert pipeline.build_site(options).ok and same_as_clean(collection, site, tmp_path), what
        shutil.rmtree(tmp_path / "clean")


def tags_of(path) -> list[str]:
    return [line[4:] for line in path.read_text(encoding="utf-8").split("\n---\n")[0].splitlines() if line.startswith("  - ")]


def test_compiled_templates_are_kept_between_builds_for_the_same_code_and_config_only(tmp_path, copy_layouts, monkeypatch):
    """A build loads the templates an earlier build compiled (no compiling after a small edit); another base URL
    compiles its own, since Jinja folds `'/static/style.css' | url` into the code; either way the site is a clean one's."""
    collection = Collection(tmp_path, random.Random(31), copy_layouts())
    site, cache_dir = tmp_path / "site", tmp_path / ".cache"
    compiled = []
    compile_ = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile", lambda self, *args, **kwargs: compiled.append(args[1] if len(args) > 1 else kwargs.get("name")) or compile_(self, *args, **kwargs))
    for base_url, compiles in ((None, True), (None, False), ("https://example.org/sub/", True), ("https://example.org/sub/", False)):
        render._environment.cache_clear()  # as in a new process
        compiled.clear()
        first = collection.briefings()[0]
        first.write_text(first.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
        assert build(collection, site, cache_dir, base_url=base_url).ok
        assert bool(compiled) == compiles, (base_url, compiled)
        assert build(collection, tmp_path / "clean", tmp_path / "clean-cache", clean=True, base_url=base_url).ok
        assert snapshot(site) == snapshot(tmp_path / "clean"), base_url
        shutil.rmtree(tmp_path / "clean")
    assert len(list((cache_dir / "templates").iterdir())) == 2  # one folder per config


def test_a_template_rendered_by_partial_is_a_dependency_of_every_page_and_keeps_each_pages_values(tmp_path, copy_layouts):
    """base.html renders the sections bar with partial("_sections.html", current=…), once per value in a build: an
    edit to it reaches every page, and each topic page still marks its own section, not the first one rendered."""
    collection = Collection(tmp_path, random.Random(5), copy_layouts())
    site, cache_dir = tmp_path / "site", tmp_path / ".cache"
    assert build(collection, site, cache_dir).ok
    themed = [page for page in site.rglob("*.html") if 'aria-label="Sections"' in page.read_text(encoding="utf-8")]
    assert len(themed) > 20
    for slug in ("money", "planet"):
        html = (site / "topics" / slug / "index.html").read_text(encoding="utf-8")
        assert f'href="/topics/{slug}/" style="' in html and html.count('aria-current="page"') == 1
        assert html.split('aria-current="page"')[0].rsplit("<a ", 1)[1].startswith(f'href="/topics/{slug}/"')
    assert 'aria-current="page"' not in (site / "tags/index.html").read_text(encoding="utf-8")
    sections = collection.layouts / "_sections.html"
    sections.write_text(sections.read_text(encoding="utf-8").replace('aria-label="Sections"', 'aria-label="Desks"'), encoding="utf-8")
    assert build(collection, site, cache_dir).ok
    assert all('aria-label="Desks"' in page.read_text(encoding="utf-8") for page in themed)
    assert same_as_clean(collection, site, tmp_path)


def test_a_broken_edit_leaves_the_site_and_a_fix_recovers(tmp_path, copy_layouts):
    collection = Collection(tmp_path, random.Random(7), copy_layouts())
    site, cache_dir = tmp_path / "site", tmp_path / ".cache"
    assert build(collection, site, cache_dir).ok
    before = snapshot(site)
    path = collection.briefings()[0]
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("date: ", "date: not-a-date "), encoding="utf-8")
    assert not build(collection, site, cache_dir).ok
    assert snapshot(site) == before
    (collection.layouts / "tag.html").write_text("{% extends 'base.html' %}{% block main %}{{ nope.missing }}{% endblock %}", encoding="utf-8")
    path.write_text(good + "\nMore.\n", encoding="utf-8")
    report = build(collection, site, cache_dir)
    assert not report.ok and any(p.path.endswith("layouts/tag.html") for p in report.errors)  # the --layouts folder given, then the file
    assert snapshot(site) == before
    shutil.copy(pipeline.Path(__file__).parent.parent / "layouts/tag.html", collection.layouts / "tag.html")
    assert build(collection, site, cache_dir).ok
    assert same_as_clean(collection, site, tmp_path)


def test_a_corrupt_or_foreign_state_means_a_full_build(tmp_path, copy_layouts):
    collection = Collection(tmp_path, random.Random(3), copy_layouts())
    site, cache_dir = tmp_path / "site", tmp_path / ".cache"
    assert build(collection, site, cache_dir).ok
    folder = states.folder_of(cache_dir, site)
    head = folder / "state"
    path = collection.briefings()[0]
    path.write_text(path.read_text(encoding="utf-8") + "\nAn addition.\n", encoding="utf-8")
    for damaged in folder.glob("p*-*"):  # parsed sources, the plan and its pages, each truncated
        damaged.write_bytes(damaged.read_bytes()[:100])
    assert build(collection, site, cache_dir).ok
    head.write_bytes(b"BRIEF999 from some other version")
    collection.step()
    assert build(collection, site, cache_dir).ok
    head.write_bytes(b"\x00garbage")
    assert build(collection, site, cache_dir).ok
    assert same_as_clean(collection, site, tmp_path)


@pytest.mark.parametrize("kind", ["parsed", "filed", "cards"])
def test_an_edit_rewrites_one_shard_of_each_kind_and_a_lost_shard_means_a_full_build(tmp_path, copy_layouts, kind):
    collection = Collection(tmp_path, random.Random(17), copy_layouts())
    site, cache_dir = tmp_path / "site", tmp_path / ".cache"
    assert build(collection, site, cache_dir).ok
    folder = states.folder_of(cache_dir, site)
    shards = lambda: {p.name: p.stat().st_ino for p in folder.glob(f"{kind}-*")}  # noqa: E731
    before = shards()
    assert len(before) > 5
    path = collection.briefings()[0]
    path.write_text(path.read_text(encoding="utf-8") + "\nAn addition.\n", encoding="utf-8")
    assert build(collection, site, cache_dir).ok
    after = shards()
    assert len(set(after) - set(before)) == 1 and len(set(before) - set(after)) == 1  # the old one is gone too
    assert all(after[name] == before[name] for name in set(after) & set(before))
    sorted(folder.glob(f"{kind}-*"))[0].unlink()
    collection.step()
    assert build(collection, site, cache_dir).ok
    assert same_as_clean(collection, site, tmp_path)


def test_lists_show_briefings_from_their_cards_and_a_body_a_layout_lists_is_the_real_one(tmp_path, copy_layouts):
    layouts = copy_layouts()
    archive = layouts / "archive_year.html"  # a layout that lists every briefing's body, which cards leave out
    archive.write_text(archive.read_text(encoding="utf-8").replace("{{ b.title }}</a>", "{{ b.title }}</a>{{ b.body_html | safe }}"), encoding="utf-8")
    collection = Collection(tmp_path, random.Random(23), layouts)
    site, cache_dir = tmp_path / "site", tmp_path / ".cache"
    assert build(collection, site, cache_dir).ok
    assert len(list(states.folder_of(cache_dir, site).glob("cards-*"))) > 5
    edited, other = collection.briefings()[:2]
    assert edited.parent == other.parent  # listed on the same year's archive, which the edit makes render again
    edited.write_text(edited.read_text(encoding="utf-8").replace("title: ", "title: Retitled ", 1), encoding="utf-8")
    other_body = other.read_text(encoding="utf-8").partition("\n---\n")[2].split(".")[0].strip()
    assert build(collection, site, cache_dir).ok
    assert other_body in (site / "archive" / other.parent.name / "index.html").read_text(encoding="utf-8")
    assert same_as_clean(collection, site, tmp_path)


def test_a_second_build_of_the_same_output_stops_while_the_first_runs(tmp_path, copy_layouts):
    collection = Collection(tmp_path, random.Random(19), copy_layouts())
    site, cache_dir = tmp_path / "site", tmp_path / ".cache"
    assert build(collection, site, cache_dir).ok
    before = snapshot(site)
    path = collection.briefings()[0]
    path.write_text(path.read_text(encoding="utf-8") + "\nWritten while another build runs.\n", encoding="utf-8")
    with writer.lock(site) as holder:
        assert holder is None
        report = build(collection, site, cache_dir)
        assert build(collection, tmp_path / "other", cache_dir).ok  # another output folder has its own lock
    assert [(p.path, p.field) for p in report.errors] == [(str(site), "output")]
    assert f"process {os.getpid()}" in report.errors[0].message
    assert snapshot(site) == before
    assert build(collection, site, cache_dir).ok and snapshot(site) != before


def test_unchanged_outputs_keep_their_inode_and_mtime(tmp_path, copy_layouts):
    collection = Collection(tmp_path, random.Random(5), copy_layouts())
    site, cache_dir = tmp_path / "site", tmp_path / ".cache"
    assert build(collection, site, cache_dir).ok
    stats = {p: os.stat(p) for p in site.rglob("*") if p.is_file()}
    edited = collection.briefings()[3]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    assert build(collection, site, cache_dir).ok
    page = site / "briefings" / edited.parent.name / edited.stem / "index.html"
    assert b"One more sentence." in page.read_bytes()
    kept = [p for p, st in stats.items() if p.exists() and (os.stat(p).st_ino, os.stat(p).st_mtime_ns) == (st.st_ino, st.st_mtime_ns)]
    assert page not in kept
    assert site / "static/style.css" in kept and site / "tags/index.html" in kept
    assert len(kept) > len(stats) * 0.6  # most pages do not mention the edited briefing


def test_a_rebuild_without_changes_writes_nothing_and_swaps_nothing(tmp_path, copy_layouts):
    collection = Collection(tmp_path, random.Random(9), copy_layouts())
    site, cache_dir = tmp_path / "site", tmp_path / ".cache"
    assert build(collection, site, cache_dir).ok
    before = (os.stat(site).st_ino, {p: os.stat(p).st_mtime_ns for p in site.rglob("*")})
    os.utime(collection.briefings()[0])  # touched, not changed
    first = build(collection, site, cache_dir)
    second = build(collection, site, cache_dir)
    assert first.ok and second.ok and first.counts == second.counts and first.counts["article"] > 0
    assert (os.stat(site).st_ino, {p: os.stat(p).st_mtime_ns for p in site.rglob("*")}) == before


def test_a_future_briefing_appears_once_its_date_has_come_without_any_edit(tmp_path, copy_layouts):
    collection = Collection(tmp_path, random.Random(13), copy_layouts())
    site, cache_dir = tmp_path / "site", tmp_path / ".cache"
    (collection.content / "briefings/2025").mkdir()
    (collection.content / "briefings/2025/later.md").write_text(briefing_text(title="Later", date="2025-12-31T12:00:00-05:00"), encoding="utf-8")
    before = datetime(2025, 12, 1, tzinfo=timezone.utc)
    options = dict(content_dir=collection.content, layouts_dir=collection.layouts, output_dir=site, jobs=1, cache_dir=cache_dir)
    assert pipeline.build_site(pipeline.Options(now=before, **options)).held_back == 1
    assert not (site / "briefings/2025/later/index.html").exists()
    assert pipeline.build_site(pipeline.Options(now=before, **options)).held_back == 1  # the shortcut: nothing changed, nothing due
    assert pipeline.build_site(pipeline.Options(now=NOW, **options)).held_back == 0
    assert (site / "briefings/2025/later/index.html").is_file()


def test_clean_ignores_the_state(tmp_path, copy_layouts):
    collection = Collection(tmp_path, random.Random(11), copy_layouts())
    site, cache_dir = tmp_path / "site", tmp_path / ".cache"
    assert build(collection, site, cache_dir).ok
    before = snapshot(site)
    assert build(collection, site, cache_dir, clean=True).ok
    assert snapshot(site) == before


def test_a_site_that_is_not_the_one_the_state_describes_is_rebuilt_not_trusted(tmp_path, copy_layouts):
    # A build killed after its swap but before saving its state leaves the new site with the old state.
    collection = Collection(tmp_path, random.Random(53), copy_layouts())
    site, cache_dir = tmp_path / "site", tmp_path / ".cache"
    assert build(collection, site, cache_dir).ok
    shutil.copytree(cache_dir, tmp_path / "state-before")
    path = collection.briefings()[0]
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "\nAn edit whose state was never saved.\n", encoding="utf-8")
    assert build(collection, site, cache_dir).ok
    shutil.rmtree(cache_dir)
    shutil.copytree(tmp_path / "state-before", cache_dir)
    path.write_text(original, encoding="utf-8")
    assert build(collection, site, cache_dir).ok
    assert same_as_clean(collection, site, tmp_path)


def inputs_now(collection: Collection) -> dict[str, bytes]:
    """Every input by the build's name for it, as a watcher would see changes."""
    found = {}
    for label, root in (("content", collection.content), ("layouts", collection.layouts)):
        found.update({f"{label}/{p.relative_to(root).as_posix()}": p.read_bytes() for p in root.rglob("*") if p.is_file()})
    return found


def test_a_preview_session_builds_what_a_clean_build_builds_after_every_edit(tmp_path, copy_layouts, monkeypatch):
    """serve keeps the state in memory and names the files its watcher saw; after every edit its output is a clean build's."""
    patched = []  # whether each build took the last assembly as it stood: both ways must be covered here
    real = pipeline._patched
    monkeypatch.setattr(pipeline, "_patched", lambda *args: patched.append(real(*args)) or patched[-1])
    bulk = []  # whether each build kept the unchanged pages in bulk: both ways too
    real_bulk = pipeline._kept_in_bulk
    monkeypatch.setattr(pipeline, "_kept_in_bulk", lambda *args: bulk.append(real_bulk(*args)) or bulk[-1])
    rng = random.Random(20261201)
    collection = Collection(tmp_path, rng, copy_layouts())
    options = pipeline.Options(content_dir=collection.content, layouts_dir=collection.layouts, output_dir=tmp_path / "preview", now=NOW, jobs=1, base_url="http://127.0.0.1:8000/", cache_dir=tmp_path / ".cache")
    report, state = pipeline.build(options, states.State(key=pipeline.code_key(options)))
    assert report.ok
    for n in range(40):
        before = inputs_now(collection)
        done = collection.step()
        after = inputs_now(collection)
        changed = frozenset(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
        report, state = pipeline.build(options, state, changed, walk=before.keys() != after.keys())
        report = pipeline.openable(report, options)
        clean = build(collection, tmp_path / "clean", tmp_path / "clean-cache", clean=True, base_url="http://127.0.0.1:8000/")
        assert report.ok and clean.ok, (n, done, report.errors)
        assert snapshot(tmp_path / "preview") == snapshot(tmp_path / "clean"), f"step {n}: {done}"
        assert sorted(map(str, report.problems)) == sorted(map(str, clean.problems)), (n, done)
    assert True in patched and False in patched
    assert None in bulk and any(found is not None for found in bulk)


def test_a_preview_keeps_reporting_a_broken_file_while_other_files_change(tmp_path, copy_layouts):
    """A failed build must not forget what it was told changed: the next edit names only its own file, and the broken
    one (a source, or a template that fails to render) is still broken, so the preview still reports it."""
    collection = Collection(tmp_path, random.Random(11), copy_layouts())
    an_hour_ago = time.time() - 3600
    for path in [*collection.content.rglob("*"), *collection.layouts.rglob("*")]:
        os.utime(path, (an_hour_ago, an_hour_ago))  # files written long before the build: their stat is trusted
    options = pipeline.Options(content_dir=collection.content, layouts_dir=collection.layouts, output_dir=tmp_path / "preview", now=NOW, jobs=1, base_url="http://127.0.0.1:8000/", cache_dir=tmp_path / ".cache")
    report, state = pipeline.build(options, states.State(key=pipeline.code_key(options)))
    assert report.ok
    broken, other = collection.briefings()[:2]
    good = broken.read_text(encoding="utf-8")
    template = collection.layouts / "tag.html"
    for name, path, bad in (("content/", broken, good.replace("date: ", "date: not-a-date ")), ("layouts/", template, "{% extends 'base.html' %}{% block main %}{{ nope.missing }}{% endblock %}")):
        root = collection.content if name == "content/" else collection.layouts
        before = path.read_text(encoding="utf-8")
        path.write_text(bad, encoding="utf-8")
        report, state = pipeline.build(options, state, frozenset({name + path.relative_to(root).as_posix()}), walk=False)
        assert not report.ok
        for n in range(2):
            other.write_text(other.read_text(encoding="utf-8") + f"\nMore {n}.\n", encoding="utf-8")
            report, state = pipeline.build(options, state, frozenset({"content/" + other.relative_to(collection.content).as_posix()}), walk=False)
            assert not report.ok, (name, n)
        path.write_text(before, encoding="utf-8")
        report, state = pipeline.build(options, state, frozenset({name + path.relative_to(root).as_posix()}), walk=False)
        assert report.ok, report.errors
        clean = build(collection, tmp_path / "clean", tmp_path / "clean-cache", clean=True, base_url="http://127.0.0.1:8000/")
        assert clean.ok and snapshot(tmp_path / "preview") == snapshot(tmp_path / "clean")


def test_partial_keeps_apart_values_that_compare_equal_across_types(tmp_path):
    from briefing import render
    from briefing.model import SiteConfig

    (tmp_path / "_v.html").write_text("{{ v }}", encoding="utf-8")
    env = render._environment(str(tmp_path), SiteConfig(title="T", base_url="https://example.org/", description=""), (), (), b"partial-types")
    partial = env.globals["partial"]
    assert [str(partial("_v.html", v=v)) for v in (1, True, 1.0, "1")] == ["1", "True", "1.0", "1"]


def test_memo_renders_a_row_once_and_tells_apart_whatever_could_render_differently(tmp_path):
    """memo(row, …) in the lists: one render per distinct arguments. A Topic is known by its value; a Briefing by its
    identity, since two briefings that compare equal can still differ in `extra`, which a layout may show."""
    from dataclasses import replace

    from briefing import render
    from briefing.model import Briefing, Topic

    calls = []

    def row(b, *rest, **named):
        calls.append((b, rest, named))
        return f"{b.title}|{b.extra.get('kicker', '')}|{rest}|{sorted(named.items())}"

    memo = render.Memo()
    when = datetime(2024, 1, 2, tzinfo=timezone.utc)
    first = Briefing(path="a.md", slug="a", year=2024, title="A", authors=("X",), date=when, tag_names=(), body_html="", summary="", extra={"kicker": "one"})
    edited = replace(first, extra={"kicker": "two"})
    assert first == edited  # extra is not compared, so only identity tells them apart
    topic = Topic(path="t.md", slug="t", title="T", summary="", tag_keys=(), intro_html="")
    assert memo(row, first, topic, 3) == memo(row, first, replace(topic), 3)  # an equal Topic is the same key
    assert len(calls) == 1
    assert memo(row, edited, topic, 3).split("|")[1] == "two"
    outputs = [memo(row, first, topic, level) for level in (1, True, 1.0)] + [memo(row, first, topic, 3, hide="")]
    assert len(set(outputs)) == 4 and len(calls) == 6
    memo.LIMIT = len(memo.kept[row])
    memo(row, first, None, 9)  # over the limit: everything kept so far goes
    assert len(memo.kept[row]) == 1


def test_memo_forgets_a_macro_with_its_page(tmp_path):
    """A macro defined in the page's own template is made anew for each page and can read the page's values: its
    entries must neither serve another page nor outlive the page (they hold its values)."""
    import gc

    from briefing import render
    from briefing.model import SiteConfig

    (tmp_path / "page.html").write_text("{% macro own(x) %}{{ x }}-{{ title }}{% endmacro %}{{ memo(own, 1) }}", encoding="utf-8")
    env = render._environment(str(tmp_path), SiteConfig(title="T", base_url="https://example.org/", description=""), (), (), b"memo-local")
    template = env.get_template("page.html")
    assert [template.render(title=t) for t in ("a", "b")] == ["1-a", "1-b"]
    gc.collect()
    assert len(env.globals["memo"].kept) == 0
