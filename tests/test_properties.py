"""Property-based tests: front matter parsing never crashes, slugs stay in their alphabet, tag normalising is idempotent."""
import re
import unicodedata

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefing import content, frontmatter
from briefing.content import Markup
from briefing.errors import Problem
from briefing.model import SLUG_MAX, is_slug, slugify, tag_key


def in_slug_alphabet(slug: str) -> bool:
    """Words of lower-case letters (any script), marks and digits, joined by single hyphens: nothing a path or URL treats specially."""
    words = slug.split("-")
    return all(words) and all(c.isdigit() or unicodedata.category(c)[0] in "LMN" and c == c.casefold() for word in words for c in word)
YAMLISH = st.text(alphabet=st.sampled_from(list("ab: -\n\t[]{},'\"&*!|>#%@`?~\\\u2028\x85\x00é文\r\ufeff")), max_size=200)
FIELDS = st.dictionaries(
    st.sampled_from(["title", "author", "date", "tags", "summary", "image", "source", "draft", "aliases", "x"]),
    st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30), lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=10),
)


def _is_parse_result(result) -> bool:
    parsed, problems = result
    return (parsed is None and len(problems) >= 1 or isinstance(parsed, frontmatter.Parsed)) and all(isinstance(p, Problem) for p in problems)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(st.text(max_size=300))
@example("---\n---\n")
@example("---\na: &x [*x]\n---\n")
@example("---\n" + "[" * 300 + "\n---\n")
def test_parse_never_crashes_on_any_text(text):
    assert _is_parse_result(frontmatter.parse(text, "x.md"))


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(YAMLISH, st.text(max_size=50))
def test_parse_never_crashes_on_yaml_like_front_matter(yaml_text, body):
    assert _is_parse_result(frontmatter.parse(f"---\n{yaml_text}\n---\n{body}", "x.md"))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(st.binary(max_size=300))
def test_any_bytes_become_a_briefing_or_located_problems(raw):
    briefing, problems = content.load_briefing("briefings/2020/x.md", raw, "UTC", Markup())
    assert briefing is not None or [p for p in problems if p.severity == "error"]
    assert all(p.path == "briefings/2020/x.md" and p.line >= 1 and "\n" not in str(p) for p in problems)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(FIELDS)
def test_any_yaml_values_in_any_field_are_converted_or_refused_with_a_hint(fields):
    import yaml

    text = "---\n" + yaml.safe_dump(fields, allow_unicode=True) + "---\n\nBody.\n"
    briefing, problems = content.load_briefing("briefings/2020/x.md", text.encode("utf-8"), "UTC", Markup())
    errors = [p for p in problems if p.severity == "error"]
    assert (briefing is None) == bool(errors)
    assert all(p.hint for p in errors)


@settings(database=None)  # no .hypothesis/ folder in the repo: examples that matter are written out with @example
@given(st.text())
@example("Mexico: We’ll Go to the U.N.")
@example("-" * 100)
@example("ǅ" * 70)
@example("a" * 200)
@example("東京" * 40)
@example("ƀ")
@example("ǅ")
def test_slugify_stays_in_its_alphabet_and_length(text):
    slug = slugify(text)
    assert slug == "" or in_slug_alphabet(slug) and is_slug(slug)
    assert len(slug.encode()) <= SLUG_MAX


@settings(database=None)
@given(st.text())
@example("Human Rights")
@example("ß")
@example("İ")
def test_tag_key_is_idempotent(name):
    key = tag_key(name)
    assert tag_key(key) == key
    assert key == "" or in_slug_alphabet(key)



@settings(database=None, max_examples=40, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 140), st.integers(2, 40))
def test_related_ranking_equals_a_full_sort_of_every_candidate(seed, count, tag_count):
    """routes._rank makes tuples only for briefings that score at least the fifth-best score; the result must be the
    full sort's, ties (same tags, same distance) included. Few enough briefings that no tag is common (no windowing)."""
    import math
    import random
    from collections import defaultdict
    from types import SimpleNamespace

    from briefing import routes

    rng = random.Random(seed)
    keys = [f"t{i}" for i in range(tag_count)]
    places = [SimpleNamespace(path=f"b{i:04d}", tag_keys=tuple(sorted(set(rng.choices(keys, weights=[1 / (k + 1) for k in range(tag_count)], k=rng.randint(1, 5)))))) for i in range(count)]
    by_tag = defaultdict(list)
    for place in places:
        for key in place.tag_keys:
            by_tag[key].append(place)
    assert all(len(members) <= 4 * routes.NEIGHBOURS for members in by_tag.values())
    got = routes._rank(SimpleNamespace(places=tuple(places)), SimpleNamespace(by_tag=dict(by_tag)), None)
    idf = {key: math.log(1 + count / len(members)) for key, members in by_tag.items()}
    for here, place in enumerate(places):
        scores = {other: sum(idf[k] for k in place.tag_keys if k in places[other].tag_keys) for other in range(count) if other != here}  # summed in _rank's order
        best = sorted((-s, abs(other - here), places[other].path) for other, s in scores.items() if set(place.tag_keys) & set(places[other].tag_keys))
        assert [path for path, _ in got[place.path]] == [path for _, _, path in best[: routes.RELATED_MAX]]


HTMLISH = st.lists(st.sampled_from(["a", "b", " ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u2003", "\u2028", "\u3000", "\u200b", "\ufeff", "&nbsp;", "&amp;", "&#x2028;", "<p>", "</p>", "<br>", "<a href='x'>", "<"]), max_size=40).map("".join)


@settings(max_examples=2000, database=None)
@given(HTMLISH)
def test_plain_text_and_word_count_are_the_whitespace_collapsed_text(fragment):
    """The plain text of HTML: tags as spaces, entities decoded, every run of Unicode whitespace one space, no ends."""
    from briefing import markup

    import html

    reference = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()
    assert markup.plain_text(fragment) == reference
    assert markup.word_count(fragment) == len(reference.split())
