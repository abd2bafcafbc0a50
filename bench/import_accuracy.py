"""Measure the importer, and Trafilatura alone, on tests/import-corpus: per field, saved pages and plain text apart.

    python bench/import_accuracy.py              # the table: development files, held-out files (if any), all
    python bench/import_accuracy.py --misses     # also what was wrong, for files not held out
    python bench/import_accuracy.py --development --misses   # development files only: held-out totals stay unseen while working

A field is right when: title equals the answer (case, quotes and spacing aside); the set of authors equals
the answer's; the date's calendar day, as written with its offset, is the answer's; the body's first
paragraph opens with the answer's first sentence (its first twelve words, a dateline allowed on either
side); and no body line is junk (a share or follow button, a byline or timestamp, a photo credit, a promo,
a lone word, a button with its count or label ("Ver comentarios (0)", "Search for: Search"), a paywall's plea, a line said
again, or the body's tail of headline-like lines: three or more, or any of four words or fewer). Imported means a briefing that passes the build's loader came out, with no flag given (for
Trafilatura alone: that it returned any text at all); usable means imported with the three fields a
briefing requires, title, author and date, all right: the fair way to compare an importer that refuses
what it cannot fill with one that always returns something.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "import-corpus"
FIELDS = ("imported", "usable", "title", "author", "date", "first sentence", "clean body")
PARTS = ("development", "held-out", "all")
JUNK = re.compile(
    r"^(?:share|tweet|email|print|comments?|subscribe|sign (?:up|in)|follow|advertisement|read more|related|"
    r"more videos|replay|caption|close|view all|photo:|image:|credit:|getty|image \d+ of|\d+ comments|"
    r"published|updated|posted|by [A-Z]|click to|you may also like|most popular|also read|watch|listen)\b"
    r"|(?:newsletter|all rights reserved|min read|@\w+$)",
    re.I,
)


@dataclass(frozen=True)
class Found:
    imported: bool
    title: str = ""
    authors: tuple[str, ...] = ()
    day: str = ""
    body: str = ""
    crash: str = ""  # the exception an engine raised on the file, which counts as not imported


def ours(path: Path, content: Path) -> Found:
    from briefing.importer import ImportOptions, import_articles

    [result] = import_articles([path], ImportOptions(content_dir=content, tags=("Corpus",), dry_run=True))
    if result.problems:
        return Found(False)
    head, _, body = result.text.removeprefix("---\n").partition("\n---\n")
    meta = yaml.safe_load(head)
    authors = meta["author"] if isinstance(meta["author"], list) else [meta["author"]]
    return Found(True, meta["title"], tuple(authors), str(meta["date"])[:10], body)


def trafilatura_alone(path: Path) -> Found:
    import trafilatura

    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:  # a page saved in its own charset (windows-1252 …): Trafilatura decodes the bytes itself
        raw = path.read_bytes()
    if path.suffix == ".txt":  # Trafilatura reads HTML: give it the text a line a paragraph, its most generous reading
        raw = "<html><body>" + "".join(f"<p>{line}</p>" for line in raw.split("\n") if line.strip()) + "</body></html>"
    with warnings.catch_warnings():  # its date finder (dateutil) warns on zone names it cannot place ("… 08:57:25 EST")
        warnings.simplefilter("ignore")
        out = trafilatura.extract(raw, output_format="json", with_metadata=True, include_formatting=True)
    if not out:
        return Found(False)
    data = json.loads(out)
    authors = tuple(a.strip() for a in (data.get("author") or "").split(";") if a.strip())
    return Found(True, data.get("title") or "", authors, (data.get("date") or "")[:10], data.get("text") or "")


def _norm(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').replace("\u00a0", " ")
    return " ".join(re.sub(r"\\(.)", r"\1", text).split()).casefold().strip(" .")


def _words(markdown: str) -> list[str]:
    text = re.sub(r"\]\([^)]*\)", "", markdown)
    return re.findall(r"\w+", _norm(text))


def _undateline(words: list[str]) -> list[str]:
    return words


def right(found: Found, answer: dict) -> dict[str, bool]:
    if not found.imported:
        return dict.fromkeys(FIELDS, False)
    paragraphs = [p for p in found.body.split("\n\n") if p.strip()]
    first_words = _words(" ".join(paragraphs[:2]))[:60]
    want = _words(answer["first_sentence"])
    want = want[:12]
    starts = any(first_words[i:i + len(want)] == want for i in range(0, 9)) or any(want[i:] == first_words[: len(want) - i] for i in range(1, 6))
    junk = _junk_lines(found, answer)
    scores = {
        "imported": True,
        "title": _norm(found.title) == _norm(answer["title"]),
        "author": sorted(map(_norm, found.authors)) == sorted(map(_norm, answer["authors"])),
        "date": found.day == answer["date"],
        "first sentence": starts,
        "clean body": not junk,
    }
    scores["usable"] = scores["title"] and scores["author"] and scores["date"]
    return {f: scores[f] for f in FIELDS}


# A line a reader would call page furniture by its shape, not its words: a prompt with a count or a label before a colon
# ("Ver comentarios (0)", "Search for: Search", "Comments: 12"), or a paywall's plea to join, subscribe or log in.
PROMPT = re.compile(r"^\W*\w+(?:\s+\w+){0,3}\s*\(\d+\)$|^\W*(\w+)\b[^:]{0,30}:\s*\1$", re.I)
# A sign-off or a source line closes a story ("With Post wires", "SOURCE: Al Jazeera", "Additional reporting by …"): not junk.
SIGN_OFF = re.compile(r"^\W*(?:with\b.{0,30}\bwires?|sources?\b|contributing\b|(?:additional )?reporting\b|edit(?:ed|ing) by\b|compiled by\b)", re.I)
PAYWALL = re.compile(
    r"\byou(?:['’](?:ll|re))?\b[^.]*\b(?:subscribers?|subscription|log in|sign in|unlimited (?:digital )?access|join now)\b"
    r"|\b(?:subscribers?|subscription|log in|sign in|join now)\b[^.]*\byou\b|有料(?:会員|記事)",
    re.I,
)


def _plain(line: str) -> str:
    return re.sub(r"[*_`\\#>]|\[|\]\([^)]*\)", "", line).strip()


def _headline_like(line: str) -> bool:
    """A line shaped like another story's headline: a few words, opening with a capital or a quote and ending in a letter or
    a quote; not a heading, a list item, a note in italics, a sign-off, or a dated entry of a list ("June 9 – Tampa, FL")."""
    text = _plain(line)
    words = re.findall(r"\w+", text)
    return (1 <= len(words) <= 18 and bool(re.match(r"[\"“‘'«¿¡]?[^\W\d_a-zß-ÿ]", text)) and bool(re.search(r"[^\W\d_][\"”’'»]?$", text))
            and not re.match(r"#|\d+\. |- |\*|_", line.strip()) and not SIGN_OFF.match(text)
            and not re.match(r"[A-Z][a-z]{2,8}\.?\s+\d{1,2}\b", text))


def _junk_lines(found: Found, answer: dict) -> list[str]:
    """The body's junk lines: those junk on their own, and the run of headline-like lines the body ends in when it is three
    lines or more (a list of other stories) or lines of four words or fewer (buttons: "Reportar un error")."""
    lines = [line for p in found.body.split("\n\n") if p.strip() for line in p.split("\n") if line.strip()]
    flagged = [_junk(line, found, answer) for line in lines]
    start = len(lines)
    while start > 0 and (_headline_like(lines[start - 1]) or flagged[start - 1]):
        start -= 1
    run = lines[start:]
    if len(run) >= 3 or all(len(re.findall(r"\w+", _plain(line))) <= 4 for line in run):
        flagged[start:] = [True] * len(run)
    # A story does not say a line twice: a line shown again (other quotes, a heading's or a pull quote's marks) is furniture.
    seen = [_norm(_plain(line)) for line in lines]
    flagged = [bad or len(key.split()) >= 4 and key in seen[:at] for at, (bad, key) in enumerate(zip(flagged, seen))]
    return [line for line, bad in zip(lines, flagged) if bad]


def _labelled_sentence(text: str) -> bool:
    """A sentence of the story that opens with a stamp's label as a verb ("Posted on social media by the analysts at …, the
    port is not smooth."): longer than a stamp, and ending as a sentence does. A stamp's line is short."""
    return bool(re.match(r"(?:published|updated|posted)\b", text, re.I)) and len(text.split()) > 15 and bool(re.search(r"[.?!][”\"’']?$", text))


