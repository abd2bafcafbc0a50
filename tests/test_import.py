"""The importer: raw scraped text and saved HTML become briefings the validator accepts."""
from __future__ import annotations

import shutil
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml

from briefing.importer import ImportOptions, ImportResult, import_articles

FIXTURES = Path(__file__).parent / "import-fixtures"
REPO = Path(__file__).parent.parent
SEED_BRIEFING = REPO / "content/briefings/2017/mexico-well-go-to-the-un-to-defend-human-rights-of-mexicans.md"
SEED_TAGS = ("Immigration,Human Rights,US-Mexico Relations,United Nations,Deportation",)
ALLOWED = {"title", "author", "date", "tags", "summary", "updated", "source", "image", "draft", "id", "aliases", "extra"}

BODY = (
    "The first paragraph of the story says what happened, where it happened and who said so, at some length.\n\n"
    "A second paragraph adds the reaction of the people it happened to, and a quote or two from them.\n"
)
TOPICS = {
    "immigration": "[Immigration, Deportation]",
    "human-rights": "[Human Rights, United Nations]",
    "us-mexico-relations": "[US-Mexico Relations]",
}


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A small content tree like the repository's: site settings and three topics, no briefings yet."""
    root = tmp_path / "content"
    (root / "topics").mkdir(parents=True)
    (root / "briefings").mkdir()
    (root / "site.yaml").write_text(
        "title: Test\ndescription: A test site.\nbase_url: https://example.org/\ntimezone: America/New_York\n", encoding="utf-8"
    )
    for slug, tags in TOPICS.items():
        (root / "topics" / f"{slug}.md").write_text(f"---\ntitle: {slug}\nsummary: About {slug}.\ntags: {tags}\n---\n\nIntro.\n", encoding="utf-8")
    return root


