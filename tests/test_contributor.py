"""The contributor's tools: `new` writes a valid skeleton, `schema` matches the validator, `check` speaks to CI and warns."""
import json
from datetime import datetime, timezone
from pathlib import Path

import jsonschema
import pytest

from briefing import fields, frontmatter, scaffold
from conftest import ROOT, briefing_text, run_cli

TOPIC = "---\ntitle: Human Rights\nsummary: Rights at home and abroad.\ntags: [Human Rights]\n---\n\nIntro.\n"


# --- new -----------------------------------------------------------------------------------------


def test_new_writes_a_skeleton_at_year_and_slug_that_passes_check(make_content):
    root = make_content({"topics/human-rights.md": TOPIC})
    done = run_cli("new", 'U.N.: Mexico\'s "plan" #1', "--tags", "Human Rights,immigration", "--author", "Ana Ruiz", "--date", "2019-05-06", "--content", str(root))
    assert done.returncode == 0, done.stderr
    path = Path(done.stdout.strip())
    assert path == root / "briefings/2019/un-mexicos-plan-1.md"
    text = path.read_text(encoding="utf-8")
    assert 'title: "U.N.: Mexico\'s \\"plan\\" #1"' in text
    assert '  - "Human Rights"' in text and 'author: "Ana Ruiz"' in text
    assert not done.stderr, done.stderr
    check = run_cli("check", "--content", str(root))
    assert check.returncode == 0, check.stderr
    # valid, but not yet a briefing: published as it is, its placeholder would lead the front page
    assert "0 error(s), 1 warning(s)" in check.stdout
    assert "briefings/2019/un-mexicos-plan-1.md:" in check.stderr and "warning: body: still holds the placeholder `new` wrote" in check.stderr
    path.write_text(text.replace(scaffold.BODY, "Mexico's foreign minister said on Monday that the plan stands.\n"), encoding="utf-8")
    check = run_cli("check", "--content", str(root))
    assert check.returncode == 0 and "0 error(s), 0 warning(s)" in check.stdout, check.stderr


def test_new_never_overwrites_and_picks_the_next_free_slug(make_content):
    root = make_content({"briefings/2019/same-title.md": "mine, untouched"})
    paths = [run_cli("new", "Same Title", "--tags", "a", "--author", "A", "--date", "2019-01-01", "--content", str(root)).stdout.strip() for _ in range(2)]
    assert [Path(p).name for p in paths] == ["same-title-2.md", "same-title-3.md"]
    assert (root / "briefings/2019/same-title.md").read_text() == "mine, untouched"


def test_new_dates_default_to_now_in_the_site_timezone(make_content):
    root = make_content({})
    now = datetime(2021, 1, 1, 3, 0, tzinfo=timezone.utc)  # still 2020 in New York
    path, problems = scaffold.create(root, scaffold.NewBriefing("Late night", ("news",), "A"), now=now)
    assert problems == []
    assert path == root / "briefings/2020/late-night.md"
    assert "date: 2020-12-31T22:00:00-05:00\n" in path.read_text()


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--date", "2017-02-30"], "date: '2017-02-30' is not a real date"),
        (["--tags", "!!!"], "tag '!!!' has no letters or digits"),
        (["--tags", ""], "tags: must be a non-empty list"),
        (["--title", "???"], "the title has no letters or digits"),
    ],
)
def test_new_refuses_bad_values_with_the_checks_own_message(make_content, args, fragment):
    root = make_content({})
    options = {"--title": "A title", "--tags": "news", "--author": "A", "--date": "2020-01-01"}
    options.update(dict(zip(args[::2], args[1::2])))
    title = options.pop("--title")
    done = run_cli("new", title, *[x for kv in options.items() for x in kv], "--content", str(root))
    assert done.returncode == 1
    assert fragment in done.stderr
    assert "Traceback" not in done.stderr
    assert not (root / "briefings").exists()


