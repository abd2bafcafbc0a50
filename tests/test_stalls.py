"""No body stalls a build: Markdown renders in time linear in its size, or is refused with a located error naming
the construct; a render that fails leaves nothing behind for the next body."""
from __future__ import annotations

import multiprocessing
import random
import statistics
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing import content, markup
from briefing.content import Markup
from conftest import briefing_text

# Runs of these make Python-Markdown's work grow with the square of their length (issue 15 and markup.py).
STALLS = ["[", "[a](", "_a", "<div>", "*a", "`a", "a_", "\\", "&amp;", "![", "<a ", "[^", "[a][", "<![CDATA[", "<http://", "***a*", "</div>", '<a x="']
# Shapes that are linear anyway, mixed in so that the bodies look more like text.
PLAIN = ["word ", "a\n\n", "- item\n", "> quote\n", "**bold** ", "[link](/x) ", "`code` ", "<b>b</b> ", "# Head\n\n"]
SLOWEST = 2.0  # seconds: no body in these tests may take longer, refused or rendered


def render_seconds(body: str, repeat: int = 1) -> tuple[float, markup.MarkupError | None]:
    """The median CPU time of `repeat` renders, and the refusal if the body was refused. CPU time of this thread, not
    wall time: other work on a shared machine (a parallel CI job) stretches the wall clock by any factor, not this."""
    times, refused = [], None
    for _ in range(repeat):
        started = time.thread_time()
        try:
            markup.to_html(body)
        except markup.MarkupError as exc:
            refused = exc
        times.append(time.thread_time() - started)
    return statistics.median(times), refused


def body_of(units: list[str], size: int, seed: int) -> str:
    rng = random.Random(seed)
    pieces, length = ["Text "], 5
    while length < size:
        piece = rng.choice(units)
        pieces.append(piece)
        length += len(piece)
    return "".join(pieces)


@pytest.mark.parametrize("unit", STALLS)
def test_a_long_run_of_a_stall_construct_is_refused_quickly_on_its_line(unit):
    body = "A first paragraph.\n\nA second one.\n\nText " + unit * (65536 // len(unit))
    seconds, refused = render_seconds(body)
    assert seconds < SLOWEST
    assert refused is not None and refused.line == 5, unit
    assert "growing with the square" in refused.message and refused.hint


@settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(STALLS), min_size=1, max_size=3), st.lists(st.sampled_from(PLAIN), max_size=2), st.integers(0, 1000))
def test_render_time_grows_at_most_linearly_with_the_body_or_it_is_refused(stalls, plain, seed):
    small, large = body_of(stalls + plain, 4_000, seed), body_of(stalls + plain, 32_000, seed)
    small_seconds, _ = render_seconds(small, repeat=3)
    large_seconds, refused = render_seconds(large)
    assert large_seconds < SLOWEST
    if refused is None:
        # eight times the size: linear is 8x the time, quadratic 64x; the margin absorbs a noisy shared machine
        assert large_seconds < 8 * 4 * small_seconds + 0.1, (stalls, plain, small_seconds, large_seconds)
    else:
        assert 1 <= refused.line <= large.count("\n") + 1


