"""Ingest: load → normalise → clean → split → store, with an audit of what was removed.

The run is two passes over the files given: the first reads and normalises every file, the
second cleans them, because one cleaning signal (short lines that recur verbatim across sources)
needs all files at once. Nothing is written until the end, and then atomically, so an
interrupted ingest leaves the store as it was.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import clean, extract, normalize, split
from .io import DEFAULT_MAX_BYTES, Skipped, SourceFile, discover, read_source
from .models import Document, Line, RemovedSpan
from .store import Store

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class IngestReport:
    """What an ingest did. Lists hold document IDs; ``skipped`` holds files with reasons."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    files_read: int = 0
    bytes_read: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def errors(self) -> list[Skipped]:
        return [s for s in self.skipped if s.error]

    @property
    def exit_code(self) -> int:
        """0 all read, 1 some files failed, 2 nothing could be read."""
        if not self.documents:
            return 2
        return 1 if self.errors else 0

    def to_json(self) -> dict:
        status = {i: "added" for i in self.added} | {i: "updated" for i in self.updated}
        return {
            "added": len(self.added),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.skipped],
            "documents": [
                {"id": d.id, "source": d.source, "title": d.title, "chars": d.chars,
                 "removed_chars": d.removed_chars, "status": status.get(d.id, "unchanged")}
                for d in self.documents
            ],
        }


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    store: Store,
    *,
    max_file_bytes: int = DEFAULT_MAX_BYTES,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> IngestReport:
    """Read ``paths`` (files or folders) into ``store``.

    Files already in the store are replaced by their new documents; documents of other files
    stay. With ``rebuild`` the store starts empty (e.g. after a schema change).
    """
    report = IngestReport()
    with store.lock():
        existing = [] if rebuild else (store.documents() if store.exists() else [])
        sources = _read_all(paths, report, max_file_bytes, progress)
        started = time.perf_counter()
        documents = build_documents(sources, taken_ids=_ids_by_source(existing), report=report)
        report.timings["clean+split"] = time.perf_counter() - started
        report.documents = documents
        started = time.perf_counter()
        _merge_into_store(store, existing, documents, report)
        report.timings["store"] = time.perf_counter() - started
    return report


def _read_all(paths, report: IngestReport, max_file_bytes: int, progress: Progress | None) -> list[SourceFile]:
    started = time.perf_counter()
    found = list(discover(paths))
    sources: list[SourceFile] = []
    for done, item in enumerate(found, 1):
        result = item if isinstance(item, Skipped) else read_source(item, max_bytes=max_file_bytes)
        if isinstance(result, Skipped):
            report.skipped.append(result)
        else:
            sources.append(result)
            report.bytes_read += len(result.text.encode("utf-8"))
        if progress:
            progress("read", done, len(found))
    report.files_read = len(sources)
    report.timings["read"] = time.perf_counter() - started
    return sources


def build_documents(
    sources: list[SourceFile], *, taken_ids: dict[str, str] | None = None, report: IngestReport | None = None
) -> list[Document]:
    """Clean and split decoded files into documents (no store involved)."""
    normalised = {s.path: normalize.normalize_text(s.text).split("\n") for s in sources}
    chrome = clean.recurring_chrome_lines(normalised)
    stems = _assign_stems(sources, taken_ids or {})
    documents: list[Document] = []
    for source in sources:
        documents.extend(file_documents(source, normalised[source.path], stems[source.path], chrome))
    return documents


def file_documents(source: SourceFile, lines: list[str], stem: str, chrome: frozenset[str]) -> list[Document]:
    """The documents of one file: clean its normalised lines, join broken lines, split articles."""
    cleaned = clean.clean_lines(lines, chrome_lines=chrome)
    parts = split.split_articles(normalize.join_broken_lines(cleaned.lines))
    removed = list(cleaned.removed) + [
        RemovedSpan("compilation-intro", ln.number, 0, len(ln.text), ln.text) for ln in parts.intro
    ]
    raw_lines = source.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    starts = [0] + [a.lines[0].number for a in parts.articles[1:]] + [len(raw_lines)]
    single = len(parts.articles) == 1
    documents = []
    for n, article in enumerate(parts.articles, 1):
        lo, hi = starts[n - 1], starts[n]
        text = "\n".join(line.text for line in article.lines)
        documents.append(Document(
            id=stem if single else f"{stem}#{n}",
            source=source.path,
            part=n,
            title=article.title,
            text=text,
            raw="\n".join(raw_lines[lo:hi]),
            encoding=source.encoding,
            years=extract.years_mentioned(text),
            placeholders=extract.count_placeholders(text),
            removed=tuple(sorted((r for r in removed if lo <= r.line < hi), key=lambda r: (r.line, r.start))),
            file_sha256=source.sha256,
        ))
    return documents


def _assign_stems(sources: list[SourceFile], taken: dict[str, str]) -> dict[str, str]:
    """File stem as the ID; a stem already used by another file gets a short path hash."""
    owner = {stem: src for src, stem in taken.items()}
    stems: dict[str, str] = {}
    for source in sources:
        if source.path in taken:
            stems[source.path] = taken[source.path]
            continue
        stem = Path(source.path).stem
        if stem in owner and owner[stem] != source.path:
            stem = f"{stem}~{hashlib.sha1(source.path.encode()).hexdigest()[:6]}"
        owner[stem] = source.path
        stems[source.path] = stem
    return stems


def _ids_by_source(existing: list[Document]) -> dict[str, str]:
    return {d.source: d.stem for d in existing}


def _merge_into_store(store: Store, existing: list[Document], new: list[Document], report: IngestReport) -> None:
    """Replace the documents of every file read in this run; keep the others as they are."""
    old_by_id = {d.id: d for d in existing}
    for doc in new:
        old = old_by_id.get(doc.id)
        if old is None:
            report.added.append(doc.id)
        elif _content(old) == _content(doc):
            report.unchanged.append(doc.id)
        else:
            report.updated.append(doc.id)
    read_sources = {d.source for d in new}
    new_ids = {d.id for d in new}
    report.deleted = [d.id for d in existing if d.source in read_sources and d.id not in new_ids]
    kept = [d for d in existing if d.source not in read_sources]
    if new and (report.added or report.updated or report.deleted or not store.exists()):
        store.replace_documents(kept + new)


def _content(doc: Document) -> dict:
    """A document's record without the file hash: editing one article of a compilation leaves
    the other articles unchanged even though their file's bytes changed."""
    record = doc.to_record()
    del record["file_sha256"]
    return record
