"""The one value every reader produces and the writer consumes: what an article says, before options, tags and paths."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Article:
    title: str = ""
    authors: tuple[str, ...] = ()
    date: datetime | date | None = None
    zone_written: bool = True  # False when the time was read in a fallback zone because the source named none
    paragraphs: tuple[str, ...] = ()  # Markdown blocks
    caption: str = ""
    credit: str = ""
    image_src: str = ""
    image_alt: str = ""
    source_name: str = ""
    source_url: str = ""
    notes: tuple[str, ...] = ()  # why each field was chosen, for `--dry-run -v`
