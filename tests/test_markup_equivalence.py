"""The fast Markdown converter gives byte-identical HTML to the stock Python-Markdown pipeline, for any input."""
from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from markdown import inlinepatterns, treeprocessors

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


def stock_converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=markup.EXTENSIONS, output_format="html")


def convert(converter: markdown.Markdown, text: str) -> str:
    """The HTML, or the error: an input that makes the stock converter raise must make the fast one raise alike."""
    converter.reset()
    try:
        return converter.convert(text)
    except Exception as error:  # noqa: BLE001 - compared, not hidden
        return f"raised {type(error).__name__}: {error}"


def assert_same(texts: list[str], fast: markdown.Markdown | None = None, stock: markdown.Markdown | None = None):
    """Run the same texts in the same order through both converters, so any state they carry is alike too."""
    fast, stock = fast or markup._converter(), stock or stock_converter()
    for text in texts:
        assert convert(fast, text) == convert(stock, text), repr(text)


def random_texts(seed: int, count: int, pieces: list[str] | str, longest: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, longest))) for _ in range(count)]


def read_variants(path: Path) -> list[str]:
    """The body a build converts, and the whole file read two ways as more input (cut short where it is long:
    deeply-nested.md's 20,000 brackets take Python-Markdown itself minutes)."""
    data = path.read_bytes()
    text = data.decode("utf-8", "replace")
    body = text.split("---", 2)[2] if text.count("---") >= 2 else text
    return [body] + [whole if len(whole) <= 5000 else whole[:2000] for whole in (text, data.decode("latin-1"))]


def test_the_fast_inline_pass_is_in_use_and_knows_every_stock_pattern():
    converter = markup._converter()
    assert type(converter.treeprocessors["inline"]) is markup._SkippingInlineProcessor
    for name, (cls, _, _, _) in markup._BLOCK_PRECHECKS.items():
        assert type(converter.parser.blockprocessors[name]) is markup._FAST_CLASSES[cls]
    unknown = [type(p).__name__ for p in converter.inlinePatterns if markup._triggers(p) is None]
    assert unknown == [], "a Markdown upgrade changed these regexes: they now always run; update _TRIGGERS"


def test_reshaped_internals_fall_back_to_the_stock_converter(monkeypatch):
    monkeypatch.setattr(markup, "_internals_as_tested", lambda: False)
    assert type(markup._converter.__wrapped__().treeprocessors["inline"]) is treeprocessors.InlineProcessor


def test_a_changed_block_regex_keeps_the_stock_block_processor(monkeypatch):
    cls, _, priority, triggers = markup._BLOCK_PRECHECKS["quote"]
    monkeypatch.setitem(markup._BLOCK_PRECHECKS, "quote", (cls, r"(^|\n)>", priority, triggers))
    assert type(markup._converter.__wrapped__().parser.blockprocessors["quote"]) is cls


def test_a_block_regex_never_matches_a_block_without_its_triggers():
    texts = random_texts(3, 3000, ALPHABET + "#-", 60) + random_texts(4, 3000, TOKENS, 30) + TRICKY
    for name, (cls, _, _, triggers) in markup._BLOCK_PRECHECKS.items():
        for text in texts:
            stripped = "".join(c for c in text if c not in "".join(triggers))
            assert markup._block_regex(cls).search(stripped) is None, (name, stripped)


def test_a_pattern_never_matches_text_without_its_triggers():
    texts = random_texts(1, 3000, ALPHABET, 60) + random_texts(2, 3000, TOKENS, 30) + TRICKY
    for pattern in markup._converter().inlinePatterns:
        triggers = markup._triggers(pattern) or ()
        for text in texts if triggers else ():
            for stripped in (text, "".join(c for c in text if c not in "".join(triggers))):
                if not any(t in stripped for t in triggers):
                    assert pattern.compiled_re.search(stripped) is None, (type(pattern).__name__, stripped)


def test_unknown_patterns_always_run():
    assert markup._triggers(inlinepatterns.SimpleTextInlineProcessor(r"x+")) is None
    assert markup._triggers(inlinepatterns.SimpleTextInlineProcessor(r"\n")) is None
    assert markup._triggers(inlinepatterns.SimpleTextInlineProcessor(r"\*|")) is None
    assert markup._triggers(inlinepatterns.SimpleTextInlineProcessor(r"\*|_|\~\~")) == ("*", "_", "~~")


def test_tricky_inline_cases_render_identically():
    assert_same(TRICKY + ["\n\n".join(TRICKY), " ".join(TRICKY)])


def test_repository_markdown_files_render_identically():
    paths = sorted((ROOT / "tests").rglob("*.md")) + sorted((ROOT / "content").rglob("*.md"))
    assert any("bad-input" in str(p) for p in paths) and any("golden" in str(p) for p in paths)
    assert_same([text for path in paths for text in read_variants(path)])


def test_generated_corpus_renders_identically(tmp_path):
    generator = ROOT / "bench" / "gen_corpus.py"
    subprocess.run([sys.executable, str(generator), "--n", "200", "--out", str(tmp_path)], check=True, capture_output=True)
    paths = sorted(tmp_path.rglob("*.md"))
    assert len(paths) >= 200
    assert_same([path.read_text(encoding="utf-8").split("---", 2)[2] for path in paths])


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_random_markdownish_characters_render_identically(seed):
    assert_same(random_texts(seed, 2000, ALPHABET, 80))


@pytest.mark.parametrize("seed", [21, 22, 23])
def test_random_markdownish_tokens_render_identically(seed):
    assert_same(random_texts(seed, 1500, TOKENS, 40))


def test_extra_extensions_patterns_still_run_and_match_stock():
    extensions = [*markup.EXTENSIONS, "smarty", "nl2br", "legacy_em"]
    fast = markdown.Markdown(extensions=[*extensions, markup._Prechecks()], output_format="html")
    stock = markdown.Markdown(extensions=extensions, output_format="html")
    assert type(fast.treeprocessors["inline"]) is markup._SkippingInlineProcessor
    assert_same(TRICKY + random_texts(31, 1500, TOKENS + ["--", "...", "<<", ">>", "'"], 40), fast, stock)
