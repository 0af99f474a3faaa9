"""Candidate document pairs for corpus-wide reuse detection, from a fingerprint index.

Aligning every pair of a 10,000-document corpus would take 50 million alignments; instead an
inverted index says which pairs share enough text to be worth aligning (winnowing, as in
Schleimer, Wilkerson & Aiken's MOSS):

1. **Index key.** Each text is folded like :func:`djmine.reuse.match_key` (placeholder runs →
   one wildcard, digits → one class, letters lower-cased, whitespace dropped), and further:
   punctuation is dropped and a run of digits becomes one digit, so a copy with other numbers
   or other punctuation has the same key.
2. **Fingerprints.** Every k-gram of the key is hashed (a vectorised polynomial hash); of each
   window of ``window`` consecutive hashes the smallest is kept. Any run of ``k + window − 1``
   key characters two texts share yields at least one shared fingerprint.
3. **Posting lists.** Fingerprints are sorted. A list of at most ``max_df`` documents gives all
   its document pairs; a longer one — a stock phrase ("坚持以习近平新时代中国特色社会主义思想为
   指导") or a template copied very often — pairs each document with the list's first only (a
   star), which keeps the number of pairs close to linear in the corpus size.
4. **Chains.** A pair is a candidate when its shared fingerprints form a chain (consecutive,
   on nearly one diagonal) spanning at least ``min_span`` key characters: longer than a stock
   phrase, shorter than a reused passage.

Everything after the key is numpy over the whole corpus, in chunks of documents to bound memory.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import UsageError
from .key import DIGIT, PINYIN_ANNOTATION, PLACEHOLDER, PUNCT, WILDCARD, fold_char

DEFAULT_K = 10  # key chars per k-gram: a 12-char stretch between two edits still seeds
DEFAULT_WINDOW = 4  # guarantee: any shared run of K + WINDOW − 1 = 13 key chars is seen
DEFAULT_MAX_DF = 40  # a fingerprint in more documents: linked as a star, not all pairs
DEFAULT_MIN_SPAN = 30  # key chars a chain must span: longer than a stock phrase, < a passage
# (20 let generated genre phrases through: 11 candidates per document at 2.5k, 90% of them false)
DEFAULT_MAX_GAP = 30  # key chars between two fingerprints of one chain

_SEPARATOR = "\x00"  # between documents of a chunk; folds to _SENTINEL
_SENTINEL = 1  # a code no folded character has (controls fold to nothing)
_DIGIT = ord(DIGIT)
_CHUNK_CHARS = 1_000_000  # characters hashed at once: ~100 MB of temporaries at most
_MAX = np.uint64(np.iinfo(np.uint64).max)
_BASE = np.uint64(0x100000001B3)


@dataclass(frozen=True)
class CandidatePairs:
    """Document pairs worth aligning: positions ``a[i] < b[i]`` in the input whose longest chain
    of shared fingerprints spans ``span[i]`` key characters; sorted by (a, b)."""

    a: np.ndarray
    b: np.ndarray
    span: np.ndarray
    fingerprints: int  # distinct (document, fingerprint) entries indexed
    dropped: int  # fingerprints in more than max_df documents (paired as a star, not all pairs)

    def __len__(self) -> int:
        return len(self.a)

    def tolist(self) -> list[tuple[int, int]]:
        return list(zip(self.a.tolist(), self.b.tolist(), strict=False))


@dataclass(frozen=True)
class Fingerprints:
    """Winnowed fingerprints of a corpus, one entry per (document, hash), sorted by hash then
    document. ``offset`` is the k-gram's position in the document's index key (chains are
    measured in it); ``start``/``end`` are the text offsets it covers in ``Document.text``."""

    doc: np.ndarray  # int64 document position
    hash: np.ndarray  # uint64
    offset: np.ndarray  # int32 index-key offset
    start: np.ndarray  # int32 text offset of the k-gram's first character
    end: np.ndarray  # int32 text offset after its last character
    n_docs: int

    def __len__(self) -> int:
        return len(self.doc)

    def take(self, mask: np.ndarray) -> Fingerprints:
        """The entries where ``mask`` holds (order kept)."""
        return Fingerprints(self.doc[mask], self.hash[mask], self.offset[mask], self.start[mask],
                            self.end[mask], self.n_docs)

    def of_documents(self, positions: Sequence[int]) -> Fingerprints:
        """The entries of the documents at ``positions``, renumbered 0, 1, … in that order."""
        wanted = np.asarray(positions, dtype=np.int64)
        keep = self.take(np.isin(self.doc, wanted))
        renumber = np.full(self.n_docs, -1, dtype=np.int64)
        renumber[wanted] = np.arange(len(wanted))
        return Fingerprints(renumber[keep.doc], keep.hash, keep.offset, keep.start, keep.end,
                            len(wanted))


@functools.lru_cache(maxsize=1)
def _fold_table() -> np.ndarray:
    """Code point → index-key code for the BMP (0 = dropped), from the engine's folding."""
    fold = fold_char.__wrapped__  # the uncached function: 65,536 calls would flush its cache
    table = np.zeros(0x10000, dtype=np.uint32)
    for cp in range(0x10000):
        folded = fold(chr(cp))
        if folded and len(folded) == 1 and folded != PUNCT:  # punctuation: dropped
            table[cp] = ord(folded)
    table[ord(_SEPARATOR)] = _SENTINEL
    table[ord(WILDCARD)] = ord(WILDCARD)
    return table


