"""The build state in .cache/: what the last build read, parsed, planned and wrote, so the next one redoes only what changed.

It answers a few questions (is this parse current, is this output's fingerprint current, can the last plan be
reused) and never calls back into the build. It holds plain values; anything damaged or from other code is
dropped, which costs a full build and never a wrong site. Which trees it describes is proved by the writer's
markers (`writer.verify`), not assumed.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import Problem

VERSION = 3
SHARDS = 64  # parsed sources are saved in this many files, so an edit rewrites one of them, not 50 MB
KEEP_STATES = 16  # states of other output folders (test runs, previews) beyond this many are dropped, oldest first
MAGIC = b"BRIEF%03d" % VERSION


@dataclass
class State:
    """What one output folder's last build knew. Empty means a full build; `trusted` means this process wrote it."""

    key: bytes = b""  # the code and folders that made it: another key, and nothing in it is used
    inputs: dict = field(default_factory=dict)  # input name -> inputs.Input
    walk_problems: list[Problem] = field(default_factory=list)  # what the last walk found (serve reuses a walk)
    files: dict[str, str] = field(default_factory=dict)  # input name -> its path, as the last walk found them (in memory only)
    parsed: dict[bytes, tuple] = field(default_factory=dict)  # token -> (Briefing or Topic or None, problems, shape digest)
    filed: dict[bytes, tuple] = field(default_factory=dict)  # token -> the same with a briefing's filing in its place: small
    filed_shards: dict[int, str] = field(default_factory=dict)  # on disk: shard number -> file of `filed`, loaded only when the sources must be assembled again
    cards: dict[bytes, object] = field(default_factory=dict)  # token -> what lists show of it (`card`): small
    card_shards: dict[int, str] = field(default_factory=dict)  # on disk: shard number -> file of `cards`, loaded when a page lists a source not parsed now
    tokens: dict[str, bytes] = field(default_factory=dict)  # source path -> the token of what it held
    settings: bytes = b""  # what the tokens were made with besides the sources' bytes
    outputs: dict[str, tuple[bytes, bytes, bool]] = field(default_factory=dict)  # output -> (fingerprint, digest of its bytes, marked for search)
    basis: bytes = b""  # what every fingerprint was made of besides the sources: the plan, templates and config
    live: object = None  # writer.Tree of the site as last published
    spare: object = None  # writer.Tree of the previous site, kept beside it (see previous_site)
    spare_saved: bool = False  # that record is in the state's folder, not loaded: only a build that writes needs it
    plan: object = None  # the last plan (pipeline.Plan); loaded only when asked for by its key
    pages: object = None  # its packed pages (pipeline.Pages), the large part: loaded only when a page is rendered
    plan_key: bytes = b""
    summary: object = None  # pipeline.Summary of the sources the last build had
    site: object = None  # the model.Site it assembled (in memory only: serve patches it for an edit to a briefing's text)
    template_reads: dict = field(default_factory=dict)  # digest of a template -> what it names and reads
    trusted: bool = False  # made by this process, which alone writes its trees (serve): no need to verify them
    shards: dict[int, str] = field(default_factory=dict)  # on disk: shard number -> file holding its parsed sources
    folder: Path | None = None  # where its files are

    def parse(self, token: bytes) -> tuple | None:
        """The parse of a source whose path, bytes and settings make `token`, if the last build made it."""
        return self.parsed.get(token) or self._load_shard(self.parsed, self.shards, token[0] % SHARDS, token)

    def filing(self, token: bytes) -> tuple | None:
        """What the checks across files and the plan need of a parse (a briefing's filing, not its text), if the last
        build made it: assembling a site of ten thousand briefings needs no briefing's HTML."""
        for number in list(self.filed_shards):  # assembling needs them all
            self._load_shard(self.filed, self.filed_shards, number)
        return self.filed.get(token)

    def card(self, token: bytes):
        """What a list shows of the source whose parse `token` names (`card`), if the last build kept it: a year's
        archive lists a thousand briefings, and their cards fill a few megabytes where their parses fill sixty."""
        return self.cards.get(token) or self._load_shard(self.cards, self.card_shards, token[0] % SHARDS, token)

    def _load_shard(self, memory: dict, shards: dict[int, str], number: int, token: bytes = b""):
        """Load shard `number`'s file (once: it leaves `shards`) into `memory`; then the value of `token`, if any."""
        name = shards.pop(number, None)
        if name is not None and self.folder is not None:
            part = _load(self.folder / name)
            if isinstance(part, dict):
                for other, value in part.items():
                    memory.setdefault(other, value)
        return memory.get(token)

    def current(self, outputs: list[str], fingerprints: list[bytes], held: dict[str, bytes]) -> dict[str, tuple]:
        """The outputs the last build made from the same fingerprints and whose bytes a tree holds (`held`: path ->
        digest), with what it recorded of each (fingerprint, digest of the bytes, what search keeps of it); asked
        once for every page of the site."""
        last = self.outputs
        return {rel: old for rel, fp in zip(outputs, fingerprints) if (old := last.get(rel)) is not None and old[0] == fp and held.get(rel) == old[1]}

    def previous_site(self):
        """The record of the previous site, kept beside the live one (writer.Tree), or None."""
        if self.spare is None and self.spare_saved and self.folder is not None:
            self.spare = _load(self.folder / "spare")
        return self.spare

    def last_plan(self, key: bytes):
        """The last build's plan, if it was made from an outline with this key."""
        if key != self.plan_key:
            return None
        if self.plan is None and self.folder is not None:
            self.plan = _load(self.folder / f"plan-{key.hex()}")
        return self.plan

    def last_pages(self, key: bytes):
        """The last plan's packed pages, if it was made from an outline with this key."""
        if key != self.plan_key:
            return None
        if self.pages is None and self.folder is not None:
            self.pages = _load(self.folder / f"pages-{key.hex()}")
        return self.pages


