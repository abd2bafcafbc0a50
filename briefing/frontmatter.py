"""Read a source file's bytes into front matter and body, with the line of every field, or located problems."""
from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from .errors import Problem

MAX_SOURCE_BYTES = 1024 * 1024
FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader is ten times faster
MAX_FLOW = 200  # more brackets than this and the pure-Python loader is used (see _PureLoader)
MAX_NUMBER = 100  # characters in a number: more is never a field, and Python refuses to print an int of over 4,300 digits
_ODD_BREAKS = re.compile("[\x85\u2028\u2029]")


class LineDict(dict):
    """A YAML mapping that remembers the (line, col) of each key, 1-based, in the source file."""

    lines: dict
    line: int = 1
    col: int = 1


class LineList(list):
    """A YAML sequence that remembers the (line, col) of each item, so a warning can point at one tag."""

    lines: list


class _Fields:
    """Safe loading only; dates stay text so that one place converts them; no aliases, no duplicate keys."""

    line_offset = 0
    problems: list

    def get_single_data(self):
        node = self.get_single_node()
        if node is None:
            return None
        _refuse_aliases(node)
        return self.construct_document(node)

    def construct_line_dict(self, node):
        data = LineDict()
        data.lines = {}
        data.line = node.start_mark.line + 1 + self.line_offset
        data.col = node.start_mark.column + 1
        yield data
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            where = (key_node.start_mark.line + 1 + self.line_offset, key_node.start_mark.column + 1)
            if key in data:
                self.problems.append(Problem("", where[0], where[1], key, "duplicate key", "each field may appear only once; delete one of them"))
            data[key] = self.construct_object(value_node, deep=True)
            data.lines[key] = where

    def construct_short_int(self, node):
        if len(node.value) > MAX_NUMBER:
            raise NumberError(len(node.value), node.start_mark)
        return yaml.SafeLoader.construct_yaml_int(self, node)

    def construct_line_list(self, node):
        data = LineList()
        data.lines = [(item.start_mark.line + 1 + self.line_offset, item.start_mark.column + 1) for item in node.value]
        yield data
        data.extend(self.construct_object(item, deep=True) for item in node.value)


class _Loader(_Fields, _BaseLoader):
    pass


class _PureLoader(_Fields, yaml.SafeLoader):
    """For deeply nested text: the C composer recurses on the C stack and crashes the process; Python raises RecursionError."""


for _cls in (_Loader, _PureLoader):
    _cls.add_constructor("tag:yaml.org,2002:map", _Fields.construct_line_dict)
    _cls.add_constructor("tag:yaml.org,2002:seq", _Fields.construct_line_list)
    _cls.add_constructor("tag:yaml.org,2002:int", _Fields.construct_short_int)
    _cls.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


class AliasError(Exception):
    def __init__(self, mark):
        self.mark = mark


class NumberError(Exception):
    def __init__(self, length, mark):
        self.length, self.mark = length, mark


