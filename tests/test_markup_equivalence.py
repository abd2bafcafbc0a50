"""Refusing what would stall changes nothing else: every body the renderer accepts comes out as stock Python-Markdown
with the same extensions writes it, whatever came before it."""
from __future__ import annotations

import random
import time
import subprocess
import sys
from pathlib import Path

import markdown
import pytest

from briefing import markup

ROOT = Path(__file__).resolve().parent.parent

TRICKY = [
    "*em* **strong** ***both*** **strong *nested em* strong** *em **nested strong** em*",
    "***a** b* and ***a* b** and **a *b*** and *a **b***",
    "**unclosed *em and `code **not strong**` here",
    "`**not bold**` and ``code with ` tick`` and ```triple``` and `unclosed",
    "\\`not code\\` \\*not em\\* \\_not em\\_ \\[not link\\] \\\\ \\# \\! \\< \\& \\q",
    "\\\\`code after escaped backslash` and \\\\\\`still escaped`",
    "<https://example.org/a?b=c&d=e> and <mailto:me@example.com> and <me@example.com> and <not a link>",
    "<span class=\"x\">raw *html*</span> <!-- comment *x* --> <?php echo 1; ?> <![CDATA[ *x* ]]> <br/> </closing>",
    "&amp; &copy; &#169; &#xA9; &notanentity; & alone &; &#; AT&T",
    "Text[^1] and[^note] and [^missing].\n\n[^1]: First *note*.\n[^note]: Second with `code`.",
    "[link](https://example.org \"Title *here*\") [link2](<url with spaces> 'single') [empty]() [x](y(z))",
    "[ref][1] [Ref] [ref][] [unknown][nope] ![img][1] ![alt](/a.png \"t\")\n\n[1]: https://example.org/ \"T\"\n[ref]: /ref",
    "line one  \nline two   \nline three\\\nline four \n",
    "snake_case_word and __init__ and _em_ and foo_bar_baz and 2*3*4 and a * b * c",
    "Unicode: café *naïve* **Zoë** — “quotes” ‘single’ «guillemets» 日本語 *強調* emoji 🎉 _ü_",
    "**[bold link](/x)** [*em link*](/y) [`code link`](/z) [**a**](/b \"*t*\")",
    "[outer [inner] text](/u) [a [b [c]]](/d) ![a ![b](/c)](/d)",
    "* item *em*\n* item **strong**\n\n1. one `code`\n2. two [l](/l)\n\n> quote *em*\n> more",
    "| a | *b* |\n|---|---|\n| `c|d` | [e](/f) |\n| &amp; | <em>x</em> |",
    "```python\n*not em* <b>\n```\n\n~~~\n`x`\n~~~\n\n    indented *code*",
    "# H1 *em*\n## H2 `code`\n### H3 [link](/x)\nSetext\n======\n\n---\n\n***\n\n___",
    "*a*b*c* _a_b_c_ *a*_b_ **a**b**c** __a__b__c__",
    "***\n*** text ***\n**** four **** ***** five *****",
    "<div>\n*block html*\n</div>\n\n<p markdown>x</p>",
    "a<b and c>d and <a href=\"x\">y</a> and <a href='x'>y</a> and < spaced >",
    "[^1]: orphan definition\n\nText[^1][^1] twice.",
    "\\*\\*escaped\\*\\* ** spaced ** * spaced * _ spaced _",
    "`a` `b` `c` *d* *e* *f* [g](/g) [h](/h) &amp; &amp; <i>x</i> <i>y</i>",
    "",
    "   \n\n  \t\n",
    "\x00 nul \x01 ctl \x02 stx \x03 etx \u2028 ls \ufeff bom",
]
ALPHABET = "*_[]()<>&\\`!^:\"   \n\nabcxyz"
TOKENS = [
    "*", "**", "***", "_", "__", "`", "``", "[", "]", "(", ")", "<", ">", "&", "\\", "!", "^", ":", "\"", "'",
    " ", " ", "  \n", "\n", "\n\n", "\n#", "- ", "___", "  >", "\n---\n", "word", "x", "é", "[^1]", "[^1]: ", "](",
    "![", "http://e.org/", "me@e.org",
    "&amp;", "&#65;", "<b>", "</b>", "<!--", "-->", "[1]: /u", "\\*", "\\`", "    ", "> ", "* ", "1. ", "#", "|", "---",
]


def stock(text: str) -> str:
    return markdown.Markdown(extensions=markup.EXTENSIONS, output_format="html").convert(text)


def assert_same(texts: list[str]):
    """Through one renderer in order, so any state it carried from one body to the next would show."""
    for text in texts:
        try:
            ours = markup.to_html(text)
        except markup.MarkupError:
            continue  # refused: never rendered differently
        assert ours == stock(text), repr(text)


def random_texts(seed: int, count: int, pieces: list[str] | str, longest: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, longest))) for _ in range(count)]


def read_variants(path: Path) -> list[str]:
    """The body a build converts, and the whole file read two ways as more input."""
    data = path.read_bytes()
    text = data.decode("utf-8", "replace")
    body = text.split("---", 2)[2] if text.count("---") >= 2 else text
    return [body, text, data.decode("latin-1")]


def test_tricky_inline_cases_render_as_stock():
    assert_same(TRICKY + ["\n\n".join(TRICKY), " ".join(TRICKY)])


