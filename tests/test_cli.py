"""The command line as a contributor meets it: exit codes, located messages, and a site/ that a bad build never touches."""
import os
import shutil
import subprocess
import sys

import pytest

from conftest import LAYOUTS, ROOT, briefing_text, run_cli, snapshot

GOOD = {
    "topics/news.md": "---\ntitle: News\nsummary: All the news.\ntags: [news]\n---\n\nIntro.\n",
    "briefings/2020/one.md": briefing_text(title="One", date="2020-01-02"),
    "briefings/2020/two.md": briefing_text(title="Two", date="2020-02-03T10:00:00Z", tags=("news", "Human Rights")),
}


def build(content, output, *extra, env=None):
    return run_cli("--content", str(content), "--layouts", str(LAYOUTS), "--output", str(output), *extra, env=env)


def test_build_prints_one_summary_line_and_writes_the_site(make_content, tmp_path):
    result = build(make_content(GOOD), tmp_path / "site")
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    assert line.startswith("Built ") and " 2 article" in line and "feeds in" in line
    assert (tmp_path / "site/briefings/2020/one/index.html").is_file()


def test_check_reports_every_error_of_every_file_located_and_exits_1(make_content):
    content = make_content(
        {
            **GOOD,
            "briefings/2020/bad-date.md": briefing_text(date="2017-02-30"),
            "briefings/2020/typo.md": briefing_text().replace("tags:", "tgas:"),
            "briefings/2020/no-front-matter.md": "Just text.\n",
        }
    )
    result = run_cli("check", "--content", str(content), "--layouts", str(LAYOUTS))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert f"{content}/briefings/2020/bad-date.md:4:1: error: date: '2017-02-30' is not a real date: day is out of range for month (use YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS with an offset such as -05:00)" in lines
    assert any(line.startswith(f"{content}/briefings/2020/typo.md:5:1: error: tgas: unknown field; did you mean 'tags'?") for line in lines)
    assert any(line.startswith(f"{content}/briefings/2020/no-front-matter.md:1:1: error: no front matter") for line in lines)
    assert lines[-1] == "check failed: 4 error(s), 0 warning(s)"


def test_check_of_the_repository_content_passes():
    result = run_cli("check")
    assert result.returncode == 0, result.stderr + result.stdout


def test_a_failed_build_leaves_the_previous_site_byte_for_byte(make_content, tmp_path):
    content = make_content(GOOD)
    output = tmp_path / "site"
    assert build(content, output).returncode == 0
    before = snapshot(output)
    inodes = {p: p.stat().st_ino for p in output.rglob("*")}
    (content / "briefings/2020/one.md").write_text(briefing_text(title="Changed", date="not a date"))
    (content / "briefings/2020/three.md").write_text(briefing_text(title="Three"))
    result = build(content, output)
    assert result.returncode == 1
    assert "one.md:4:1: error: date:" in result.stderr and "was not changed" in result.stderr
    assert snapshot(output) == before
    assert {p: p.stat().st_ino for p in output.rglob("*")} == inodes
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")] == [".site.briefing-lock"]  # no staging left behind


def test_a_template_typo_names_the_template_and_line(make_content, tmp_path, copy_layouts):
    layouts = copy_layouts()
    article = layouts / "article.html"
    lines = article.read_text().splitlines()
    typo_line = next(i for i, line in enumerate(lines) if "briefing.title" in line and "<h1" in line)
    lines[typo_line] = lines[typo_line].replace("briefing.title", "briefing.titel")
    article.write_text("\n".join(lines) + "\n")
    result = run_cli("--content", str(make_content(GOOD)), "--layouts", str(layouts), "--output", str(tmp_path / "site"))
    assert result.returncode == 1
    assert f"layouts/article.html:{typo_line + 1}:1: error: template: UndefinedError:" in result.stderr
    assert "titel" in result.stderr
    assert not (tmp_path / "site").exists()


def test_two_sources_writing_one_url_is_an_error_naming_both(make_content, tmp_path):
    content = make_content({**GOOD, "briefings/2020/three.md": briefing_text(title="Three", aliases="[/briefings/2020/one/]")})
    result = build(content, tmp_path / "site")
    assert result.returncode == 1
    assert "briefings/2020/three.md:7:1: error: aliases: /briefings/2020/one/ is already the address of briefings/2020/one.md" in result.stderr  # the alias's line


def test_drafts_and_future_briefings_are_held_back_and_counted(make_content, tmp_path):
    content = make_content({**GOOD, "briefings/2020/draft.md": briefing_text(title="D", draft="true"), "briefings/2099/later.md": briefing_text(title="L", date="2099-01-01")})
    result = build(content, tmp_path / "site")
    assert "2 held back" in result.stdout
    assert not (tmp_path / "site/briefings/2020/draft").exists()
    result = build(content, tmp_path / "site", "--drafts", "--future")
    assert "held back" not in result.stdout
    assert (tmp_path / "site/briefings/2020/draft/index.html").is_file() and (tmp_path / "site/briefings/2099/later/index.html").is_file()