def folder_of(cache_dir: Path, output_dir: Path) -> Path:
    """One state per output folder, so two output folders never share one."""
    name = hashlib.blake2b(str(output_dir.absolute()).encode(), digest_size=8).hexdigest()
    return cache_dir / "briefing" / name


def load(cache_dir: Path, output_dir: Path, key: bytes) -> State:
    """The recorded state, or an empty one when there is none, it is damaged, or other code made it."""
    folder = folder_of(cache_dir, output_dir)
    head = _load(folder / "state")
    if not isinstance(head, State) or head.key != key:
        return State(key=key)
    return replace(head, folder=folder, trusted=False)


def save(cache_dir: Path, output_dir: Path, state: State) -> None:
    """Parsed shards and the plan first (named by content, so an unchanged one is already there), then the head by
    atomic rename: a kill at any point leaves the old state or the new one, whole."""
    folder = folder_of(cache_dir, output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    same_folder = state.folder == folder
    shards = _save_shards(folder, state, "parsed", state.parsed, state.shards if same_folder else {})
    filed = _save_shards(folder, state, "filed", state.filed, state.filed_shards if same_folder else {})
    cards = _save_shards(folder, state, "cards", state.cards, state.card_shards if same_folder else {}, lambda parse: card(parse[0]) if parse[0] is not None else None)
    plan = replace(state.plan, pages=None) if state.plan is not None else None  # the pages go in a file of their own
    for name, value in ((f"plan-{state.plan_key.hex()}", plan), (f"pages-{state.plan_key.hex()}", state.pages)):
        if value is not None and not (folder / name).exists():
            _dump(folder / name, value)
    if state.spare is not None:
        _dump(folder / "spare", state.spare)
    spare_saved = state.spare is not None or (state.spare_saved and same_folder)
    _dump(folder / "state", replace(state, files={}, site=None, parsed={}, filed={}, filed_shards=filed, cards={}, card_shards=cards, plan=None, pages=None, spare=None, spare_saved=spare_saved, shards=shards, folder=None, trusted=False))
    keep = {*shards.values(), *filed.values(), *cards.values(), "state", f"plan-{state.plan_key.hex()}", f"pages-{state.plan_key.hex()}"} | ({"spare"} if spare_saved else set())
    for path in folder.iterdir():
        if path.name not in keep:
            path.unlink(missing_ok=True)
    _prune(folder.parent)


def card(value):
    """What lists show of a parsed source: a briefing without its body (pipeline.Listed loads that when read);
    a topic or an author's profile whole."""
    return replace(value, body_html="") if hasattr(value, "body_html") else value


def _save_shards(folder: Path, state: State, prefix: str, memory: dict, old: dict[int, str], from_parse=None) -> dict[int, str]:
    """A value per current source (state.tokens) in SHARDS files, each named by the tokens it holds: a shard whose
    tokens are unchanged is already on disk (an edit rewrites one of them, not megabytes); one that changed is made
    from what is in memory, its old file, or (`from_parse`) the parse in memory, leaving out sources gone. A shard
    missing a value is not written: its sources are worked out again next time."""
    groups: dict[int, list[bytes]] = {}
    for token in state.tokens.values():
        groups.setdefault(token[0] % SHARDS, []).append(token)
    saved = {}
    for number, tokens in sorted(groups.items()):
        tokens.sort()
        name = f"{prefix}-" + hashlib.blake2b(b"".join(tokens), digest_size=12).hexdigest()
        if not (folder / name).exists():
            entries = {token: memory[token] for token in tokens if token in memory}
            if len(entries) < len(tokens) and number in old and state.folder is not None:
                found = _load(state.folder / old[number])
                entries.update((token, found[token]) for token in tokens if isinstance(found, dict) and token in found and token not in entries)
            if len(entries) < len(tokens) and from_parse is not None:
                entries.update((token, value) for token in tokens if token not in entries and token in state.parsed and (value := from_parse(state.parsed[token])) is not None)
            if len(entries) < len(tokens):
                continue
            _dump(folder / name, entries)
        saved[number] = name
    return saved


def _load(path: Path):
    try:
        with open(path, "rb") as f:
            if f.read(len(MAGIC)) != MAGIC:
                return None
            return pickle.load(f)
    except Exception:  # any damage at all (truncated, foreign, unpicklable) only costs a full build
        return None


def _dump(path: Path, value) -> None:
    temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    with open(temp, "wb") as f:
        f.write(MAGIC)
        pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temp, path)


def _prune(parent: Path) -> None:
    """Forget the states of output folders not built for a while (each test run makes its own)."""
    folders = sorted((p for p in parent.iterdir() if (p / "state").is_file()), key=lambda p: (p / "state").stat().st_mtime_ns, reverse=True)
    for old in folders[KEEP_STATES:]:
        for path in old.iterdir():
            path.unlink(missing_ok=True)
        try:
            old.rmdir()
        except OSError:
            pass


def same(a: State, b: State) -> bool:
    """Whether saving `a` over `b` would record anything new (parses are named by the inputs, so inputs stand for them)."""
    names = ("key", "inputs", "walk_problems", "tokens", "outputs", "basis", "live", "spare", "spare_saved", "plan_key", "summary", "template_reads", "settings", "filed_shards")
    return all(getattr(a, name) == getattr(b, name) for name in names)