# --- schema --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["briefing", "topic", "author"])
def test_the_committed_schema_is_the_generated_one(kind):
    committed = (ROOT / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert committed == fields.schema_text(kind), "run: python build.py schema --write"


def test_schema_command_prints_the_briefing_schema():
    done = run_cli("schema")
    assert done.returncode == 0
    assert json.loads(done.stdout)["title"] == "Briefing front matter"


def front_matter(text: str) -> dict:
    parsed, problems = frontmatter.parse(text, "x.md")
    assert parsed is not None, problems
    return json.loads(json.dumps(parsed.fields))


def schema(kind: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(fields.schema_text(kind)))


def test_the_schema_accepts_every_briefing_and_topic_in_the_repository():
    for kind, folder in (("briefing", "briefings"), ("topic", "topics")):
        paths = sorted((ROOT / "content" / folder).rglob("*.md"))
        assert paths
        for path in paths:
            errors = list(schema(kind).iter_errors(front_matter(path.read_text(encoding="utf-8"))))
            assert errors == [], f"{path}: {errors[0].message}"


@pytest.mark.parametrize(
    "change, fragment",
    [
        ({"tags": "immigration"}, "is not of type 'array'"),
        ({"title": 2017}, "is not of type 'string'"),
        ({"titel": "typo"}, "Additional properties"),
        ({"date": "24 Feb 2017"}, "does not match"),
        ({"source": {"url": "javascript:alert(1)"}}, "does not match"),
        ({"image": {"src": "/a.jpg"}}, "'alt' is a dependency of 'src'"),
        ({"tags": [f"t{i}" for i in range(31)]}, "is too long"),
    ],
)
def test_the_schema_rejects_what_the_validator_rejects(change, fragment):
    data = front_matter(briefing_text())
    data.update(change)
    messages = [e.message for e in schema("briefing").iter_errors(data)]
    assert any(fragment in m for m in messages), messages


def test_the_schema_misses_a_required_field():
    data = front_matter(briefing_text())
    del data["author"]
    assert [e.message for e in schema("briefing").iter_errors(data)] == ["'author' is a required property"]


# --- check: formats and warnings -----------------------------------------------------------------


def near_duplicates_site(make_content):
    return make_content(
        {
            "topics/human-rights.md": TOPIC,
            "briefings/2020/a.md": briefing_text(title="A", tags=("Human Rights", "news")),
            "briefings/2020/b.md": briefing_text(title="B", tags=("Human Rights",)),
            "briefings/2020/c.md": briefing_text(title="C", tags=("news", "human-right")),
            "briefings/2020/d.md": briefing_text(title="D", tags=("HumanRights",)),
            "briefings/2020/e.md": briefing_text(title="E", tags=("weather",)),
        }
    )


def test_check_warns_about_near_duplicate_tags_with_the_spelling_to_use_at_the_tags_line(make_content):
    root = near_duplicates_site(make_content)
    done = run_cli("check", "--content", "content", "--layouts", str(ROOT / "layouts"), cwd=root.parent)
    assert done.returncode == 0  # warnings only
    lines = [line for line in done.stderr.splitlines() if "nearly" in line]
    assert lines == [
        "content/briefings/2020/c.md:7:1: warning: tags: 'human-right' is nearly the tag 'Human Rights' but a different one (write 'Human Rights' so they are one tag)",
        "content/briefings/2020/d.md:6:1: warning: tags: 'HumanRights' is nearly the tag 'Human Rights' but a different one (write 'Human Rights' so they are one tag)",
    ]
    assert "check ok: 0 error(s), 5 warning(s)" in done.stdout  # c, d and e are in no topic, too


def test_check_warns_about_a_briefing_in_no_topic(make_content):
    root = near_duplicates_site(make_content)
    done = run_cli("check", "--content", "content", "--layouts", str(ROOT / "layouts"), cwd=root.parent)
    lines = [line for line in done.stderr.splitlines() if "no topic" in line]
    assert [line.split(": warning")[0] for line in lines] == ["content/briefings/2020/c.md:6:1", "content/briefings/2020/d.md:6:1", "content/briefings/2020/e.md:6:1"]
    line = lines[-1]
    assert line.startswith("content/briefings/2020/e.md:6:1: warning: tags: belongs to no topic")
    assert "'Human Rights'" in line


def test_a_site_without_topics_gets_no_topic_warnings(make_content):
    root = make_content({"briefings/2020/a.md": briefing_text()})
    done = run_cli("check", "--content", str(root))
    assert "0 warning(s)" in done.stdout


def test_check_format_json_lists_every_problem_with_its_place(make_content):
    root = near_duplicates_site(make_content)
    (root / "briefings/2020/f.md").write_text(briefing_text(title="F", date="2020-02-30"))
    done = run_cli("check", "--format", "json", "--content", "content", "--layouts", str(ROOT / "layouts"), cwd=root.parent)
    assert done.returncode == 1
    problems = json.loads(done.stdout)
    assert {"path": "content/briefings/2020/f.md", "line": 4, "col": 1, "field": "date", "severity": "error"}.items() <= problems[-1].items()
    assert [p["severity"] for p in problems].count("warning") == 5


def test_check_under_github_actions_prints_annotations(make_content):
    root = near_duplicates_site(make_content)
    (root / "briefings/2020/f.md").write_text(briefing_text(title="F", date="2020-02-30"))
    env = {**__import__("os").environ, "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(root.parent)}
    done = run_cli("check", "--content", str(root), env=env)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert "::error file=content/briefings/2020/f.md,line=4,col=1,title=date::date: '2020-02-30' is not a real date" in lines[-1]
    assert sum(line.startswith("::warning file=content/briefings/2020/") for line in lines) == 5


# --- editor wiring ---------------------------------------------------------------------------------


def test_vscode_maps_the_schemas_that_exist():
    settings = json.loads((ROOT / ".vscode/settings.json").read_text())
    for schema_path, globs in settings["yaml.schemas"].items():
        assert (ROOT / schema_path).is_file() and globs


def test_the_vscode_check_task_reads_every_line_check_prints(make_content):
    import re

    task = json.loads((ROOT / ".vscode/tasks.json").read_text())["tasks"][0]
    assert task["args"] == ["build.py", "check"]
    pattern = re.compile(task["problemMatcher"]["pattern"]["regexp"])
    root = near_duplicates_site(make_content)
    (root / "briefings/2020/f.md").write_text(briefing_text(title="F", date="2020-02-30"))
    lines = [line for line in run_cli("check", "--content", "content", "--layouts", str(ROOT / "layouts"), cwd=root.parent).stderr.splitlines() if line]
    matched = [pattern.match(line).groups() for line in lines if pattern.match(line)]
    assert len(matched) == len(lines) - 1  # all but the summary line
    assert ("content/briefings/2020/f.md", "4", "1", "error") in [m[:4] for m in matched]
    assert task["problemMatcher"]["fileLocation"] == ["autoDetect", "${workspaceFolder}"]  # paths open from the folder check runs in
