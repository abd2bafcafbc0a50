"""Search shards in real builds: an edit re-indexes only its shard, random edits index what a clean build indexes, and
a word is found in its briefing right after an add or an edit, and no longer after a delete.

The index is read back as Pagefind's browser code reads it: the manifest, each shard's word index (CBOR) mapping
words to pages, and each page's fragment (url, filters, metadata).
"""
from __future__ import annotations

import gzip
import json
import os
import random

import pytest

from briefing import pipeline, search
from conftest import NOW, briefing_text
from test_incremental import Collection

pytestmark = pytest.mark.skipif(search.find_pagefind() is None, reason="Pagefind is not installed (pip install -e .)")


@pytest.fixture(autouse=True)
def small_shards(monkeypatch):
    monkeypatch.setattr(search, "MAX_SHARD_PAGES", 4)  # several shards a year, so splits and merges happen too


def build(content, layouts, output, cache_dir, **options):
    report = pipeline.build_site(pipeline.Options(content_dir=content, layouts_dir=layouts, output_dir=output, now=NOW, jobs=1, cache_dir=cache_dir, **options))
    assert report.ok and not [p for p in report.warnings if p.path == "pagefind"], [str(p) for p in report.problems]
    return report


def unpack(data: bytes):
    raw = gzip.decompress(data)
    assert raw.startswith(b"pagefind_dcd")
    return raw[len(b"pagefind_dcd") :]


def cbor(data: bytes, at: int = 0):
    """The one CBOR value at `at` and the offset after it (the definite-length subset minicbor writes)."""
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        value = info
    else:
        size = 1 << (info - 24)
        value, at = int.from_bytes(data[at : at + size], "big"), at + size
    if major == 0:
        return value, at
    if major == 1:
        return -1 - value, at
    if major in (2, 3):
        chunk = data[at : at + value]
        return (chunk.decode() if major == 3 else chunk), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = cbor(data, at)
            items.append(item)
        return items, at
    if major == 5:
        pairs = {}
        for _ in range(value):
            key, at = cbor(data, at)
            pairs[key], at = cbor(data, at)
        return pairs, at
    if major == 7 and info in (20, 21, 22):
        return {20: False, 21: True, 22: None}[info], at
    raise ValueError(f"CBOR major type {major} info {info} is not used by Pagefind")


def read_shard(folder) -> dict:
    """{"pages": {url: (filters, meta)}, "words": {word: urls}} of one shard bundle, decoded from its files."""
    entry = json.loads((folder / "pagefind-entry.json").read_bytes())
    (language,) = entry["languages"].values()
    meta = cbor(unpack((folder / f"pagefind.{language['hash']}.pf_meta").read_bytes()))[0]
    fragments = {}
    for page_hash, _ in meta[1]:
        fragment = json.loads(unpack((folder / "fragment" / f"{page_hash}.pf_fragment").read_bytes()))
        fragments[page_hash] = fragment
    urls = [fragments[page_hash]["url"] for page_hash, _ in meta[1]]
    words: dict[str, frozenset] = {}
    for _, _, chunk in meta[2]:
        for word, pages, *_ in cbor(unpack((folder / "index" / f"{chunk}.pf_index").read_bytes()))[0][0]:
            words[word] = frozenset(urls[number] for number, *_ in pages)  # (page number, word locations, metadata locations)
    pages = {f["url"]: (f["filters"], f["meta"], f["content"]) for f in fragments.values()}
    assert language["page_count"] == len(pages)
    return {"pages": pages, "words": words}


def indexed(site) -> dict:
    """Every shard the manifest lists, read back; and no shard folder the manifest does not list."""
    manifest = json.loads((site / search.MANIFEST).read_bytes())
    keys = [s["key"] for s in manifest["shards"]]
    assert sorted(p.name for p in (site / search.ROOT).iterdir() if p.is_dir()) == sorted(keys)
    return {key: read_shard(site / search.ROOT / key) for key in keys}


def found(site, word: str) -> set[str]:
    """The pages whose index holds `word` (Pagefind stores stems: pick words that are their own stem)."""
    return {url for shard in indexed(site).values() for url in shard["words"].get(word, ())}


def inodes(site) -> dict[str, int]:
    root = site / search.ROOT
    return {str(p.relative_to(root)): p.stat().st_ino for p in root.rglob("*") if p.is_file()}


def test_an_edit_reindexes_only_the_shard_it_touches(tmp_path, copy_layouts):
    collection = Collection(tmp_path, random.Random(5), copy_layouts())
    site, cache_dir = tmp_path / "site", tmp_path / ".cache"
    build(collection.content, collection.layouts, site, cache_dir)
    before = inodes(site)
    assert len({rel.split("/")[0] for rel in before if "/" in rel}) >= 6, "the collection should make several shards"
    path = collection.briefings()[7]
    path.write_text(path.read_text(encoding="utf-8") + "\nA quokka visited the ministry.\n", encoding="utf-8")
    build(collection.content, collection.layouts, site, cache_dir)
    after = inodes(site)
    touched = {rel.split("/")[0] for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)}
    (url,) = found(site, "quokka")
    (key,) = [key for key, shard in indexed(site).items() if url in shard["pages"]]
    assert touched == {key, "shards.json"}


