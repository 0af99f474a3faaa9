"""Slogan mining: the genre's formulas, found from the corpus itself rather than the lexicon.

Three detectors propose candidates; every candidate is then counted everywhere it occurs
(quoted or not, overlapping occurrences included) and kept if it recurs in enough documents:

* ``numbered`` — numeral formulas such as 两学一做, 一岗双责, 三亮三比三评, 双融双促双提升:
  two or more "numeral + 1–3 characters" groups whose right edge varies across occurrences
  (三会一课 is followed by ”, 制 and 规, so it is a unit; 三会一课制 is always followed by 度,
  so it is not). A single group (四个意识, 五个好, 四风) counts only if it is quoted somewhere,
  because unquoted single groups are mostly plain counting (一是, 三个环节, 一年来).
* ``quoted`` — spans in “…” of 2–15 characters (campaign names: “抓党建、带队伍、促发展”).
* ``phrase`` — token n-grams (2–5 tokens over ``segment`` tokens) that recur with varied
  neighbours on both sides (branching entropy), stick together (pointwise mutual information)
  and look like a term: no function word at either end, no filler noun first (see
  ``lexicon.stopword_sections``), a nominal first word and a nominal or verbal last word by
  jieba's dictionary tags (战斗堡垒作用, 医药购销; not 加强医院, 开展工作).

``first_year``/``last_year`` are the minimum/maximum, over the documents a slogan occurs in, of
each document's terminus post quem from :mod:`djmine.dating` (documents without one are skipped).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from .dating import alternation

if TYPE_CHECKING:
    from .lexicon import Lexicon
    from .models import Document
    from .store import Store

SloganKind = Literal["numbered", "quoted", "phrase"]
KINDS: tuple[SloganKind, ...] = ("numbered", "quoted", "phrase")

_NUM = "一二三四五六七八九十两双百千"
_WORD_CHAR = f"(?:(?![{_NUM}])[\u4e00-\u9fff])"  # a CJK character that is not a numeral
# Runs of "numeral(s) + 1–3 other characters" groups. Not after 第/每 (第一责任, 每两月).
NUMBERED_RUN = re.compile(f"(?<![{_NUM}第每])(?:[{_NUM}]{{1,2}}{_WORD_CHAR}{{1,3}})+")
_GROUP = re.compile(f"[{_NUM}]{{1,2}}{_WORD_CHAR}{{1,3}}")
# A whole quoted span that reads as a numbered formula (四风, 五个好, 六个一, 三好一满意).
NUMBERED_WHOLE = re.compile(f"[{_NUM}]{{1,2}}(?:{_WORD_CHAR}{{1,3}}[{_NUM}]{{0,2}})+")
QUOTED = re.compile(r"[“「]([^“”「」\n]{2,15})[”」]")
_CJK = re.compile("[\u4e00-\u9fff]")
_CJK_TOKEN = re.compile("[\u4e00-\u9fff]+")
_BOUNDARY = "#"  # right/left neighbour that is not a CJK character (punctuation, quote, end)

# Single-character function words that cannot start or end a phrase (used with the stopwords).
_EDGE_WORDS = frozenset("的了和与及或在是对把被为以等之而并也都就将从向于中上下")


@dataclass(frozen=True)
class Slogan:
    """A recurring formula: where it occurs, when, and whether the lexicon already knew it."""

    term: str
    kind: SloganKind
    count: int
    docs: tuple[str, ...]
    first_year: int | None
    last_year: int | None
    known: bool

    @property
    def new(self) -> bool:
        return not self.known

    def to_json(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "kind": self.kind,
            "count": self.count,
            "n_docs": len(self.docs),
            "docs": list(self.docs),
            "first_year": self.first_year,
            "last_year": self.last_year,
            "known": self.known,
        }


def mine_slogans(
    documents: Iterable[Document],
    lexicon: Lexicon,
    *,
    min_docs: int = 2,
    min_count: int = 2,
    kinds: Sequence[SloganKind] = KINDS,
    tokens: Mapping[str, Sequence[str]] | None = None,
    years: Mapping[str, int | None] | None = None,
    max_phrase_tokens: int = 5,
) -> list[Slogan]:
    """Find the formulas a corpus repeats: numbered, then quoted, then phrases, each most
    widespread first.

    Phrases need at least ``max(min_count, 3)`` occurrences: two copies of one template
    otherwise yield every clause they share.

    Args:
        documents: the corpus.
        lexicon: decides ``known``; also used to date documents and segment them.
        min_docs: keep slogans found in at least this many documents.
        min_count: ... and at least this many times in all.
        kinds: which detectors to run.
        tokens: document ID → tokens (``segment.corpus_tokens``); segmented here if missing.
        years: document ID → year (``dating.earliest_years``); dated here if missing.
        max_phrase_tokens: longest phrase, in tokens.

    Example:
        >>> [s.term for s in mine_slogans(store.documents(), load_lexicon()) if s.new][:3]
        ['一级抓一级', '三大优势', '三无病人']
    """
    docs = list(documents)
    texts = {d.id: d.text for d in docs}
    candidates = _candidates(docs, lexicon, kinds, tokens, min_count=max(min_count, 3), max_tokens=max_phrase_tokens)
    counts, where = count_occurrences(texts, candidates)
    if years is None:
        from .dating import earliest_years

        years = earliest_years(docs, lexicon)
    slogans = []
    for term, kind in candidates.items():
        found_in = where.get(term, [])
        if counts.get(term, 0) < min_count or len(found_in) < min_docs:
            continue
        dated = [y for y in (years.get(i) for i in found_in) if y is not None]
        slogans.append(Slogan(term, kind, counts[term], tuple(found_in), min(dated, default=None),
                              max(dated, default=None), term in lexicon.terms))
    return sorted(slogans, key=lambda s: (KINDS.index(s.kind), -len(s.docs), -s.count, s.term))


def _candidates(
    docs: Sequence[Document],
    lexicon: Lexicon,
    kinds: Sequence[SloganKind],
    tokens: Mapping[str, Sequence[str]] | None,
    *,
    min_count: int,
    max_tokens: int,
) -> dict[str, SloganKind]:
    """Every proposed term with its kind; a term proposed twice keeps the stronger kind
    (numbered, then quoted, then phrase)."""
    texts = [d.text for d in docs]
    proposed: dict[str, SloganKind] = {}
    if "numbered" in kinds or "quoted" in kinds:
        proposed.update({t: k for t, k in quoted_candidates(texts).items() if k in kinds})
    if "numbered" in kinds:
        proposed.update(dict.fromkeys(numbered_candidates(texts), "numbered"))
    if "phrase" in kinds:
        if tokens is None:
            tokens = _segment_all(docs, lexicon)
        token_lists = [tokens.get(d.id, ()) for d in docs]
        for term in phrase_candidates(token_lists, min_count=min_count, max_tokens=max_tokens):
            proposed.setdefault(term, "phrase")
    return proposed


# ----- numbered formulas -------------------------------------------------------------------
def numbered_candidates(texts: Iterable[str]) -> set[str]:
    """Numeral formulas of two or more groups whose right edge is a real boundary somewhere.

    Each run (三会一课制度) proposes its prefixes that end a group or lie inside the last group
    (三会一课, 三会一课制, 三会一课制度); a prefix is kept if it is ever followed by a non-CJK
    character or by two different characters. A kept formula's plain-word extensions
    (三会一课制度 when 三会一课 is kept) are dropped; extensions by another numeral group are not.
    """
    right: dict[str, set[str]] = defaultdict(set)
    for text in texts:
        for m in NUMBERED_RUN.finditer(text):
            for prefix in _run_prefixes(m.group()):
                end = m.start() + len(prefix)
                right[prefix].add(_neighbour(text, end))
    kept = {p for p, after in right.items() if _BOUNDARY in after or len(after) >= 2}
    return {p for p in kept if not any(_extends(p, q) for q in kept)}


def _run_prefixes(run: str) -> Iterable[str]:
    """Prefixes of a run with at least two groups that end on a non-numeral character."""
    groups = [g.group() for g in _GROUP.finditer(run)]
    for n in range(2, len(groups) + 1):
        head = "".join(groups[: n - 1])
        last = groups[n - 1]
        digits = len(last) - len(last.lstrip(_NUM))
        for cut in range(digits + 1, len(last) + 1):
            yield head + last[:cut]


def _extends(longer: str, shorter: str) -> bool:
    """``longer`` is ``shorter`` plus ordinary characters (not a further numeral group)."""
    return longer != shorter and longer.startswith(shorter) and longer[len(shorter)] not in _NUM


def _neighbour(text: str, index: int) -> str:
    if 0 <= index < len(text) and _CJK.match(text[index]):
        return text[index]
    return _BOUNDARY


# ----- quoted spans ------------------------------------------------------------------------
def quoted_candidates(texts: Iterable[str]) -> dict[str, SloganKind]:
    """Quoted spans worth counting: ``numbered`` if the whole span is a numeral formula (四风,
    五个好; one quotation is enough), else ``quoted`` if it has 3+ characters and is quoted at
    least twice (“党建”, “红包” are emphasis, not campaigns). Spans without Chinese or made only
    of numerals (“五一”, “七一”: holidays) are skipped."""
    quoted: Counter[str] = Counter()
    for text in texts:
        quoted.update(m.group(1).strip() for m in QUOTED.finditer(text))
    found: dict[str, SloganKind] = {}
    for span, times in quoted.items():
        if not _CJK.search(span) or all(c in _NUM for c in span):
            continue
        if NUMBERED_WHOLE.fullmatch(span):
            found[span] = "numbered"
        elif len(span) >= 3 and times >= 2:
            found[span] = "quoted"
    return found


# ----- phrases -----------------------------------------------------------------------------
@dataclass(frozen=True)
class PhraseStats:
    """Statistics of one token n-gram: frequency, left/right branching entropy (nats) and the
    weakest pointwise mutual information over its binary splits."""

    tokens: tuple[str, ...]
    count: int
    left_entropy: float
    right_entropy: float
    cohesion: float


def phrase_candidates(
    token_lists: Sequence[Sequence[str]],
    *,
    min_count: int = 3,
    max_tokens: int = 5,
    min_entropy: float = 0.6,
    min_cohesion: float = 1.0,
    min_chars: int = 4,
    max_chars: int = 16,
) -> list[str]:
    """Recurring multi-token phrases with free boundaries and strong internal glue."""
    stop = _stopwords()
    kept = []
    for stats in phrase_stats(token_lists, min_count=min_count, max_tokens=max_tokens):
        text = "".join(stats.tokens)
        if not min_chars <= len(text) <= max_chars:
            continue
        if _bad_start(stats.tokens[0], stop) or _bad_end(stats.tokens[-1], stop):
            continue
        if min(stats.left_entropy, stats.right_entropy) < min_entropy or stats.cohesion < min_cohesion:
            continue
        kept.append(stats.tokens)
    tags = word_tags({t for tokens in kept for t in (tokens[0], tokens[-1])})
    return ["".join(tokens) for tokens in kept if _nominal_frame(tokens, tags)]


def phrase_stats(
    token_lists: Sequence[Sequence[str]], *, min_count: int = 3, max_tokens: int = 5
) -> list[PhraseStats]:
    """Branching entropy and cohesion of every n-gram (2..max_tokens) seen ``min_count`` times.

    N-grams never cross punctuation or non-Chinese tokens; those tokens (and text edges) are the
    neighbours that mark a boundary. Longer n-grams are only counted where their prefix was
    frequent (the Apriori property), which keeps this linear in practice.
    """
    # 范文 corpora repeat whole clauses across documents: count each distinct segment once,
    # weighted by how often it occurs (same counts, far fewer Python-level loops).
    segments = Counter(tuple(seg) for tokens in token_lists for seg in _segments(tokens))
    unigrams: Counter[str] = Counter()
    for seg, times in segments.items():
        for token in seg:
            unigrams[token] += times
    total = sum(unigrams.values()) or 1
    frequent: dict[tuple[str, ...], int] = {(t,): c for t, c in unigrams.items() if c >= min_count}
    counts: dict[tuple[str, ...], int] = dict(frequent)
    left: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    right: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for n in range(2, max_tokens + 1):
        level: Counter[tuple[str, ...]] = Counter()
        for seg, times in segments.items():
            for i in range(len(seg) - n + 1):
                gram = seg[i : i + n]
                if gram[:-1] in frequent and gram[1:] in frequent:
                    level[gram] += times
        frequent = {g: c for g, c in level.items() if c >= min_count}
        if not frequent:
            break
        counts.update(frequent)
        for seg, times in segments.items():
            padded = ("<", *seg, ">")
            for i in range(1, len(padded) - n):
                gram = padded[i : i + n]
                if gram in frequent:
                    left[gram][padded[i - 1]] += times
                    right[gram][padded[i + n]] += times
    return [
        PhraseStats(gram, count, _entropy(left[gram]), _entropy(right[gram]), _cohesion(gram, counts, total))
        for gram, count in counts.items()
        if len(gram) > 1
    ]


def _segments(tokens: Sequence[str]) -> Iterable[list[str]]:
    """Runs of Chinese tokens between punctuation, spaces, digits and Latin text."""
    run: list[str] = []
    for token in tokens:
        if _CJK_TOKEN.fullmatch(token):
            run.append(token)
        else:
            if run:
                yield run
            run = []
    if run:
        yield run


def _entropy(neighbours: Counter[str]) -> float:
    # Text edges ("<", ">") are free boundaries: each counts as a different neighbour.
    edges = neighbours.pop("<", 0) + neighbours.pop(">", 0)
    values = [*neighbours.values(), *([1] * edges)]
    total = sum(values)
    return -sum(v / total * math.log(v / total) for v in values) if total else 0.0


def _cohesion(gram: tuple[str, ...], counts: Mapping[tuple[str, ...], int], total: int) -> float:
    """The smallest PMI log(P(ab) / P(a)P(b)) over the ways to cut the n-gram in two."""
    joint = counts[gram] / total
    worst = math.inf
    for cut in range(1, len(gram)):
        a, b = counts.get(gram[:cut]), counts.get(gram[cut:])
        if not a or not b:
            continue
        worst = min(worst, math.log(joint / ((a / total) * (b / total))))
    return worst if worst != math.inf else 0.0


def _bad_start(token: str, stop: _Stopwords) -> bool:
    return _bad_end(token, stop) or token in stop.filler or token[0] in _NUM


def _bad_end(token: str, stop: _Stopwords) -> bool:
    return token in stop.function or (len(token) == 1 and token in _EDGE_WORDS)


@dataclass(frozen=True)
class _Stopwords:
    function: frozenset[str]  # never at either end of a phrase (加强, 认真, 我院)
    filler: frozenset[str]  # never first, may be last (工作 in 党建工作; 组织建设 is fine)


def _stopwords() -> _Stopwords:
    from .lexicon import stopword_sections

    sections = stopword_sections()
    return _Stopwords(sections.get("function", frozenset()), sections.get("filler", frozenset()))


# jieba part-of-speech tags a phrase may start with (nominal) or end with (nominal or verb):
# "战斗堡垒作用", "理论学习" are phrases; "加强医院", "开展工作", "院总支始终" are not.
_NOMINAL_TAGS = frozenset({"n", "nr", "ns", "nt", "nz", "ng", "vn", "an", "j", "l", "i", "b", "s"})
_FINAL_TAGS = _NOMINAL_TAGS | {"v"}


def _nominal_frame(tokens: tuple[str, ...], tags: Mapping[str, str]) -> bool:
    """The phrase starts with a nominal word and ends with a nominal word or verb. Words the
    dictionary doesn't know (new coinages, lexicon terms) count as nominal."""
    first, last = tags.get(tokens[0]), tags.get(tokens[-1])
    return (first is None or first in _NOMINAL_TAGS) and (last is None or last in _FINAL_TAGS)


