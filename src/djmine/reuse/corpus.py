"""Corpus-wide reuse (``djmine compare --all``): every pair that shares passages, and what that says.

The pipeline, one step a module:

1. :mod:`~djmine.reuse.index` fingerprints every text; :mod:`~djmine.reuse.formula` finds the
   fingerprints that are the genre's formulae (recurring across unrelated sources, or mandated);
2. candidate pairs share a chain of non-formula fingerprints (:mod:`~djmine.reuse.context`);
3. :mod:`~djmine.reuse.align` aligns each candidate (on both cores when there are many); each
   passage gets a formula score, formulae are set apart;
4. a pair is reported when ``min_chars`` of its shared text lies outside formulae;
5. per document: the copy ratio raw and net of formulae (文字复制比 with and without quoted
   text), the document it shares most with and that share (单篇最大复制比), its longest passage;
6. :mod:`~djmine.reuse.families`: reused passages across documents, and families of documents
   sharing the same template passages, with the slot values each member filled in.

Example:
    >>> result = corpus_reuse(Store().documents())
    >>> result.pairs_frame().head()
    >>> result.documents_frame().sort_values("originality").head()
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from .context import CorpusContext, build_context
from .families import Family, Occurrence, ReusedPassage, families, reused_passages
from .formula import DEFAULT_FORMULA_THRESHOLD, DEFAULT_MIN_SOURCES
from .pairwise import is_reported, judged_report
from .records import DEFAULT_MIN_CHARS, DEFAULT_MIN_IDENTITY, PAIR_FIELDS, PairReport

if TYPE_CHECKING:
    import pandas as pd

    from ..models import Document

__all__ = ["CorpusReuse", "DocumentReuse", "Family", "Occurrence", "ReusedPassage", "corpus_reuse"]

Progress = Callable[[int, int], None]  # (pairs aligned, pairs to align)

DEFAULT_FAMILY_MIN_COVERAGE = 0.3
POPULAR_MIN_DOCUMENTS = 3
_PARALLEL_MIN_PAIRS = 400  # below this, starting worker processes costs more than it saves
_CHUNK = 256
_FORMULAE_SHOWN = 200  # distinct formula texts kept in the result


@dataclass(frozen=True)
class DocumentReuse:
    """How much of one document is found elsewhere.

    ``copy_ratio`` = characters inside reported, non-formula passages and outside formula text /
    length (文字复制比, net of formulae); ``copy_ratio_raw`` also counts formula text (passages and recurring formulae).
    ``originality`` = 1 − ``copy_ratio``. ``shares_most_with`` is the document it shares the most
    text with (None if none) and ``largest_share`` the share of its text found there (单篇最大
    复制比). No direction is implied: either may be the copy. ``longest_passage`` is in
    characters of this document.
    """

    id: str
    chars: int
    copy_ratio: float
    copy_ratio_raw: float
    shares_most_with: str | None
    largest_share: float
    longest_passage: int

    @property
    def originality(self) -> float:
        return 1.0 - self.copy_ratio

    @property
    def originality_raw(self) -> float:
        return 1.0 - self.copy_ratio_raw

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "chars": self.chars,
            "originality": round(self.originality, 4),
            "originality_raw": round(self.originality_raw, 4),
            "copy_ratio": round(self.copy_ratio, 4),
            "copy_ratio_raw": round(self.copy_ratio_raw, 4),
            "shares_most_with": self.shares_most_with,
            "largest_share": round(self.largest_share, 4),
            "longest_passage": self.longest_passage,
        }


@dataclass(frozen=True)
class Formula:
    """A formula text of the corpus and the number of documents it recurs in."""

    text: str
    documents: int

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "documents": self.documents}


DOCUMENT_FIELDS = ["id", "chars", "originality", "originality_raw", "copy_ratio", "copy_ratio_raw",
                   "shares_most_with", "largest_share", "longest_passage"]


@dataclass
class CorpusReuse:
    """The result of :func:`corpus_reuse`. ``pairs`` are sorted by shared characters."""

    pairs: list[PairReport]
    documents: list[DocumentReuse]
    families: list[Family]
    passages: list[ReusedPassage]  # found in ≥ 2 documents, most documents first
    formulae: list[Formula] = field(default_factory=list)  # the corpus's formula texts
    formula_passages: list[ReusedPassage] = field(default_factory=list)  # shared, judged formulae
    candidates: int = 0  # pairs the index proposed (all were aligned)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    min_chars: int = DEFAULT_MIN_CHARS
    min_identity: float = DEFAULT_MIN_IDENTITY
    formula_threshold: float = DEFAULT_FORMULA_THRESHOLD
    _lengths: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def popular_passages(self) -> list[ReusedPassage]:
        """Passages found in at least three documents."""
        return [p for p in self.passages if p.documents >= POPULAR_MIN_DOCUMENTS]

    def least_original(self, n: int = 10) -> list[DocumentReuse]:
        return sorted(self.documents, key=lambda d: (d.originality, d.id))[:n]

    def summary(self) -> str:
        """One line: documents, candidates, pairs, families, formulae, seconds."""
        took = sum(self.timings.values())
        return (f"{len(self.documents)} documents, {self.candidates} candidate pairs aligned, "
                f"{len(self.pairs)} pairs reported, {len(self.families)} families, "
                f"{len(self.formula_passages)} shared passages set apart as formulae, {took:.1f} s")

    def _head(self) -> dict[str, Any]:
        return {
            "min_chars": self.min_chars,
            "min_identity": self.min_identity,
            "formula_threshold": self.formula_threshold,
            "candidates": self.candidates,
        }

    def to_json(self) -> dict[str, Any]:
        """``pairs`` (the shape of ``djmine compare --json``), ``families``, ``documents``,
        ``passages`` (those found in ≥ 3 documents) and ``formulae``: the corpus's formula
        texts and the shared passages judged formulae."""
        return json.loads("".join(self.iter_json()))

    def iter_json(self) -> Iterator[str]:
        """The JSON of :meth:`to_json` in pieces, a record at a time (to stream it out)."""
        yield json.dumps(self._head(), ensure_ascii=False)[:-1]
        for key, items in (
            ("pairs", (p.to_json() for p in self.pairs)),
            ("families", (f.to_json() for f in self.families)),
            ("documents", (d.to_json() for d in self.documents)),
            ("passages", (p.to_json() for p in self.popular_passages)),
        ):
            yield from _json_list(key, items)
        yield ', "formulae": {'
        yield from _json_list("texts", (f.to_json() for f in self.formulae), first=True)
        yield from _json_list("passages", (p.to_json() for p in self.formula_passages))
        yield "}}\n"

    # ----- tables for notebooks and CSV ---------------------------------------------------------
    def pairs_frame(self) -> pd.DataFrame:
        """One row per pair: :data:`PAIR_FIELDS`."""
        import pandas as pd

        return pd.DataFrame([pair.summary() for pair in self.pairs], columns=PAIR_FIELDS)

    def documents_frame(self) -> pd.DataFrame:
        """One row per document: :data:`DOCUMENT_FIELDS`."""
        import pandas as pd

        return pd.DataFrame([doc.to_json() for doc in self.documents], columns=DOCUMENT_FIELDS)

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


def _json_list(key: str, items: Iterable[dict[str, Any]], first: bool = False) -> Iterator[str]:
    yield f'{"" if first else ", "}"{key}": ['
    for n, item in enumerate(items):
        yield (", " if n else "") + json.dumps(item, ensure_ascii=False)
    yield "]"


# ----- the pipeline ----------------------------------------------------------------------------
def corpus_reuse(
    documents: Iterable[Document],
    *,
    min_chars: int = DEFAULT_MIN_CHARS,
    min_identity: float = DEFAULT_MIN_IDENTITY,
    formula_threshold: float = DEFAULT_FORMULA_THRESHOLD,
    min_sources: int = DEFAULT_MIN_SOURCES,
    top: int | None = None,
    progress: Progress | None = None,
    family_min_coverage: float = DEFAULT_FAMILY_MIN_COVERAGE,
    workers: int | None = None,
) -> CorpusReuse:
    """Find the passages every two documents of a corpus share, without aligning all pairs.

    Args:
        documents: the corpus (e.g. ``Store().documents()``); IDs must be unique.
        min_chars: a pair is reported when this many characters of its shared passages lie
            outside formulae; also the shortest passage, in characters.
        min_identity: lowest identity of a passage, in [0, 1].
        formula_threshold: formula score at or above which a passage is a formula.
        min_sources: unrelated sources a text must recur in to be a formula.
        top: keep only the ``top`` pairs with the most shared characters in ``pairs``
            (documents, families and passages always use every pair).
        progress: called as ``progress(done, total)`` while pairs are aligned.
        family_min_coverage: share of its members a family's template must cover, on average.
        workers: processes for the alignment (default: the CPUs available).

    Returns:
        A :class:`CorpusReuse`.
    """
    clock = time.perf_counter()
    docs = list(documents)
    _check_options(docs, min_chars, min_identity, top, family_min_coverage)
    context = build_context(docs, formula_threshold=formula_threshold, min_sources=min_sources)
    candidates = context.candidates().tolist()
    timings = {"index": time.perf_counter() - clock}
    options = {"min_chars": min_chars, "min_identity": min_identity}
    aligned = _align_all(docs, context, candidates, options, progress, workers)
    timings["align"] = time.perf_counter() - clock - timings["index"]
    pairs = [p for p in aligned if is_reported(p, min_chars)]
    pairs.sort(key=lambda p: (-max(p.shared_chars, _b_chars(p)), p.a, p.b))
    texts = {d.id: d.text for d in docs}
    passages = reused_passages(pairs, texts)
    result = CorpusReuse(
        pairs=pairs[:top] if top is not None else pairs,
        documents=_document_stats(docs, pairs, aligned, context),
        families=families(passages, texts, family_min_coverage),
        passages=passages,
        formulae=_formula_texts(docs, context),
        formula_passages=_formula_passages(aligned, texts),
        candidates=len(candidates),
        timings=timings,
        min_chars=min_chars,
        min_identity=min_identity,
        formula_threshold=formula_threshold,
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
    docs, context, options = _WORK["docs"], _WORK["context"], _WORK["options"]
    reports = [judged_report(docs[i], docs[j], i, j, context, **options) for i, j in chunk]
    return len(chunk), [r for r in reports if r.passages or r.formulae]


def _align_all(
    docs: list[Document], context: CorpusContext, pairs: list[tuple[int, int]], options: dict[str, Any],
    progress: Progress | None, workers: int | None,
) -> list[PairReport]:
    total = len(pairs)
    if progress:
        progress(0, total)
    chunks = [pairs[i : i + _CHUNK] for i in range(0, total, _CHUNK)]
    workers = workers or _available_cpus()
    _WORK.update(docs=docs, context=context, options=options)
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
def _document_stats(
    docs: list[Document], pairs: list[PairReport], aligned: list[PairReport], context: CorpusContext
) -> list[DocumentReuse]:
    net: dict[str, list[tuple[int, int]]] = defaultdict(list)
    raw: dict[str, list[tuple[int, int]]] = defaultdict(list)
    best: dict[str, tuple[float, str]] = {}
    longest: dict[str, int] = defaultdict(int)
    for pair in aligned:
        for side in (pair, pair.flipped()):
            raw[side.a] += [(p.a_start, p.a_end) for p in side.passages + side.formulae]
    for pair in pairs:
        for side in (pair, pair.flipped()):
            for p in side.passages:
                net[side.a].append((p.a_start, p.a_end))
                longest[side.a] = max(longest[side.a], p.a_chars)
            current = best.get(side.a)
            if current is None or (side.coverage_a, _neg(side.b)) > (current[0], _neg(current[1])):
                best[side.a] = (side.coverage_a, side.b)
    out = []
    for n, doc in enumerate(docs):
        length = len(doc.text)
        formula = context.formula.spans[n]
        # net of formulae: reported passages, less the formula text inside them
        covered = _union_length(net.get(doc.id, []) + formula) - _union_length(formula)
        covered_raw = _union_length(raw.get(doc.id, []) + net.get(doc.id, []) + formula)
        share, other = best.get(doc.id, (0.0, None))
        out.append(DocumentReuse(
            id=doc.id,
            chars=length,
            copy_ratio=covered / length if length else 0.0,
            copy_ratio_raw=covered_raw / length if length else 0.0,
            shares_most_with=other,
            largest_share=share,
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


# ----- formulae ---------------------------------------------------------------------------------
def _formula_texts(docs: list[Document], context: CorpusContext) -> list[Formula]:
    """The corpus's formula texts (spans of formula fingerprints, folded to compare), by the
    number of documents they occur in."""
    from .key import match_key

    seen: dict[str, tuple[str, set[int]]] = {}
    for n, doc in enumerate(docs):
        for start, end in context.formula.spans[n]:
            text = doc.text[start:end]
            key = match_key(text).key
            seen.setdefault(key, (text, set()))[1].add(n)
    ranked = sorted(seen.values(), key=lambda item: (-len(item[1]), -len(item[0]), item[0]))
    return [Formula(text, len(found)) for text, found in ranked[:_FORMULAE_SHOWN] if len(found) >= 2]


def _formula_passages(aligned: list[PairReport], texts: dict[str, str]) -> list[ReusedPassage]:
    """The shared passages judged formulae, grouped across documents."""
    only = [replace(p, passages=p.formulae) for p in aligned if p.formulae]
    return reused_passages(only, texts)
