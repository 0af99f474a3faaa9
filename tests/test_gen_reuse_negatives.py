"""Hard negatives of the planted-reuse generator (bench/gen_reuse.py): formulae shared by
unrelated documents, same-unit pairs, chrome, and garbled mirrors; and how ``score`` counts them."""

from __future__ import annotations

import difflib
import itertools
import re
import unicodedata
from collections import Counter, defaultdict
from types import SimpleNamespace

import pytest
from reuse_fixtures import load_generator

gen = load_generator()
PINYIN_NOTE = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\)")


@pytest.fixture(scope="module")
def corpus():
    return gen.generate_corpus(300, seed=3)


@pytest.fixture(scope="module")
def mirrored():
    return gen.generate_corpus(150, seed=2, mirror_share=0.06)


@pytest.fixture(scope="module")
def genre():
    return gen.generate_genre_corpus(200, seed=4)


def _docs_by_formula(corpus, kind: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for f in corpus.formulae:
        if f.kind == kind:
            out[f.key].add(f.doc)
    return out


def _pattern(template: str) -> re.Pattern:
    """A formula template as a regex over NFKC text (slots: any unit, year, superior, number)."""
    parts = re.split(r"(\{[^}]+\})", unicodedata.normalize("NFKC", template))
    slots = {"{unit}": ".+?", "{year}": r"\d{4}", "{superior}": "(?:" + "|".join(gen.SUPERIORS) + ")"}
    return re.compile("".join(slots.get(p, r"\d+") if p.startswith("{") else re.escape(p) for p in parts))


def _unrelated(corpus, docs: set[str]) -> int:
    true = corpus.true_pairs()
    return sum((a, b) not in true for a, b in itertools.combinations(sorted(docs), 2))


def _same_but_garbled(a: str, b: str, kind: str) -> bool:
    """``b`` is ``a`` with pinyin notes, OCR spaces or 。“” turned ASCII, and nothing else."""
    if kind == "pinyin":
        return PINYIN_NOTE.sub("", b) == a
    if kind == "spaced":
        return b.replace(" ", "") == a.replace(" ", "")
    return len(a) == len(b) and {(x, y) for x, y in zip(a, b, strict=True) if x != y} <= {
        ("。", "."), ("“", '"'), ("”", '"')}


def _body(corpus, doc: str, origin: str) -> str:
    occ = next(o for o in corpus.occurrences if o.doc == doc and o.origin == origin)
    return dict(corpus.docs)[doc][occ.start : occ.end]


# ----- formulae -----------------------------------------------------------------------------


def test_formulae_recur_across_unrelated_documents(corpus) -> None:
    n = len(corpus.docs)
    openings = _docs_by_formula(corpus, "opening")
    assert len(openings) == len(gen.OPENING_FORMULAE)
    assert 0.5 * n <= len(set().union(*openings.values())) <= 0.75 * n  # ~60 % open with a formula
    assert all(_unrelated(corpus, docs) >= 40 for docs in openings.values())
    templates = _docs_by_formula(corpus, "template")
    assert len(templates) == len(gen.SLOT_TEMPLATES)
    assert all(_unrelated(corpus, docs) >= 50 for docs in templates.values())
    assert len(_docs_by_formula(corpus, "ideology")) == len(gen.IDEOLOGY_FORMULAE)
    assert len(set().union(*_docs_by_formula(corpus, "footer").values())) >= 0.2 * n
    assert len(set().union(*_docs_by_formula(corpus, "reading").values())) >= 0.1 * n
    # two unrelated documents sharing two or three slot templates
    by_doc: dict[str, set[str]] = defaultdict(set)
    for f in corpus.formulae:
        if f.kind == "template":
            by_doc[f.doc].add(f.key)
    true = corpus.true_pairs()
    assert any(len(by_doc[a] & by_doc[b]) >= 2 and (a, b) not in true
               for a, b in itertools.combinations(sorted(by_doc), 2))


def test_formula_offsets_slice_the_filled_formula(corpus) -> None:
    texts = dict(corpus.docs)
    mirrors = {m for _, m in corpus.mirrors}
    tables = {"opening": gen.OPENING_FORMULAE, "template": gen.SLOT_TEMPLATES, "title": gen.TITLE_FORMULAE,
              "ideology": gen.IDEOLOGY_FORMULAE, "footer": gen.SITE_FOOTERS, "reading": gen.READING_NOTES}
    copies = defaultdict(list)  # a copier's edits may reach into the formulae of a copy
    for o in corpus.occurrences:
        if o.edited:
            copies[o.doc].append((o.start, o.end))
    checked = Counter()
    for f in corpus.formulae:
        if f.doc in mirrors or f.key == "plain" or any(s <= f.start < e for s, e in copies[f.doc]):
            continue
        piece = texts[f.doc][f.start : f.end]
        assert _pattern(tables[f.kind][int(f.key)]).fullmatch(piece), (f, piece)
        checked[f.kind] += 1
    assert set(checked) == set(tables)
    lengths = [f.end - f.start for f in corpus.formulae if f.kind == "opening" and f.doc not in mirrors]
    assert min(lengths) >= 40 and max(lengths) <= 90
    lengths = [f.end - f.start for f in corpus.formulae if f.kind == "template" and f.doc not in mirrors]
    assert min(lengths) >= 25 and max(lengths) <= 75


def test_formulae_are_not_ground_truth(corpus) -> None:
    assert {o.origin[0] for o in corpus.occurrences} <= {"p", "f", "m"}
    planted = defaultdict(list)
    for o in corpus.occurrences:
        if not o.origin.startswith("m"):  # a mirror's body holds its formulae
            planted[o.doc].append((o.start, o.end))
    # titles, openings and chrome are never in a planted passage; a template or ideology formula
    # may be, when the sentence around it was copied
    for f in corpus.formulae:
        if f.kind in ("title", "opening", "footer", "reading"):
            assert not any(s < f.end and f.start < e for s, e in planted[f.doc]), f
    inside = [f for f in corpus.formulae if f.kind in ("template", "ideology")
              and any(s <= f.start and f.end <= e for s, e in planted[f.doc])]
    outside = [f for f in corpus.formulae if f.kind in ("template", "ideology")]
    assert len(inside) < 0.3 * len(outside)


def test_no_unrelated_documents_share_50_characters_outside_formulae(corpus) -> None:
    true = corpus.true_pairs()
    covered = defaultdict(list)
    for f in corpus.formulae:
        covered[f.doc].append((f.start, f.end))
    for o in corpus.occurrences:
        covered[o.doc].append((o.start, o.end))
    seen: dict[str, str] = {}
    for doc, text in corpus.docs:
        free = bytearray(b"\1") * len(text)
        for s, e in covered[doc]:
            free[s:e] = bytes(e - s)
        for m in re.finditer(b"\1{50,}", bytes(free)):
            for i in range(m.start(), m.end() - 49):
                other = seen.setdefault(text[i : i + 50], doc)
                assert other == doc or (other, doc) in true, (other, doc, text[i : i + 50])


def test_same_unit_pairs_share_unit_year_and_formulae(corpus) -> None:
    assert len(corpus.same_unit) == 3
    texts = dict(corpus.docs)
    for a, b in corpus.same_unit:
        uses = {d: [f for f in corpus.formulae if f.doc == d] for d in (a, b)}
        openings = {d: {f.key for f in uses[d] if f.kind == "opening"} for d in (a, b)}
        assert openings[a] == openings[b] and openings[a]
        templates = {d: {texts[d][f.start : f.end].split("党")[0] for f in uses[d]
                         if f.kind == "template" and gen.SLOT_TEMPLATES[int(f.key)].startswith("{unit}")}
                     for d in (a, b)}
        assert templates[a] & templates[b]  # a unit-slot template, with the same unit name


# ----- mirrors ------------------------------------------------------------------------------


def test_mirrors_are_true_pairs_with_garbled_bodies(mirrored) -> None:
    assert len(mirrored.mirrors) == 9
    assert set(mirrored.mirror_garbles.values()) == set(gen.MIRROR_GARBLES)
    texts = dict(mirrored.docs)
    assert len(texts) == 150
    true = mirrored.true_pairs()
    origin_of = {o.doc: o.origin for o in mirrored.occurrences if o.origin.startswith("m")}
    for original, mirror in mirrored.mirrors:
        assert (min(original, mirror), max(original, mirror)) in true
        assert origin_of[original] == origin_of[mirror]
        a, b = _body(mirrored, original, origin_of[original]), _body(mirrored, mirror, origin_of[mirror])
        assert a == a.strip() and b == b.strip() and len(a) > 300
        assert texts[original].split("\n")[0] == texts[mirror].split("\n")[0]  # same title
        assert difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.95
        kind = mirrored.mirror_garbles[mirror]
        assert {"pinyin": PINYIN_NOTE.search(b), "spaced": re.search(r"(\S {1,2}){8}", b),
                "width": a != b}[kind]
        assert _same_but_garbled(a, b, kind)


def test_mirrors_carry_what_was_planted_in_their_original(mirrored) -> None:
    texts = dict(mirrored.docs)
    by_doc = defaultdict(dict)
    for o in mirrored.occurrences:
        by_doc[o.doc][o.origin] = o
    family_of = {m: f for f in mirrored.families for m in f}
    for original, mirror in mirrored.mirrors:
        for origin, occ in by_doc[original].items():
            copy = by_doc[mirror][origin]
            a, b = texts[original][occ.start : occ.end], texts[mirror][copy.start : copy.end]
            assert b == b.strip() and _same_but_garbled(a, b, mirrored.mirror_garbles[mirror])
        if original in family_of:
            assert mirror in family_of[original]


def test_a_mirror_when_the_corpus_has_50_documents() -> None:
    assert len(gen.generate_corpus(50, seed=9, family_share=0.0, passages_per_doc=0.1).mirrors) == 1
    assert not gen.generate_corpus(20, seed=9, family_share=0.0, passages_per_doc=0.1).mirrors


def test_texts_are_nfkc_of_raw_with_every_garble(mirrored) -> None:
    for doc in mirrored.documents_:
        assert doc.text == unicodedata.normalize("NFKC", doc.raw) and len(doc.text) == len(doc.raw)


# ----- the genre corpus -----------------------------------------------------------------------


def test_genre_corpus_has_no_ground_truth_but_shares_formulae(genre) -> None:
    assert len(genre.docs) == 200
    assert not genre.occurrences and not genre.passages and not genre.true_pairs()
    assert not genre.families and not genre.mirrors and genre.same_unit
    texts = dict(genre.docs)
    sentences = Counter()
    for f in genre.formulae:
        if f.kind in ("opening", "template", "ideology"):
            sentences[texts[f.doc][f.start : f.end]] += 1
    assert any(n >= 2 for n in sentences.values())  # exact repeats (fixed formulae, same units)
    assert sum(1 for f in genre.formulae if f.kind == "opening") >= 100


# ----- determinism and switches ---------------------------------------------------------------


def test_deterministic_per_seed(mirrored) -> None:
    again = gen.generate_corpus(150, seed=2, mirror_share=0.06)
    assert again.docs == mirrored.docs
    assert again.occurrences == mirrored.occurrences
    assert again.formulae == mirrored.formulae
    assert again.mirrors == mirrored.mirrors and again.same_unit == mirrored.same_unit
    assert again.families == mirrored.families
    assert gen.generate_genre_corpus(40, seed=1).docs == gen.generate_genre_corpus(40, seed=1).docs
    assert gen.generate_genre_corpus(40, seed=1).docs != gen.generate_genre_corpus(40, seed=2).docs


def test_hard_negatives_can_be_turned_off() -> None:
    plain = gen.generate_corpus(80, seed=7, hard_negatives=False)
    assert not plain.mirrors and not plain.same_unit
    assert {f.kind for f in plain.formulae} == {"title"}
    assert all(f.key == "plain" for f in plain.formulae)
    for kind, option in (("opening", "opening_share"), ("template", "template_share"),
                         ("ideology", "ideology_share"), ("reading", "reading_time_share"),
                         ("footer", "footer_share")):
        corpus = gen.generate_corpus(80, seed=7, **{option: 0.0})
        assert kind not in {f.kind for f in corpus.formulae}
    assert not gen.generate_corpus(80, seed=7, mirror_share=0.0).mirrors
    assert not gen.generate_corpus(80, seed=7, same_unit_pairs=0.0).same_unit


# ----- scoring ------------------------------------------------------------------------------


def _result(corpus, keys) -> SimpleNamespace:
    """A result reporting, for each pair in ``keys``, the planted passages of that pair."""
    pairs = []
    for a, b in keys:
        passages = [SimpleNamespace(a_start=p.a_start, a_end=p.a_end, b_start=p.b_start, b_end=p.b_end)
                    for p in corpus.passages if (p.a, p.b) == (a, b)]
        pairs.append(SimpleNamespace(a=a, b=b, passages=passages))
    return SimpleNamespace(pairs=pairs, families=[SimpleNamespace(members=f) for f in corpus.families])


def test_score_counts_mirrors_and_formulae(mirrored) -> None:
    mirror_keys = {(min(a, b), max(a, b)) for a, b in mirrored.mirrors}
    perfect = gen.score(mirrored, _result(mirrored, sorted(mirrored.true_pairs())))
    assert perfect.recall == perfect.pair_precision == perfect.char_precision == 1.0
    assert perfect.mirror_pairs == 9 and perfect.mirror_recall == 1.0 and perfect.formula_chars == 0
    assert perfect.families_recovered == perfect.families
    without = gen.score(mirrored, _result(mirrored, sorted(mirrored.true_pairs() - mirror_keys)))
    assert without.mirror_recall == 0.0 and len(without.missed_mirrors) == 9
    assert without.pair_precision == 1.0 and without.recall < 1.0


def test_score_counts_formula_characters_of_false_pairs(corpus) -> None:
    """A same-unit pair reported on its opening formula: a false pair, its characters in formulae."""
    a, b = next(pair for pair in corpus.same_unit if pair not in corpus.true_pairs())
    opening = {f.doc: f for f in corpus.formulae if f.kind == "opening" and f.doc in (a, b)}
    fake = SimpleNamespace(a_start=opening[a].start, a_end=opening[a].end,
                           b_start=opening[b].start, b_end=opening[b].end)
    result = _result(corpus, sorted(corpus.true_pairs()))
    result.pairs.append(SimpleNamespace(a=a, b=b, passages=[fake]))
    s = gen.score(corpus, result)
    assert s.false_pairs == [(a, b)] and s.pair_precision < 1.0
    assert s.formula_chars == (fake.a_end - fake.a_start) + (fake.b_end - fake.b_start)
    assert s.recall == 1.0 and s.mirror_recall == 1.0