def test_the_cost_estimate_does_not_undershoot_a_stall_it_lets_through():
    # A run just inside the allowance renders within the time the allowance promises: the weights are not too low.
    for unit in ["[", "<a ", "*a", "&amp;", "\\"]:
        for size in (2_000, 4_000, 8_000, 16_000):
            body = "Text " + unit * (size // len(unit))
            seconds, refused = render_seconds(body)
            if refused is None:
                allowance = (markup.PER_CHAR * len(body) + markup.BASE) / 1e9
                assert seconds < 3 * allowance + 0.2, (unit, size, seconds)


def test_real_briefings_stay_far_below_their_allowance():
    long_article = "\n\n".join(f"Paragraph {i} with *emphasis*, a [link](https://example.org/{i}), `code` & an entity &amp; <b>tag</b>." for i in range(3000))
    listing = "\n".join(f"- item {i}: **bold** [link](/x/{i}) `c`" for i in range(5000))
    for body in (long_article, listing):
        seconds, refused = render_seconds(body)
        assert refused is None
        # a noisy shared machine can stretch any wall time, so the bound is relative: an eighth of the body, timed
        # beside it, scaled linearly with the usual margin (quadratic work would be 64 times, not 8)
        eighth, _ = render_seconds(body[: len(body) // 8], repeat=3)
        assert seconds < 8 * 4 * eighth + 0.1, (seconds, eighth)


def test_lists_nested_beyond_the_limit_are_refused_at_the_line_that_goes_too_deep():
    body = "Intro.\n\n" + "- " * (markup.MAX_DEPTH + 1) + "x\n"
    with pytest.raises(markup.MarkupError) as refused:
        markup.to_html(body)
    assert refused.value.line == 3 and "nested more than 50 levels" in refused.value.message
    indented = "\n".join("    " * level + "- x" for level in range(markup.MAX_DEPTH + 5))
    with pytest.raises(markup.MarkupError) as refused:
        markup.to_html(indented)
    assert refused.value.line == markup.MAX_DEPTH + 1  # its 51st line is the 51st level
    markup.to_html("- " * markup.MAX_DEPTH + "x")  # the limit itself renders


def _fail_then_render(normal: str) -> tuple[str, str]:
    """In one worker: a body that makes Python-Markdown raise part way (recursion runs out), then a normal body."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(120)  # so that a nesting the guard allows runs out of stack inside Python-Markdown
    try:
        markup.to_html("- " * 40 + "x\n\n> *quoted*\n")
        failure = "rendered"
    except markup.MarkupError as exc:
        failure = exc.message
    finally:
        sys.setrecursionlimit(limit)
    return failure, markup.to_html(normal)


def test_a_failed_render_leaves_nothing_behind_for_the_next_body_in_the_same_worker():
    normal = "A *normal* body with a [link](/x).\n\n- one\n- two\n"
    with multiprocessing.get_context("fork").Pool(1) as pool:  # as the build's workers run
        failure, html = pool.apply(_fail_then_render, (normal,))
    assert failure == "the text is nested too deeply for the Markdown renderer"
    assert html == markup.to_html(normal) == '<p>A <em>normal</em> body with a <a href="/x">link</a>.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>'


def test_a_refused_body_is_a_located_error_of_its_briefing(tmp_path):
    raw = briefing_text(body="Fine first paragraph.\n\n" + "[" * 30_000).encode()
    briefing, problems = content.load_briefing("briefings/2020/x.md", raw, "UTC", Markup())
    assert briefing is None
    assert [(p.line, p.field) for p in problems] == [(11, "body")]  # the line of the brackets
    assert "'[' without a matching ']'" in problems[0].message


# The shortcuts that keep the guard cheap for ordinary bodies must never change its answer.
NESTING = st.text(alphabet=" \t>*+-0123456789.)x\n", max_size=400)


@settings(max_examples=400, deadline=None)
@given(NESTING, st.integers(min_value=0, max_value=60))
def test_the_nesting_shortcut_answers_as_the_line_by_line_walk(text, depth):
    body = text + "\n" + "".join(random.Random(depth).choice(["> ", "- ", "1. ", "    ", "\t", "* "]) for _ in range(depth)) + "x"
    walked = _walk_nesting(body)
    found = markup._too_deep(body)
    assert (found and (found.line, found.message)) == (walked and (walked.line, walked.message))


def _walk_nesting(source: str):
    original = markup._DEEP_RUN
    try:
        markup._DEEP_RUN = type("Always", (), {"search": staticmethod(lambda s: True)})  # force the full walk
        return markup._too_deep(source)
    finally:
        markup._DEEP_RUN = original


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab *_`\\&<[]()", max_size=300))
def test_the_inline_bound_is_never_below_the_exact_cost(text):
    assert markup._inline_bound(text) >= markup._inline_cost(text)[0]


def test_a_body_whose_bound_passes_the_allowance_is_still_judged_exactly():
    # Many marks in one long paragraph: the bound is far over the allowance, the exact cost is not, so it renders.
    body = "word [link](/x) " * 4000
    assert sum(markup._inline_bound(t) for t in [body]) > markup.PER_CHAR * len(body) + markup.BASE
    assert markup.to_html(body).startswith("<p>word <a")
