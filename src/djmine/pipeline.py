"""The ingest pipeline: load → normalise → clean → split → store, with an audit of what was removed.

Two passes over the files, because one cleaning signal (short lines that recur verbatim across
sources) needs every file at once. Pass 1 reads and normalises each file and keeps a small
chrome profile of it; in one process it also keeps the normalised text, within CACHE_BYTES.
Pass 2 reads each file again (decoding with the encoding pass 1 found) for its raw text, cleans
and splits it, and streams its documents into a temporary Parquet file in groups of files.
Both passes run in worker processes on large corpora, where memory stays bounded by a batch of
files rather than the corpus. The new table replaces the old one only at the end, by a rename,
so an interrupted ingest leaves the store as it was.
"""

from __future__ import annotations

import hashlib
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import clean, extract, normalize, split
from .io import DEFAULT_MAX_BYTES, HTML_SUFFIXES, Skipped, SourceFile, discover, read_source
from .models import Document, RemovedSpan
from .store import Store, document_schema, documents_batch

Progress = Callable[[str, int, int], None]  # (stage, done, total)
# Each worker process costs ~90 MB of its own (interpreter, OpenCC and jieba dictionaries), so
# below this size one process is used and peak memory stays under 4x the corpus (two processes
# take 3.7x on the 53 MB benchmark, 4.1x on 47 MB); above it the fixed cost is small next to
# the corpus and the second core pays.
PARALLEL_MIN_BYTES = 64 * 2**20
FILES_PER_BATCH = 16
# Pass 1 keeps the normalised text of the first CACHE_BYTES of corpus for pass 2, at about 0.7x
# their size (Python stores Chinese in 2 bytes a character, UTF-8 in 3); later files are
# normalised again, so memory stays bounded on any corpus.
CACHE_BYTES = 1024 * 2**20


@dataclass(frozen=True)
class DocumentSummary:
    """What the ingest report says of each document (the text itself is in the store)."""

    id: str
    source: str
    title: str
    chars: int
    removed_chars: int
    status: str  # added | updated | unchanged