def test_a_change_around_the_articles_reindexes_nothing(tmp_path, copy_layouts):
    collection = Collection(tmp_path, random.Random(6), copy_layouts())
    site, cache_dir = tmp_path / "site", tmp_path / ".cache"
    build(collection.content, collection.layouts, site, cache_dir)
    before = inodes(site)
    base = collection.layouts / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("<footer class=\"colophon\">", "<footer class=\"colophon\"><p>New footer line.</p>"), encoding="utf-8")
    build(collection.content, collection.layouts, site, cache_dir)
    assert "New footer line" in (site / "index.html").read_text(encoding="utf-8")
    after = inodes(site)
    assert {rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)} == set()


def test_random_edits_index_what_a_clean_build_indexes(tmp_path, copy_layouts):
    rng = random.Random(20261201)
    collection = Collection(tmp_path, rng, copy_layouts())
    site, cache_dir = tmp_path / "site", tmp_path / ".cache"
    build(collection.content, collection.layouts, site, cache_dir)
    for n in range(24):
        done = collection.step()
        build(collection.content, collection.layouts, site, cache_dir)
        clean = tmp_path / f"clean-{n}"
        build(collection.content, collection.layouts, clean, tmp_path / f"clean-cache-{n}", clean=True)
        assert indexed(site) == indexed(clean), (n, done)
        assert json.loads((site / search.MANIFEST).read_bytes()) == json.loads((clean / search.MANIFEST).read_bytes()), (n, done)


def test_a_word_in_one_briefing_is_found_after_it_is_added_edited_and_not_after_it_is_deleted(tmp_path, make_content):
    files = {f"briefings/{2019 + i % 3}/item-{i}.md": briefing_text(title=f"Item {i}", date=f"{2019 + i % 3}-0{1 + i % 9}-1{i % 9}", body=f"Plain words, number {i}.") for i in range(20)}
    content, layouts = make_content(files), pipeline.Path(__file__).resolve().parent.parent / "layouts"
    site, cache_dir = tmp_path / "site", tmp_path / ".cache"
    build(content, layouts, site, cache_dir)
    assert found(site, "quokka") == set()
    new = content / "briefings/2020/the-quokka.md"
    new.write_text(briefing_text(title="A visit", date="2020-04-04", body="A quokka came to the hearing."), encoding="utf-8")
    build(content, layouts, site, cache_dir)
    assert found(site, "quokka") == {"/briefings/2020/the-quokka/"}
    new.write_text(briefing_text(title="A visit", date="2020-04-04", body="A wombat came to the hearing."), encoding="utf-8")
    build(content, layouts, site, cache_dir)
    assert found(site, "quokka") == set() and found(site, "wombat") == {"/briefings/2020/the-quokka/"}
    new.unlink()
    build(content, layouts, site, cache_dir)
    assert found(site, "wombat") == set()
    assert len({url for shard in indexed(site).values() for url in shard["pages"]}) == 20


def test_a_shard_pagefind_cannot_index_is_left_out_with_a_warning_and_built_next_time(tmp_path, make_content, monkeypatch):
    files = {f"briefings/{2019 + i % 2}/item-{i}.md": briefing_text(title=f"Item {i}", date=f"{2019 + i % 2}-03-1{i}") for i in range(6)}
    content, layouts = make_content(files), pipeline.Path(__file__).resolve().parent.parent / "layouts"
    real = search.index_shard
    monkeypatch.setattr(search, "index_shard", lambda key, pages, work=None: search.failed(f"shard {key}: boom") if key == "2019" else real(key, pages, work))
    report = pipeline.build_site(pipeline.Options(content_dir=content, layouts_dir=layouts, output_dir=tmp_path / "site", now=NOW, jobs=1, cache_dir=tmp_path / ".cache"))
    assert report.ok and [p.message for p in report.warnings if p.path == "pagefind"] == ["Pagefind failed: shard 2019: boom"]
    assert list(indexed(tmp_path / "site")) == ["2020"]
    monkeypatch.setattr(search, "index_shard", real)
    (content / "briefings/2020/item-1.md").write_text(briefing_text(title="Item 1", date="2020-03-11", body="Edited."), encoding="utf-8")
    build(content, layouts, tmp_path / "site", tmp_path / ".cache")
    assert list(indexed(tmp_path / "site")) == ["2020", "2019"]
    assert os.path.isfile(tmp_path / "site/pagefind/2019/pagefind.js")


def test_a_build_with_search_after_builds_without_it_indexes_what_a_clean_build_indexes(tmp_path, copy_layouts):
    """Builds without search do not look at pages for search (their records say "not looked at"); the next build with
    search looks at the pages it keeps, so it indexes every page, edited or not, as a clean build does."""
    collection = Collection(tmp_path, random.Random(11), copy_layouts())
    site, cache_dir = tmp_path / "site", tmp_path / ".cache"
    build(collection.content, collection.layouts, site, cache_dir, search=False)
    assert not (site / search.ROOT).exists()
    path = collection.briefings()[3]
    path.write_text(path.read_text(encoding="utf-8") + "\nA quokka visited the ministry.\n", encoding="utf-8")
    build(collection.content, collection.layouts, site, cache_dir, search=False)
    build(collection.content, collection.layouts, site, cache_dir)
    clean = tmp_path / "clean"
    build(collection.content, collection.layouts, clean, tmp_path / "clean-cache", clean=True)
    assert indexed(site) == indexed(clean) and len(found(site, "quokka")) == 1
    before = inodes(site)
    build(collection.content, collection.layouts, site, cache_dir)  # the marks were kept: nothing to index again
    assert inodes(site) == before
