"""Names in any script get working slugs, files and URLs; two names never silently share one address."""
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

from briefing import pipeline
from briefing.model import slugify, spelling
from conftest import LAYOUTS, NOW, briefing_text, run_cli

TOPIC = "---\ntitle: {title}\nsummary: A topic.\ntags: [{tags}]\n---\n\nIntro.\n"


def build(root: Path, output: Path):
    return pipeline.build_site(pipeline.Options(content_dir=root, layouts_dir=LAYOUTS, output_dir=output, now=NOW, search=False))


def test_slugs_keep_the_letters_of_every_script_and_fold_latin_accents_as_before():
    assert slugify("東京の天気") == "東京の天気"
    assert slugify("Η Αθήνα σήμερα") == "η-αθήνα-σήμερα"
    assert slugify("القاهرة اليوم") == "القاهرة-اليوم"
    assert slugify("हिन्दी समाचार") == "हिन्दी-समाचार"  # the virama and vowel signs stay with their letters
    assert slugify("Café Zoë: We'll go to the U.N.") == "cafe-zoe-well-go-to-the-un"  # as before
    assert slugify("Łódź, Straße, Øresund") == "lodz-strasse-oresund"  # Latin letters no decomposition takes to ASCII
    assert len(slugify("日本語" * 40).encode()) <= 60  # bytes: a file name holds 255


def test_names_without_ascii_letters_build_pages_with_working_files_and_encoded_urls(make_content, tmp_path):
    root = make_content(
        {
            "topics/世界.md": TOPIC.format(title="世界", tags="日本, Ελλάδα"),
            "briefings/2020/東京の天気.md": briefing_text(title="東京の天気", author="山田 太郎", tags=("日本", "Ελλάδα", "مصر")),
        }
    )
    report = build(root, tmp_path / "site")
    assert report.ok, report.problems
    site = tmp_path / "site"
    for path in ("briefings/2020/東京の天気/index.html", "tags/日本/index.html", "tags/ελλάδα/index.html", "tags/مصر/index.html", "authors/山田-太郎/index.html", "topics/世界/index.html"):
        assert (site / path).is_file(), path
    sitemap = ElementTree.fromstring((site / "sitemap.xml").read_bytes())
    locs = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://example.org/tags/%E6%97%A5%E6%9C%AC/" in locs  # a URL, not an IRI
    assert all(loc.isascii() for loc in locs)
    for loc in locs:  # every address the sitemap gives opens a file the build wrote
        path = unquote(urlsplit(loc).path).lstrip("/")
        assert (site / path / "index.html").is_file() or (site / path).is_file(), loc
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert "<link>https://example.org/briefings/2020/%E6%9D%B1%E4%BA%AC%E3%81%AE%E5%A4%A9%E6%B0%97/</link>" in feed
    article = (site / "briefings/2020/東京の天気/index.html").read_text(encoding="utf-8")
    assert 'href="/tags/日本/"' in article and 'href="/authors/山田-太郎/"' in article  # browsers send these UTF-8 percent-encoded


def test_new_names_the_file_of_a_title_without_ascii_letters(make_content):
    root = make_content({})
    done = run_cli("new", "Η Αθήνα σήμερα", "--tags", "Ελλάδα", "--author", "Νίκος", "--date", "2021-03-04", "--content", str(root))
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()) == root / "briefings/2021/η-αθήνα-σήμερα.md"
    assert run_cli("check", "--content", str(root), "--layouts", str(LAYOUTS)).returncode == 0


def test_names_that_share_a_slug_but_not_a_spelling_are_an_error_naming_both_files(make_content, tmp_path):
    root = make_content(
        {
            "topics/languages.md": TOPIC.format(title="Languages", tags="C++"),
            "briefings/2020/a.md": briefing_text(title="A", tags=('"C++"',), author="Ann"),
            "briefings/2020/b.md": briefing_text(title="B", tags=('"C++"',), author="Ann"),
            "briefings/2020/c.md": briefing_text(title="C", tags=('"C#"',), author='"Ann!"'),
        }
    )
    report = build(root, tmp_path / "site")
    assert not report.ok and not (tmp_path / "site").exists()
    assert sorted((Path(p.path).name, p.line, p.field) for p in report.errors) == [("c.md", 3, "author"), ("c.md", 6, "tags")]
    tags_error = next(p for p in report.errors if p.field == "tags")
    assert "'C#' would share the address /tags/c/ with 'C++' (briefings/2020/a.md)" in tags_error.message


def test_two_names_of_one_briefing_that_share_an_address_are_an_error_and_one_name_twice_is_one(make_content, tmp_path):
    root = make_content({"briefings/2020/a.md": briefing_text(tags=('"C++"', '"C#"'), author="Ann")})
    report = build(root, tmp_path / "site")
    [error] = report.errors
    assert (Path(error.path).name, error.line, error.field) == ("a.md", 5, "tags") and "'C++' and 'C#' would share one address, /tags/c/" in error.message
    root = make_content({"briefings/2020/a.md": briefing_text(tags=("Harbours", "harbours"), author='[Ana Lima, "ana-lima", Ana Lima]')})
    report = build(root, tmp_path / "site2")
    assert report.ok, report.problems
    page = (tmp_path / "site2/briefings/2020/a/index.html").read_text(encoding="utf-8")
    assert page.count('href="/authors/ana-lima/"') == 1 and "ana-lima</a>" not in page


def test_a_topic_tag_spelled_otherwise_than_the_briefings_is_an_error_in_the_topic(make_content, tmp_path):
    root = make_content({"topics/money.md": TOPIC.format(title="Money", tags="R&D"), "briefings/2020/a.md": briefing_text(tags=("R-D",)), "briefings/2020/b.md": briefing_text(title="B", tags=("r d",))})
    [error] = build(root, tmp_path / "site").errors
    assert (Path(error.path).name, error.line, error.field) == ("money.md", 4, "tags")


def test_spellings_that_differ_in_case_spaces_hyphens_accents_or_dots_are_one_name(make_content, tmp_path):
    assert spelling("Human Rights") == spelling("human-rights") == spelling("HUMAN_RIGHTS")
    assert spelling("U.N.") == spelling("UN") and spelling("Zoë") == spelling("Zoe")
    assert spelling("C++") != spelling("C#") and spelling("R&D") != spelling("R-D")
    root = make_content({"briefings/2020/a.md": briefing_text(tags=('"Human Rights"',), author="Zoë Martin"), "briefings/2020/b.md": briefing_text(title="B", tags=("human-rights",), author="Zoe Martin")})
    report = build(root, tmp_path / "site")
    assert report.ok, report.problems
    assert (tmp_path / "site/tags/human-rights/index.html").is_file() and (tmp_path / "site/authors/zoe-martin/index.html").is_file()


def test_one_name_written_composed_and_decomposed_is_one_address_and_an_error(make_content, tmp_path):
    composed = "が"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    root = make_content({f"briefings/2020/{composed}.md": briefing_text(), f"briefings/2020/{decomposed}.md": briefing_text(title="Other")})
    [error] = build(root, tmp_path / "site").errors
    assert "/briefings/2020/が/ is already the address of briefings/2020/" in error.message