def source(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / "in" / name
    path.parent.mkdir(exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def run(paths: list[Path], content: Path, **options) -> list[ImportResult]:
    options.setdefault("tags", ("Testing",))
    return import_articles(paths, ImportOptions(content_dir=content, **options))


def one(tmp_path: Path, content: Path, text: str | bytes, name: str = "story.txt", **options) -> ImportResult:
    [result] = run([source(tmp_path, name, text)], content, **options)
    return result


def meta(result: ImportResult) -> dict:
    """The front matter of a result, checked against the fields the site's validator accepts."""
    assert not result.problems, result.problems
    head, fence, body = result.text.removeprefix("---\n").partition("\n---\n\n")
    assert fence and result.text.startswith("---\n") and result.text.endswith("\n")
    data = yaml.safe_load(head)
    assert set(data) <= ALLOWED
    assert isinstance(data["title"], str) and data["title"]
    assert isinstance(data["author"], (str, list))
    assert isinstance(data["date"], (date, datetime))
    assert data["tags"] and all(isinstance(tag, str) for tag in data["tags"])
    assert len(data["source"]["sha256"]) == 64
    assert set(data["source"]) <= {"name", "url", "published", "sha256"}
    assert set(data.get("image", {})) <= {"src", "alt", "caption", "credit"}
    data["body"] = body
    return data


def article(byline: str, body: str = BODY, title: str = "Ministers Meet on the Border") -> str:
    return f"{title}\n\n{byline}\n\n{body}"


# --- The seed ---------------------------------------------------------------------------------------


def test_seed_import_reproduces_the_committed_briefing_byte_for_byte(tmp_path, content):
    result = one(tmp_path, content, (FIXTURES / "seed-mexico-un.txt").read_bytes(), tags=SEED_TAGS)
    assert result.output == content / "briefings/2017/mexico-well-go-to-the-un-to-defend-human-rights-of-mexicans.md"
    assert result.text == SEED_BRIEFING.read_text(encoding="utf-8")
    assert result.output.read_text(encoding="utf-8") == result.text


def test_seed_without_tags_gets_the_topic_tags_its_text_names(tmp_path, content):
    data = meta(one(tmp_path, content, (FIXTURES / "seed-mexico-un.txt").read_bytes(), tags=()))
    assert data["tags"] == ["Human Rights", "United Nations", "Immigration"]
    assert "mrc merch" not in data["body"] and "Font Size" not in data["body"]
    assert data["body"].startswith("Mexico’s foreign minister says")


# --- Bylines and dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "byline, author, when",
    [
        ("Susan Jones | February 24, 2017 | 4:27am EST", "Susan Jones", "2017-02-24T04:27:00-05:00"),
        ("By Ana Lima | March 3, 2018 | 10:15 PM PST", "Ana Lima", "2018-03-03T22:15:00-08:00"),
        ("Ana Lima\nFeb. 24, 2017 4:27 a.m. EST", "Ana Lima", "2017-02-24T04:27:00-05:00"),
        ("By Ana Lima\n24 February 2017, 16:05 GMT", "Ana Lima", "2017-02-24T16:05:00+00:00"),
        ("Ana Lima | 2017-02-24T09:30:00+01:00", "Ana Lima", "2017-02-24T09:30:00+01:00"),
        ("By Jean-Luc O’Neill, Friday, Sept. 5, 2019 at 9:00 am CDT", "Jean-Luc O’Neill", "2019-09-05T09:00:00-05:00"),
        ("June 1, 2020 | 8:00 PM EDT\nBy Ana Lima", "Ana Lima", "2020-06-01T20:00:00-04:00"),
    ],
)
def test_byline_forms_give_author_and_offset_date(tmp_path, content, byline, author, when):
    data = meta(one(tmp_path, content, article(byline)))
    assert data["author"] == author
    assert data["date"].isoformat() == when
    assert "Ana Lima" not in data["body"] and "2017" not in data["body"]


@pytest.mark.parametrize("byline, day", [("Ana Lima | 2017-02-24", "2017-02-24"), ("By Ana Lima | 24 February 2017", "2017-02-24"), ("Ana Lima | Sept. 5, 2019", "2019-09-05")])
def test_a_date_without_time_is_written_as_just_the_date(tmp_path, content, byline, day):
    result = one(tmp_path, content, article(byline))
    assert f"\ndate: {day}\n" in result.text
    assert meta(result)["date"] == date.fromisoformat(day)


def test_a_sentence_mentioning_a_date_is_body_not_a_byline(tmp_path, content):
    body = "On February 24, 2017, ministers met in the capital.\n\nThey talked for an hour.\n"
    refused = one(tmp_path, content, f"Ministers Meet\n\n{body}")
    assert {p.field for p in refused.problems} == {"author", "date"}
    data = meta(one(tmp_path, content, f"Ministers Meet\n\n{body}", author="Ana Lima", date="2017-02-24"))
    assert data["body"] == body and data["date"] == date(2017, 2, 24)


def test_several_authors_become_a_list(tmp_path, content):
    data = meta(one(tmp_path, content, article("By Ana Lima and Tom Berg | July 4, 2019 | 9:00 AM EDT")))
    assert data["author"] == ["Ana Lima", "Tom Berg"]


@pytest.mark.parametrize(
    "stamp, offset",
    [
        ("January 10, 2019 | 9:00 AM EST", "-05:00"), ("July 10, 2019 | 9:00 AM EDT", "-04:00"),
        ("July 10, 2019 | 9:00 AM CDT", "-05:00"), ("January 10, 2019 | 9:00 AM CST", "-06:00"),
        ("July 10, 2019 | 9:00 AM MDT", "-06:00"), ("July 10, 2019 | 9:00 AM PDT", "-07:00"),
        ("July 10, 2019 | 9:00 AM AKDT", "-08:00"), ("July 10, 2019 | 9:00 AM HST", "-10:00"),
        ("July 10, 2019 | 9:00 AM BST", "+01:00"), ("July 10, 2019 | 9:00 AM CEST", "+02:00"),
        ("January 10, 2019 | 9:00 AM CET", "+01:00"), ("July 10, 2019 | 9:00 AM EEST", "+03:00"),
        ("July 10, 2019 | 9:00 AM IST", "+05:30"), ("July 10, 2019 | 9:00 AM JST", "+09:00"),
        ("January 10, 2019 | 9:00 AM AEDT", "+11:00"), ("July 10, 2019 | 9:00 AM UTC", "+00:00"),
        ("July 10, 2019 | 9:00 AM ET", "-04:00"), ("January 10, 2019 | 9:00 AM ET", "-05:00"),
        ("July 10, 2019 | 9:00 GMT+5:30", "+05:30"),
    ],
)
def test_timezone_abbreviations_become_utc_offsets(tmp_path, content, stamp, offset):
    data = meta(one(tmp_path, content, article(f"Ana Lima | {stamp}")))
    assert data["date"].isoformat().endswith(offset)
    assert data["date"].hour == 9


@pytest.mark.parametrize("stamp, site_zone, expected", [
    ("July 10, 2019 9:00 AM", "America/New_York", "2019-07-10T09:00:00-04:00"),
    ("January 10, 2019 9:00 AM", "America/New_York", "2019-01-10T09:00:00-05:00"),
    ("July 10, 2019 9:00 AM", "Europe/Berlin", "2019-07-10T09:00:00+02:00"),
])
def test_a_time_without_timezone_takes_the_site_timezone_for_that_date(tmp_path, content, stamp, site_zone, expected):
    site = content / "site.yaml"
    site.write_text(site.read_text().replace("America/New_York", site_zone))
    assert meta(one(tmp_path, content, article(f"Ana Lima | {stamp}")))["date"].isoformat() == expected


# --- Junk, captions, datelines ----------------------------------------------------------------------


def test_scraper_junk_lines_are_removed_wherever_they_stand(tmp_path, content):
    text = (
        "Skip to content\nMinisters Meet on the Border\nShare this:\nAna Lima | May 2, 2019 | 1:00 pm EDT\nFont Size\nPrint\n\n"
        "The first paragraph of the story says what happened, and where.\n\nAdvertisement\n\nTWEET\n\n"
        "A second paragraph mentions an Advertisement campaign in a sentence, which stays.\n\nRelated:\n\nEmail\n\n"
        "The last paragraph ends the story.\n\nShop our new merch store\n"
    )
    data = meta(one(tmp_path, content, text))
    assert data["title"] == "Ministers Meet on the Border"
    assert data["body"] == (
        "The first paragraph of the story says what happened, and where.\n\n"
        "A second paragraph mentions an Advertisement campaign in a sentence, which stays.\n\n"
        "The last paragraph ends the story.\n"
    )


def test_site_drop_lines_extend_the_built_in_junk(tmp_path, content):
    with (content / "site.yaml").open("a") as site:
        site.write("import:\n  drop_lines:\n    - Support independent journalism\n    - 'Listen:'\n")
    body = "Support Independent Journalism\n\nThe story itself is this paragraph, and it is kept.\n\nlisten\n"
    assert meta(one(tmp_path, content, article("Ana Lima | May 2, 2019", body)))["body"] == "The story itself is this paragraph, and it is kept.\n"


@pytest.mark.parametrize("line, caption, credit", [
    ("Ministers meet in Mexico City on Thursday. (Photo: Foreign Ministry of Mexico)", "Ministers meet in Mexico City on Thursday.", "Foreign Ministry of Mexico"),
    ("The border fence near Tijuana. (AP Photo/Gregory Bull)", "The border fence near Tijuana.", "AP Photo/Gregory Bull"),
    ("Delegates arrive in Geneva. (Image: UN Photo)", "Delegates arrive in Geneva.", "UN Photo"),
    ("The minister speaks. (Photo by Ana Lima)", "The minister speaks.", "Ana Lima"),
])
def test_a_photo_caption_line_becomes_image_caption_and_credit(tmp_path, content, line, caption, credit):
    data = meta(one(tmp_path, content, article("Ana Lima | May 2, 2019", f"{line}\n\n{BODY}")))
    assert data["image"] == {"caption": caption, "credit": credit}
    assert caption not in data["body"] and data["body"].startswith("The first paragraph")


def test_an_empty_dateline_is_removed_and_names_no_source(tmp_path, content):
    data = meta(one(tmp_path, content, article("Ana Lima | May 2, 2019", "( – Talks began on Monday in the capital.\n")))
    assert data["body"] == "Talks began on Monday in the capital.\n"
    assert data["source"].keys() == {"sha256"}


@pytest.mark.parametrize("opening", ["(CNSNews.com) – ", "(CNSNews.com) — ", "(CNSNews.com) - ", "WASHINGTON (CNSNews.com) — ", "LONDON, March 3 (CNSNews.com) - "])
def test_a_named_dateline_agency_becomes_the_source_name(tmp_path, content, opening):
    data = meta(one(tmp_path, content, article("Ana Lima | May 2, 2019", f"{opening}Talks began on Monday in the capital.\n")))
    assert data["body"] == "Talks began on Monday in the capital.\n"
    assert data["source"]["name"] == "CNSNews.com"


def test_source_flags_override_the_dateline_agency(tmp_path, content):
    result = one(tmp_path, content, article("Ana Lima | May 2, 2019", "(AP) – Talks began.\n"), source_name="The Daily", source_url="https://daily.example/talks")
    assert meta(result)["source"] == {"name": "The Daily", "url": "https://daily.example/talks", "sha256": meta(result)["source"]["sha256"]}


def test_paragraphs_and_typographic_quotes_are_kept_and_markdown_marks_escaped(tmp_path, content):
    body = "“We’ll go,” she said — ‘soon’.\n\nA *star* and snake_case and <b>tags</b> are text.\n\n# not a heading\n\n1. not a list\n"
    data = meta(one(tmp_path, content, article("Ana Lima | May 2, 2019", body)))
    assert data["body"] == (
        "“We’ll go,” she said — ‘soon’.\n\nA \\*star\\* and snake\\_case and &lt;b>tags&lt;/b> are text.\n\n"
        "\\# not a heading\n\n1\\. not a list\n"
    )


def test_hard_wrapped_paragraphs_are_joined(tmp_path, content):
    body = "The minister spoke for an hour about the agreement and what\nit would mean for the families on both sides of the border.\n\nShort line one.\nShort line two.\n"
    data = meta(one(tmp_path, content, article("Ana Lima | May 2, 2019", body)))
    assert data["body"] == (
        "The minister spoke for an hour about the agreement and what it would mean for the families on both sides of the border.\n\n"
        "Short line one.\n\nShort line two.\n"
    )


# --- Encodings --------------------------------------------------------------------------------------


def test_windows_1252_text_is_decoded_without_mojibake(tmp_path, content):
    raw = article("Ana Lima | May 2, 2019", "\x93Caf\xe9 talks,\x94 she said \x96 and left.\n").encode("latin-1")
    result = one(tmp_path, content, raw)
    assert meta(result)["body"] == "“Café talks,” she said – and left.\n"
    assert result.output.read_bytes().decode("utf-8") == result.text


def test_a_utf8_bom_and_crlf_line_ends_are_normalised(tmp_path, content):
    raw = b"\xef\xbb\xbf" + article("Ana Lima | May 2, 2019").replace("\n", "\r\n").encode("utf-8")
    result = one(tmp_path, content, raw)
    assert meta(result)["title"] == "Ministers Meet on the Border"
    assert "\r" not in result.text


@pytest.mark.parametrize("raw, words", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    (b"Title\n\nAna Lima | May 2, 2019\n\nBad \x81\x8d bytes \xff\xfe here.\n", "neither UTF-8 nor Windows-1252"),
    (b"  \n\n", "empty"),
])
def test_undecodable_or_binary_input_is_refused(tmp_path, content, raw, words):
    result = one(tmp_path, content, raw)
    assert result.output is None and result.text == ""
    assert words in result.problems[0].message
    assert not list((content / "briefings").rglob("*.md"))