def _refuse_aliases(root) -> None:
    """Anchors and aliases have no use in front matter and allow exponential 'billion laughs' documents."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise AliasError(node.start_mark)
        seen.add(id(node))
        if isinstance(node.value, list):
            for item in node.value:
                stack.extend(item if isinstance(item, tuple) else (item,))


@dataclass(frozen=True)
class Parsed:
    """A source file split into its fields (a LineDict) and its Markdown body."""

    fields: LineDict
    body: str
    body_line: int  # the line of the file where the body starts


def too_large(path: str, size: int) -> Problem:
    return Problem(path, 1, 1, "", f"file is {size:,} bytes, over the {MAX_SOURCE_BYTES:,}-byte limit", "a briefing is text; keep it under 1 MiB and move attachments out of the Markdown")


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 (a BOM and CRLF line ends accepted), or one problem saying where the bad byte is."""
    if len(raw) > MAX_SOURCE_BYTES:
        return None, [too_large(path, len(raw))]
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return None, [Problem(path, line, 1, "", "binary file (contains NUL bytes)", "only UTF-8 Markdown files belong in content/")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [Problem(path, line, col, "", f"not UTF-8 text (byte 0x{raw[exc.start]:02x})", "save the file as UTF-8 in your editor")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def parse(text: str, path: str) -> tuple[Parsed | None, list[Problem]]:
    """Split `---` front matter from the body and load it safely; every problem is located."""
    lines = text.split("\n")
    if not text.strip():
        return None, [Problem(path, 1, 1, "", "empty file", "a briefing starts with front matter between two '---' lines, then the Markdown body")]
    if not FENCE.match(lines[0]) or lines[0].startswith("..."):
        return None, [Problem(path, 1, 1, "", "no front matter", "start the file with a line '---', the fields (title, author, date, tags), then another '---'")]
    end = next((i for i in range(1, len(lines)) if FENCE.match(lines[i])), None)
    if end is None:
        return None, [Problem(path, 1, 1, "", "front matter is not closed", "add a line '---' after the last field")]
    yaml_text = "\n".join(lines[1:end])
    fields, problems = load_yaml(yaml_text, path, line_offset=1)
    if fields is None:
        return None, problems
    body = "\n".join(lines[end + 1 :])
    return Parsed(fields, body, end + 2), problems


def load_yaml(yaml_text: str, path: str, line_offset: int = 0) -> tuple[LineDict | None, list[Problem]]:
    """Load one YAML mapping; syntax errors become problems at their line in the file."""
    problems: list[Problem] = []
    breaks = _ODD_BREAKS.search(yaml_text)
    if breaks:  # YAML counts these as line ends and editors do not: every line number after them would be wrong
        line, col = _position(yaml_text, breaks.start())
        return None, [Problem(path, line + line_offset, col, "", f"an invisible line separator (U+{ord(breaks.group()):04X}) in the front matter", "delete it, or retype the line")]
    deep = yaml_text.count("[") + yaml_text.count("{") > MAX_FLOW
    loader = (_PureLoader if deep else _Loader)(yaml_text)
    loader.line_offset = line_offset
    loader.problems = problems
    try:
        data = loader.get_single_data()
    except NumberError as exc:
        return None, [Problem(path, exc.mark.line + 1 + line_offset, exc.mark.column + 1, "", f"a number {exc.length:,} characters long", 'no field takes a number this long; if it is text, put it in quotes: id: "123…"')]
    except AliasError as exc:
        return None, [Problem(path, exc.mark.line + 1 + line_offset, exc.mark.column + 1, "", "YAML anchors and aliases are not allowed here", "write each value out in full")]
    except yaml.MarkedYAMLError as exc:
        return None, [_yaml_problem(exc, path, line_offset, yaml_text)]
    except yaml.reader.ReaderError as exc:
        line, col = _position(yaml_text, exc.position)
        return None, [Problem(path, line + line_offset, col, "", f"a control character (U+{exc.character:04X}) in the front matter", "delete it; most editors do not show it")]
    except RecursionError:
        return None, [Problem(path, 1 + line_offset, 1, "", "front matter is nested too deeply", "front matter holds fields, short lists and small mappings")]
    except yaml.YAMLError as exc:  # errors without a position, e.g. from the reader
        return None, [Problem(path, 1 + line_offset, 1, "", f"invalid YAML: {exc}", "check the front matter syntax")]
    finally:
        loader.dispose()
    if data is None:
        data = LineDict()
        data.lines = {}
    if not isinstance(data, LineDict):
        return None, [Problem(path, 1 + line_offset, 1, "", "front matter must be a mapping of fields", "write one 'field: value' a line")]
    return data, [Problem(path, p.line, p.col, p.field, p.message, p.hint) for p in problems]


def _yaml_problem(exc: yaml.MarkedYAMLError, path: str, line_offset: int, yaml_text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = (mark.line + 1 + line_offset) if mark else 1 + line_offset
    col = (mark.column + 1) if mark else 1
    problem = exc.problem or "invalid YAML"
    if "\t" in problem or "'\\t'" in problem or (mark and "\t" in _line_of(yaml_text, mark.line)):
        return Problem(path, line, col, "", "a tab character in the front matter", "YAML indents with spaces; replace tabs with spaces")
    if "could not determine a constructor" in problem:
        tag = problem.split("tag ")[-1]
        return Problem(path, line, col, "", f"YAML tag {tag} is not allowed", "front matter holds plain text, numbers, lists and mappings only")
    hint = "quote values that contain ': ' or start with a special character, and check the indentation"
    return Problem(path, line, col, "", f"invalid YAML: {problem}", hint)


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def _line_of(text: str, index: int) -> str:
    lines = text.split("\n")
    return lines[index] if 0 <= index < len(lines) else ""
