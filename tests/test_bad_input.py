"""Broken and hostile briefings: each gives one located, clear error (never a traceback); a build reports all and changes nothing."""
import re
from pathlib import Path

import pytest
import yaml

from briefing import content
from briefing.content import Markup
from conftest import briefing_text, run_cli, snapshot, write_tree

BAD = Path(__file__).parent / "bad-input"
EXPECTED: dict = yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))
LOCATED = re.compile(r"^briefings/2017/[a-z0-9-]+\.md:\d+:\d+: error: .+")
TOPIC = "---\ntitle: Immigration\nsummary: People moving.\ntags: [immigration]\n---\n\nIntro.\n"


def load(name: str, raw: bytes):
    return content.load_briefing(f"briefings/2017/{name}.md", raw, "America/New_York", Markup())


def test_every_file_in_the_folder_has_an_expectation_and_there_are_at_least_forty_broken_ones():
    assert sorted(p.stem for p in BAD.glob("*.md")) == sorted(EXPECTED)
    assert sum(not e.get("accepted") for e in EXPECTED.values()) >= 40


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_input_gives_its_one_located_error(name):
    expected = EXPECTED[name]
    briefing, problems = load(name, (BAD / f"{name}.md").read_bytes())
    errors = [p for p in problems if p.severity == "error"]
    if expected.get("accepted"):
        assert errors == [] and briefing is not None
        assert briefing.title == "A briefing" and briefing.body_html == "<p>Some text.</p>"
        return
    assert briefing is None
    assert len(errors) == expected.get("count", 1), [str(p) for p in errors]
    first = errors[0]
    assert (first.line, first.path) == (expected["line"], f"briefings/2017/{name}.md")
    assert expected["message"] in str(first)
    assert all(LOCATED.match(str(p)) and "\n" not in str(p) for p in errors)
    assert all(p.hint for p in errors), "every error says how to fix it"


def test_a_ten_megabyte_file_is_refused_before_it_is_read(make_content):
    root = make_content({"briefings/2017/huge.md": briefing_text(date="2017-01-01", body="word " * 2_000_000)})
    done = run_cli("check", "--content", str(root))
    assert done.returncode == 1
    assert "briefings/2017/huge.md:1:1: error: file is 10,000,078 bytes" in done.stderr
    assert "over the 1,048,576-byte limit" in done.stderr


def test_ten_thousand_tags_are_refused_at_the_tags_line():
    briefing, problems = load("many-tags", briefing_text(date="2017-01-01", tags=[f"tag {i}" for i in range(10_000)]).encode())
    assert briefing is None
    assert [str(p) for p in problems] == ["briefings/2017/many-tags.md:5:1: error: tags: has 10,000 tags; at most 30 are allowed (keep the few tags a reader would browse by)"]


def test_a_build_over_every_bad_input_reports_them_all_and_leaves_the_site_byte_for_byte(tmp_path):
    good = {"site.yaml": (Path(__file__).parent.parent / "content/site.yaml").read_text(), "topics/immigration.md": TOPIC, "briefings/2017/good.md": briefing_text(date="2017-01-01", tags=("immigration",))}
    root = write_tree(tmp_path / "content", good)
    site = tmp_path / "site"
    first = run_cli("build", "--content", str(root), "--output", str(site))
    assert first.returncode == 0, first.stderr
    before = snapshot(site)
    for path in BAD.glob("*.md"):
        (root / "briefings/2017" / path.name).write_bytes(path.read_bytes())
    (root / "briefings/2017/huge.md").write_bytes(b"x" * 10_000_000)

    done = run_cli("build", "--content", str(root), "--output", str(site))

    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    broken = [name for name, e in EXPECTED.items() if not e.get("accepted")]
    for name in broken:
        expected = EXPECTED[name]
        assert f"briefings/2017/{name}.md:{expected['line']}:" in done.stderr and expected["message"] in done.stderr, name
    assert "briefings/2017/huge.md:1:1: error: file is 10,000,000 bytes" in done.stderr
    errors = [line for line in done.stderr.splitlines() if ": error: " in line]
    assert len(errors) == sum(e.get("count", 1) for e in EXPECTED.values() if not e.get("accepted")) + 1
    assert f"build failed: {len(errors)} error(s)" in done.stderr
    assert snapshot(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.briefing-lock", "content", "site"]  # no staging tree left behind