def test_repository_markdown_files_render_as_stock():
    paths = sorted((ROOT / "tests").rglob("*.md")) + sorted((ROOT / "content").rglob("*.md"))
    assert any("bad-input" in str(p) for p in paths) and any("golden" in str(p) for p in paths)
    assert_same([text for path in paths for text in read_variants(path)])


def test_generated_corpus_renders_as_stock(tmp_path):
    generator = ROOT / "bench" / "gen_corpus.py"
    subprocess.run([sys.executable, str(generator), "--n", "100", "--out", str(tmp_path)], check=True, capture_output=True)
    paths = sorted(tmp_path.rglob("*.md"))
    assert len(paths) >= 100
    assert_same([path.read_text(encoding="utf-8").split("---", 2)[2] for path in paths])


@pytest.mark.parametrize("seed", [11, 12])
def test_random_markdownish_characters_render_as_stock(seed):
    assert_same(random_texts(seed, 1500, ALPHABET, 80))


@pytest.mark.parametrize("seed", [21, 22])
def test_random_markdownish_tokens_render_as_stock(seed):
    assert_same(random_texts(seed, 1000, TOKENS, 40))


def test_the_shortcut_is_in_use_and_costs_no_more_than_stock_on_hostile_runs():
    """markup.py skips inline patterns that cannot match (about 2x on real bodies); it must never be slower than stock
    where stock is linear, as it was when it looked for patterns again after every match (quadratic on runs of marks)."""
    fast = markdown.Markdown(extensions=[*markup.EXTENSIONS, markup._Prechecks()], output_format="html")
    assert type(fast.treeprocessors["inline"]) is markup._SkippingInlineProcessor, "the installed Python-Markdown is not the one tested"

    def seconds(md: markdown.Markdown, text: str) -> float:
        best = float("inf")
        for _ in range(3):
            md.reset()
            started = time.thread_time()  # CPU time: a busy machine stretches wall time, not this
            md.convert(text)
            best = min(best, time.thread_time() - started)
        return best

    plain = markdown.Markdown(extensions=markup.EXTENSIONS, output_format="html")
    for unit in ("_a", "`a", "a*", "\\", "*a", "&amp; ", "a_", "<b>x</b> "):
        text = unit * (40_000 // len(unit))
        assert seconds(fast, text) <= 2 * seconds(plain, text) + 0.05, unit


SUMMARY_PIECES = [
    "a", "Word", "é", "日本", "Zoë", " ", "  ", ".", ",", ";", ":", "!", "?", "'", "\"", "“", "”", "‘", "’", "(", ")", "-", "–",
    "—", "…", "%", "$", "€", "/", "+", "=", "#", "@", "1", "2024", "1. ", "- ", "* ", "> ", "# ", "\t", "\n", "\u00a0",
    "\u200d", "\x02", "*", "_", "`", "[", "]", "<", ">", "&", "|", "~", "\\", "    ", "---", "===", "http://e.org/x",
]


def assert_summary_shortcut_agrees(texts: list[str]) -> int:
    """render_inline's shortcut for plain summaries returns exactly what the full path (Markdown, nh3, rebase) does,
    or the full path's refusal; returns how many texts took the shortcut, so a test knows it exercised it."""
    taken = 0
    for text in texts:
        for attributes, base_path in (((), "/"), ((("span", ("lang",)),), "/news/")):
            try:
                full = markup._render_inline(text, attributes, base_path)
            except markup.MarkupError:
                full = None
            shortcut = text.isprintable() and markup._PLAIN_INLINE.fullmatch(text) is not None
            taken += shortcut
            try:
                assert markup.render_inline(text, attributes, base_path) == full, repr(text)
            except markup.MarkupError:
                assert full is None, repr(text)
    return taken


@pytest.mark.parametrize("seed", [31, 32])
def test_summary_shortcut_equals_the_full_path(seed):
    rng = random.Random(seed)
    texts = ["".join(rng.choice(SUMMARY_PIECES) for _ in range(rng.randint(0, 30))) for _ in range(800)]
    plainish = [c for c in SUMMARY_PIECES if c.isprintable() and markup._PLAIN_INLINE.fullmatch("a" + c + "a")]  # pieces the shortcut allows inside
    texts += [rng.choice(["A", "é", "“", "(", "'"]) + "".join(rng.choice(plainish) for _ in range(rng.randint(0, 40))) + rng.choice(["a", "."]) for _ in range(800)]
    assert assert_summary_shortcut_agrees(texts) >= 2 * 800


def test_summary_shortcut_takes_real_summaries_and_refuses_markup(tmp_path):
    generator = ROOT / "bench" / "gen_corpus.py"
    subprocess.run([sys.executable, str(generator), "--n", "60", "--out", str(tmp_path)], check=True, capture_output=True)
    import yaml

    summaries = [yaml.safe_load(p.read_text(encoding="utf-8").split("---", 2)[1]).get("summary") for p in sorted(tmp_path.rglob("briefings/**/*.md"))]
    summaries = [s for s in summaries if s]
    assert assert_summary_shortcut_agrees(summaries) >= 2 * 0.8 * len(summaries)  # most are plain words
    assert markup.render_inline("Rates *rise* again") == "Rates <em>rise</em> again"
    assert markup.render_inline("Tom & Jerry") == "Tom &amp; Jerry"
    assert markup.render_inline("A\u00a0B") == "A&nbsp;B"
