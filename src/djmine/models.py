"""Records passed between pipeline stages."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any


@dataclass(frozen=True)
class Line:
    """A line of a source file after normalisation; ``number`` is its 0-based line number."""

    number: int
    text: str


@dataclass(frozen=True, repr=False)
class RemovedSpan:
    """A piece of text that cleaning removed, and the rule that removed it.

    ``line`` is the 0-based line number in the source file; ``start``/``end`` index that line
    after normalisation, so ``normalised_lines[line][start:end] == text``.
    """

    rule: str
    line: int
    start: int
    end: int
    text: str

    def __repr__(self) -> str:
        # What dataclass would generate, written out: Document.content_sha256 hashes the repr
        # of every span, and the generated one (with its recursion guard) takes twice as long.
        return (f"RemovedSpan(rule={self.rule!r}, line={self.line!r}, start={self.start!r}, "
                f"end={self.end!r}, text={self.text!r})")


@dataclass(frozen=True)
class Document:
    """One article as kept in the store. ``text`` is the clean text all offsets refer to."""

    id: str
    source: str
    part: int
    title: str
    text: str
    raw: str
    encoding: str
    years: tuple[int, ...] = ()
    placeholders: int = 0
    removed: tuple[RemovedSpan, ...] = field(default_factory=tuple)
    file_sha256: str = ""

    @property
    def chars(self) -> int:
        return len(self.text)

    @property
    def removed_chars(self) -> int:
        return sum(len(span.text) for span in self.removed)

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @cached_property
    def content_sha256(self) -> str:
        """Hash of every stored field but the file hash: equal means the document is unchanged
        (editing one article of a compilation leaves the others unchanged)."""
        digest = hashlib.sha256()
        for value in (self.id, self.source, self.part, self.title, self.raw, self.encoding, self.years,
                      self.placeholders, self.removed):
            digest.update(repr(value).encode("utf-8"))
            digest.update(b"\0")
        digest.update(self.sha256.encode())
        return digest.hexdigest()

    @property
    def stem(self) -> str:
        return self.id.split("#", 1)[0]

    def to_record(self) -> dict[str, Any]:
        """A flat dict with every exported field (the store and `export` schema)."""
        # Built by hand: dataclasses.asdict deep-copies recursively and was a third of ingest time.
        record: dict[str, Any] = {
            "id": self.id, "source": self.source, "part": self.part, "title": self.title,
            "text": self.text, "raw": self.raw, "chars": self.chars, "removed_chars": self.removed_chars,
            "encoding": self.encoding, "years": list(self.years), "placeholders": self.placeholders,
            "sha256": self.sha256,
            "removed": [{"rule": r.rule, "line": r.line, "start": r.start, "end": r.end, "text": r.text}
                        for r in self.removed],
            "file_sha256": self.file_sha256,
        }
        record["content_sha256"] = self.content_sha256
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Document:
        removed = tuple(RemovedSpan(**dict(span)) for span in (record.get("removed") or ()))
        return cls(
            id=record["id"],
            source=record["source"],
            part=int(record["part"]),
            title=record["title"],
            text=record["text"],
            raw=record["raw"],
            encoding=record["encoding"],
            years=tuple(int(y) for y in (record.get("years") if record.get("years") is not None else ())),
            placeholders=int(record.get("placeholders") or 0),
            removed=removed,
            file_sha256=record.get("file_sha256") or "",
        )
