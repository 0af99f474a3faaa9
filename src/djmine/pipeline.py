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

import contextlib
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
from .store import Store, documents_batch

Progress = Callable[[str, int, int], None]  # (stage, done, total)
# Each worker process costs ~100 MB of its own (interpreter, OpenCC and jieba dictionaries), so
# below this size one process is used and peak memory stays under 4x the corpus; above it the
# fixed cost is small next to the corpus and the second core pays.
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
    """What pass 1 keeps of a file for pass 2: its encoding and hash, and while the corpus fits
    in CACHE_BYTES its normalised text (the costliest step to repeat), plus the whole source
    of an HTML page (parsing it again costs more than keeping its text)."""

    encoding: str
    sha256: str
    normalised: str | None = None
    source: SourceFile | None = None


@dataclass(frozen=True)
class _Profiled:
    path: str
    size: int
    profile: clean.ChromeProfile
    kept: _Kept


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
    defaults to the number of cores for corpora over 64 MB, 1 below. With ``tokens`` the new
    documents are also segmented, so that themes and slogans answer at once afterwards.
    """
    report = IngestReport()
    with store.lock():
        old = {} if rebuild else store.fingerprints()
        files = _discover(paths, report)
        with _map_files(files, workers) as map_files:
            started = time.perf_counter()
            profiled = _profile_files(files, map_files, max_file_bytes, report, progress,
                                      keep_text=map_files.serial)
            report.timings["read+profile"] = time.perf_counter() - started
            started = time.perf_counter()
            _write_documents(store, old, profiled, map_files, report, rebuild=rebuild,
                             max_file_bytes=max_file_bytes, progress=progress)
            report.timings["clean+split+store"] = time.perf_counter() - started
    if tokens and report.documents:  # after the lock: the token cache takes it itself
        from .lexicon import load_lexicon
        from .segment import corpus_joined_tokens

        started = time.perf_counter()
        corpus_joined_tokens(Store(store.path), load_lexicon(), workers=workers,
                             progress=progress and (lambda done, total: progress("segment", done, total)))
        report.timings["segment"] = time.perf_counter() - started
    return report


def _discover(paths: Iterable[str | os.PathLike[str]], report: IngestReport) -> list[Path]:
    files = []
    for item in discover(paths):
        if isinstance(item, Skipped):
            report.skipped.append(item)
        else:
            files.append(item)
    return files


def _profile_files(files, map_files, max_file_bytes, report, progress, *, keep_text: bool) -> list[_Profiled]:
    """Pass 1. ``keep_text``: keep normalised texts for pass 2 (in one process only: between
    processes, sending a text costs as much as normalising it again; HTML pages are kept in
    every case, since parsing one again costs more than sending it)."""
    profiled = []
    for done, result in enumerate(map_files(_profile_one, files, max_file_bytes, keep_text), 1):
        if isinstance(result, Skipped):
            report.skipped.append(result)
        else:
            if report.bytes_read + result.size > CACHE_BYTES:
                result = replace(result, kept=_Kept(result.kept.encoding, result.kept.sha256))
            profiled.append(result)
            report.bytes_read += result.size
        if progress:
            progress("read", done, len(files))
    report.files_read = len(profiled)
    return profiled


def _write_documents(store, old, profiled, map_files, report, *, rebuild, max_file_bytes, progress) -> None:
    chrome = clean.recurring_lines({p.path: p.profile for p in profiled})
    stems = _assign_stems([p.path for p in profiled], {src: i.split("#")[0] for i, (src, _) in old.items()})
    read_sources = {p.path for p in profiled}
    new_ids: set[str] = set()
    with store.document_writer() as writer:
        if not rebuild:
            for batch in store.iter_batches(exclude_sources=read_sources):
                writer.write_batch(batch)
        tasks = [(Path(p.path), stems[p.path], p.kept) for p in profiled]
        # Files go in groups, one Arrow batch per group: a batch per file spent more time
        # building arrays than the file took to clean.
        groups = [tasks[i:i + FILES_PER_BATCH] for i in range(0, len(tasks), FILES_PER_BATCH)]
        results = map_files(_documents_of, groups, max_file_bytes, chrome, chunk=1)
        for n, (batch, summaries, skipped) in enumerate(results, 1):
            report.skipped += skipped  # files that changed or vanished since pass 1
            if batch is not None:
                writer.write_batch(batch)
            for summary, content_sha256 in summaries:
                new_ids.add(summary.id)
                report.documents.append(_classify(summary, content_sha256, old.get(summary.id), report))
            if progress:
                progress("clean", min(len(tasks), n * FILES_PER_BATCH), len(tasks))
        report.deleted = sorted(i for i, (src, _) in old.items() if src in read_sources and i not in new_ids)
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
def _profile_one(path: Path, max_file_bytes: int, keep_text: bool) -> _Profiled | Skipped:
    source = read_source(path, max_bytes=max_file_bytes)
    if isinstance(source, Skipped):
        return source
    lines = normalize.normalize_lines(source.text)
    html = path.suffix.lower() in HTML_SUFFIXES
    kept = _Kept(source.encoding, source.sha256, "\n".join(lines) if keep_text else None, source if html else None)
    return _Profiled(source.path, len(source.text.encode("utf-8")), clean.chrome_profile(lines), kept)


def _documents_of(tasks: list[tuple[Path, str, _Kept]], max_file_bytes: int, chrome: frozenset[str]):
    """The documents of a group of files as one Arrow batch, their summaries, and the files
    that could not be read again. Everything heavy (cleaning, hashing, Arrow conversion)
    happens here, in the worker, so the parent only writes."""
    docs: list[Document] = []
    skipped: list[Skipped] = []
    for path, stem, kept in tasks:
        read = _read_again(path, kept, max_file_bytes)
        if isinstance(read, Skipped):
            skipped.append(read)
        else:
            docs += file_documents(*read, stem, chrome)
    summaries = [(DocumentSummary(d.id, d.source, d.title, d.chars, d.removed_chars, ""), d.content_sha256)
                 for d in docs]
    return (documents_batch(docs) if docs else None), summaries, skipped


def _read_again(path: Path, kept: _Kept, max_file_bytes: int) -> tuple[SourceFile, list[str]] | Skipped:
    """A file and its normalised lines in pass 2, from what pass 1 kept where it still holds."""
    source = kept.source or read_source(path, max_bytes=max_file_bytes, encoding=kept.encoding)
    if isinstance(source, Skipped):
        return source
    if kept.normalised is not None and source.sha256 == kept.sha256:
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


# ----- running per-file work serially or in worker processes -------------------------------------
@contextlib.contextmanager
def _map_files(files: list[Path], workers: int | None) -> Iterator[_FileMap]:
    """Yield ``map_files(func, items, *args, chunk=32)``: an ordered, lazy map, parallel when
    worth it; workers take ``chunk`` items per task."""
    if workers is None:
        total = sum(_size(f) for f in files)
        workers = (os.cpu_count() or 1) if total >= PARALLEL_MIN_BYTES else 1
    if workers <= 1:
        yield _FileMap(lambda func, items, *args, chunk=32: (func(item, *args) for item in items), serial=True)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context(_start_method())
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_ignore_sigint)
    try:
        yield _FileMap(lambda func, items, *args, chunk=32: _bounded_map(pool, _Bound(func, args), items, workers, chunk),
                       serial=False)
    except BaseException:
        # Ctrl-C or an error: drop queued work and stop the workers now, not after the queue.
        pool.shutdown(wait=False, cancel_futures=True)
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()
        raise
    else:
        pool.shutdown()


@dataclass(frozen=True)
class _FileMap:
    """``map_files(func, items, *args, chunk=32)``, and whether it runs in this process."""

    run: Callable[..., Iterator]
    serial: bool

    def __call__(self, func: Callable, items: Iterable, *args, chunk: int = 32) -> Iterator:
        return self.run(func, items, *args, chunk=chunk)


def _bounded_map(pool, func: Callable, items: Iterable, workers: int, chunk: int = 32) -> Iterator:
    """Like ``pool.map`` with chunks, but with at most two chunks per worker in flight, so
    results never pile up in memory faster than the parent consumes them. Files are small;
    sending them one per task would spend more time in inter-process traffic than in work."""
    from collections import deque
    from itertools import islice

    iterator = iter(items)
    pending: deque = deque()
    while True:
        batch = list(islice(iterator, chunk))
        if batch:
            pending.append(pool.submit(_run_chunk, func, batch))
        if pending and (len(pending) >= 2 * workers or not batch):
            yield from pending.popleft().result()
        elif not batch:
            return


def _run_chunk(func: Callable, items: list) -> list:
    return [func(item) for item in items]


@dataclass(frozen=True)
class _Bound:
    """``func(item, *args)`` as a picklable callable (lambdas cannot cross processes)."""

    func: Callable
    args: tuple

    def __call__(self, item):
        return self.func(item, *self.args)


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