# --- Saved HTML -------------------------------------------------------------------------------------


def test_html_page_gives_meta_figure_and_markdown_body_without_page_furniture(tmp_path, content):
    result = one(tmp_path, content, (FIXTURES / "harbour-gazette.html").read_bytes(), name="port.html")
    data = meta(result)
    assert result.output == content / "briefings/2019/ports-reopen-after-storm.md"
    assert data["title"] == "Ports Reopen After Storm"
    assert data["author"] == "Ana Pereira"
    assert data["date"].isoformat() == "2019-03-10T14:05:00+01:00"
    assert data["image"] == {
        "src": "https://example.org/img/port.jpg", "alt": "Cranes at the port",
        "caption": "Cranes stand idle at the container terminal on Sunday.", "credit": "Luis Mendes",
    }
    assert data["source"]["name"] == "The Harbour Gazette"
    body = data["body"]
    assert "*the first ships*" in body and "**less severe than feared**" in body
    assert "[a full inspection](https://example.org/report)" in body
    assert "\n\n> We were lucky. The sea wall held" in body
    assert "- clearing the backlog of perishable goods\n- inspecting the southern cranes\n" in body
    for furniture in ("Home", "Sport", "cheap flights", "tracking", "Related stories", "Storm hits coast", "All rights reserved", "Cranes stand idle", "By Ana"):
        assert furniture not in body


