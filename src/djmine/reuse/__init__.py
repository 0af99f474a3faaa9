"""Reuse detection: the template text documents share, two at a time or across a corpus.

One file per step, in the order the corpus pipeline runs them:

* :mod:`~djmine.reuse.key` — the comparison key: how text is folded for matching, with a map
  back to the stored text so every offset indexes ``Document.text``;
* :mod:`~djmine.reuse.align` — seed-and-extend alignment of two texts into shared passages;
* :mod:`~djmine.reuse.records` — ``SharedPassage``, ``PairReport``, ``CompareResult``;
* :mod:`~djmine.reuse.pairwise` — ``compare A B``: every part of A against every part of B;
* :mod:`~djmine.reuse.index` — candidate pairs for a corpus from a winnowed fingerprint index;
* :mod:`~djmine.reuse.formula` — how much of a passage is the genre's formulae, not copying;
* :mod:`~djmine.reuse.families` — documents that share the same template passages;
* :mod:`~djmine.reuse.corpus` — ``compare --all``: the pipeline and its figures.
"""

from __future__ import annotations

from .align import find_shared_passages, passage_diff, text_diff
from .key import MatchKey, fold_char, match_key
from .pairwise import compare, compare_documents, pair_report
from .records import (
    DEFAULT_MIN_CHARS,
    DEFAULT_MIN_IDENTITY,
    CompareResult,
    PairReport,
    SharedPassage,
)

__all__ = [
    "DEFAULT_MIN_CHARS",
    "DEFAULT_MIN_IDENTITY",
    "CompareResult",
    "MatchKey",
    "PairReport",
    "SharedPassage",
    "compare",
    "compare_documents",
    "find_shared_passages",
    "fold_char",
    "match_key",
    "pair_report",
    "passage_diff",
    "text_diff",
]
