"""Themes: slogans rank, filler never does, longer terms absorb their fragments."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from djmine.cli import app
from djmine.errors import UnknownDocument, UsageError
from djmine.lexicon import load_lexicon, load_stopwords
from djmine.models import Document
from djmine.segment import corpus_joined_tokens
from djmine.store import Store
from djmine.themes import Bounds, TermMatrix, Theme, _absorb, group_label, tfidf, themes

FILLER = [
    "工作",
    "开展",
    "加强",
    "建设",
    "活动",
    "进行",
    "提高",
    "我院",
    "医院",
    "党员",
    "党建",
    "进一步",
    "认真",
    "切实",
    "积极",
    "不断",
]
runner = CliRunner()


def make_doc(i: int, text: str, *, source: str = "s.txt", years: tuple[int, ...] = ()) -> Document:
    return Document(
        id=f"d{i:02d}",
        source=source,
        part=1,
        title="",
        text=text,
        raw=text,
        encoding="utf-8",
        years=years,
    )


@pytest.fixture(scope="module")
def seed_themes(seed_store: Store) -> list[Theme]:
    return themes(seed_store, top=20)


# ----- the seeds ------------------------------------------------------------------------------
def test_seed_top20_is_ranked_and_shaped(seed_themes: list[Theme]) -> None:
    assert [t.rank for t in seed_themes] == list(range(1, 21))
    scores = [t.score for t in seed_themes]
    assert scores == sorted(scores, reverse=True)
    assert all(
        t.kind in ("slogan", "phrase", "word") and t.docs >= 1 and t.group is None
        for t in seed_themes
    )


@pytest.mark.parametrize(
    "term", ["两学一做", "三会一课", "一岗双责", "群众路线教育实践活动", "创先争优", "党风廉政建设"]
)
def test_seed_top20_holds_the_seeds_slogans(seed_themes: list[Theme], term: str) -> None:
    assert term in [t.term for t in seed_themes]


def test_seed_top20_is_dominated_by_lexicon_terms(seed_themes: list[Theme]) -> None:
    lexicon = load_lexicon()
    slogans = [t for t in seed_themes if t.kind == "slogan"]
    assert len(slogans) >= 15
    assert all(t.term in lexicon.terms for t in slogans)


def test_seed_top20_has_no_filler(seed_themes: list[Theme]) -> None:
    terms = [t.term for t in seed_themes]
    assert not set(terms) & set(FILLER)
    assert not [t for t in terms if any(t.startswith(f) for f in FILLER)]


def test_no_theme_is_a_fragment_of_another(seed_store: Store) -> None:
    terms = [t.term for t in themes(seed_store, top=100)]
    assert len(terms) == 100
    assert [(a, b) for a in terms for b in terms if a != b and a in b] == []


def test_stopwords_never_rank(seed_store: Store) -> None:
    stop = load_stopwords()
    found = themes(seed_store, top=400)
    assert [t.term for t in found if t.term in stop] == []
    assert all(
        len(t.term) >= 2 and not any(c.isdigit() for c in t.term)
        for t in found
        if t.kind != "slogan"
    )


def test_doc_themes_come_from_that_document(seed_store: Store) -> None:
    (doc,) = seed_store.resolve("002")
    found = themes(seed_store, top=15, doc="002")
    assert len(found) == 15
    flat = "".join(doc.text.split())
    assert all(t.term.replace("、", "") in flat.replace("、", "") or t.term in flat for t in found)
    assert "我为群众办实事" in [t.term for t in found[:5]]
    df = {t.term: t.docs for t in themes(seed_store, top=400)}
    assert all(t.docs == df[t.term] for t in found if t.term in df)  # docs counts the whole corpus


def test_doc_prefix_of_a_compilation_takes_all_its_parts(seed_store: Store) -> None:
    found = themes(seed_store, top=10, doc="000")
    assert "两学一做" in [t.term for t in found] or "群众路线教育实践活动" in [
        t.term for t in found
    ]


def test_by_year_groups(seed_store: Store) -> None:
    docs = seed_store.documents()
    found = themes(seed_store, top=5, by="year")
    groups = list(dict.fromkeys(t.group for t in found))
    assert groups == sorted(
        {group_label(d, "year") for d in docs}, key=lambda g: (g == "unknown", g)
    )
    for group in groups:
        ranks = [t.rank for t in found if t.group == group]
        assert ranks == list(range(1, len(ranks) + 1)) and len(ranks) <= 5
    assert "创先争优" in [t.term for t in found if t.group == "2010"]


def test_by_source_groups(seed_store: Store) -> None:
    found = themes(seed_store, top=3, by="source")
    assert {t.group for t in found} == {d.source for d in seed_store.documents()}


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"top": 0}, UsageError),
        ({"doc": "002", "by": "year"}, UsageError),
        ({"by": "month"}, UsageError),
        ({"doc": "zzz"}, UnknownDocument),
    ],
)
def test_bad_requests(seed_store: Store, kwargs: dict, error: type[Exception]) -> None:
    with pytest.raises(error):
        themes(seed_store, **kwargs)


def test_warm_cache_needs_neither_jieba_nor_sklearn(seed_store: Store) -> None:
    corpus_joined_tokens(seed_store, load_lexicon())
    code = (
        "import sys; from djmine.store import Store; from djmine.themes import themes; "
        f"assert themes(Store({str(seed_store.path)!r}), top=20); "
        "print(sorted(m for m in ('jieba', 'sklearn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ----- phrases and absorption -------------------------------------------------------------------
def test_phrase_absorbs_its_fragments() -> None:
    texts = [
        "今年我们推进智慧病房试点,智慧病房运行良好。",
        "全院推广智慧病房,患者满意。",
        "智慧病房建成后,护理质量上升。",
        "召开护理例会,讨论排班。",
        "组织志愿义诊,服务群众。",
    ]
    found = themes([make_doc(i, t) for i, t in enumerate(texts)], top=10, lexicon=load_lexicon())
    terms = {t.term: t for t in found}
    assert terms["智慧病房"].kind in ("phrase", "word")
    assert "智慧" not in terms and "病房" not in terms


@pytest.mark.parametrize(
    ("chosen", "candidate", "expected"),
    [
        (["党风廉政建设"], "廉政建设", ["党风廉政建设"]),  # fragment of a chosen term: dropped
        (["廉政建设"], "党风廉政建设", ["党风廉政建设"]),  # the longer term absorbs it
        (["和谐", "医院文化"], "和谐医院", ["医院文化", "和谐医院"]),
        (["三会一课"], "三会一课制度", ["三会一课"]),  # a phrase never swallows a slogan
        (["两学一做"], "三会一课", ["两学一做", "三会一课"]),
    ],
)
def test_absorb(chosen: list[str], candidate: str, expected: list[str]) -> None:
    kinds = {
        "党风廉政建设": "slogan",
        "廉政建设": "slogan",
        "三会一课": "slogan",
        "两学一做": "slogan",
    }
    terms = [*chosen, candidate]
    kind_list = [kinds.get(t, "phrase") for t in terms]
    picked = _absorb(list(range(len(chosen))), len(chosen), terms, kind_list)  # type: ignore[arg-type]
    assert [terms[i] for i in picked] == expected


def test_user_lexicon_terms_rank_as_slogans(tmp_path: Path) -> None:
    path = tmp_path / "mine.txt"
    path.write_text("智慧病房 campaign 2020\n", encoding="utf-8")
    docs = [make_doc(i, f"推进智慧病房建设第{i}期,召开护理例会。") for i in range(4)]
    found = themes(docs, top=3, lexicon=load_lexicon(path))
    assert found[0].term == "智慧病房" and found[0].kind == "slogan"


# ----- TF-IDF is scikit-learn's -----------------------------------------------------------------
def test_tfidf_matches_scikit_learn() -> None:
    from sklearn.feature_extraction.text import TfidfTransformer

    rng = np.random.default_rng(7)
    counts = rng.integers(0, 4, size=(12, 30)) * (rng.random((12, 30)) < 0.3)
    doc, term = np.nonzero(counts)
    weight, df = tfidf(doc, term, counts[doc, term], n_docs=12, n_terms=30)
    expected = (
        TfidfTransformer(sublinear_tf=True, smooth_idf=True, norm="l2")
        .fit_transform(counts)
        .toarray()
    )
    np.testing.assert_allclose(weight, expected[doc, term])
    np.testing.assert_array_equal(df, (counts > 0).sum(axis=0))


def test_seed_term_matrix_matches_scikit_learn_vectorizer(seed_store: Store) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = seed_store.documents()
    joined = corpus_joined_tokens(seed_store, load_lexicon())
    matrix = TermMatrix.build(
        [joined[d.id] for d in docs], load_lexicon(), load_stopwords(), Bounds.for_corpus(len(docs))
    )
    per_doc: list[list[str]] = [[] for _ in docs]
    for d, t, n in zip(matrix.doc, matrix.term, matrix.tf, strict=True):
        per_doc[d] += [matrix.terms[t]] * int(n)
    vectorizer = TfidfVectorizer(
        analyzer=lambda terms: terms, sublinear_tf=True, smooth_idf=True, norm="l2"
    )
    expected = vectorizer.fit_transform(per_doc)
    column = {t: i for i, t in enumerate(vectorizer.get_feature_names_out())}
    got = np.array(
        [expected[d, column[matrix.terms[t]]] for d, t in zip(matrix.doc, matrix.term, strict=True)]
    )
    np.testing.assert_allclose(matrix.weight, got)


# ----- the command ------------------------------------------------------------------------------
def test_cli_table(env_store: Store) -> None:
    result = runner.invoke(app, ["themes", "--top", "20"])
    assert result.exit_code == 0, result.output
    assert "两学一做" in result.output and "rank" in result.output and "slogan" in result.output


def test_cli_json(env_store: Store) -> None:
    result = runner.invoke(app, ["themes", "--top", "5", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["terms"]) == 5
    assert all(set(item) == {"term", "kind", "score", "docs"} for item in data["terms"])


def test_cli_csv_by_year(env_store: Store) -> None:
    result = runner.invoke(app, ["themes", "--top", "2", "--by", "year", "--csv"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "rank,term,kind,docs,score,group"
    assert any(line.endswith(",2010") for line in lines[1:])


def test_cli_by_year_json_has_groups(env_store: Store) -> None:
    result = runner.invoke(app, ["themes", "--top", "2", "--by", "source", "--json"])
    assert result.exit_code == 0, result.output
    assert all("group" in item for item in json.loads(result.output)["terms"])


def test_cli_doc(env_store: Store) -> None:
    result = runner.invoke(app, ["themes", "--doc", "002", "--top", "5"])
    assert result.exit_code == 0, result.output
    assert "我为群众办实事" in result.output


def test_cli_errors(env_store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("好词 slogan 19xx\n", encoding="utf-8")
    result = runner.invoke(app, ["themes", "--lexicon", str(bad)])
    assert result.exit_code == 2
    assert f"error: {bad}:1: year '19xx' is not a year between 1900 and 2100" in result.output
    result = runner.invoke(app, ["themes", "--doc", "zzz"])
    assert result.exit_code == 2 and "unknown document 'zzz'" in result.output
    result = runner.invoke(app, ["themes", "--doc", "002", "--by", "year"])
    assert result.exit_code == 2 and "error: use --doc or --by, not both" in result.output
    assert runner.invoke(app, ["themes", "--json", "--csv"]).exit_code == 2
    assert runner.invoke(app, ["themes", "--only-my-stopwords"]).exit_code == 2


def test_cli_user_stopwords(env_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "stop.txt"
    path.write_text("创先争优\n", encoding="utf-8")
    result = runner.invoke(app, ["themes", "--stopwords", str(path), "--json"])
    assert result.exit_code == 0, result.output
    terms = [item["term"] for item in json.loads(result.output)["terms"]]
    assert "两学一做" in terms and "创先争优" not in terms


def test_cli_help_has_an_example() -> None:
    result = runner.invoke(app, ["themes", "--help"])
    assert result.exit_code == 0 and "Example: djmine themes" in result.output


def test_small_and_arrow_token_encodings_agree(seed_store: Store) -> None:
    from djmine.themes import _Tokens

    joined = list(corpus_joined_tokens(seed_store, load_lexicon()).values()) + [""]
    small, arrow = _Tokens._encode_small(joined), _Tokens.encode(joined * 200)
    assert len(arrow.ids) == 200 * len(small.ids)
    decoded_small = [small.vocab[i] for i in small.ids]
    decoded_arrow = [arrow.vocab[i] for i in arrow.ids[: len(small.ids)]]
    assert decoded_small == decoded_arrow
    np.testing.assert_array_equal(arrow.doc[: len(small.doc)], small.doc)
