"""Broken and hostile briefings: each gives one located, clear error (never a traceback, a stall or a silent merge) at a
path that opens from the repository root, in every format `check` prints; a build reports all and changes nothing."""
import json
import os
import re
from pathlib import Path

import pytest
import yaml

from briefing import content
from briefing.content import Markup
from conftest import LAYOUTS, ROOT, briefing_text, run_cli, snapshot, write_tree

BAD = Path(__file__).parent / "bad-input"  # a content folder: site.yaml, and each broken briefing in briefings/2017/
FILES = BAD / "briefings" / "2017"
EXPECTED: dict = yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))
BROKEN = sorted(name for name, e in EXPECTED.items() if not e.get("accepted"))
TOPIC = "---\ntitle: Immigration\nsummary: People moving.\ntags: [immigration]\n---\n\nIntro.\n"
TEXT_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): error: (?P<message>.+)$")
ANNOTATION = re.compile(r"^::error file=(?P<path>[^,]*),line=(?P<line>\d+),col=(?P<col>\d+),title=[^:]*::(?P<message>.*)$")


def load(name: str, raw: bytes):
    return content.load_briefing(f"briefings/2017/{name}.md", raw, "America/New_York", Markup())


def unescape(value: str) -> str:
    """GitHub's workflow-command escaping, undone (actions/toolkit, command.ts)."""
    for escaped, char in (("%2C", ","), ("%3A", ":"), ("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        value = value.replace(escaped, char)
    return value


@pytest.fixture(scope="module")
def errors_by_format() -> dict[str, list[tuple[str, int, str]]]:
    """`check` over the folder from the repository root, as CI runs it: each format's errors as (path, line, message)."""
    env = {**os.environ, "GITHUB_WORKSPACE": str(ROOT)}
    found = {}
    for fmt in ("text", "json", "github"):
        done = run_cli("check", "--format", fmt, "--content", "tests/bad-input", cwd=ROOT, env=env)
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
        if fmt == "json":
            problems = [p for p in json.loads(done.stdout) if p["severity"] == "error"]
            found[fmt] = [(p["path"], p["line"], f"{p['field']}: " * bool(p["field"]) + f"{p['message']} ({p['hint']})") for p in problems]
            assert all(p["hint"] for p in json.loads(done.stdout)), "every error says how to fix it"
            continue
        lines = done.stderr.splitlines()[:-1] if fmt == "text" else done.stdout.splitlines()
        pattern = TEXT_LINE if fmt == "text" else ANNOTATION
        matched = [pattern.match(line) for line in lines if ": error: " in line or line.startswith("::error")]
        assert all(matched), [line for line, m in zip(lines, matched) if not m]
        found[fmt] = [(unescape(m["path"]) if fmt == "github" else m["path"], int(m["line"]), unescape(m["message"]) if fmt == "github" else m["message"]) for m in matched]
    return found


def test_every_file_in_the_folder_has_an_expectation_and_there_are_at_least_fifty_broken_ones():
    assert sorted(p.stem for p in FILES.glob("*.md")) == sorted(EXPECTED)
    assert len(BROKEN) >= 50


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_each_bad_input_gives_its_located_error_at_a_path_that_opens_from_the_repository_root(errors_by_format, fmt):
    errors = errors_by_format[fmt]
    for name, expected in EXPECTED.items():
        path = f"tests/bad-input/briefings/2017/{name}.md"
        mine = [(line, message) for where, line, message in errors if where == path]
        assert len(mine) == (0 if expected.get("accepted") else expected.get("count", 1)), (name, mine)
        if mine:
            assert any(line == expected["line"] and expected["message"] in message for line, message in mine), (name, mine)
    assert all((ROOT / path).is_file() for path, _, _ in errors)
    assert all("\n" not in message and "\x1b" not in message for _, _, message in errors)


@pytest.mark.parametrize("name", sorted(name for name, e in EXPECTED.items() if e.get("accepted")))
def test_input_that_only_looks_odd_is_accepted(name):
    briefing, problems = load(name, (FILES / f"{name}.md").read_bytes())
    assert [p for p in problems if p.severity == "error"] == [] and briefing is not None
    assert briefing.title == EXPECTED[name].get("title", "A briefing") and briefing.body_html == "<p>Some text.</p>"


def test_a_ten_megabyte_file_is_refused_before_it_is_read(make_content):
    root = make_content({"briefings/2017/huge.md": briefing_text(date="2017-01-01", body="word " * 2_000_000)})
    done = run_cli("check", "--content", str(root))
    assert done.returncode == 1
    assert f"{root}/briefings/2017/huge.md:1:1: error: file is 10,000,078 bytes" in done.stderr
    assert "over the 1,048,576-byte limit" in done.stderr


def test_ten_thousand_tags_are_refused_at_the_tags_line():
    briefing, problems = load("many-tags", briefing_text(date="2017-01-01", tags=[f"tag {i}" for i in range(10_000)]).encode())
    assert briefing is None
    assert [str(p) for p in problems] == ["briefings/2017/many-tags.md:5:1: error: tags: has 10,000 tags; at most 30 are allowed (keep the few tags a reader would browse by)"]


def test_a_build_over_every_bad_input_reports_them_all_and_leaves_the_site_byte_for_byte(tmp_path):
    good = {"site.yaml": (ROOT / "content/site.yaml").read_text(), "topics/immigration.md": TOPIC, "briefings/2017/good.md": briefing_text(date="2017-01-01", tags=("immigration",))}
    root = write_tree(tmp_path / "content", good)
    site = tmp_path / "site"
    first = run_cli("build", "--content", str(root), "--output", str(site))
    assert first.returncode == 0, first.stderr
    before = snapshot(site)
    for path in FILES.glob("*.md"):
        (root / "briefings/2017" / path.name).write_bytes(path.read_bytes())
    (root / "briefings/2017/huge.md").write_bytes(b"x" * 10_000_000)

    done = run_cli("build", "--content", str(root), "--output", str(site))

    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    for name in BROKEN:
        expected = EXPECTED[name]
        assert f"{root}/briefings/2017/{name}.md:{expected['line']}:" in done.stderr and expected["message"] in done.stderr, name
    assert f"{root}/briefings/2017/huge.md:1:1: error: file is 10,000,000 bytes" in done.stderr
    errors = [line for line in done.stderr.splitlines() if ": error: " in line]
    assert len(errors) == sum(EXPECTED[name].get("count", 1) for name in BROKEN) + 1
    assert f"build failed: {len(errors)} error(s)" in done.stderr
    assert snapshot(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.briefing-lock", "content", "site"]  # no staging tree left behind


@pytest.mark.parametrize("where", ["feed_size: {n}", "navigation:\n  - {{title: {n}, url: /x/}}", "{n}: key"])
def test_a_number_of_thousands_of_digits_in_site_yaml_is_a_located_error(make_content, where):
    site_yaml = (ROOT / "content/site.yaml").read_text() + where.format(n="9" * 5000) + "\n"
    root = make_content({"briefings/2017/a.md": briefing_text(date="2017-01-01")}, site_yaml)
    done = run_cli("check", "--content", "content", cwd=root.parent)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert re.match(r"content/site\.yaml:\d+:\d+: error: ", done.stderr), done.stderr


def test_a_file_name_that_is_not_utf8_is_one_located_error_in_every_format(tmp_path):
    """Git may check out such a name on Linux; it can neither be read as a URL nor printed raw to a terminal."""
    root = write_tree(tmp_path / "content", {"site.yaml": (BAD / "site.yaml").read_text(), "topics/immigration.md": TOPIC, "briefings/2017/good.md": briefing_text(date="2017-01-01", tags=("immigration",))})
    name = b"caf\xe9-\x1b[31mred.md"  # Latin-1 bytes and a terminal escape
    (root / "briefings/2017").joinpath(os.fsdecode(name)).write_bytes(briefing_text(date="2017-01-02", tags=("immigration",)).encode())
    env = {**os.environ, "GITHUB_WORKSPACE": str(tmp_path)}
    for fmt in ("text", "json", "github"):
        done = run_cli("check", "--format", fmt, "--content", "content", "--layouts", str(LAYOUTS), cwd=tmp_path, env=env)
        out = done.stderr if fmt == "text" else done.stdout
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        errors = [line for line in out.splitlines() if "error" in line and "not valid UTF-8" in line] if fmt != "json" else [p for p in json.loads(out) if p["severity"] == "error"]
        assert len(errors) == 1, out
        shown = errors[0] if fmt != "json" else errors[0]["path"]
        assert "content/briefings/2017/caf\\xe9-" in shown and "\x1b" not in out, out


def test_a_cache_folder_that_is_a_file_costs_only_a_warning(make_content, tmp_path):
    root = make_content({"topics/immigration.md": TOPIC, "briefings/2017/good.md": briefing_text(date="2017-01-01", tags=("immigration",))})
    (tmp_path / ".cache").write_text("not a folder")
    for _ in range(2):
        done = run_cli("build", "--content", str(root), "--layouts", str(ROOT / "layouts"), "--output", str(tmp_path / "site"), "--no-search", cwd=tmp_path)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        assert ".cache:1:1: warning: cannot keep the build state" in done.stderr
        assert (tmp_path / "site/briefings/2017/good/index.html").is_file()
    assert (tmp_path / ".cache").read_text() == "not a folder"
