"""Problems found in content or templates, and the one place that words them for people and machines."""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One located finding: `path:line:col: severity: field: message (hint)`."""

    path: str
    line: int = 1
    col: int = 1
    field: str = ""
    message: str = ""
    hint: str = ""
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}"
        subject = f"{self.field}: " if self.field else ""
        hint = f" ({self.hint})" if self.hint else ""
        # One problem, one line: a YAML library message may span lines, which would break editors' and CI's parsing.
        return printable(re.sub(r"\s*[\r\n]+\s*", " ", f"{where}: {self.severity}: {subject}{self.message}{hint}"))


# C0 and C1 controls, DEL, and the invisible marks that reorder or hide text: from a file name or a quoted value they
# would reach a terminal or a CI log raw (an escape sequence recolours or rewrites the screen), so they are shown escaped.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def printable(text: str) -> str:
    """Text safe to print: each control or bidirectional mark written as its escape, such as \\x1b or \\u202e."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class ContentError(Exception):
    """Raised by a stage that cannot go on; carries every problem found so far."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Report:
    """What a build or check did: the problems, and counts for the summary line."""

    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    held_back: int = 0
    output: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


def format_text(problems: list[Problem]) -> str:
    return "\n".join(str(p) for p in sorted(problems))


def _escape_annotation(text: str, *, property_value: bool = False) -> str:
    # The escaping GitHub's workflow commands expect (actions/toolkit, command.ts).
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(problems: list[Problem]) -> str:
    """GitHub Actions annotations, so errors show on the lines of a pull request."""
    lines = []
    for p in sorted(problems):
        props = ",".join(
            f"{key}={_escape_annotation(str(value), property_value=True)}"
            for key, value in (("file", p.path), ("line", p.line), ("col", p.col), ("title", p.field or "briefing"))
        )
        message = f"{p.field}: {p.message}" if p.field else p.message
        if p.hint:
            message += f" ({p.hint})"
        lines.append(printable(f"::{p.severity} {props}::{_escape_annotation(message)}"))
    return "\n".join(lines)


def format_json(problems: list[Problem]) -> str:
    return json.dumps([asdict(p) for p in sorted(problems)], indent=2, ensure_ascii=False)