def _junk(line: str, found: Found, answer: dict) -> bool:
    text = re.sub(r"[*_`\\#>]|\[|\]\([^)]*\)", "", line).strip()
    if not text:
        return False
    if _norm(text) == _norm(answer["title"]) or JUNK.search(text) and not _labelled_sentence(text) or PROMPT.match(text) or PAYWALL.search(text):
        return True
    words = text.split()
    if len(words) <= 2 and not re.search(r"[.?!:。！？]$", text) and not re.match(r"#|\d+\. |- ", line):  # (CJK sentences hold no spaces)
        return True  # a lone word from a button or a counter; headings are marked as such
    return any(_norm(text) == _norm(name) for name in answer["authors"])


def measure(select=lambda name, answer: True) -> dict:
    """{(engine, kind, part): {field: [right, total]}} and the misses of our importer, per file."""
    answers = json.loads((CORPUS / "answers.json").read_text(encoding="utf-8"))
    table: dict = {}
    misses: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        (content / "briefings").mkdir(parents=True)
        (content / "site.yaml").write_text("title: Corpus\ndescription: Accuracy.\nbase_url: https://example.org/\ntimezone: UTC\n", encoding="utf-8")
        for name, answer in sorted(answers.items()):
            if not select(name, answer):
                continue
            kind = "html" if name.startswith("html/") else "text"
            for engine, found in (("ours", _run(ours, CORPUS / name, content)), ("trafilatura", _run(trafilatura_alone, CORPUS / name))):
                scores = right(found, answer)
                for part in ("all", "held-out" if answer["held_out"] else "development"):
                    row = table.setdefault((engine, kind, part), {f: [0, 0] for f in FIELDS})
                    for field_name, ok in scores.items():
                        row[field_name][0] += ok
                        row[field_name][1] += 1
                if engine == "ours" and not all(scores.values()):
                    misses[name] = [f"{f}: {_shown(f, found, answer)}" for f, ok in scores.items() if not ok]
    return {"table": table, "misses": misses}


