"""Front matter: each field's converter, and the located problems a bad value produces."""
from datetime import datetime, timedelta, timezone

import pytest

from briefing import content, fields
from briefing.content import Markup
from briefing.model import slugify, tag_key
from conftest import briefing_text

NY = "America/New_York"


def load(text: str, rel: str = "briefings/2020/a.md", tz: str = NY):
    return content.load_briefing(rel, text.encode("utf-8"), tz, Markup())


def messages(problems) -> list[str]:
    return [str(p) for p in problems]


def test_a_date_without_time_is_midnight_in_the_site_timezone():
    briefing, problems = load(briefing_text(date="2020-01-02"))
    assert problems == []
    assert briefing.date.isoformat() == "2020-01-02T00:00:00-05:00"


def test_a_datetime_with_offset_is_the_same_instant_shown_in_the_site_timezone():
    briefing, _ = load(briefing_text(date="2020-07-01T12:00:00+02:00"))
    assert briefing.date == datetime(2020, 7, 1, 10, 0, tzinfo=timezone.utc)
    assert briefing.date.utcoffset() == timedelta(hours=-4)  # New York in summer


def test_a_datetime_without_offset_is_read_in_the_site_timezone():
    briefing, _ = load(briefing_text(date="2017-02-24T04:27:00"))
    assert briefing.date.isoformat() == "2017-02-24T04:27:00-05:00"


def test_a_datetime_can_name_its_own_timezone():
    briefing, _ = load(briefing_text(date="2020-01-02 09:00 Europe/Paris"))
    assert briefing.date == datetime(2020, 1, 2, 8, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "value, fragment",
    [
        ("2017-02-30", "is not a real date"),
        ("2017-02-24T24:61", "is not a real time of day"),
        ("yesterday", "is not a date"),
        ("2017-02-24 10:00 Mars/Olympus", "unknown timezone 'Mars/Olympus'"),
    ],
)
def test_bad_dates_are_located_errors_with_a_hint(value, fragment):
    briefing, problems = load(briefing_text(date=value))
    assert briefing is None
    [problem] = problems
    assert (problem.line, problem.field) == (4, "date")
    assert fragment in problem.message
    assert problem.hint


def test_an_unknown_field_suggests_the_nearest_known_one():
    text = briefing_text().replace("tags:", "tgas:")
    _, problems = load(text)
    assert "briefings/2020/a.md:5:1: error: tgas: unknown field; did you mean 'tags'?" in messages(problems)[0]
    assert any(p.field == "tags" and "required field is missing" in p.message for p in problems)


def test_every_error_in_a_file_is_reported_not_only_the_first():
    text = briefing_text(date="2017-02-30", title="x").replace('title: "x"', "title: 42").replace("author: Jane Doe", "autor: Jane")
    _, problems = load(text)
    assert {p.field for p in problems} == {"title", "date", "autor", "author"}


def test_tags_are_one_tag_whatever_the_case_or_punctuation():
    briefing, _ = load(briefing_text(tags=("Human Rights", "human-rights", "human_rights", "UN")))
    assert briefing.tag_names == ("Human Rights", "UN")
    assert briefing.tag_keys == ("human-rights", "un")


def test_tags_written_as_a_string_are_refused_with_the_list_form():
    text = briefing_text().replace("tags:\n  - news", "tags: news, politics")
    _, problems = load(text)
    assert problems[0].field == "tags" and "must be a list" in problems[0].message
    assert "[news, politics]" in problems[0].hint


def test_nested_field_errors_point_at_the_nested_line():
    text = briefing_text(source="\n  name: Wire\n  url: not-a-url")
    _, problems = load(text)
    [problem] = problems
    assert (problem.field, problem.line) == ("source.url", 9)


def test_an_image_with_src_needs_alt_text():
    _, problems = load(briefing_text(image="\n  src: /static/a.jpg"))
    assert problems[0].field == "image.alt"


def test_summary_defaults_to_the_first_paragraph_trimmed():
    long = "word " * 100
    briefing, _ = load(briefing_text(body=f"{long}\n\nSecond paragraph."))
    assert briefing.summary.endswith("…") and len(briefing.summary) <= 240
    assert "Second" not in briefing.summary


def test_a_written_summary_is_inline_markdown_with_a_plain_text_twin():
    briefing, problems = load(briefing_text(summary='"Tariffs *rise* again: [the schedule](/s/) & <b>more</b>, 1 < 2"'))
    assert problems == []
    assert briefing.summary_html == 'Tariffs <em>rise</em> again: <a href="/s/">the schedule</a> &amp; <b>more</b>, 1 &lt; 2'
    assert briefing.summary == "Tariffs rise again: the schedule & more, 1 < 2"
    assert briefing.summary_given


def test_a_summary_taken_from_the_body_is_escaped_text_and_no_standfirst():
    briefing, _ = load(briefing_text(body="Ports & *cranes* <b>at</b> dawn."))
    assert (briefing.summary, briefing.summary_html, briefing.summary_given) == ("Ports & cranes at dawn.", "Ports &amp; cranes at dawn.", False)


