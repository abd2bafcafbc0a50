"""The benchmark corpus generator is deterministic and writes briefings our format accepts."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

GENERATOR = Path(__file__).resolve().parent.parent / "bench" / "gen_corpus.py"
BRIEFING_FIELDS = {"title", "author", "date", "tags", "summary", "updated", "source", "image",
                   "draft", "id", "aliases", "extra"}
TOPIC_FIELDS = {"title", "summary", "tags", "accent", "layout"}
AUTHOR_FIELDS = {"name", "role", "links", "photo"}


def generate(out: Path, n: int = 20) -> dict[str, bytes]:
    subprocess.run([sys.executable, str(GENERATOR), "--n", str(n), "--out", str(out), "--seed", "42"], check=True)
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def split(text: str) -> tuple[dict, str]:
    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(head), body


def words(markdown: str) -> int:
    text = re.sub(r"\]\([^)]*\)", "]", markdown)
    return sum(1 for token in text.split() if any(c.isalnum() for c in token))


def test_same_seed_and_size_give_byte_identical_trees(tmp_path):
    assert generate(tmp_path / "a") == generate(tmp_path / "b")


def test_briefings_have_valid_front_matter_and_600_to_900_words(tmp_path):
    files = generate(tmp_path / "c")
    topics = {split(files[p].decode())[0]["title"] for p in files if p.startswith("topics/")}
    briefings = [p for p in files if p.startswith("briefings/")]
    assert len(topics) == 12 and len(briefings) == 20
    for path in briefings:
        meta, body = split(files[path].decode("utf-8"))
        assert set(meta) <= BRIEFING_FIELDS, path
        assert isinstance(meta["title"], str) and isinstance(meta["summary"], str)
        assert meta["date"].utcoffset() is not None
        assert path.split("/")[1] == str(meta["date"].year)
        tags = meta["tags"]
        own = [t for t in tags if t not in topics]
        assert len(tags) - len(own) == 1 and 1 <= len(own) <= 6 and len(set(tags)) == len(tags), path
        assert 600 <= words(body) <= 900, (path, words(body))
        for marker in ("\n## ", "\n> ", "\n- ", "](https://"):
            assert marker in body, (path, marker)


def test_topics_list_their_own_name_among_their_tags(tmp_path):
    files = generate(tmp_path / "d", n=1)
    site = yaml.safe_load(files["site.yaml"])
    assert site["base_url"] == "https://bench.example.org/" and site["per_page"] == 20
    for path in (p for p in files if p.startswith("topics/")):
        meta, intro = split(files[path].decode())
        assert set(meta) <= TOPIC_FIELDS
        assert meta["title"] in meta["tags"] and 2 <= len(meta["tags"]) <= 4
        assert intro.strip()


def test_every_fourth_author_has_a_profile_named_as_the_briefings_name_them(tmp_path):
    from briefing.model import slugify

    files = generate(tmp_path / "f", n=100)
    authors = {split(files[p].decode())[0]["author"] for p in files if p.startswith("briefings/")}
    profiles = [p for p in files if p.startswith("authors/")]
    assert 8 <= len(profiles) <= 10
    for path in profiles:
        meta, bio = split(files[path].decode())
        assert set(meta) <= AUTHOR_FIELDS and meta["role"] and bio.strip()
        assert path == f"authors/{slugify(meta['name'])}.md"
    assert sum(1 for p in profiles if split(files[p].decode())[0]["name"] in authors) >= 6


def test_slugs_are_unique_within_each_year(tmp_path):
    files = generate(tmp_path / "e", n=300)
    stems = [p for p in files if p.startswith("briefings/")]
    assert len(stems) == 300  # a collision would have overwritten a file
    assert all(re.fullmatch(r"briefings/\d{4}/[a-z0-9]+(-[a-z0-9]+)*\.md", p) for p in stems)
