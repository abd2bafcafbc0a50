"""Bytes to text: UTF-8, UTF-16 with a BOM, a page's declared charset or Windows-1252, with double-encoded UTF-8 repaired."""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import Problem

MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u2018-\u203a\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc]")


def repair_double_encoding(text: str) -> str:
    """UTF-8 read as Windows-1252 and saved again ("Playâ€¦" for "Play…"): undo it where it undoes cleanly."""
    if len(MOJIBAKE.findall(text)) < 2:
        return text
    for encoding in ("cp1252", "latin-1"):
        try:
            return text.encode(encoding).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return text


def looks_like_html(path: Path, text: str) -> bool:
    if path.suffix.lower() in (".html", ".htm", ".xhtml"):
        return True
    return bool(re.match(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", text[:4000], re.I | re.S))


def decode_source(raw: bytes, where: str) -> tuple[str, Problem | None]:
    """Decode UTF-8 (with or without BOM), UTF-16 with a BOM, or clean Windows-1252; refuse anything else."""
    if not raw.strip():
        return "", Problem(where, message="the file is empty")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        # Strict UTF-8 almost never succeeds on other encodings, so it goes first, even before a page's own claim.
        candidates = ["utf-8-sig", *_declared_charset(raw), "cp1252"]
    first_error: UnicodeDecodeError | None = None
    for encoding in candidates:
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            if isinstance(exc, UnicodeDecodeError) and encoding == "utf-8-sig":
                first_error = exc
            continue
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        controls = re.findall(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]", text)
        if controls and (len(controls) <= 5 and len(controls) * 50 < len(text) or len(set(controls)) == 1 and len(controls) * 100 < len(text)) \
                and "\x00" not in controls:  # a stray control in a page, or one kind of mark left by its footnotes ("WWF\x07 (2020)"), is noise
            text, controls = re.sub(r"[\x01-\x08\x0e-\x1f\x7f-\x9f]", "", text), []
        bad = re.search(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]", text) if controls else None  # many controls: a binary file or a wrong guess
        if bad:
            line, col = _line_col(text, bad.start())
            return "", Problem(where, line, col, message=f"this looks like a binary file, not text (control character U+{ord(bad.group()):04X})", hint="import a .txt or .html article")
        return repair_double_encoding(text), None
    line, col = _line_col(raw.decode("utf-8", "replace"), first_error.start if first_error else 0)
    return "", Problem(where, line, col, message="cannot decode the text: it is neither UTF-8 nor Windows-1252", hint="re-save the file as UTF-8")


def _declared_charset(raw: bytes) -> list[str]:
    # A saved page's <meta charset> beats guessing; only the head is searched, and unknown names are skipped.
    found = re.search(rb"<meta[^>]+charset=[\"']?([\w.:-]+)", raw[:4096], re.I)
    if not found:
        return []
    name = found.group(1).decode("ascii").lower()
    # As browsers do (WHATWG Encoding): Latin-1 and ASCII labels mean Windows-1252.
    return ["cp1252"] if name in ("iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii") else [name]


def _line_col(text: str, index: int) -> tuple[int, int]:
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1