@dataclass
class IngestReport:
    """What an ingest did. ID lists name documents; ``skipped`` holds files with reasons."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    documents: list[DocumentSummary] = field(default_factory=list)
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
        return {
            "added": len(self.added),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.skipped],
            "documents": [
                {"id": d.id, "source": d.source, "title": d.title, "chars": d.chars,
                 "removed_chars": d.removed_chars, "status": d.status}
                for d in self.documents
            ],
        }


@dataclass(frozen=True)
class _Kept:
    """What pass 1 keeps of a file, in the process that read it, for pass 2 in that same
    process: its normalised text (the costliest step to repeat) and, for an HTML page, the
    whole source (parsing it again costs more than keeping its text). They hold for the bytes
    whose hash pass 1 recorded in ``_Profiled.known``."""

    normalised: str
    source: SourceFile | None


@dataclass
class _KeptFiles:
    """The files this process read in pass 1 of the running ingest, by path, up to a budget of
    corpus bytes. Each file goes through both passes in the same process (see _Lanes), so no
    text ever crosses between processes; a file not found here is read and normalised again."""

    files: dict[str, _Kept] = field(default_factory=dict)
    size: int = 0

    def keep(self, path: str, kept: _Kept, size: int, budget: int) -> None:
        if self.size + size <= budget:
            self.files[path] = kept
            self.size += size

    def take(self, path: str) -> _Kept | None:
        return self.files.pop(path, None)

    def clear(self) -> None:
        self.files.clear()
        self.size = 0


_KEPT = _KeptFiles()


@dataclass(frozen=True)
class _Profiled:
    path: str
    size: int
    known: tuple[str, str]  # (sha256, encoding) of the bytes read
    profile: clean.ChromeProfile


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    store: Store,
    *,
    max_file_bytes: int = DEFAULT_MAX_BYTES,
    rebuild: bool = False,
    workers: int | None = None,
    tokens: bool = False,
    progress: Progress | None = None,
) -> IngestReport:
    """Read ``paths`` (files or folders) into ``store``.

    Files already in the store are replaced by their new documents; documents of other files
    stay. With ``rebuild`` the store starts empty (e.g. after a schema change). ``workers``
    processes share the work, this one included: by default one per core for corpora of 64 MB
    or more, 1 below. With ``tokens`` the new
    documents are also segmented, so that themes and slogans answer at once afterwards.
    """
    report = IngestReport()
    with store.lock():
        old = {} if rebuild else store.fingerprints()
        files = _discover(paths, report)
        groups = [files[i:i + FILES_PER_BATCH] for i in range(0, len(files), FILES_PER_BATCH)]
        try:
            with _lanes(files, workers) as lanes:
                started = time.perf_counter()
                profiled = _profile_files(groups, lanes, max_file_bytes, report, progress)
                report.timings["read+profile"] = time.perf_counter() - started
                started = time.perf_counter()
                _write_documents(store, old, groups, profiled, lanes, report, rebuild=rebuild,
                                 max_file_bytes=max_file_bytes, progress=progress)
                report.timings["clean+split+store"] = time.perf_counter() - started
        finally:
            _KEPT.clear()
    if tokens and report.documents:  # after the lock: the token cache takes it itself
        from .lexicon import load_lexicon
        from .segment import corpus_joined_tokens

        started = time.perf_counter()
        corpus_joined_tokens(Store(store.path), load_lexicon(), workers=workers,
                             progress=progress and (lambda done, total: progress("segment", done, total)))
        report.timings["segment"] = time.perf_counter() - started
    return report


def _discover(paths: Iterable[str | os.PathLike[str]], report: IngestReport) -> list[Path]:
    """The files to read, each once (a file named twice, or also inside a folder given, would
    otherwise become two documents with one ID)."""
    files: dict[str, Path] = {}
    for item in discover(paths):
        if isinstance(item, Skipped):
            report.skipped.append(item)
        else:
            files.setdefault(os.path.abspath(item), item)
    return list(files.values())


def _profile_files(groups: list[list[Path]], lanes: _Lanes, max_file_bytes: int, report: IngestReport,
                   progress: Progress | None) -> dict[str, _Profiled]:
    """Pass 1: read, normalise and profile every file."""
    profiled: dict[str, _Profiled] = {}
    budget = CACHE_BYTES // lanes.count
    done, total = 0, sum(map(len, groups))
    for results in lanes.map(_profile_group, groups, max_file_bytes, budget):
        for result in results:
            if isinstance(result, Skipped):
                report.skipped.append(result)
            else:
                profiled[result.path] = result
                report.bytes_read += result.size
        done += len(results)
        if progress:
            progress("read", done, total)
    report.files_read = len(profiled)
    return profiled


def _write_documents(store, old, groups, profiled, lanes, report, *, rebuild, max_file_bytes, progress) -> None:
    """Pass 2: clean, split and store every file read in pass 1, in the lane that read it."""
    chrome = clean.recurring_lines({p.path: p.profile for p in profiled.values()})
    stems = _assign_stems(list(profiled), {src: i.split("#")[0] for i, (src, _) in old.items()})
    new_ids: set[str] = set()
    # The groups of pass 1, less the files it could not read, in place: group k stays in lane k.
    tasks = [[(Path(p.path), stems[p.path], p.known) for p in map(profiled.get, map(os.path.abspath, group)) if p]
             for group in groups]
    with store.document_writer() as writer:
        if not rebuild:
            for batch in store.iter_batches(exclude_sources=set(profiled)):
                writer.write_batch(batch)
        done = 0
        for batch, summaries, skipped, files in lanes.map(_documents_of, tasks, max_file_bytes, chrome):
            report.skipped += skipped  # files that changed or vanished since pass 1
            if batch is not None:
                writer.write_batch(batch)
            for summary, content_sha256 in summaries:
                new_ids.add(summary.id)
                report.documents.append(_classify(summary, content_sha256, old.get(summary.id), report))
            done += files
            if progress:
                progress("clean", done, len(profiled))
        report.deleted = sorted(i for i, (src, _) in old.items() if src in profiled and i not in new_ids)
        changed = report.added or report.updated or report.deleted or rebuild or not store.exists()
        if report.documents and changed:
            writer.commit()


def _classify(summary: DocumentSummary, content_sha256: str, old: tuple[str, str] | None,
              report: IngestReport) -> DocumentSummary:
    if old is None:
        status = "added"
    elif old[1] == content_sha256:
        status = "unchanged"
    else:
        status = "updated"
    getattr(report, status).append(summary.id)  # report.added / .unchanged / .updated
    return replace(summary, status=status)


# ----- per-file work (runs in worker processes on large corpora) ---------------------------------
def _profile_group(paths: list[Path], max_file_bytes: int, budget: int) -> list[_Profiled | Skipped]:
    """Pass 1 for a group of files; keeps their texts in this process while they fit ``budget``."""
    return [_profile_one(path, max_file_bytes, budget) for path in paths]


def _profile_one(path: Path, max_file_bytes: int, budget: int) -> _Profiled | Skipped:
    source = read_source(path, max_bytes=max_file_bytes)
    if isinstance(source, Skipped):
        return source
    lines = normalize.normalize_lines(source.text)
    size = len(source.text.encode("utf-8"))
    html = path.suffix.lower() in HTML_SUFFIXES
    kept = _Kept("\n".join(lines), source if html else None)
    _KEPT.keep(source.path, kept, size * 2 if html else size, budget)  # a page keeps two texts
    return _Profiled(source.path, size, (source.sha256, source.encoding), clean.chrome_profile(lines))


def _documents_of(tasks: list[tuple[Path, str, tuple[str, str]]], max_file_bytes: int, chrome: frozenset[str]):
    """Pass 2 for a group of files: their documents as one Arrow batch, their summaries, the
    files that could not be read again, and how many files the group held. Everything heavy
    (cleaning, hashing, Arrow conversion) happens here, in the lane's process, so that the
    parent only writes."""
    docs: list[Document] = []
    skipped: list[Skipped] = []
    for path, stem, known in tasks:
        read = _read_again(path, known, max_file_bytes)
        if isinstance(read, Skipped):
            skipped.append(read)
        else:
            docs += file_documents(*read, stem, chrome)
    summaries = [(DocumentSummary(d.id, d.source, d.title, d.chars, d.removed_chars, ""), d.content_sha256)
                 for d in docs]
    return (documents_batch(docs) if docs else None), summaries, skipped, len(tasks)


def _read_again(path: Path, known: tuple[str, str], max_file_bytes: int) -> tuple[SourceFile, list[str]] | Skipped:
    """A file and its normalised lines in pass 2, from what pass 1 kept where it still holds."""
    kept = _KEPT.take(os.path.abspath(path))
    source = (kept and kept.source) or read_source(path, max_bytes=max_file_bytes, known=known)
    if isinstance(source, Skipped):
        return source
    if kept is not None and source.sha256 == known[0]:
        return source, kept.normalised.split("\n")
    return source, normalize.normalize_lines(source.text)  # not kept, or changed since pass 1


def file_documents(source: SourceFile, lines: list[str], stem: str, chrome: frozenset[str]) -> list[Document]:
    """The documents of one file: clean its normalised lines, join broken lines, split articles."""
    cleaned = clean.clean_lines(lines, chrome_lines=chrome)
    parts = split.split_articles(normalize.join_broken_lines(cleaned.lines))
    removed = list(cleaned.removed) + [
        RemovedSpan("compilation-intro", ln.number, 0, len(ln.text), ln.text) for ln in parts.intro
    ]
    raw_lines = source.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # Each part owns the source lines from its first line to the next part's: its raw text and
    # the removed spans on those lines (part 1 also owns the file's head, the last its tail).
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


def _assign_stems(paths: list[str], taken: dict[str, str]) -> dict[str, str]:
    """File stem as the ID; a stem already used by another file gets a short path hash."""
    owner = {stem: src for src, stem in taken.items()}
    stems: dict[str, str] = {}
    for path in paths:
        if path in taken:
            stems[path] = taken[path]
            continue
        stem = Path(path).stem
        if stem in owner and owner[stem] != path:
            stem = f"{stem}~{hashlib.sha1(path.encode()).hexdigest()[:6]}"
        owner[stem] = path
        stems[path] = stem
    return stems


# ----- running per-file work in this process and in worker processes ----------------------------
def _lanes(files: list[Path], workers: int | None) -> _Lanes:
    if workers is None:
        total = sum(_size(f) for f in files)
        workers = (os.cpu_count() or 1) if total >= PARALLEL_MIN_BYTES else 1
    return _Lanes(workers)


class _Lanes:
    """Runs work on groups of files in this process and in ``count - 1`` worker processes,
    group k always in the same lane. Both passes give a file the same lane, so a worker still
    holds in pass 2 what it read in pass 1, and this process does its share of the work
    instead of only waiting. Its share is smaller, since it also writes the store: two groups
    in every five with one worker."""

    def __init__(self, count: int):
        self.count = max(1, count)
        workers = range(1, self.count)
        self._cycle = [0, *workers, 0, *workers, *workers]  # lane 0: this process
        self._pools: list = []

    def __enter__(self) -> _Lanes:
        if self.count > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # Every lane needs these; loaded before the workers fork, they share the pages.
            normalize.preload()
            clean.chrome_rules()
            document_schema()

            method = _start_method()
            if method == "fork" and self.count > 2:
                # Each pool forks its worker at its first task, when the pools before it run
                # threads already, and forking a threaded process can deadlock: only a single
                # pool may fork.
                method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
            context = multiprocessing.get_context(method)
            self._pools = [ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_ignore_sigint)
                           for _ in range(self.count - 1)]
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        for pool in self._pools:
            if exc_type is None:
                pool.shutdown()
                continue
            # Ctrl-C or an error: drop queued work and stop the workers now, not after the queue.
            pool.shutdown(wait=False, cancel_futures=True)
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.terminate()

    def map(self, func: Callable, groups: list, *args) -> Iterator:
        """``func(group, *args)`` for each group, in order. At most four groups per lane are
        handed out ahead of the one being consumed, so results never pile up faster than this
        process consumes them."""
        from collections import deque

        pending: deque = deque()
        upcoming = enumerate(groups)
        while True:
            for k, group in upcoming:
                lane = self._cycle[k % len(self._cycle)]
                future = self._pools[lane - 1].submit(func, group, *args) if lane else None
                pending.append((group, future))
                if len(pending) >= 4 * self.count:
                    break
            if not pending:
                return
            group, future = pending.popleft()
            yield func(group, *args) if future is None else future.result()


def _start_method() -> str:
    """fork when this process has no other threads (fast, and works from scripts without a
    ``__main__`` guard); forkserver otherwise, since forking a threaded process (e.g. one
    drawing a progress bar) can deadlock the child."""
    import multiprocessing
    import threading

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _ignore_sigint() -> None:
    # Workers leave Ctrl-C to the parent, which stops them and leaves the store untouched.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