def test_windows_1252_html_with_dash_title_tail_wire_credit_and_ordered_list(tmp_path, content):
    data = meta(one(tmp_path, content, (FIXTURES / "wire-desk.html").read_bytes(), name="glacier.htm"))
    assert data["title"] == "Glacier Survey Finds Record Melt"
    assert data["author"] == "Tomas Berg"
    assert data["date"].isoformat() == "2021-08-03T06:30:00-07:00"
    assert data["image"]["src"] == "https://wire.example.com/media/glacier.jpg"
    assert data["image"]["credit"] == "AP Photo/Ingrid Holm"
    assert data["source"]["url"] == "https://wire.example.com/science/glacier-survey"
    body = data["body"]
    assert body.startswith("Scientists measuring the Storbreen glacier")
    assert "> “This is not one bad year." in body and "\n>\n> “The ice we lost" in body
    assert "1. the front retreated by 41 metres" in body and "3. meltwater discharge" in body
    assert "with [ground radar](https://wire.example.com/science/radar-explained) for" in body
    assert "*not*" in body and "[Storbreen monitoring programme](https://glaciology.example.org/storbreen)" in body
    for furniture in ("Advertisement", "cookies", "Most read", "Sea ice", "Privacy", "pageview", "display: block"):
        assert furniture not in body


