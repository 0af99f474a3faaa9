"""Themes: the terms a corpus (or one document, or each group) is about, ranked by TF-IDF.

Candidates are single tokens and token n-grams (2–4 tokens) that recur: a phrase may not start
with a stopword nor end with a function word, and never crosses punctuation, a number, a
one-character word or a lexicon term (lexicon terms are themes on their own). Stopwords and
filler never rank. Weights are scikit-learn's TF-IDF (``TfidfVectorizer(sublinear_tf=True,
smooth_idf=True, norm="l2")`` with document-frequency bounds), computed here with numpy so the
command answers without importing scikit-learn; a test checks both agree. A term's score is its
mean weight over the documents in view; lexicon terms (kind ``slogan``) are boosted. When the
list is drawn up, a longer term absorbs the terms inside it: 党风廉政建设, not also 廉政建设.

The work is vectorised over the whole corpus (pyarrow splits and encodes the cached tokens, numpy
counts n-grams), so a 50 MB corpus takes seconds, not minutes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from .errors import UsageError
from .lexicon import (
    UNBOOSTED,
    USER_CATEGORY,
    Lexicon,
    bundled_function_words,
    load_lexicon,
    load_stopwords,
)
from .models import Document
from .store import Store

if TYPE_CHECKING:
    import numpy as np

    from .segment import Progress

GroupBy = Literal["year", "source"]
Kind = Literal["slogan", "phrase", "word"]
GROUP_BY: tuple[str, ...] = ("year", "source")
MAX_PHRASE_TOKENS = 4
#: Lexicon terms' scores are multiplied by their category's boost: the genre's slogans and
#: campaigns are what a reader of 党建 summaries looks for, and TF-IDF alone under-ranks a slogan
#: named once in a document. Meetings, rules, documents, congresses and events count less; genre
#: vocabulary ("concept") and bodies ("organization") are not boosted (see lexicon.UNBOOSTED).
CATEGORY_BOOST = {"slogan": 4.0, "campaign": 4.0, "theory": 4.0, "policy": 4.0}
OTHER_LEXICON_BOOST = 2.0
UNKNOWN_YEAR = "unknown"
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@dataclass(frozen=True)
class Theme:
    """One ranked term. ``docs`` counts the documents containing it (in the group, for ``by``;
    in the whole corpus, for ``doc``)."""

    rank: int
    term: str
    kind: Kind
    score: float
    docs: int
    group: str | None = None

    def to_json(self) -> dict[str, object]:
        record: dict[str, object] = {
            "term": self.term,
            "kind": self.kind,
            "score": self.score,
            "docs": self.docs,
        }
        if self.group is not None:
            record["group"] = self.group
        return record


@dataclass(frozen=True)
class Bounds:
    """Which candidates count: document-frequency bounds (lexicon terms are exempt from
    ``min_df``/``max_df``) and the number of times a phrase must occur in the corpus."""

    min_df: int = 2
    max_df: float = 0.9
    min_phrase_count: int = 3
    min_tf_in_view: int = 1

    @classmethod
    def for_corpus(cls, n_docs: int, *, single: bool = False) -> Bounds:
        if single:  # one document against the corpus: its own words count even if rare elsewhere
            return cls(
                min_df=1, max_df=0.9 if n_docs >= 10 else 1.0, min_phrase_count=2, min_tf_in_view=2
            )
        return cls(
            min_df=2 if n_docs >= 4 else 1,
            max_df=0.9 if n_docs >= 10 else 1.0,
            min_phrase_count=3 if n_docs >= 4 else 2,
        )


def themes(
    corpus: Store | Iterable[Document],
    *,
    top: int = 20,
    doc: str | None = None,
    by: GroupBy | None = None,
    lexicon: Lexicon | None = None,
    stopwords: frozenset[str] | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> list[Theme]:
    """The ``top`` themes of a corpus, of one document (``doc``) or of each group (``by``).

    Args:
        corpus: a :class:`~djmine.store.Store` (tokens come from its cache) or documents
            (segmented here).
        top: how many terms to keep (per group with ``by``).
        doc: an ID or prefix: rank that document's terms against the whole corpus.
        by: ``"year"`` (a document's latest explicit year, or ``"unknown"``) or ``"source"``.
        lexicon, stopwords: default to the bundled ones.
        progress: ``(done, total)`` callback while segmenting documents not yet cached.
        workers: processes for segmenting a large corpus (default: up to 2).

    Returns:
        Themes in rank order; with ``by``, grouped in group order, ranks restarting at 1.

    Example:
        >>> top = themes(Store(), top=20)          # after `djmine ingest data/seeds`
        >>> {"两学一做", "三会一课"} <= {t.term for t in top}
        True
    """
    if top < 1:
        raise UsageError(f"--top must be at least 1, got {top}")
    if doc is not None and by is not None:
        raise UsageError("use --doc or --by, not both")
    if by is not None and by not in GROUP_BY:
        raise UsageError(f"unknown grouping '{by}'; use one of {', '.join(GROUP_BY)}")
    lexicon = lexicon if lexicon is not None else load_lexicon()
    stopwords = stopwords if stopwords is not None else load_stopwords()
    docs = corpus.documents() if isinstance(corpus, Store) else list(corpus)
    if not docs:
        return []
    groups = _groups(corpus, docs, doc, by)  # before segmenting: a bad --doc fails at once
    joined = _tokens(corpus, docs, lexicon, progress, workers)
    bounds = Bounds.for_corpus(len(docs), single=doc is not None)
    matrix = TermMatrix.build(joined, lexicon, stopwords, bounds)
    out: list[Theme] = []
    for label, members in groups:
        out.extend(
            matrix.rank(members, top=top, group=label, corpus_df=doc is not None, bounds=bounds)
        )
    return out


def _tokens(
    corpus, docs: list[Document], lexicon: Lexicon, progress: Progress | None, workers: int | None
) -> list[str]:
    """Each document's tokens, joined: from the store's cache, or segmented here."""
    from .segment import corpus_joined_tokens, segment_texts

    if isinstance(corpus, Store):
        by_id = corpus_joined_tokens(corpus, lexicon, progress=progress, workers=workers)
        return [by_id[d.id] for d in docs]
    texts = [d.text for d in docs]
    return list(segment_texts(texts, lexicon, workers=workers, progress=progress))


def _groups(
    corpus, docs: list[Document], doc: str | None, by: str | None
) -> list[tuple[str | None, np.ndarray]]:
    import numpy as np

    from .store import resolve_id

    if doc is not None:
        chosen = corpus.resolve(doc) if isinstance(corpus, Store) else resolve_id(docs, doc)
        wanted = {d.id for d in chosen}
        return [(None, np.array([i for i, d in enumerate(docs) if d.id in wanted]))]
    if by is None:
        return [(None, np.arange(len(docs)))]
    labels = [group_label(d, by) for d in docs]
    order = sorted(set(labels), key=lambda g: (g == UNKNOWN_YEAR, g))
    return [(g, np.array([i for i, lab in enumerate(labels) if lab == g])) for g in order]


def group_label(doc: Document, by: str) -> str:
    """The group of ``doc``: its latest explicit year (or ``unknown``), or its source."""
    if by == "year":
        return str(max(doc.years)) if doc.years else UNKNOWN_YEAR
    return doc.source


# ----- the term matrix --------------------------------------------------------------------
@dataclass
class TermMatrix:
    """Sparse TF-IDF weights as (doc, term, weight) triplets, and what each term is."""

    terms: list[str]
    kinds: list[Kind]
    boost: np.ndarray
    doc: np.ndarray
    term: np.ndarray
    tf: np.ndarray
    weight: np.ndarray
    df: np.ndarray

    @classmethod
    def build(
        cls, joined: Sequence[str], lexicon: Lexicon, stopwords: frozenset[str], bounds: Bounds
    ) -> TermMatrix:
        tokens = _Tokens.encode(joined)
        classes = _classify(tokens.vocab, lexicon, stopwords)
        candidates = _Candidates(tokens, classes, lexicon)
        candidates.add_words()
        for n in range(2, MAX_PHRASE_TOKENS + 1):
            if not candidates.add_phrases(n, bounds.min_phrase_count):
                break
        doc, term, tf = candidates.counts()
        keep = _within_bounds(doc, term, len(joined), candidates.is_lexicon, bounds)
        doc, term, tf = doc[keep], term[keep], tf[keep]
        weight, df = tfidf(doc, term, tf, n_docs=len(joined), n_terms=len(candidates.terms))
        return cls(candidates.terms, candidates.kinds, candidates.boost, doc, term, tf, weight, df)

    def rank(
        self, members: np.ndarray, *, top: int, group: str | None, corpus_df: bool, bounds: Bounds
    ) -> list[Theme]:
        import numpy as np

        n_terms = len(self.terms)
        inside = np.isin(self.doc, members)
        term, weight, tf = self.term[inside], self.weight[inside], self.tf[inside]
        score = np.bincount(term, weights=weight, minlength=n_terms) / max(len(members), 1)
        score *= self.boost
        docs = self.df if corpus_df else np.bincount(term, minlength=n_terms)
        if bounds.min_tf_in_view > 1:
            total_tf = np.bincount(term, weights=tf, minlength=n_terms)
            score[(total_tf < bounds.min_tf_in_view) & (self.boost == 1.0)] = 0.0
        return self._select(score, docs, top, group)

    def _select(
        self, score: np.ndarray, docs: np.ndarray, top: int, group: str | None
    ) -> list[Theme]:
        import numpy as np

        order = np.lexsort((np.arange(len(score)), -score))
        chosen: list[int] = []
        for i in order:
            if score[i] <= 0 or len(chosen) >= top:
                break
            chosen = _absorb(chosen, int(i), self.terms, self.kinds)
        chosen.sort(key=lambda i: (-score[i], i))
        return [
            Theme(
                rank, self.terms[i], self.kinds[i], round(float(score[i]), 5), int(docs[i]), group
            )
            for rank, i in enumerate(chosen, 1)
        ]


def _absorb(chosen: list[int], candidate: int, terms: list[str], kinds: list[Kind]) -> list[int]:
    """Add ``candidate`` to ``chosen`` unless a chosen term contains it; if it contains chosen
    terms it replaces them (the longer term absorbs its fragments) — except that a phrase never
    swallows a slogan: a phrase around a chosen slogan is left out instead."""
    text = terms[candidate]
    if any(text in terms[c] for c in chosen):
        return chosen
    inside = [c for c in chosen if terms[c] in text]
    if inside and kinds[candidate] != "slogan" and any(kinds[c] == "slogan" for c in inside):
        return chosen
    return [c for c in chosen if c not in inside] + [candidate]


def tfidf(
    doc: np.ndarray, term: np.ndarray, tf: np.ndarray, *, n_docs: int, n_terms: int
) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's sublinear, smoothed, l2-normalised TF-IDF on (doc, term, count) triplets.

    Returns the weight of each triplet and the document frequency of each term.
    """
    import numpy as np

    df = np.bincount(term, minlength=n_terms)
    idf = np.log((1 + n_docs) / (1 + df)) + 1.0
    weight = (1.0 + np.log(tf)) * idf[term]
    norm = np.sqrt(np.bincount(doc, weights=weight * weight, minlength=n_docs))
    weight = weight / np.where(norm[doc] > 0, norm[doc], 1.0)
    return weight, df


def _within_bounds(
    doc: np.ndarray, term: np.ndarray, n_docs: int, is_lexicon: np.ndarray, bounds: Bounds
) -> np.ndarray:
    import numpy as np

    df = np.bincount(term, minlength=len(is_lexicon))
    max_df = math.floor(bounds.max_df * n_docs) if bounds.max_df < 1.0 else n_docs
    ok = is_lexicon | ((df >= bounds.min_df) & (df <= max_df))
    return ok[term]


_ARROW_MIN_CHARS = 2_000_000  # below this, _Tokens.encode works in plain Python

# ----- tokens, classes and candidates -----------------------------------------------------
@dataclass
class _Tokens:
    """The corpus as one array of token IDs, with the document of each position."""

    ids: np.ndarray
    doc: np.ndarray
    vocab: list[str]

    @classmethod
    def encode(cls, joined: Sequence[str]) -> _Tokens:
        if sum(map(len, joined)) < _ARROW_MIN_CHARS:
            return cls._encode_small(joined)
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        from .segment import TOKEN_SEP

        lists = pc.split_pattern(pa.array(joined, type=pa.large_string()), pattern=TOKEN_SEP)
        lengths = pc.list_value_length(lists).to_numpy(zero_copy_only=False)
        encoded = pc.dictionary_encode(pc.list_flatten(lists))
        ids = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        doc = np.repeat(np.arange(len(joined), dtype=np.int64), lengths)
        return cls(ids, doc, encoded.dictionary.to_pylist())

    @classmethod
    def _encode_small(cls, joined: Sequence[str]) -> _Tokens:
        """The same encoding in plain Python: on a small corpus, building an Arrow array costs
        more than the work, because pyarrow imports pandas (~0.2 s) to look at its input."""
        import numpy as np

        from .segment import TOKEN_SEP

        index: dict[str, int] = {}
        ids: list[int] = []
        lengths: list[int] = []
        for text in joined:
            tokens = text.split(TOKEN_SEP)
            lengths.append(len(tokens))
            ids.extend(index.setdefault(t, len(index)) for t in tokens)
        doc = np.repeat(np.arange(len(joined), dtype=np.int64), lengths)
        return cls(np.array(ids, dtype=np.int64), doc, list(index))


@dataclass
class _Classes:
    """Per vocabulary entry: may it be a theme alone, sit in a phrase, start or end one."""

    word: np.ndarray
    join: np.ndarray
    start: np.ndarray
    end: np.ndarray
    lexicon: np.ndarray


def _classify(vocab: list[str], lexicon: Lexicon, stopwords: frozenset[str]) -> _Classes:
    import numpy as np

    function = bundled_function_words() & stopwords
    size = len(vocab)
    word, join, start, end, lex = (np.zeros(size, dtype=bool) for _ in range(5))
    for i, token in enumerate(vocab):
        if token in lexicon.terms:  # a theme on its own, unless the user listed it as a stopword
            word[i] = lex[i] = token not in stopwords
            continue
        if len(token) < 2 or not _CJK.fullmatch(token):
            continue
        join[i] = True
        # a jieba compound of an empty adverb and a stopword (积极探索, 认真学习) is empty too
        compound = len(token) > 2 and token[:2] in function and token[2:] in stopwords
        stop = compound or token in stopwords
        word[i] = start[i] = not stop
        end[i] = not compound and token not in function
    return _Classes(word, join, start, end, lex)


class _Candidates:
    """Candidate terms and, for each, the positions where it occurs."""

    def __init__(self, tokens: _Tokens, classes: _Classes, lexicon: Lexicon):
        import numpy as np

        self.tokens, self.classes, self.lexicon = tokens, classes, lexicon
        self.terms: list[str] = []
        self.kinds: list[Kind] = []
        self._index: dict[str, int] = {}
        self._positions: list[np.ndarray] = []
        self._term_ids: list[np.ndarray] = []
        ids = tokens.ids
        # prefix[i]: ID of the (n-1)-gram starting at i, or -1 if it can't grow into a phrase
        self._prefix = np.where(classes.join[ids], ids, -1)

    def _term(self, text: str, kind: Kind) -> int:
        index = self._index.get(text)
        if index is None:
            index = self._index[text] = len(self.terms)
            self.terms.append(text)
            self.kinds.append(kind)
        return index

    def add_words(self) -> None:
        import numpy as np

        ids = self.tokens.ids
        vocab_term = np.full(len(self.tokens.vocab), -1, dtype=np.int64)
        for v in np.flatnonzero(self.classes.word):
            token = self.tokens.vocab[v]
            vocab_term[v] = self._term(token, "slogan" if self.classes.lexicon[v] else "word")
        positions = np.flatnonzero(vocab_term[ids] >= 0)
        self._positions.append(positions)
        self._term_ids.append(vocab_term[ids[positions]])

    def add_phrases(self, n: int, min_count: int) -> bool:
        """Add the n-token phrases occurring at least ``min_count`` times; False if none can."""
        import numpy as np

        ids, doc, prefix = self.tokens.ids, self.tokens.doc, self._prefix
        last = np.arange(n - 1, len(ids))
        first = last - (n - 1)
        ok = (prefix[first] >= 0) & self.classes.join[ids[last]] & (doc[first] == doc[last])
        first, last = first[ok], last[ok]
        if not len(first):
            return False
        keys = prefix[first] * len(self.tokens.vocab) + ids[last]
        uniq, where, inverse, counts = np.unique(
            keys, return_index=True, return_inverse=True, return_counts=True
        )
        frequent = counts >= min_count
        grown = np.full(len(ids), -1, dtype=np.int64)
        grown[first[frequent[inverse]]] = inverse[frequent[inverse]]
        self._prefix = grown
        edges = self.classes.start[ids[first]] & self.classes.end[ids[last]] & frequent[inverse]
        phrase_positions, phrase_gram = first[edges], inverse[edges]
        if len(phrase_positions):
            gram_term = self._phrase_terms(np.unique(phrase_gram), first[where], n, len(uniq))
            self._positions.append(phrase_positions)
            self._term_ids.append(gram_term[phrase_gram])
        return bool(frequent.any())

    def _phrase_terms(
        self, grams: np.ndarray, gram_start: np.ndarray, n: int, n_grams: int
    ) -> np.ndarray:
        import numpy as np

        vocab, ids = self.tokens.vocab, self.tokens.ids
        out = np.full(n_grams, -1, dtype=np.int64)
        for g in grams:
            start = gram_start[g]
            out[g] = self._term("".join(vocab[t] for t in ids[start : start + n]), "phrase")
        return out

    def counts(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(doc, term, count) for every term present in a document."""
        import numpy as np

        positions = np.concatenate(self._positions)
        terms = np.concatenate(self._term_ids)
        n_terms = max(len(self.terms), 1)
        keys = self.tokens.doc[positions] * n_terms + terms
        uniq, tf = np.unique(keys, return_counts=True)
        return uniq // n_terms, uniq % n_terms, tf

    @property
    def is_lexicon(self) -> np.ndarray:
        import numpy as np

        return np.array([k == "slogan" for k in self.kinds], dtype=bool)

    @property
    def boost(self) -> np.ndarray:
        import numpy as np

        terms = self.lexicon.terms
        return np.array(
            [
                category_boost(terms[t].category) if k == "slogan" else 1.0
                for t, k in zip(self.terms, self.kinds, strict=True)
            ]
        )


def category_boost(category: str) -> float:
    """The factor a lexicon term's score is multiplied by (user terms count as slogans)."""
    if category in UNBOOSTED:
        return 1.0
    return CATEGORY_BOOST.get(
        category, CATEGORY_BOOST["slogan"] if category == USER_CATEGORY else OTHER_LEXICON_BOOST
    )
