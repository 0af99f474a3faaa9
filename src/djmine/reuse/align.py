"""Alignment: the passages two texts share, tolerant to edits.

The engine is seed-and-extend, as in sequence alignment:

1. **Comparison key** (:mod:`djmine.reuse.key`). Each text becomes a key string, one key character per visible text
   character, with an index map back to ``Document.text``: punctuation folds to one class (so
   ``，`` matches ``,`` and ``。`` matches ``；``), digits to another (``3月`` matches ``5月``),
   letters are lower-cased, whitespace is dropped (line breaks don't matter) and a placeholder
   run (``xx``, ``××``, ``某某``, ``_``) becomes one wildcard character.
2. **Seeds.** Exact k-grams of the key shared by both texts, found through a dict of the
   k-grams of one text. Consecutive seeds on one diagonal become a run.
3. **Chains.** Runs close to each other in both texts (gap ≤ ``max_gap`` + k) are chained into
   candidate regions; chains that cover too little to ever make a passage are dropped before
   any alignment, which is what keeps unrelated pairs cheap.
4. **Alignment.** Each region is aligned with Levenshtein opcodes (rapidfuzz, bit-parallel:
   a few ms for two 3,000-character texts). Opcodes become blocks: *equal* runs and *edit*
   blocks (consecutive non-equal opcodes). An edit block whose one side is only wildcards and
   whose other side is 1–6 characters per wildcard counts as matching: ``xx总医院`` ≡
   ``上海武警总医院``.
5. **Passages.** Blocks are cut at edits wider than ``max_gap`` (a dropped paragraph ends a
   passage), then the maximal-scoring runs of blocks are taken (Kadane), scoring +1 per
   matched column and −w per unmatched one. A lenient pass (w = 0.5) keeps short clauses
   between edits in their passage; a run that then falls below ``min_identity`` is re-scored
   with ``w = min_identity / (1 − min_identity)``, at which a run scores ≥ 0 exactly when its
   identity is ≥ ``min_identity``. This trims the ends to matching characters and refuses to
   chain stock phrases separated by different text. Runs shorter than ``min_chars`` (on the
   shorter side) are dropped: short stock phrases never qualify.
6. **One-to-one.** Candidates are taken longest first; one that overlaps an accepted passage on
   either side is clipped to the free part and re-checked.

``identity`` = matched columns / aligned columns in key space, where an edit block spans
``max(len_a, len_b)`` columns. Offsets always index the clean texts: ``a_text ==
text_a[a_start:a_end]``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from rapidfuzz.distance import Levenshtein

from .key import PUNCT, WILDCARD, MatchKey, match_key
from .records import DEFAULT_MIN_CHARS, DEFAULT_MIN_IDENTITY, SharedPassage

DEFAULT_SEED_LEN = 8  # k: long enough that random k-gram hits are rare, short enough for dense edits
DEFAULT_MAX_GAP = 30  # widest edit (key chars, either side) inside one passage
WILDCARD_SPAN = 6  # one placeholder stands for up to this many name characters

# Equal runs this short between two edits are chance matches (的, 党, 工作) inside different
# text; they are folded into the edit so that different text is not scored as similar.
MIN_ANCHOR = 3
# Levenshtein alignment is quadratic/64 in memory and time; beyond this many key chars per side a
# region is aligned piecewise along its seeds' diagonal instead of in one call.
MAX_ALIGN = 20_000

DiffOp = Literal["equal", "similar", "replace", "delete", "insert"]


# ----- seeds and chains ------------------------------------------------------------------------
class _Run(NamedTuple):
    """Seeds on one diagonal: key[a0:a1] of A equals key[b0:b1] of B."""

    a0: int
    a1: int
    b0: int
    b1: int


def _seed_runs(ka: str, kb: str, k: int, max_occurrences: int = 16) -> list[_Run]:
    """Maximal runs of shared k-grams, one per diagonal stretch, in A order."""
    index: dict[str, list[int]] = defaultdict(list)
    for j in range(len(kb) - k + 1):
        index[kb[j : j + k]].append(j)
    open_runs: dict[int, list[int]] = {}  # diagonal -> [a0, last seed a, b0]
    runs: list[_Run] = []
    for i in range(len(ka) - k + 1):
        hits = index.get(ka[i : i + k])
        # A k-gram repeated many times in B (a folded number list, a refrain) seeds everywhere
        # and nowhere in particular; skip it rather than go quadratic.
        if not hits or len(hits) > max_occurrences:
            continue
        for j in hits:
            run = open_runs.get(j - i)
            if run is not None and run[1] == i - 1:
                run[1] = i
            else:
                if run is not None:
                    runs.append(_Run(run[0], run[1] + k, run[2], run[2] + run[1] - run[0] + k))
                open_runs[j - i] = [i, i, j]
    for a0, last, b0 in open_runs.values():
        runs.append(_Run(a0, last + k, b0, b0 + last - a0 + k))
    runs.sort()
    return runs


def _chain_runs(runs: list[_Run], *, reach: int, overlap: int) -> list[list[_Run]]:
    """Group runs that follow each other in both texts within ``reach`` characters.

    Each run joins the open chain whose end it continues with the least change of diagonal
    (an edit shifts the diagonal by its length difference); otherwise it starts a chain.
    """
    chains: list[list[_Run]] = []
    active: list[list[_Run]] = []
    for run in runs:
        active = [c for c in active if c[-1].a1 >= run.a0 - reach]
        best: list[_Run] | None = None
        best_shift = reach + 1
        for chain in active:
            last = chain[-1]
            da, db = run.a0 - last.a1, run.b0 - last.b1
            if not (-overlap < da <= reach and -overlap < db <= reach):
                continue
            if run.a1 <= last.a1 or run.b1 <= last.b1:
                continue
            if abs(da - db) < best_shift:
                best, best_shift = chain, abs(da - db)
        if best is None:
            best = []
            chains.append(best)
            active.append(best)
        best.append(run)
    return chains


# ----- alignment blocks ------------------------------------------------------------------------
class _Block(NamedTuple):
    """One stretch of an alignment, in key offsets. ``matched`` of ``cols`` columns match."""

    a0: int
    a1: int
    b0: int
    b1: int
    matched: int
    cols: int

    @property
    def equal(self) -> bool:
        """All columns match (an equal run, or a placeholder block standing for a name)."""
        return self.matched == self.cols

    @property
    def diagonal(self) -> bool:
        """An equal run: character i of the A side matches character i of the B side."""
        return self.equal and self.a1 - self.a0 == self.b1 - self.b0


def _align(ka: str, kb: str, a_off: int = 0, b_off: int = 0) -> list[_Block]:
    """Align two key strings into equal and edit blocks (offsets shifted by a_off/b_off)."""
    # [is_equal, a0, a1, b0, b1]; consecutive non-equal opcodes form one edit block.
    raw: list[list[int]] = []
    for op in Levenshtein.opcodes(ka, kb):
        equal = int(op.tag == "equal")
        if raw and raw[-1][0] == equal == 0:
            raw[-1][2], raw[-1][4] = op.src_end, op.dest_end
        else:
            raw.append([equal, op.src_start, op.src_end, op.dest_start, op.dest_end])
    merged: list[list[int]] = []
    for n, item in enumerate(raw):
        inside = 0 < n < len(raw) - 1  # equal runs alternate with edits, so both neighbours edit
        if item[0] and inside and item[2] - item[1] < MIN_ANCHOR:
            item = [0, *item[1:]]  # a chance match inside different text: see MIN_ANCHOR
        if merged and merged[-1][0] == item[0] == 0:
            merged[-1][2], merged[-1][4] = item[2], item[4]
        else:
            merged.append(item)
    blocks: list[_Block] = []
    for is_equal, a0, a1, b0, b1 in merged:
        if is_equal:
            matched = cols = a1 - a0
        else:
            cols = max(a1 - a0, b1 - b0)
            matched = cols if _wildcard_equal(ka[a0:a1], kb[b0:b1]) else 0
        blocks.append(_Block(a0 + a_off, a1 + a_off, b0 + b_off, b1 + b_off, matched, cols))
    return blocks


def _wildcard_equal(seg_a: str, seg_b: str) -> bool:
    """True if one side is only placeholders and the other a plausible name they stand for."""
    for wild, other in ((seg_a, seg_b), (seg_b, seg_a)):
        if wild and other and wild.count(WILDCARD) == len(wild):
            if PUNCT in other:
                return False  # a name doesn't span a clause boundary
            return len(other) <= WILDCARD_SPAN * len(wild)
    return False


# ----- from blocks to passages -----------------------------------------------------------------
# Mismatch cost of the first, lenient pass: a clause beyond an edit stays in the passage if it is
# at least half as long as the edit ("今年以来," before a nine-character renamed unit). The run
# must still reach min_identity as a whole, and chains end within a pad of their last seed, so
# a lenient end can't wander far.
LENIENT_WEIGHT = 0.5


def strict_weight(min_identity: float) -> float:
    """The mismatch cost at which a run scores ≥ 0 exactly when its identity ≥ min_identity."""
    return min_identity / max(1.0 - min_identity, 1e-9)


def _split_wide_edits(blocks: list[_Block], max_gap: int) -> list[list[_Block]]:
    pieces: list[list[_Block]] = [[]]
    for block in blocks:
        if not block.equal and max(block.a1 - block.a0, block.b1 - block.b0) > max_gap:
            pieces.append([])
        else:
            pieces[-1].append(block)
    return [p for p in pieces if p]


def _best_runs(blocks: Sequence[_Block], weight: float) -> list[list[_Block]]:
    """All maximal-scoring runs of blocks: the best one, then recursively left and right of it.

    Score: +1 per matched column, −weight per unmatched one (Kadane's algorithm). A stack
    instead of recursion: a long alignment of different text can yield hundreds of tiny runs.
    """
    found: list[list[_Block]] = []
    stack = [(0, len(blocks))]
    while stack:
        start, stop = stack.pop()
        best, best_lo, best_hi = 0.0, start, start
        total, lo = 0.0, start
        for i in range(start, stop):
            if total <= 0:
                total, lo = 0.0, i
            block = blocks[i]
            total += block.matched - weight * (block.cols - block.matched)
            if total > best:
                best, best_lo, best_hi = total, lo, i + 1
        if best > 0:
            found.append(list(blocks[best_lo:best_hi]))
            stack += [(start, best_lo), (best_hi, stop)]
    return found


def _strip(blocks: list[_Block], ka: str) -> list[_Block]:
    """Drop edit blocks at both ends and punctuation at the start (a passage starts on a word)."""
    while blocks and not blocks[-1].equal:
        blocks = blocks[:-1]
    while blocks:
        first = blocks[0]
        if not first.equal:
            blocks = blocks[1:]
            continue
        if not first.diagonal:
            break
        skip = 0
        while skip < first.cols and ka[first.a0 + skip] == PUNCT:
            skip += 1
        if skip == first.cols:
            blocks = blocks[1:]
            continue
        if skip:
            blocks = [_shift_equal(first, skip), *blocks[1:]]
        break
    return blocks


def _extend_exact(blocks: list[_Block], ka: str, kb: str) -> list[_Block]:
    """Grow the end blocks over characters that match exactly beyond them.

    Levenshtein alignments are not unique; the final "。" of a passage may have been aligned with
    a comma further on and discarded as a chance match. Matching neighbours belong in.
    """
    if not blocks:
        return blocks
    first, last = blocks[0], blocks[-1]
    back = 0
    while first.a0 - back > 0 and first.b0 - back > 0 and ka[first.a0 - back - 1] == kb[first.b0 - back - 1]:
        back += 1
    ahead = 0
    while (
        last.a1 + ahead < len(ka)
        and last.b1 + ahead < len(kb)
        and ka[last.a1 + ahead] == kb[last.b1 + ahead]
    ):
        ahead += 1
    out = list(blocks)
    if back:
        out.insert(0, _Block(first.a0 - back, first.a0, first.b0 - back, first.b0, back, back))
    if ahead:
        out.append(_Block(last.a1, last.a1 + ahead, last.b1, last.b1 + ahead, ahead, ahead))
    return _strip(out, ka)


def _shift_equal(block: _Block, start: int = 0, end: int | None = None) -> _Block:
    """The part [start:end] of an equal block."""
    end = block.cols if end is None else end
    n = end - start
    return _Block(block.a0 + start, block.a0 + end, block.b0 + start, block.b0 + end, n, n)


@dataclass
class _Candidate:
    blocks: list[_Block]
    matched: int = field(init=False)
    cols: int = field(init=False)

    def __post_init__(self) -> None:
        self.matched = sum(b.matched for b in self.blocks)
        self.cols = sum(b.cols for b in self.blocks)

    @property
    def a_span(self) -> tuple[int, int]:
        return self.blocks[0].a0, self.blocks[-1].a1

    @property
    def b_span(self) -> tuple[int, int]:
        return self.blocks[0].b0, self.blocks[-1].b1


def _clip(blocks: list[_Block], side: Literal["a", "b"], lo: int, hi: int, front: bool) -> list[_Block]:
    """Remove the part of ``blocks`` that lies in [lo, hi) on ``side``, from the front or back."""
    out = list(blocks)
    if front:
        while out:
            first = out[0]
            start = first.a0 if side == "a" else first.b0
            if start >= hi:
                break
            if first.diagonal and start + first.cols > hi:
                out[0] = _shift_equal(first, hi - start)
                break
            out.pop(0)
    else:
        while out:
            last = out[-1]
            start, end = (last.a0, last.a1) if side == "a" else (last.b0, last.b1)
            if end <= lo:
                break
            if last.diagonal and start < lo:
                out[-1] = _shift_equal(last, 0, lo - start)
                break
            out.pop()
    return out


def _free_part(cand: _Candidate, taken: list[_Candidate], ka: str) -> list[_Block]:
    """The candidate's blocks minus whatever overlaps accepted passages (on either side)."""
    blocks = cand.blocks
    for other in taken:
        for side in ("a", "b"):
            if not blocks:
                return []
            lo, hi = other.a_span if side == "a" else other.b_span
            c = _Candidate(blocks)
            c_lo, c_hi = c.a_span if side == "a" else c.b_span
            if hi <= c_lo or lo >= c_hi:
                continue
            # Overlap at the front or back: clip there; inside: keep the larger free side.
            front = lo <= c_lo or (hi < c_hi and lo - c_lo < c_hi - hi)
            blocks = _strip(_clip(blocks, side, lo, hi, front), ka)
    return blocks


# ----- public API ------------------------------------------------------------------------------
def find_shared_passages(
    text_a: str,
    text_b: str,
    *,
    min_chars: int = DEFAULT_MIN_CHARS,
    min_identity: float = DEFAULT_MIN_IDENTITY,
    seed_len: int = DEFAULT_SEED_LEN,
    max_gap: int = DEFAULT_MAX_GAP,
) -> list[SharedPassage]:
    """Every passage of ``text_a`` reused in ``text_b``, tolerant to edits.

    Args:
        text_a, text_b: clean texts (``Document.text``); offsets in the result index them.
        min_chars: shortest passage reported, in characters of the shorter side. Stock phrases
            (同部署、同落实、同考核) are shorter and never reported.
        min_identity: lowest identity (matched / aligned columns) of a passage, in [0, 1].
        seed_len: length of the exact k-grams that seed a comparison.
        max_gap: widest edit, in characters, that a passage may span; a wider one splits it.

    Returns:
        Passages in order of ``a_start``; they overlap on neither side.
    """
    if min_chars < 1 or not 0.0 <= min_identity <= 1.0 or seed_len < 2 or max_gap < 0:
        from ..errors import UsageError

        raise UsageError(
            f"invalid reuse options min_chars={min_chars}, min_identity={min_identity}, "
            f"seed_len={seed_len}, max_gap={max_gap}: need min_chars ≥ 1, 0 ≤ min_identity ≤ 1, "
            "seed_len ≥ 2, max_gap ≥ 0"
        )
    mk_a, mk_b = match_key(text_a), match_key(text_b)
    candidates = [
        cand
        for region in _regions(mk_a.key, mk_b.key, seed_len, max_gap, min_chars)
        for cand in _region_candidates(mk_a.key, mk_b.key, region, max_gap, min_identity)
    ]
    passages = _select(candidates, mk_a, mk_b, min_chars, min_identity)
    return [_to_passage(c, text_a, text_b, mk_a, mk_b) for c in passages]


def _regions(ka: str, kb: str, k: int, max_gap: int, min_chars: int) -> list[tuple[int, int, int, int]]:
    """Boxes (a0, a1, b0, b1) of key space worth aligning."""
    runs = _seed_runs(ka, kb, k)
    boxes = []
    for chain in _chain_runs(runs, reach=max_gap + k, overlap=k):
        # Seeds that cover less than half a passage can't grow into one: skip the alignment.
        if sum(r.a1 - r.a0 for r in chain) < min_chars // 2:
            continue
        # Pad as far as a chain reaches, so that a clause shorter than a seed beyond an edit at
        # either end ("今年以来," before a renamed unit) is still aligned.
        pad = max_gap + k
        a0 = max(0, chain[0].a0 - pad)
        b0 = max(0, min(r.b0 for r in chain) - pad)
        a1 = min(len(ka), max(r.a1 for r in chain) + pad)
        b1 = min(len(kb), max(r.b1 for r in chain) + pad)
        boxes.append((a0, a1, b0, b1))
    return boxes


def _region_candidates(
    ka: str, kb: str, box: tuple[int, int, int, int], max_gap: int, min_identity: float
) -> Iterable[_Candidate]:
    a0, a1, b0, b1 = box
    if max(a1 - a0, b1 - b0) > MAX_ALIGN:
        # Huge near-identical documents: align in diagonal-following chunks to bound memory.
        blocks = _align_chunked(ka, kb, box)
    else:
        blocks = _align(ka[a0:a1], kb[b0:b1], a0, b0)
    for piece in _split_wide_edits(blocks, max_gap):
        # Lenient scoring first, so that a clause between two edits stays in its passage;
        # where that run falls below min_identity, the strict scoring finds its good parts.
        for run in _best_runs(piece, LENIENT_WEIGHT):
            cand = _Candidate(run)
            if cand.matched >= min_identity * cand.cols:
                runs = [run]
            else:
                runs = _best_runs(run, strict_weight(min_identity))
            for part in runs:
                part = _extend_exact(_strip(part, ka), ka, kb)
                if part:
                    yield _Candidate(part)


def _align_chunked(ka: str, kb: str, box: tuple[int, int, int, int]) -> list[_Block]:
    a0, a1, b0, b1 = box
    blocks: list[_Block] = []
    step = MAX_ALIGN // 2
    i, j = a0, b0
    while i < a1 and j < b1:
        i_end, j_end = min(a1, i + step), min(b1, j + step)
        blocks.extend(_align(ka[i:i_end], kb[j:j_end], i, j))
        i, j = i_end, j_end
    return blocks


def _select(
    candidates: list[_Candidate], mk_a: MatchKey, mk_b: MatchKey, min_chars: int, min_identity: float
) -> list[_Candidate]:
    """Accept candidates longest first, clipping overlaps so the result is one-to-one."""
    taken: list[_Candidate] = []
    for cand in sorted(candidates, key=lambda c: (-c.matched, c.a_span)):
        if min(_text_len(mk_a, *cand.a_span), _text_len(mk_b, *cand.b_span)) < min_chars:
            continue  # cheap test first: most candidates are single stock phrases
        blocks = _free_part(cand, taken, mk_a.key)
        if not blocks:
            continue
        cand = _Candidate(blocks)
        if cand.matched < min_identity * cand.cols - 1e-9:
            continue
        a_len = _text_len(mk_a, *cand.a_span)
        b_len = _text_len(mk_b, *cand.b_span)
        if min(a_len, b_len) >= min_chars:
            taken.append(cand)
    return sorted(taken, key=lambda c: c.a_span)


def _text_len(mk: MatchKey, k0: int, k1: int) -> int:
    return mk.ends[k1 - 1] - mk.starts[k0] if k1 > k0 else 0


def _to_passage(cand: _Candidate, text_a: str, text_b: str, mk_a: MatchKey, mk_b: MatchKey) -> SharedPassage:
    (ka0, ka1), (kb0, kb1) = cand.a_span, cand.b_span
    a_start, a_end = mk_a.starts[ka0], mk_a.ends[ka1 - 1]
    b_start, b_end = mk_b.starts[kb0], mk_b.ends[kb1 - 1]
    return SharedPassage(
        a_start=a_start,
        a_end=a_end,
        b_start=b_start,
        b_end=b_end,
        identity=round(cand.matched / cand.cols, 4),
        a_text=text_a[a_start:a_end],
        b_text=text_b[b_start:b_end],
    )


def passage_diff(passage: SharedPassage) -> list[tuple[DiffOp, str, str]]:
    """The edits inside a passage, as (op, a_text, b_text) pieces that concatenate to both texts.

    ``op`` is ``equal`` (same text), ``similar`` (equal under the comparison key: other digits,
    other punctuation, a placeholder for a name), or ``replace``/``delete``/``insert``.
    """
    return text_diff(passage.a_text, passage.b_text)


def text_diff(a: str, b: str) -> list[tuple[DiffOp, str, str]]:
    """Like :func:`passage_diff` for any two strings."""
    mk_a, mk_b = match_key(a), match_key(b)
    if not mk_a.key or not mk_b.key:
        return [("replace", a, b)] if (a or b) else []
    # Each key character owns the text up to the next key character (the whitespace the key
    # skips goes with the character before it), so the pieces concatenate to a and b exactly.
    own_a = _ownership(mk_a, len(a))
    own_b = _ownership(mk_b, len(b))
    out: list[tuple[DiffOp, str, str]] = []
    for block in _align(mk_a.key, mk_b.key):
        if block.diagonal:
            # Key-equal: compare character by character, to show only what differs (3 → 5).
            for i, j in zip(range(block.a0, block.a1), range(block.b0, block.b1), strict=True):
                x, y = a[own_a[i] : own_a[i + 1]], b[own_b[j] : own_b[j + 1]]
                same = "".join(x.split()) == "".join(y.split())  # line breaks don't count
                _append_diff(out, "equal" if same else "similar", x, y)
            continue
        x = a[own_a[block.a0] : own_a[block.a1]]
        y = b[own_b[block.b0] : own_b[block.b1]]
        if block.equal:
            op: DiffOp = "similar"  # a placeholder standing for a name
        elif block.a0 == block.a1:
            op = "insert"
        elif block.b0 == block.b1:
            op = "delete"
        else:
            op = "replace"
        _append_diff(out, op, x, y)
    return out


def _ownership(mk: MatchKey, length: int) -> list[int]:
    """Text offset where each key character's piece starts, plus the end: len(key) + 1 items."""
    return [0, *mk.starts[1:], length]  # (a text whose key is empty never gets here)


def _append_diff(out: list[tuple[DiffOp, str, str]], op: DiffOp, a: str, b: str) -> None:
    if not a and not b:
        return
    if out and out[-1][0] == op:
        prev = out[-1]
        out[-1] = (op, prev[1] + a, prev[2] + b)
    else:
        out.append((op, a, b))