def test_html_sniffed_by_content_reads_a_visible_byline_and_naive_time(tmp_path, content):
    data = meta(one(tmp_path, content, (FIXTURES / "city-desk.html").read_bytes(), name="council.txt"))
    assert data["title"] == "Council Approves Night Bus Routes"
    assert data["author"] == "Maria Okafor"
    assert data["date"].isoformat() == "2022-11-15T19:45:00-05:00"
    assert "newsletter" not in data["body"] and "Market Street" not in data["body"]
    assert data["body"].count("\n\n") == 2


def test_html_without_trafilatura_asks_for_the_import_extra(tmp_path, content, monkeypatch):
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    result = one(tmp_path, content, (FIXTURES / "harbour-gazette.html").read_bytes(), name="port.html")
    assert result.output is None
    assert result.problems[0].hint == "pip install -e '.[import]'"


# --- Tags -------------------------------------------------------------------------------------------


def test_tags_are_proposed_from_collection_tags_as_whole_words_and_merged_with_given_ones(tmp_path, content):
    (content / "briefings/2016").mkdir()
    (content / "briefings/2016/old.md").write_text("---\ntitle: Old\ntags: [Trade, US]\n---\n\nOld.\n")
    body = "Talks on trade and deportation rules went on; a trader said the US team let us wait. Human-rights groups watched.\n"
    data = meta(one(tmp_path, content, article("Ana Lima | May 2, 2019", body), tags=("deportation, Mexico",)))
    assert data["tags"] == ["deportation", "Mexico", "Trade", "US", "Human Rights"]


