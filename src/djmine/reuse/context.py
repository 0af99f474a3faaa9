"""What a comparison knows of its corpus: fingerprints, formulae, and which pairs to align.

``compare A B`` and ``compare --all`` judge a pair by the same rules, so every pair the first
reports the second reports too:

* a pair is worth aligning when the two share a chain of fingerprints that are not formulae,
  spanning ``min_span`` index-key characters (:func:`djmine.reuse.index.candidate_pairs`);
* each passage gets a formula score; those at or above the threshold are listed apart;
* the pair is reported when its non-formula passages hold ``min_chars`` characters outside
  formula text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..errors import UsageError
from .formula import DEFAULT_FORMULA_THRESHOLD, DEFAULT_MIN_SOURCES, FormulaModel, formula_model
from .index import CandidatePairs, Fingerprints, candidate_pairs, fingerprints
from .records import PairReport, SharedPassage

if TYPE_CHECKING:
    from ..models import Document

# Posting lists up to this long pair all their documents (a template copied into many related
# reports: every copy is a pair); longer ones link each document to the first only.
CANDIDATE_MAX_DF = 400


@dataclass(frozen=True)
class CorpusContext:
    """A corpus's fingerprints and formula model, by document position (``ids``)."""

    ids: tuple[str, ...]
    lengths: tuple[int, ...]
    fp: Fingerprints
    formula: FormulaModel
    threshold: float = DEFAULT_FORMULA_THRESHOLD

    def candidates(self) -> CandidatePairs:
        """Every pair sharing a chain of non-formula fingerprints."""
        return candidate_pairs(self.fp, skip=self.formula.hashes, max_df=CANDIDATE_MAX_DF)

    def is_candidate(self, i: int, j: int) -> bool:
        """Whether documents ``i`` and ``j`` pass the candidate test of :meth:`candidates`."""
        return len(candidate_pairs(self.fp.of_documents([i, j]), skip=self.formula.hashes)) > 0

    def classify(self, report: PairReport, i: int, j: int) -> PairReport:
        """Score the passages of ``report`` (documents ``i``, ``j``), set formulae apart."""
        model = self.formula
        scored = [
            replace(p, formula_score=round(model.score(i, (p.a_start, p.a_end), j, (p.b_start, p.b_end)), 4))
            for p in report.passages + report.formulae
        ]
        scored.sort(key=lambda p: p.a_start)
        kept = tuple(p for p in scored if p.formula_score < self.threshold)
        formulae = tuple(p for p in scored if p.formula_score >= self.threshold)
        # outside formula text on both sides, so the figure does not depend on the order of A and B
        net = min(sum(p.a_chars - model.covered(i, p.a_start, p.a_end) for p in kept),
                  sum(p.b_chars - model.covered(j, p.b_start, p.b_end) for p in kept))
        return with_passages(report, kept, formulae, net=net, length_a=self.lengths[i],
                             length_b=self.lengths[j])


def with_passages(report: PairReport, kept: tuple[SharedPassage, ...], formulae: tuple[SharedPassage, ...],
                  *, net: int, length_a: int, length_b: int) -> PairReport:
    """``report`` with its passages split into ``kept`` and ``formulae``, figures recomputed."""
    shared_a = sum(p.a_chars for p in kept)
    shared_b = sum(p.b_chars for p in kept)
    raw_a = shared_a + sum(p.a_chars for p in formulae)
    raw_b = shared_b + sum(p.b_chars for p in formulae)
    return replace(
        report,
        shared_chars=shared_a,
        coverage_a=shared_a / length_a if length_a else 0.0,
        coverage_b=shared_b / length_b if length_b else 0.0,
        coverage_a_raw=raw_a / length_a if length_a else 0.0,
        coverage_b_raw=raw_b / length_b if length_b else 0.0,
        passages=kept,
        formulae=formulae,
        net_chars=net,
    )


def build_context(
    documents: Sequence[Document],
    *,
    formula_threshold: float = DEFAULT_FORMULA_THRESHOLD,
    min_sources: int = DEFAULT_MIN_SOURCES,
) -> CorpusContext:
    """Fingerprint ``documents`` and find their formulae."""
    if not 0.0 < formula_threshold <= 1.0:
        raise UsageError(f"invalid formula threshold {formula_threshold}: need 0 < value ≤ 1 (1 keeps "
                         "only passages made wholly of formulae apart)")
    if min_sources < 2:
        raise UsageError(f"invalid min_sources={min_sources}: need ≥ 2")
    fp = fingerprints([d.text for d in documents])
    return CorpusContext(tuple(d.id for d in documents), tuple(len(d.text) for d in documents), fp, formula_model(fp, min_sources=min_sources),
                         formula_threshold)
