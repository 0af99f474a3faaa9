"""Formula, not copy: text the genre repeats across unrelated documents.

Reports of one genre share their formulae — title and opening formulae (``2022年,某某医院党支部
在上级党组织的坚强领导下,``), sentence templates whose slots differ (``现有党员N名,其中预备党员N名``),
mandated 提法 (``以邓小平理论和“三个代表”重要思想为指导``) — without one copying the other. A
shared passage made of such text is listed apart and counts toward no pair, coverage, family or
originality figure.

A fingerprint (a winnowed k-gram of the index key, where digits and placeholders are masked and
punctuation dropped: :mod:`djmine.reuse.index`) is a **formula** when it recurs in at least
``min_sources`` *unrelated* sources and in ``DEFAULT_MIN_SOURCE_SHARE`` of them, or lies inside a mandated formula of
``data/formulae.txt``. Two documents are *related* (one source) when they share at least
``RELATED_SHARE`` of the smaller one's fingerprints, and at least ~200 characters: copies, mirrors and members of one
template family. So a template copied into fifty reports is one source, not a formula, while a sentence
that fifty unrelated reports open with is a formula.

A passage's **formula score** is the share of its characters, averaged over both sides, that
formula fingerprints cover. At or above the threshold (default
:data:`DEFAULT_FORMULA_THRESHOLD`) the passage is a formula.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np

from .index import DEFAULT_K, Fingerprints, pair_hits, text_hashes
from .unionfind import UnionFind

DEFAULT_FORMULA_THRESHOLD = 0.8
DEFAULT_MIN_SOURCES = 6
# ... and in at least this share of the corpus's sources: clauses of stock phrases (组织党员干部N人次
# 参加专题党课) recur by chance in 1–2 % of a generated corpus of 1,000 reports; openings and slot
# templates that are formulae recur in 5–60 % (bench/bench_reuse_accuracy.py).
DEFAULT_MIN_SOURCE_SHARE = 0.03
# Share of the smaller document's fingerprints two documents must share to count as one source.
# Members of an edited template family share 50–80 %; unrelated reports that open with the same
# formulae share under 15 %.
RELATED_SHARE = 0.4
# ... and at least this many fingerprints (~200 characters): more than a report's formulae (an
# opening and two slot templates are 70–150), so short reports that are mostly formulae stay
# unrelated sources.
_RELATED_MIN = 80
_RELATED_MAX_DF = 40  # longer posting lists link each document to the first only (a star)


@dataclass(frozen=True)
class FormulaModel:
    """Which text of each document is formula, from a corpus's fingerprints.

    ``hashes``: sorted formula fingerprint hashes. ``spans[d]``: merged text spans of document
    position ``d`` covered by formula fingerprints. ``sources[d]``: the source (cluster of
    related documents) of document ``d``.
    """

    hashes: np.ndarray
    spans: list[list[tuple[int, int]]]
    sources: np.ndarray
    min_sources: int

    def covered(self, doc: int, start: int, end: int) -> int:
        """Characters of ``text[start:end]`` of document ``doc`` inside formula spans."""
        spans = self.spans[doc]
        i = max(0, bisect.bisect_right(spans, (start, start)) - 1)
        total = 0
        while i < len(spans) and spans[i][0] < end:
            lo, hi = spans[i]
            total += max(0, min(hi, end) - max(lo, start))
            i += 1
        return total

    def score(self, doc_a: int, a: tuple[int, int], doc_b: int, b: tuple[int, int]) -> float:
        """Formula score of a passage at ``a`` in document ``doc_a`` and ``b`` in ``doc_b``."""
        shares = [self.covered(doc, lo, hi) / (hi - lo) for doc, (lo, hi) in ((doc_a, a), (doc_b, b)) if hi > lo]
        return sum(shares) / len(shares) if shares else 0.0

    def formula_chars(self, doc: int) -> int:
        return sum(hi - lo for lo, hi in self.spans[doc])


def formula_model(
    fp: Fingerprints,
    *,
    min_sources: int = DEFAULT_MIN_SOURCES,
    mandated: Sequence[str] | None = None,
    k: int = DEFAULT_K,
) -> FormulaModel:
    """Find the formula fingerprints of a corpus and the text they cover in each document.

    Args:
        fp: the corpus's fingerprints (:func:`djmine.reuse.index.fingerprints`).
        min_sources: unrelated sources a fingerprint must recur in to be a formula (and in
            ``DEFAULT_MIN_SOURCE_SHARE`` of the corpus's sources).
        mandated: formula phrases that are formula wherever they occur (default: the bundled
            ``data/formulae.txt``).
        k: the k-gram length ``fp`` was made with.
    """
    sources = related_sources(fp)
    needed = max(min_sources, round(DEFAULT_MIN_SOURCE_SHARE * len(np.unique(sources))))
    recurring = _recurring_hashes(fp.hash, sources[fp.doc], needed)
    phrases = mandated_formulae() if mandated is None else tuple(mandated)
    hashes = np.union1d(recurring, _phrase_hashes(phrases, k))
    return FormulaModel(hashes, _spans(fp, hashes), sources, needed)


def related_sources(fp: Fingerprints) -> np.ndarray:
    """A source number per document: documents sharing ≥ ``RELATED_SHARE`` of the smaller one's
    fingerprints, directly or through others, have one number."""
    n = fp.n_docs
    keys = pair_hits(fp, _RELATED_MAX_DF)[0]
    if not len(keys):
        return np.arange(n)
    pair_keys, shared = np.unique(keys, return_counts=True)
    a, b = pair_keys // n, pair_keys % n
    sizes = np.bincount(fp.doc, minlength=n)
    related = (shared >= RELATED_SHARE * np.minimum(sizes[a], sizes[b])) & (shared >= _RELATED_MIN)
    groups = UnionFind(n)
    for x, y in zip(a[related].tolist(), b[related].tolist(), strict=True):
        groups.union(x, y)
    return np.array([groups.find(x) for x in range(n)], dtype=np.int64)


def _recurring_hashes(hashes: np.ndarray, sources: np.ndarray, min_sources: int) -> np.ndarray:
    """The hashes found in at least ``min_sources`` distinct sources."""
    if not len(hashes):
        return np.zeros(0, np.uint64)
    order = np.lexsort((sources, hashes))
    h, s = hashes[order], sources[order]
    first = np.concatenate(([True], (h[1:] != h[:-1]) | (s[1:] != s[:-1])))
    h = h[first]
    starts = np.flatnonzero(np.concatenate(([True], h[1:] != h[:-1])))
    counts = np.diff(np.append(starts, len(h)))
    return h[starts][counts >= min_sources]


def _spans(fp: Fingerprints, hashes: np.ndarray) -> list[list[tuple[int, int]]]:
    """Merged text spans of formula fingerprints, per document."""
    spans: list[list[tuple[int, int]]] = [[] for _ in range(fp.n_docs)]
    if not len(hashes) or not len(fp):
        return spans
    hit = fp.take(np.isin(fp.hash, hashes))
    order = np.lexsort((hit.start, hit.doc))
    for doc, start, end in zip(hit.doc[order].tolist(), hit.start[order].tolist(), hit.end[order].tolist(), strict=True):
        own = spans[doc]
        if own and start <= own[-1][1]:
            if end > own[-1][1]:
                own[-1] = (own[-1][0], end)
        else:
            own.append((start, end))
    return spans


@functools.lru_cache(maxsize=4)
def _phrase_hashes(phrases: tuple[str, ...], k: int) -> np.ndarray:
    """Every k-gram hash of the phrases (computed once per phrase list: compare A B asks again)."""
    return np.concatenate([np.zeros(0, np.uint64), *(text_hashes(p, k) for p in phrases)])


@functools.lru_cache(maxsize=1)
def mandated_formulae() -> tuple[str, ...]:
    """The bundled mandated formulae (``src/djmine/data/formulae.txt``)."""
    text = resources.files("djmine.data").joinpath("formulae.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))