@pytest.mark.parametrize(
    "summary, found",
    [
        ('"- one\\n- two"', "holds a list"),
        ('"## A heading"', "holds a heading"),
        ('"> a quote"', "holds a quote"),
        ('"One.\\n\\nTwo."', "holds more than one paragraph"),
        ('"<script>alert(1)</script>"', "has no text once its HTML is removed"),
    ],
)
def test_block_markdown_or_no_text_in_a_summary_is_a_located_error_on_its_line(summary, found):
    briefing, problems = load(briefing_text(summary=summary))
    assert briefing is None
    [problem] = problems
    assert (problem.line, problem.field) == (7, "summary")
    assert found in problem.message and problem.hint


PROFILE = "---\nname: Ana Ruiz\nrole: Trade correspondent\nphoto: /static/ana.jpg\nlinks:\n  - title: Mastodon\n    url: https://example.social/@ana\n  - {title: Mail, url: \"mailto:ana@example.org\"}\n---\n\nAna covers *ports*.\n"


def test_an_author_profile_gives_name_role_photo_links_and_a_markdown_bio():
    profile, problems = content.load_author("authors/ana-ruiz.md", PROFILE.encode(), NY, Markup())
    assert problems == []
    assert (profile.slug, profile.name, profile.role, profile.photo, profile.url) == ("ana-ruiz", "Ana Ruiz", "Trade correspondent", "/static/ana.jpg", "/authors/ana-ruiz/")
    assert [(link.title, link.url) for link in profile.links] == [("Mastodon", "https://example.social/@ana"), ("Mail", "mailto:ana@example.org")]
    assert profile.bio_html == "<p>Ana covers <em>ports</em>.</p>"


@pytest.mark.parametrize(
    "change, where, fragment",
    [
        (("name: Ana Ruiz", "name: Ana Ruíz-Soto"), (2, "name"), "has the address /authors/ana-ruiz-soto/, not this file's /authors/ana-ruiz/"),
        (("https://example.social/@ana", "javascript:alert(1)"), (7, "links.url"), "is not a link"),
        (("role: Trade correspondent", "rol: Trade correspondent"), (3, "rol"), "unknown field; did you mean 'role'?"),
        (("photo: /static/ana.jpg", "photo: ../secret.jpg"), (4, "photo"), "is not a usable image address"),
        (("photo: /static/ana.jpg", "photo: ana.jpg"), (4, "photo"), "is not a usable image address"),  # read from /authors/ana-ruiz/
        (("https://example.social/@ana", "http://example.social/@ana"), (7, "links.url"), "is not a link"),  # https only
    ],
)
def test_a_bad_author_profile_is_a_located_error(change, where, fragment):
    profile, problems = content.load_author("authors/ana-ruiz.md", PROFILE.replace(*change).encode(), NY, Markup())
    assert profile is None
    assert [(p.line, p.field) for p in problems] == [where] and fragment in problems[0].message and problems[0].hint


def test_file_name_must_be_a_slug_and_the_hint_gives_one():
    _, problems = load(briefing_text(), rel="briefings/2020/My Story.md")
    assert "rename it to my-story.md" in problems[0].hint


def test_site_timezone_must_exist(make_content):
    root = make_content({}, site_yaml="title: T\ndescription: D\nbase_url: https://x.org\ntimezone: Mars/Olympus\n")
    config, problems = content.load_config(root)
    assert config is None
    assert str(problems[0]) == "site.yaml:4:1: error: timezone: unknown timezone 'Mars/Olympus' (use an IANA name such as America/New_York or Europe/London)"


def test_slugs_are_ascii_hyphenated_and_cut_at_a_word_boundary():
    assert slugify("Mexico: We’ll Go to the U.N. to Defend ‘Human Rights’ of Mexicans in U.S.") == "mexico-well-go-to-the-un-to-defend-human-rights-of-mexicans"
    assert slugify("Café Zürich – São Paulo") == "cafe-zurich-sao-paulo"
    assert len(slugify("word " * 40)) <= 60
    assert tag_key("US–Mexico Relations") == tag_key("us-mexico relations") == "us-mexico-relations"


def test_schema_comes_from_the_same_table():
    schema = fields.json_schema(fields.BRIEFING_FIELDS, "Briefing")
    assert set(schema["properties"]) == set(fields.BRIEFING_FIELDS)
    assert schema["required"] == ["title", "author", "date", "tags"]


@pytest.mark.parametrize("accent, ok", [("teal", True), ("RebeccaPurple", True), ('"#1d4ed8"', True), ("oklch(60% 0.15 250)", True), ("reddish", False), ("bluish", False)])
def test_a_topic_accent_is_a_css_colour_browsers_know(accent, ok):
    topic, problems = content.load_topic("topics/trade.md", f"---\ntitle: Trade\nsummary: Tariffs.\ntags: [tariffs]\naccent: {accent}\n---\n\nIntro.\n".encode(), NY, Markup())
    assert (topic is not None) == ok, problems
    if not ok:
        assert [(p.line, p.field) for p in problems] == [(5, "accent")] and "is not a CSS colour" in problems[0].message