def test_no_tags_at_all_is_refused_with_a_hint(tmp_path, content):
    result = one(tmp_path, content, article("Ana Lima | May 2, 2019"), tags=())
    assert [(p.field, p.hint) for p in result.problems] == [("tags", "pass --tags a,b")]
    assert result.output is None and not list((content / "briefings").rglob("*.md"))


# --- Refusals, force, dry run, slugs ----------------------------------------------------------------


@pytest.mark.parametrize("byline, missing, hint", [
    ("May 2, 2019 | 1:00 pm EDT", "author", "pass --author NAME"),
    ("By Ana Lima", "date", "pass --date YYYY-MM-DD[THH:MM±HH:MM]"),
])
def test_a_missing_author_or_date_is_refused_naming_the_flag(tmp_path, content, byline, missing, hint):
    result = one(tmp_path, content, article(byline))
    assert [(p.field, p.hint) for p in result.problems] == [(missing, hint)]
    assert result.problems[0].path.endswith("story.txt")
    assert not list((content / "briefings").rglob("*.md"))


def test_author_and_date_flags_fill_in_and_override(tmp_path, content):
    data = meta(one(tmp_path, content, article("By Ana Lima"), author="Tom Berg", date="2019-05-02T13:00"))
    assert data["author"] == "Tom Berg"
    assert data["date"].isoformat() == "2019-05-02T13:00:00-04:00"
    bad = one(tmp_path, content, article("By Ana Lima"), date="yesterday")
    assert bad.problems[0].field == "date" and "not an ISO 8601 date" in bad.problems[0].message


def test_a_second_import_of_the_same_text_is_refused_and_force_overwrites_that_file(tmp_path, content):
    first = one(tmp_path, content, article("Ana Lima | May 2, 2019"))
    again = one(tmp_path, content, article("Ana Lima | May 2, 2019"), tags=("Other",))
    assert again.problems[0].message == f"already imported as {first.output}"
    forced = one(tmp_path, content, article("Ana Lima | May 2, 2019"), tags=("Other",), force=True)
    assert forced.output == first.output and not forced.problems
    assert meta(forced)["tags"] == ["Other"]
    assert first.output.read_text() == forced.text
    assert len(list((content / "briefings").rglob("*.md"))) == 1


def test_an_existing_briefing_of_the_same_article_is_not_overwritten_without_force(tmp_path, content):
    first = one(tmp_path, content, article("Ana Lima | May 2, 2019"))
    edited = article("Ana Lima | May 2, 2019", BODY + "\nA late correction paragraph.\n")
    refused = one(tmp_path, content, edited)
    assert refused.problems[0].message == f"{first.output} already exists"
    assert refused.problems[0].hint == "pass --force to overwrite it"
    assert "correction" not in first.output.read_text()
    forced = one(tmp_path, content, edited, force=True)
    assert forced.output == first.output and "correction" in first.output.read_text()


def test_dry_run_returns_the_briefing_but_writes_nothing(tmp_path, content):
    result = one(tmp_path, content, article("Ana Lima | May 2, 2019"), dry_run=True)
    assert result.output == content / "briefings/2019/ministers-meet-on-the-border.md"
    assert meta(result)["title"] == "Ministers Meet on the Border"
    assert not result.output.exists()