def _run(engine, *args) -> Found:
    """An engine's answer for one file; an exception it raises is a failed import of that file, not the end of the run."""
    try:
        return engine(*args)
    except Exception as error:  # noqa: BLE001 - any crash is a failure to import this file
        return Found(False, crash=f"{type(error).__name__}: {error}")


def _shown(field_name: str, found: Found, answer: dict) -> str:
    if not found.imported:
        return f"not imported (crashed: {found.crash})" if found.crash else "not imported"
    if field_name == "title":
        return f"{found.title!r} != {answer['title']!r}"
    if field_name == "author":
        return f"{list(found.authors)} != {answer['authors']}"
    if field_name == "date":
        return f"{found.day} != {answer['date']}"
    if field_name == "first sentence":
        return f"{found.body.strip()[:120]!r}"
    return f"{_junk_lines(found, answer)[:6]}"


def markdown_table(table: dict, parts: tuple[str, ...] = PARTS) -> str:
    rows = ["| engine | input | files | " + " | ".join(FIELDS) + " |", "|---|---|---|" + "---|" * len(FIELDS)]
    for part in parts:
        for kind in ("html", "text"):
            for engine in ("ours", "trafilatura"):
                row = table.get((engine, kind, part))
                if not row:
                    continue
                total = row["imported"][1]
                cells = " | ".join(f"{100 * row[f][0] / total:.0f}%" for f in FIELDS)
                label = {"html": "saved HTML", "text": "plain text"}[kind] + {"all": ", all", "held-out": ", held out", "development": ", development"}[part]
                rows.append(f"| {'Briefing' if engine == 'ours' else 'Trafilatura alone'} | {label} | {total} | {cells} |")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--misses", action="store_true", help="list what our importer got wrong (files not held out only)")
    parser.add_argument("--development", action="store_true", help="measure the files not held out only (for working on the importer)")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    result = measure((lambda name, answer: not answer["held_out"]) if args.development else (lambda name, answer: True))
    held_out = any(part == "held-out" for _, _, part in result["table"])
    # With no file held out, the development rows would only repeat the totals: show those and say why.
    print(markdown_table(result["table"], ("development",) if args.development else PARTS if held_out else ("all",)))
    if not held_out and not args.development:
        print("\nNo file is held out (tests/import-corpus/SOURCES.md says since when): every file is a development file.")
    if args.misses:
        answers = json.loads((CORPUS / "answers.json").read_text(encoding="utf-8"))
        for name, wrong in result["misses"].items():
            if not answers[name]["held_out"]:
                print(f"\n{name}\n  " + "\n  ".join(wrong))
    return 0


if __name__ == "__main__":
    sys.exit(main())