def test_the_machine_timezone_does_not_change_a_single_byte(make_content, tmp_path):
    content = make_content(GOOD)
    snapshots = []
    for tz in ("UTC", "America/Los_Angeles", "Asia/Kathmandu"):
        output = tmp_path / f"site-{tz.replace('/', '-')}"
        assert build(content, output, env={**os.environ, "TZ": tz}).returncode == 0
        snapshots.append(snapshot(output))
    assert snapshots[0] == snapshots[1] == snapshots[2]


def test_refuses_to_replace_a_folder_it_did_not_build(make_content, tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    result = build(make_content(GOOD), precious)
    assert result.returncode == 1 and "was not built by Briefing" in result.stderr
    assert (precious / "thesis.txt").read_text() == "years of work"


def test_the_console_script_is_the_same_command():
    briefing = shutil.which("briefing")
    if briefing is None:
        if os.environ.get("CI"):
            pytest.fail("`pip install -e .` should install the briefing command")
        pytest.skip("briefing console script not installed")
    import subprocess

    result = subprocess.run([briefing, "check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and "check ok" in result.stdout


def test_no_search_skips_the_index_and_a_later_build_restores_it(make_content, tmp_path):
    content, output = make_content(GOOD), tmp_path / "site"
    env = {**os.environ}
    assert build(content, output, "--no-search", env=env).returncode == 0
    assert not (output / "pagefind").exists() and (output / "search/index.html").is_file()
    (content / "briefings/2020/one.md").write_text(briefing_text(title="One, edited", date="2020-01-02"))
    result = build(content, output, env=env)
    assert result.returncode == 0, result.stderr
    if shutil.which("pagefind") or _pagefind_installed():
        assert (output / "pagefind/shards.json").is_file() and (output / "pagefind/2020/pagefind.js").is_file()


def _pagefind_installed() -> bool:
    from briefing import search

    return search.find_pagefind() is not None


def test_a_python_without_the_dependencies_is_told_how_to_install_them(tmp_path):
    """`python -S` has no site-packages, as a fresh machine's python before `pip install -e .`."""
    done = subprocess.run([sys.executable, "-S", str(ROOT / "build.py"), "--output", str(tmp_path / "site")], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "is not installed" in done.stderr and "pip install -e ." in done.stderr
    assert not (tmp_path / "site").exists()


def test_the_build_never_loads_the_importer_so_an_importer_change_keeps_the_build_state(make_content, tmp_path, monkeypatch):
    """code_key (which decides whether the last build's state may be used) covers the modules a build runs: the
    importer is not one of them, so a change to it must not throw the state away and turn a no-op into a full build."""
    from briefing import pipeline

    script = (
        "import sys; from pathlib import Path; from briefing import pipeline; "
        f"r = pipeline.build_site(pipeline.Options(content_dir=Path({str(make_content(GOOD))!r}), layouts_dir=Path({str(LAYOUTS)!r}), "
        f"output_dir=Path({str(tmp_path / 'site')!r}), cache_dir=Path({str(tmp_path / '.cache')!r}), search=False)); "
        "assert r.ok, r.problems; print(sorted(m for m in sys.modules if m.startswith('briefing.')))"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "briefing.pipeline" in result.stdout and "importer" not in result.stdout
    options = pipeline.Options(content_dir=tmp_path, layouts_dir=LAYOUTS)
    before = pipeline.code_key(options)
    monkeypatch.setattr(pipeline.Path, "read_bytes", lambda self, real=pipeline.Path.read_bytes: real(self) + (b"# changed" if "importer" in self.parts else b""))
    assert pipeline.code_key(options) == before
    monkeypatch.setattr(pipeline.Path, "read_bytes", lambda self, real=pipeline.Path.read_bytes: real(self) + (b"# changed" if self.name == "render.py" else b""))
    assert pipeline.code_key(options) != before


@pytest.mark.parametrize("port", ["99999", "-1", "abc"])
def test_serve_refuses_a_port_out_of_range_with_a_message_not_a_traceback(port):
    done = run_cli("serve", "--port", port)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "argument --port:" in done.stderr and "is not a port number; use 0 to 65535" in done.stderr


def test_a_build_started_outside_the_project_says_where_to_run_it(tmp_path):
    done = run_cli("check", cwd=tmp_path)
    assert done.returncode == 1
    assert "content/site.yaml:1:1: error: not found" in done.stderr and "run from the project folder, the one that holds content/, or pass --content DIR" in done.stderr


def test_the_summary_gives_a_quick_build_in_milliseconds_not_zero_seconds():
    from briefing import cli, errors

    assert cli.summary(errors.Report(counts={"article": 2, "feed": 3}, seconds=0.004)).endswith("3 feeds in 4 ms")
    assert cli.summary(errors.Report(counts={"article": 2, "feed": 3}, seconds=1.234)).endswith("3 feeds in 1.23 s")


def test_a_missing_layouts_folder_is_one_error_naming_the_flag(make_content, tmp_path):
    root = make_content({"briefings/2020/a.md": briefing_text()})
    done = run_cli("--content", str(root), "--layouts", str(tmp_path / "nope"), "--output", str(tmp_path / "site"))
    assert done.returncode == 1
    assert done.stderr.count("error:") == 1 and "or pass --layouts DIR" in done.stderr, done.stderr