def test_slugs_are_unique_within_the_year_on_disk_and_within_one_call(tmp_path, content):
    year = content / "briefings/2019"
    year.mkdir()
    (year / "ministers-meet-on-the-border.md").write_text("---\ntitle: Another Story Entirely\n---\n\nOther.\n")
    paths = [source(tmp_path, f"{n}.txt", article("Ana Lima | May 2, 2019", f"Story number {n} is told here.\n")) for n in (1, 2)]
    results = run(paths, content)
    assert [r.output.name for r in results] == ["ministers-meet-on-the-border-2.md", "ministers-meet-on-the-border-3.md"]
    next_year = one(tmp_path, content, article("Ana Lima | May 2, 2020"))
    assert next_year.output == content / "briefings/2020/ministers-meet-on-the-border.md"


def test_long_titles_make_slugs_of_at_most_sixty_characters_cut_at_a_word(tmp_path, content):
    title = "Negotiators From Both Governments Agree on a Framework for Returning Migrants Safely"
    result = one(tmp_path, content, article("Ana Lima | May 2, 2019", title=title))
    assert result.output.stem == "negotiators-from-both-governments-agree-on-a-framework-for"
    duplicate = one(tmp_path, content, article("Ana Lima | May 2, 2019", "Different text.\n", title=title + "."))
    assert duplicate.output.stem == "negotiators-from-both-governments-agree-on-a-framework-for-2"
    crowded = "Mexico and the United States Sign a Migration Accord at Noon Today"  # its slug is exactly 60 characters
    assert len(one(tmp_path, content, article("Ana Lima | May 2, 2019", title=crowded)).output.stem) == 60
    third = one(tmp_path, content, article("Ana Lima | May 2, 2019", "Other text.\n", title=crowded + "!"))
    assert third.output.stem == "mexico-and-the-united-states-sign-a-migration-accord-at-2"


def test_several_paths_succeed_or_fail_on_their_own(tmp_path, content):
    good = source(tmp_path, "good.txt", article("Ana Lima | May 2, 2019"))
    bad = source(tmp_path, "bad.txt", article("no byline here, just words", title="Orphan"))
    missing = tmp_path / "in" / "missing.txt"
    results = run([good, bad, missing], content)
    assert [r.input for r in results] == [good, bad, missing]
    assert results[0].output.exists() and not results[0].problems
    assert {p.field for p in results[1].problems} == {"author", "date"}
    assert "cannot read" in results[2].problems[0].message
    assert len(list((content / "briefings").rglob("*.md"))) == 1


def test_an_unwritable_year_folder_is_a_problem_not_a_crash(tmp_path, content):
    (content / "briefings/2019").write_text("a file where the year folder should be")
    result = one(tmp_path, content, article("Ana Lima | May 2, 2019"))
    assert result.output is None and "cannot write the briefing" in result.problems[0].message


def test_a_missing_content_directory_is_reported_for_every_input(tmp_path):
    results = run([source(tmp_path, "a.txt", article("Ana Lima | May 2, 2019"))], tmp_path / "nowhere")
    assert results[0].problems[0].hint == "pass --content DIR"


def test_text_needing_quotes_survives_the_yaml_round_trip(tmp_path, content):
    title = 'Yes: "Quoted" \\ back # hash'
    data = meta(one(tmp_path, content, article("May 2, 2019", title=title), author="No", tags=("null", "1e5", "- dash")))
    assert data["title"] == title and data["author"] == "No"
    assert data["tags"] == ["null", "1e5", "- dash"]