def word_tags(words: Iterable[str]) -> dict[str, str]:
    """jieba's part-of-speech tags for ``words`` (those its dictionary has), read straight from
    its dictionary: importing ``jieba.posseg`` would cost half a second."""
    words = [w for w in words if w]
    if not words:
        return {}
    pattern = re.compile(f"^({alternation(words)}) \\d+ (\\S+)$", re.MULTILINE)
    return {m[1]: m[2] for m in pattern.finditer(_jieba_dictionary())}


@lru_cache(maxsize=1)
def _jieba_dictionary() -> str:
    from importlib import resources

    return resources.files("jieba").joinpath("dict.txt").read_text(encoding="utf-8")


def _segment_all(docs: Sequence[Document], lexicon: Lexicon) -> dict[str, list[str]]:
    from .segment import segment

    return {d.id: segment(d.text, lexicon) for d in docs}


# ----- counting ----------------------------------------------------------------------------
def count_occurrences(
    texts: Mapping[str, str], terms: Iterable[str]
) -> tuple[dict[str, int], dict[str, list[str]]]:
    """How often each term occurs (overlaps included) and in which documents, in one regex pass
    per text: a lookahead finds the longest term at each position, and every term that is a
    prefix of it is counted there too."""
    terms = [t for t in set(terms) if t]
    if not terms:
        return {}, {}
    pattern = re.compile(f"(?=({alternation(terms)}))")
    term_set = set(terms)
    prefixes = {t: [t[:k] for k in range(1, len(t) + 1) if t[:k] in term_set] for t in terms}
    counts: Counter[str] = Counter()
    where: dict[str, list[str]] = defaultdict(list)
    for doc_id, text in texts.items():
        here: Counter[str] = Counter()
        for m in pattern.finditer(text):
            here.update(prefixes[m.group(1)])
        counts.update(here)
        for term in here:
            where[term].append(doc_id)
    return dict(counts), dict(where)


def corpus_slogans(store: Store, lexicon: Lexicon, *, progress: Any = None, **options: Any) -> list[Slogan]:
    """:func:`mine_slogans` over a store, with its cached tokens (``segment.corpus_tokens``).

    ``progress`` is passed to ``corpus_tokens``; ``options`` to :func:`mine_slogans`.
    """
    documents = store.documents()
    tokens = None
    if "phrase" in options.get("kinds", KINDS):
        from .segment import corpus_tokens

        tokens = corpus_tokens(store, lexicon, progress=progress)
    return mine_slogans(documents, lexicon, tokens=tokens, **options)