def index_key(text: str) -> np.ndarray:
    """The index key of one text as code points (see the module docstring)."""
    return _key_codes(text)[0]


def _key_codes(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The index key of ``text`` as code points, and the text offset of each key character."""
    raw = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    table = _fold_table()
    codes = np.where(raw < 0x10000, table[raw & 0xFFFF], raw)
    for match in PLACEHOLDER.finditer(text):  # a placeholder run is one wildcard
        codes[match.start()] = ord(WILDCARD)
        codes[match.start() + 1 : match.end()] = 0
    for match in PINYIN_ANNOTATION.finditer(text):  # mirrors' 長(zhǎng): skipped
        codes[match.start() : match.end()] = 0
    keep = codes != 0
    if len(codes) > 1:  # a run of digits is one digit: 83名 ≡ 105名
        digit = codes == _DIGIT
        keep[1:] &= ~(digit[1:] & _previous_kept_is_digit(codes, keep))
    positions = np.flatnonzero(keep).astype(np.int32)
    return codes[positions], positions


def _previous_kept_is_digit(codes: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """For each position i ≥ 1: whether the last kept code before i is a digit."""
    kept_index = np.where(keep, np.arange(len(codes)), -1)
    last = np.maximum.accumulate(kept_index)[:-1]
    return (last >= 0) & (codes[np.maximum(last, 0)] == _DIGIT)


def hash_kgrams(codes: np.ndarray, k: int) -> np.ndarray:
    """The hash of every k-gram of ``codes`` (a polynomial hash mod 2**64, then mixed)."""
    n = len(codes) - k + 1
    if n <= 0:
        return np.zeros(0, np.uint64)
    codes = codes.astype(np.uint64)
    hashes = np.zeros(n, dtype=np.uint64)
    for j in range(k):  # numpy wraps on overflow
        hashes = hashes * _BASE + codes[j : j + n]
    hashes ^= hashes >> np.uint64(31)
    hashes *= np.uint64(0x9E3779B97F4A7C15)
    hashes ^= hashes >> np.uint64(29)
    return hashes


def text_hashes(text: str, k: int = DEFAULT_K) -> np.ndarray:
    """Every k-gram hash of one text's index key (not winnowed): what a phrase list matches."""
    return hash_kgrams(_key_codes(text)[0], k)


def fingerprints(
    texts: Sequence[str], *, k: int = DEFAULT_K, window: int = DEFAULT_WINDOW
) -> Fingerprints:
    """Winnowed fingerprints of ``texts`` (see :class:`Fingerprints`)."""
    parts: list[tuple[np.ndarray, ...]] = []
    start = 0
    while start < len(texts):
        stop, size = start, 0
        while stop < len(texts) and (stop == start or size < _CHUNK_CHARS):
            size += len(texts[stop]) + 1
            stop += 1
        docs, *rest = _chunk_fingerprints(texts[start:stop], k, window)
        parts.append((docs + start, *rest))
        start = stop
    if not parts:
        empty = np.zeros(0, np.int64)
        return Fingerprints(empty, np.zeros(0, np.uint64), empty, empty, empty, len(texts))
    docs, hashes, offsets, starts, ends = (np.concatenate(arrays) for arrays in zip(*parts, strict=True))
    order = np.lexsort((offsets, docs, hashes))
    docs, hashes, offsets, starts, ends = (x[order] for x in (docs, hashes, offsets, starts, ends))
    if len(docs):
        keep = np.concatenate(([True], (hashes[1:] != hashes[:-1]) | (docs[1:] != docs[:-1])))
        docs, hashes, offsets, starts, ends = (x[keep] for x in (docs, hashes, offsets, starts, ends))
    return Fingerprints(docs, hashes, offsets, starts, ends, len(texts))


def _chunk_fingerprints(texts: Sequence[str], k: int, window: int) -> tuple[np.ndarray, ...]:
    joined = _SEPARATOR.join(texts) + _SEPARATOR
    codes, text_pos = _key_codes(joined)
    hashes = hash_kgrams(codes, k)
    n = len(hashes)
    empty = np.zeros(0, np.int64)
    if n <= 0:
        return empty, np.zeros(0, np.uint64), empty, empty, empty
    # k-gram i belongs to document seps[i]; it is valid when no separator lies inside it
    is_sep = codes == _SENTINEL
    seps = np.cumsum(is_sep)
    valid = (seps[k - 1 : k - 1 + n] == seps[:n]) & ~is_sep[:n]
    hashes[~valid] = _MAX
    # offsets inside each document (key and text), the separator before it excluded
    sep_at = np.flatnonzero(is_sep)
    key_start = np.concatenate(([0], sep_at + 1))
    text_start = np.concatenate(([0], text_pos[sep_at] + 1))
    owner = seps[:n]
    offsets = (np.arange(n, dtype=np.int64) - key_start[owner]).astype(np.int32)
    starts = (text_pos[:n] - text_start[owner]).astype(np.int32)
    ends = (text_pos[k - 1 : k - 1 + n] + 1 - text_start[owner]).astype(np.int32)
    if window > 1 and n >= window:
        view = np.lib.stride_tricks.sliding_window_view(hashes, window)
        # leftmost minimum of each window; non-decreasing, so duplicates are neighbours
        chosen = view.argmin(axis=1) + np.arange(len(view))
        chosen = chosen[np.concatenate(([True], chosen[1:] != chosen[:-1]))]
        chosen = chosen[valid[chosen]]
    else:
        chosen = np.flatnonzero(valid)
    return owner[chosen].astype(np.int64), hashes[chosen], offsets[chosen], starts[chosen], ends[chosen]


def candidate_pairs(
    texts: Sequence[str] | Fingerprints,
    *,
    k: int = DEFAULT_K,
    window: int = DEFAULT_WINDOW,
    max_df: int = DEFAULT_MAX_DF,
    min_span: int = DEFAULT_MIN_SPAN,
    max_gap: int = DEFAULT_MAX_GAP,
    skip: np.ndarray | None = None,
) -> CandidatePairs:
    """The pairs of ``texts`` that share a chain of fingerprints.

    A chain is a run of shared fingerprints, each within ``max_gap`` key characters of the
    previous one in both texts and on nearly the same diagonal; a pair is a candidate when one
    of its chains spans at least ``min_span`` key characters. A single stock phrase spans less.

    Args:
        texts: clean texts (``Document.text``), addressed by position, or their fingerprints.
        k: k-gram length in index-key characters.
        window: winnowing window; shared runs of ``k + window − 1`` key chars are always seen.
        max_df: fingerprints found in more documents than this pair each with the first only.
        min_span: shortest chain (key characters) that makes a pair a candidate.
        max_gap: widest step between two fingerprints of a chain (an edit plus a k-gram).
        skip: sorted hashes that link no pair (formulae: :mod:`djmine.reuse.formula`).

    Example:
        >>> pairs = candidate_pairs([d.text for d in store.documents()])
        >>> pairs.tolist()[:3]
        [(0, 7), (0, 12), (3, 4)]
    """
    if k < 2 or window < 1 or max_df < 2 or min_span < 1 or max_gap < 1:
        raise UsageError(
            f"invalid index options k={k}, window={window}, max_df={max_df}, min_span={min_span}, "
            f"max_gap={max_gap}: need k ≥ 2, window ≥ 1, max_df ≥ 2, min_span ≥ 1, max_gap ≥ 1"
        )
    fp = texts if isinstance(texts, Fingerprints) else fingerprints(texts, k=k, window=window)
    n_fingerprints = len(fp)
    if skip is not None and len(skip):
        fp = fp.take(~np.isin(fp.hash, skip))
    empty = np.zeros(0, np.int64)
    pair_keys, off_a, off_b, dropped = pair_hits(fp, max_df)
    if not len(pair_keys):
        return CandidatePairs(empty, empty, empty, n_fingerprints, dropped)
    pair_keys, spans = _chain_spans(pair_keys, off_a, off_b, k, max_gap)
    keep = spans >= min_span
    pair_keys, spans = pair_keys[keep], spans[keep]
    n = np.int64(fp.n_docs)
    return CandidatePairs(pair_keys // n, pair_keys % n, spans, n_fingerprints, dropped)


def pair_hits(fp: Fingerprints, max_df: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Every shared fingerprint of every two documents, from the posting lists of ``fp``:
    (pair key ``a * n_docs + b`` with a < b, offset in a, offset in b), and how many lists were
    longer than ``max_df`` (those pair each document with the list's first only: a star)."""
    docs, offsets, n_texts = fp.doc, fp.offset, fp.n_docs
    empty = np.zeros(0, np.int64)
    if len(docs) < 2:
        return empty, empty, empty, 0
    starts = np.flatnonzero(np.concatenate(([True], fp.hash[1:] != fp.hash[:-1])))
    df = np.diff(np.append(starts, len(docs)))
    dropped = int((df > max_df).sum())
    hits = [_group_hits(docs, offsets, starts[df == size], size, n_texts)
            for size in np.unique(df[(df >= 2) & (df <= max_df)])]
    if dropped:
        hits.append(_star_hits(docs, offsets, starts[df > max_df], df[df > max_df], n_texts))
    if not hits:
        return empty, empty, empty, dropped
    keys, off_a, off_b = (np.concatenate(arrays) for arrays in zip(*hits, strict=True))
    return keys, off_a, off_b, dropped


def _group_hits(
    docs: np.ndarray, offsets: np.ndarray, starts: np.ndarray, size: int, n_docs: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(pair key ``a * n_docs + b``, offset in a, offset in b) for every two documents of each
    posting list of length ``size``."""
    index = starts[:, None] + np.arange(size)
    members, where = docs[index], offsets[index]  # sorted by document within a list: a < b
    first, second = np.triu_indices(size, 1)
    keys = members[:, first] * np.int64(n_docs) + members[:, second]
    return keys.ravel(), where[:, first].ravel(), where[:, second].ravel()


def _star_hits(
    docs: np.ndarray, offsets: np.ndarray, starts: np.ndarray, sizes: np.ndarray, n_docs: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For fingerprints in more than ``max_df`` documents, pair each document with the first
    of the list only (a star, not all n² pairs). A stock phrase stays below ``min_span`` and
    drops out in the chain test, but a template copied into hundreds of documents gives every
    copy a long chain with the same first copy: its family is still found, at linear cost."""
    member = np.repeat(starts, sizes) + _ranks(sizes)
    first = np.repeat(starts, sizes)
    others = docs[member] != docs[first]  # a document repeating the phrase is no pair
    member, first = member[others], first[others]
    keys = docs[first] * np.int64(n_docs) + docs[member]
    return keys, offsets[first], offsets[member]


def _ranks(sizes: np.ndarray) -> np.ndarray:
    """0, 1, …, size−1 for each size, concatenated."""
    ends = np.cumsum(sizes)
    return np.arange(ends[-1]) - np.repeat(ends - sizes, sizes)


def _chain_spans(
    keys: np.ndarray, off_a: np.ndarray, off_b: np.ndarray, k: int, max_gap: int
) -> tuple[np.ndarray, np.ndarray]:
    """For each pair, the longest chain of its shared fingerprints, in key characters of A."""
    order = np.lexsort((off_a, keys))
    keys, off_a, off_b = keys[order], off_a[order], off_b[order]
    step_a = np.diff(off_a)
    drift = np.abs(np.diff(off_b - off_a))  # an edit of unequal sides shifts the diagonal
    linked = (keys[1:] == keys[:-1]) & (step_a <= max_gap) & (step_a > 0) & (drift <= max_gap // 2)
    chain = np.concatenate(([0], np.cumsum(~linked)))  # chain id of every hit
    first = np.flatnonzero(np.concatenate(([True], chain[1:] != chain[:-1])))
    last = np.append(first[1:], len(chain)) - 1
    spans = off_a[last] - off_a[first] + k
    chain_keys = keys[first]
    # the longest chain of each pair
    order = np.lexsort((-spans, chain_keys))
    chain_keys, spans = chain_keys[order], spans[order]
    best = np.concatenate(([True], chain_keys[1:] != chain_keys[:-1]))
    return chain_keys[best], spans[best]
