"""Corpus-wide reuse: every pair of documents that shares passages, and what that says.

``corpus_reuse`` takes candidate pairs from the fingerprint index (:mod:`djmine.reuse.index`),
aligns each with :func:`djmine.reuse.find_shared_passages` (on both cores when there are many),
and derives:

* **pairs**: one :class:`~djmine.reuse.PairReport` per pair sharing at least one passage;
* **documents**: per document its *originality* (share of its text found in no other document),
  *top source* and *top source share* (the one document it shares most with and the share of its
  text found there: the 单篇最大复制比 of a Chinese plagiarism report) and its longest passage;
* **reused passages**: the same stretch of text found in several documents, grouped across
  pairs (overlapping occurrences in one document are one occurrence);
* **families**: connected components of documents that share a template, i.e. pairs where at
  least ``family_min_coverage`` of one document is found in the other, or half that in two or
  more separate passages (a template body or its edited paragraphs rather than one odd
  paragraph), with the passages they share.

Example:
    >>> result = corpus_reuse(Store().documents())
    >>> result.pairs_frame().head()
    >>> result.documents_frame().sort_values("originality").head()
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from .index import candidate_pairs
from .pairwise import pair_report
from .records import DEFAULT_MIN_CHARS, DEFAULT_MIN_IDENTITY, PairReport

if TYPE_CHECKING:
    import pandas as pd

    from ..models import Document

Progress = Callable[[int, int], None]  # (pairs aligned, pairs to align)

DEFAULT_FAMILY_MIN_COVERAGE = 0.3
POPULAR_MIN_DOCUMENTS = 3
_PARALLEL_MIN_PAIRS = 400  # below this, starting worker processes costs more than it saves
_CHUNK = 256


# ----- records ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Occurrence:
    """Where a reused passage sits in one document (offsets into ``Document.text``)."""

    id: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class ReusedPassage:
    """One stretch of text found in several documents; ``text`` is its first occurrence."""

    text: str
    occurrences: tuple[Occurrence, ...]

    @property
    def documents(self) -> int:
        return len({o.id for o in self.occurrences})

    @property
    def chars(self) -> int:
        return len(self.text)

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "documents": self.documents,
            "occurrences": [o.to_json() for o in self.occurrences],
        }


@dataclass(frozen=True)
class Family:
    """Documents that share a template, and the passages they share (within the family)."""

    members: tuple[str, ...]
    passages: tuple[ReusedPassage, ...]

    def to_json(self) -> dict[str, Any]:
        return {"members": list(self.members), "passages": [p.to_json() for p in self.passages]}


@dataclass(frozen=True)
class DocumentReuse:
    """How much of one document is found elsewhere.

    ``originality`` = 1 − (characters inside any shared passage) / length; ``top_source`` is the
    document it shares most with (None if none) and ``top_source_share`` the share of its text
    found there; ``longest_passage`` is in characters of this document.
    """

    id: str
    chars: int
    originality: float
    top_source: str | None
    top_source_share: float
    longest_passage: int

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "chars": self.chars,
            "originality": round(self.originality, 4),
            "top_source": self.top_source,
            "top_source_share": round(self.top_source_share, 4),
            "longest_passage": self.longest_passage,
        }


@dataclass
class CorpusReuse:
    """The result of :func:`corpus_reuse`. ``pairs`` are sorted by shared characters."""

    pairs: list[PairReport]
    documents: list[DocumentReuse]
    families: list[Family]
    passages: list[ReusedPassage]  # found in ≥ 2 documents, most documents first
    candidates: int = 0  # pairs the index proposed (all were aligned)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    min_chars: int = DEFAULT_MIN_CHARS
    min_identity: float = DEFAULT_MIN_IDENTITY
    _lengths: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def popular_passages(self) -> list[ReusedPassage]:
        """Passages found in at least three documents."""
        return [p for p in self.passages if p.documents >= POPULAR_MIN_DOCUMENTS]

    def least_original(self, n: int = 10) -> list[DocumentReuse]:
        return sorted(self.documents, key=lambda d: (d.originality, d.id))[:n]

    def to_json(self) -> dict[str, Any]:
        """``pairs`` (the shape of ``djmine compare --json``), ``families``, ``documents`` and
        ``passages`` (those found in ≥ 3 documents)."""
        return {
            "min_chars": self.min_chars,
            "min_identity": self.min_identity,
            "candidates": self.candidates,
            "pairs": [pair.to_json() for pair in self.pairs],
            "families": [family.to_json() for family in self.families],
            "documents": [doc.to_json() for doc in self.documents],
            "passages": [p.to_json() for p in self.popular_passages],
        }

    # ----- tables for notebooks and CSV ---------------------------------------------------------
    def pairs_frame(self) -> pd.DataFrame:
        """One row per pair: a, b, shared_chars, coverage_a, coverage_b, passages, longest."""
        import pandas as pd

        columns = ["a", "b", "shared_chars", "coverage_a", "coverage_b", "passages", "longest"]
        return pd.DataFrame([pair.summary() for pair in self.pairs], columns=columns)

    def documents_frame(self) -> pd.DataFrame:
        """One row per document: id, chars, originality, top_source, top_source_share, longest_passage."""
        import pandas as pd

        columns = ["id", "chars", "originality", "top_source", "top_source_share", "longest_passage"]
        return pd.DataFrame([doc.to_json() for doc in self.documents], columns=columns)

    def passages_frame(self) -> pd.DataFrame:
        """One row per reused passage: documents, chars, text, ids."""
        import pandas as pd

        rows = [{"documents": p.documents, "chars": p.chars, "text": p.text,
                 "ids": [o.id for o in p.occurrences]} for p in self.passages]
        return pd.DataFrame(rows, columns=["documents", "chars", "text", "ids"])

    def coverage_matrix(self, ids: Sequence[str] | None = None) -> pd.DataFrame:
        """Share of each row document's text found in each column document (diagonal NaN).

        Args:
            ids: the documents to show (default: all, if there are at most 500).
        """
        import numpy as np
        import pandas as pd

        ids = list(self._lengths) if ids is None else list(ids)
        if len(ids) > 500:
            raise UsageError(f"a coverage matrix of {len(ids)} documents is too large to show; pass ids=[…] (at most 500)")
        unknown = [i for i in ids if i not in self._lengths]
        if unknown:
            raise UsageError(f"unknown document {unknown[0]!r} in coverage_matrix(ids=…)")
        frame = pd.DataFrame(0.0, index=ids, columns=ids)
        for pair in self.pairs:
            if pair.a in frame.index and pair.b in frame.index:
                frame.loc[pair.a, pair.b] = pair.coverage_a
                frame.loc[pair.b, pair.a] = pair.coverage_b
        values = frame.to_numpy(copy=True)
        np.fill_diagonal(values, np.nan)
        return pd.DataFrame(values, index=ids, columns=ids)


# ----- the pipeline ----------------------------------------------------------------------------
def corpus_reuse(
    documents: Iterable[Document],
    *,
    min_chars: int = DEFAULT_MIN_CHARS,
    min_identity: float = DEFAULT_MIN_IDENTITY,
    top: int | None = None,
    progress: Progress | None = None,
    family_min_coverage: float = DEFAULT_FAMILY_MIN_COVERAGE,
    workers: int | None = None,
) -> CorpusReuse:
    """Find the passages every two documents of a corpus share, without aligning all pairs.

    Args:
        documents: the corpus (e.g. ``Store().documents()``); IDs must be unique.
        min_chars: shortest passage reported, in characters.
        min_identity: lowest identity of a passage, in [0, 1].
        top: keep only the ``top`` pairs with the most shared characters in ``pairs``
            (documents, families and passages always use every pair).
        progress: called as ``progress(done, total)`` while pairs are aligned.
        family_min_coverage: share of one document that must be found in another for the two
            to be in one family.
        workers: processes for the alignment (default: the CPUs available).

    Returns:
        A :class:`CorpusReuse`.
    """
    clock = time.perf_counter()
    docs = list(documents)
    _check_options(docs, min_chars, min_identity, top, family_min_coverage)
    candidates = candidate_pairs([d.text for d in docs]).tolist()
    timings = {"index": time.perf_counter() - clock}
    options = {"min_chars": min_chars, "min_identity": min_identity}
    pairs = _align_all(docs, candidates, options, progress, workers)
    timings["align"] = time.perf_counter() - clock - timings["index"]
    pairs.sort(key=lambda p: (-max(p.shared_chars, _b_chars(p)), p.a, p.b))
    texts = {d.id: d.text for d in docs}
    passages = _reused_passages(pairs, texts, list(texts))
    result = CorpusReuse(
        pairs=pairs[:top] if top is not None else pairs,
        documents=_document_stats(docs, pairs),
        families=_families(pairs, passages, family_min_coverage, texts),
        passages=passages,
        candidates=len(candidates),
        timings=timings,
        min_chars=min_chars,
        min_identity=min_identity,
        _lengths={d.id: len(d.text) for d in docs},
    )
    timings["summary"] = time.perf_counter() - clock - timings["index"] - timings["align"]
    return result


def _check_options(docs: list[Document], min_chars: int, min_identity: float, top: int | None, family: float) -> None:
    seen: set[str] = set()
    for doc in docs:
        if doc.id in seen:
            raise UsageError(f"document ID {doc.id!r} appears twice; corpus_reuse needs unique IDs")
        seen.add(doc.id)
    if min_chars < 1 or not 0.0 <= min_identity <= 1.0:
        raise UsageError(f"invalid min_chars={min_chars} or min_identity={min_identity}: need min_chars ≥ 1 and 0 ≤ min_identity ≤ 1")
    if top is not None and top < 0:
        raise UsageError(f"invalid top={top}: need top ≥ 0")
    if not 0.0 < family <= 1.0:
        raise UsageError(f"invalid family_min_coverage={family}: need 0 < value ≤ 1")


def _b_chars(pair: PairReport) -> int:
    return sum(p.b_end - p.b_start for p in pair.passages)


# ----- alignment, on all cores -----------------------------------------------------------------
_WORK: dict[str, Any] = {}  # set before forking: the workers inherit the documents


def _align_chunk(chunk: list[tuple[int, int]]) -> tuple[int, list[PairReport]]:
    docs, options = _WORK["docs"], _WORK["options"]
    reports = [pair_report(docs[i], docs[j], **options) for i, j in chunk]
    return len(chunk), [r for r in reports if r.passages]


def _align_all(
    docs: list[Document], pairs: list[tuple[int, int]], options: dict[str, Any],
    progress: Progress | None, workers: int | None,
) -> list[PairReport]:
    total = len(pairs)
    if progress:
        progress(0, total)
    chunks = [pairs[i : i + _CHUNK] for i in range(0, total, _CHUNK)]
    workers = workers or _available_cpus()
    _WORK.update(docs=docs, options=options)
    try:
        if workers > 1 and total >= _PARALLEL_MIN_PAIRS and _can_fork():
            import multiprocessing

            with multiprocessing.get_context("fork").Pool(workers) as pool:
                results = pool.imap_unordered(_align_chunk, chunks)
                return _collect(results, total, progress)
        return _collect(map(_align_chunk, chunks), total, progress)
    finally:
        _WORK.clear()


def _collect(results: Iterable[tuple[int, list[PairReport]]], total: int, progress: Progress | None) -> list[PairReport]:
    reports: list[PairReport] = []
    done = 0
    for count, chunk_reports in results:
        reports.extend(chunk_reports)
        done += count
        if progress:
            progress(done, total)
    return reports


def _available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


# ----- per-document figures --------------------------------------------------------------------
def _document_stats(docs: list[Document], pairs: list[PairReport]) -> list[DocumentReuse]:
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    best: dict[str, tuple[float, str]] = {}
    longest: dict[str, int] = defaultdict(int)
    for pair in pairs:
        for doc_id, other, share, side in ((pair.a, pair.b, pair.coverage_a, "a"), (pair.b, pair.a, pair.coverage_b, "b")):
            for p in pair.passages:
                start, end = (p.a_start, p.a_end) if side == "a" else (p.b_start, p.b_end)
                spans[doc_id].append((start, end))
                longest[doc_id] = max(longest[doc_id], end - start)
            current = best.get(doc_id)
            if current is None or (share, _neg(other)) > (current[0], _neg(current[1])):
                best[doc_id] = (share, other)
    out = []
    for doc in docs:
        length = len(doc.text)
        covered = _union_length(spans.get(doc.id, []))
        share, source = best.get(doc.id, (0.0, None))
        out.append(DocumentReuse(
            id=doc.id,
            chars=length,
            originality=1.0 - covered / length if length else 1.0,
            top_source=source,
            top_source_share=share,
            longest_passage=longest.get(doc.id, 0),
        ))
    return out


def _neg(doc_id: str) -> tuple[int, ...]:
    """Sort key that prefers the smaller ID among equal shares."""
    return tuple(-ord(c) for c in doc_id)


def _union_length(spans: list[tuple[int, int]]) -> int:
    total, reach = 0, -1
    for start, end in sorted(spans):
        if end <= reach:
            continue
        total += end - max(start, reach)
        reach = end
    return total


# ----- reused passages and families ------------------------------------------------------------
class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, x: int, y: int) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            self.parent[max(rx, ry)] = min(rx, ry)


def _reused_passages(pairs: list[PairReport], texts: dict[str, str], order: list[str]) -> list[ReusedPassage]:
    """Group passage occurrences across pairs: the two sides of a passage are one group, and so
    are occurrences in one document that overlap by at least half of the shorter one."""
    nodes: list[tuple[str, int, int]] = []
    for pair in pairs:
        for p in pair.passages:
            nodes += [(pair.a, p.a_start, p.a_end), (pair.b, p.b_start, p.b_end)]
    groups = _UnionFind(len(nodes))
    for n in range(0, len(nodes), 2):
        groups.union(n, n + 1)
    by_doc: dict[str, list[int]] = defaultdict(list)
    for n, (doc_id, _, _) in enumerate(nodes):
        by_doc[doc_id].append(n)
    for members in by_doc.values():
        members.sort(key=lambda n: nodes[n][1])
        active: list[int] = []
        for n in members:
            _, start, end = nodes[n]
            active = [m for m in active if nodes[m][2] > start]
            for m in active:
                overlap = min(end, nodes[m][2]) - start
                if overlap * 2 >= min(end - start, nodes[m][2] - nodes[m][1]):
                    groups.union(n, m)
            active.append(n)
    clusters: dict[int, dict[str, list[int]]] = defaultdict(dict)
    for n, (doc_id, start, end) in enumerate(nodes):
        extent = clusters[groups.find(n)].setdefault(doc_id, [start, end])
        extent[0], extent[1] = min(extent[0], start), max(extent[1], end)
    rank = {doc_id: i for i, doc_id in enumerate(order)}
    passages = []
    for extents in clusters.values():
        occurrences = tuple(sorted((Occurrence(d, s, e) for d, (s, e) in extents.items()), key=lambda o: rank[o.id]))
        first = occurrences[0]
        passages.append(ReusedPassage(texts[first.id][first.start : first.end], occurrences))
    passages.sort(key=lambda p: (-p.documents, -p.chars, rank[p.occurrences[0].id], p.occurrences[0].start))
    return passages


def _shares_template(pair: PairReport, min_coverage: float) -> bool:
    """A template, not an odd paragraph: ≥ ``min_coverage`` of one document, or half that in
    two or more separate passages (edited template paragraphs)."""
    coverage = max(pair.coverage_a, pair.coverage_b)
    return coverage >= min_coverage or (len(pair.passages) >= 2 and coverage >= min_coverage / 2)


def _families(
    pairs: list[PairReport], passages: list[ReusedPassage], min_coverage: float, texts: dict[str, str]
) -> list[Family]:
    """Connected components of the pairs that share a template (see :func:`_shares_template`),
    with the passages shared by at least two members."""
    order = list(texts)
    rank = {doc_id: i for i, doc_id in enumerate(order)}
    index = {doc_id: i for i, doc_id in enumerate(order)}
    groups = _UnionFind(len(order))
    linked: set[str] = set()
    for pair in pairs:
        if _shares_template(pair, min_coverage):
            groups.union(index[pair.a], index[pair.b])
            linked.update((pair.a, pair.b))
    members: dict[int, list[str]] = defaultdict(list)
    for doc_id in sorted(linked, key=rank.__getitem__):
        members[groups.find(index[doc_id])].append(doc_id)
    families = []
    for ids in members.values():
        inside = set(ids)
        shared = []
        for passage in passages:
            occ = tuple(o for o in passage.occurrences if o.id in inside)
            if len({o.id for o in occ}) >= 2:
                shared.append(ReusedPassage(texts[occ[0].id][occ[0].start : occ[0].end], occ))
        families.append(Family(tuple(ids), tuple(shared)))
    families.sort(key=lambda f: (-len(f.members), rank[f.members[0]]))
    return families