def test_imported_collection_passes_the_site_check(tmp_path, content):
    pipeline = pytest.importorskip("briefing.pipeline")
    paths = [source(tmp_path, "seed.txt", (FIXTURES / "seed-mexico-un.txt").read_bytes())]
    paths += [shutil.copy(FIXTURES / name, tmp_path / "in" / name) for name in ("harbour-gazette.html", "wire-desk.html", "city-desk.html")]
    paths += [source(tmp_path, "wire.txt", article("By Ana Lima and Tom Berg | May 2, 2019", "(Photo: UN)\n\n(AP) – Talks began.\n"))]
    results = run([Path(p) for p in paths], content, tags=("Testing",))
    assert all(not r.problems for r in results), [r.problems for r in results]
    report = pipeline.check(pipeline.Options(content_dir=content, layouts_dir=REPO / "layouts"))
    assert [str(p) for p in report.problems if p.severity == "error"] == []


PAGE = """<html><head><title>Port strike ends - Gazette</title>
<meta property="og:site_name" content="Gazette"><meta property="og:description" content="A short summary of the strike that ended today at the port after a week of talks.">
<meta property="og:url" content="https://gazette.example/2019/11/18/port-strike/">
<meta property="article:published_time" content="2019-11-19T04:58:46+00:00"></head>
<body><article><header><h1>Port strike ends after a week of talks</h1>
<p class="standfirst">A short summary of the strike that ended today at the port after a week of talks.</p>
<p class="byline">By Ana Lima</p></header>
<div class="story"><h2 class="lead">Dock workers went back to work on Monday, a week after they walked out over pay and the new shift rota.</h2>
<span class="dropcap">T</span><p>he union said its members had voted to accept the offer by a wide margin, ending the longest strike at the port in a decade.</p>
<p>The port authority said ships would be unloaded in turn, starting with those that had waited longest off the coast.</p>
<p>Both sides said talks on the shift rota would go on next month, with a mediator named by the labour ministry.</p>
</div></article></body></html>"""


def test_saved_page_keeps_a_lead_marked_as_heading_drops_the_standfirst_and_joins_the_drop_cap(tmp_path, content):
    pytest.importorskip("trafilatura")
    source = tmp_path / "page.html"
    source.write_text(PAGE, encoding="utf-8")
    [result] = import_articles([source], ImportOptions(content_dir=content, tags=("Port",), dry_run=True))
    assert not result.problems, result.problems
    body = result.text.split("\n---\n", 1)[1]
    assert body.lstrip().startswith("Dock workers went back to work on Monday")
    assert "A short summary of the strike" not in body
    assert "The union said its members" in body
    assert "date: 2019-11-18" in result.text  # the address's day, not the UTC stamp's next day


def test_a_malformed_link_in_a_saved_page_is_dropped_not_a_crash(tmp_path, content):
    page = (FIXTURES / "harbour-gazette.html").read_text(encoding="utf-8")
    page = page.replace("<head>", '<head><meta property="og:url" content="https://example.org/ports">', 1)  # links are made absolute
    page = page.replace("by the afternoon.</p>", 'by the afternoon, <a href="http://[privacy-preferences]">they said</a>.</p>', 1)  # urlsplit refuses it
    data = meta(one(tmp_path, content, page, name="port.html"))
    assert data["title"] == "Ports Reopen After Storm" and "privacy-preferences" not in data["body"] and "they said" in data["body"]


def test_a_file_the_importer_fails_on_is_one_refusal_and_the_batch_goes_on(tmp_path, content, monkeypatch):
    import briefing.importer as importer

    real = importer.read_text
    monkeypatch.setattr(importer, "read_text", lambda text, *a: (_ for _ in ()).throw(RuntimeError("no rule for this")) if "Broken" in text else real(text, *a))
    first = source(tmp_path, "broken.txt", article("By Ana Lima, March 3, 2025", title="Broken Page Here Today"))
    second = source(tmp_path, "fine.txt", article("By Ana Lima, March 3, 2025"))
    broken, fine = run([first, second], content)
    assert broken.status == "refused" and broken.output is None
    (problem,) = broken.problems
    assert "RuntimeError: no rule for this" in problem.message and "report" in problem.hint and problem.path == str(first)
    assert fine.status == "imported" and fine.output.is_file()
