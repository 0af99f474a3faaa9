"""The planted-reuse generator (bench/gen_reuse.py) and recovery of its ground truth."""

from __future__ import annotations

import unicodedata

import pytest
from reuse_fixtures import load_generator

from djmine.reuse.corpus import corpus_reuse

gen = load_generator()


@pytest.fixture(scope="module")
def corpus():
    return gen.generate_corpus(60, seed=5)


@pytest.fixture(scope="module")
def clean():
    """The same corpus without hard negatives (formulae, chrome, mirrors)."""
    return gen.generate_corpus(60, seed=5, hard_negatives=False)


@pytest.fixture(scope="module")
def result(clean):
    return corpus_reuse(clean.documents())


@pytest.fixture(scope="module")
def hard_result(corpus):
    return corpus_reuse(corpus.documents())


def test_same_seed_same_corpus(corpus) -> None:
    again = gen.generate_corpus(60, seed=5)
    assert again.docs == corpus.docs
    assert again.occurrences == corpus.occurrences
    assert gen.generate_corpus(60, seed=6).docs != corpus.docs


def test_text_is_nfkc_of_raw_and_widths_are_mixed(corpus) -> None:
    for doc in corpus.documents_:
        assert doc.text == unicodedata.normalize("NFKC", doc.raw)
    raws = "".join(d.raw for d in corpus.documents_)
    assert "，" in raws and "," in raws  # full- and half-width punctuation both occur


def test_ground_truth_offsets_slice_the_text(corpus) -> None:
    texts = dict(corpus.docs)
    assert corpus.occurrences
    for occ in corpus.occurrences:
        piece = texts[occ.doc][occ.start : occ.end]
        assert piece and piece == piece.strip() and occ.end - occ.start > 10


def test_copies_are_edited_but_similar(corpus) -> None:
    texts = dict(corpus.docs)
    passages = [p for p in corpus.passages if p.chars >= 50]
    assert passages
    differ = [p for p in passages if texts[p.a][p.a_start : p.a_end] != texts[p.b][p.b_start : p.b_end]]
    assert len(differ) > 0.8 * len(passages)


def test_families_and_passages_are_planted(corpus) -> None:
    mirrors = {m for _, m in corpus.mirrors}  # a mirror of a member joins its family
    assert corpus.families and all(3 <= len(set(f) - mirrors) <= 6 for f in corpus.families)
    by_origin = {}
    for occ in corpus.occurrences:
        by_origin.setdefault(occ.origin, set()).add(occ.doc)
    assert any(o.startswith("p") and len(docs) >= 3 for o, docs in by_origin.items())


def test_ground_truth_is_recovered(clean, result) -> None:
    score = gen.score(clean, result)
    assert score.planted > 50
    assert score.recall >= 0.95
    assert score.pair_precision >= 0.95
    assert score.char_precision >= 0.9
    assert score.families_recovered == score.families


def test_ground_truth_is_recovered_among_hard_negatives(corpus, hard_result) -> None:
    """Recall only: in 60 documents a formula recurs too rarely to be told from reuse."""
    score = gen.score(corpus, hard_result)
    assert score.planted > 50 and score.mirror_pairs == 1
    assert score.recall >= 0.95
    assert score.mirror_recall == 1.0


def test_originality_in_unit_interval(result) -> None:
    assert all(0.0 <= d.originality <= 1.0 for d in result.documents)
    assert all(0.0 <= d.largest_share <= 1.0 for d in result.documents)
    assert any(d.originality < 0.5 for d in result.documents)  # family members
    assert result.popular_passages  # passages copied to several documents
