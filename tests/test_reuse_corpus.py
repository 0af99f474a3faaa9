"""Corpus-wide reuse: the fingerprint index, corpus_reuse and its tables, the terminal view."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from rich.console import Console

from djmine.cli.compare_all import pair_rows, render_corpus
from djmine.errors import UsageError
from djmine.models import Document
from djmine.reuse import corpus as reuse_corpus
from djmine.reuse import find_shared_passages
from djmine.reuse.corpus import DOCUMENT_FIELDS, PAIR_FIELDS, CorpusReuse, corpus_reuse
from djmine.reuse.index import candidate_pairs, index_key

TEMPLATE = (
    "今年以来，{unit}党委坚持以习近平新时代中国特色社会主义思想为指导，认真落实“三会一课”制度，"
    "全年共召开党委会{n}次，组织党员干部{m}人次参加专题党课，扎实开展主题党日活动，"
    "把党风廉政建设作为一项基础性工作来抓，有效提升了支部的组织力和党员的先锋意识。"
)
OWN = [
    "本单位立足行业特点，围绕群众关心的出行难题，开通了三条夜间公交线路并延长服务时间。",
    "学校图书馆新增藏书两千余册，组织学生开展读书月活动，评出优秀读书笔记一百余篇。",
    "卫生院与县医院建立远程会诊系统，村医培训覆盖全部行政村，慢病随访率明显上升。",
    "税务分局推行非接触式办税，网上申报比例大幅提高，纳税人排队时间缩短一半以上。",
    "林业站完成荒山造林八百亩，聘请护林员二十名，森林防火期内未发生一起火情。",
    "社区新建老年食堂一处，为高龄老人提供助餐服务，并组织志愿者定期上门探访。",
]
OTHER = [
    "供电所完成农网改造线路四十公里，户均停电时间下降，春耕用电得到保障。",
    "文化馆举办非遗展演十二场，培训基层文艺骨干，送戏下乡覆盖各个乡镇。",
    "交警大队整治重点路口九处，开展酒驾夜查行动，事故起数同比下降。",
    "审计局完成专项审计项目六个，提出审计建议二十余条，推动问题整改到位。",
]


def doc(doc_id: str, text: str) -> Document:
    return Document(id=doc_id, source=f"{doc_id}.txt", part=0, title=doc_id, text=text, raw=text, encoding="utf-8")


@pytest.fixture(scope="module")
def docs() -> list[Document]:
    units = ["城关镇卫生院", "东湖区税务局", "青山乡中心学校"]
    family = [doc(f"f{i}", OWN[i] + TEMPLATE.format(unit=u, n=10 + i, m=100 + 7 * i) + OWN[i + 3])
              for i, u in enumerate(units)]
    loners = [doc("x1", OTHER[0] + OTHER[1]), doc("x2", OTHER[2] + OTHER[3])]
    return family + loners


@pytest.fixture(scope="module")
def result(docs) -> CorpusReuse:
    return corpus_reuse(docs)


# ----- index ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("召开党委会12次，", "召开党委会9次,"),  # numbers and punctuation width
        ("xx县卫生院党委", "××县卫生院党委"),  # placeholders
        ("学习 教育\n活动", "学习教育活动"),  # whitespace
    ],
)
def test_index_key_folds_like_the_engine(a: str, b: str) -> None:
    assert np.array_equal(index_key(a), index_key(b))


def test_candidates_include_copies_and_skip_unrelated(docs) -> None:
    pairs = candidate_pairs([d.text for d in docs])
    assert set(pairs.tolist()) == {(0, 1), (0, 2), (1, 2)}
    assert (pairs.span >= 20).all()


def test_boilerplate_fingerprints_are_dropped() -> None:
    stock = "坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻党的二十大精神，"
    texts = [stock + OWN[i % len(OWN)] * (1 + i % 2) + str(i) for i in range(12)]
    assert candidate_pairs(texts, max_df=5).dropped > 0
    assert len(candidate_pairs(texts, max_df=5)) < len(candidate_pairs(texts, max_df=50))


def test_invalid_index_options() -> None:
    with pytest.raises(UsageError, match="k=1"):
        candidate_pairs(["a"], k=1)


def test_empty_and_tiny_corpora() -> None:
    assert len(candidate_pairs([])) == 0
    assert corpus_reuse([]).pairs == []
    assert corpus_reuse([doc("a", "短")]).documents[0].originality == 1.0


# ----- corpus_reuse ----------------------------------------------------------------------------
def test_pairs_match_the_pairwise_engine(docs, result) -> None:
    assert {(p.a, p.b) for p in result.pairs} == {("f0", "f1"), ("f0", "f2"), ("f1", "f2")}
    by_id = {d.id: d for d in docs}
    for pair in result.pairs:
        unscored = [replace(p, formula_score=0.0) for p in pair.passages]
        assert unscored == find_shared_passages(by_id[pair.a].text, by_id[pair.b].text)


def test_documents_figures(docs, result) -> None:
    stats = {d.id: d for d in result.documents}
    assert [d.id for d in result.documents] == [d.id for d in docs]
    for d in docs:
        s = stats[d.id]
        assert 0.0 <= s.originality <= 1.0 and s.chars == len(d.text)
    assert stats["x1"].originality == 1.0 and stats["x1"].shares_most_with is None
    f0 = stats["f0"]
    assert f0.shares_most_with in {"f1", "f2"} and 0.4 < f0.largest_share < 0.8
    assert f0.originality_raw == pytest.approx(1 - f0.largest_share, abs=0.05)
    # net of formulae: the mandated 坚持以习近平新时代中国特色社会主义思想为指导 inside the copy is not copying
    assert f0.originality > f0.originality_raw + 0.05
    assert f0.longest_passage >= 100


def test_families_and_popular_passages(result) -> None:
    assert [f.members for f in result.families] == [("f0", "f1", "f2")]
    popular = result.popular_passages
    assert len(popular) == 1 and popular[0].documents == 3
    assert "三会一课" in popular[0].text
    assert result.families[0].passages[0].documents == 3


def test_json_shape_is_stable(result) -> None:
    data = json.loads(json.dumps(result.to_json(), ensure_ascii=False))
    assert {"pairs", "families", "documents", "passages", "formulae"} <= set(data)
    assert set(data["formulae"]) == {"texts", "passages"}
    pair = data["pairs"][0]
    assert set(pair) == {"a", "b", "shared_chars", "coverage_a", "coverage_b", "net_chars", "coverage_a_raw",
                         "coverage_b_raw", "passages", "formulae"}
    assert set(pair["passages"][0]) == {"a_start", "a_end", "b_start", "b_end", "identity", "a_text", "b_text",
                                        "formula_score"}
    assert set(data["documents"][0]) == set(DOCUMENT_FIELDS)
    assert set(data["families"][0]) == {"members", "template", "slots", "passages"}
    assert set(data["families"][0]["passages"][0]) == {"text", "documents", "occurrences"}
    assert set(data["families"][0]["passages"][0]["occurrences"][0]) == {"id", "start", "end"}


def test_frames_and_coverage_matrix(result) -> None:
    assert list(result.pairs_frame().columns) == PAIR_FIELDS
    assert len(result.documents_frame()) == 5
    matrix = result.coverage_matrix()
    assert matrix.shape == (5, 5) and np.isnan(matrix.loc["f0", "f0"])
    pair = next(p for p in result.pairs if (p.a, p.b) == ("f0", "f1"))
    assert matrix.loc["f0", "f1"] == pair.coverage_a and matrix.loc["f1", "f0"] == pair.coverage_b
    assert matrix.loc["x1", "x2"] == 0.0
    with pytest.raises(UsageError, match="unknown document"):
        result.coverage_matrix(["nope"])


def test_top_limits_pairs_only(docs) -> None:
    limited = corpus_reuse(docs, top=1)
    assert len(limited.pairs) == 1
    assert [f.members for f in limited.families] == [("f0", "f1", "f2")]


def test_progress_reports_every_pair(docs) -> None:
    calls: list[tuple[int, int]] = []
    corpus_reuse(docs, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 3) and calls[-1] == (3, 3)


def test_parallel_alignment_equals_serial(docs, monkeypatch) -> None:
    monkeypatch.setattr(reuse_corpus, "_PARALLEL_MIN_PAIRS", 1)
    monkeypatch.setattr(reuse_corpus, "_CHUNK", 1)
    parallel = corpus_reuse(docs, workers=2)
    serial = corpus_reuse(docs, workers=1)
    assert parallel.to_json() == serial.to_json()


@pytest.mark.parametrize(
    ("options", "message"),
    [({"min_chars": 0}, "min_chars=0"), ({"min_identity": 1.5}, "min_identity=1.5"),
     ({"top": -1}, "top=-1"), ({"family_min_coverage": 0}, "family_min_coverage=0")],
)
def test_invalid_options(docs, options, message) -> None:
    with pytest.raises(UsageError, match=message):
        corpus_reuse(docs, **options)


def test_duplicate_ids_are_refused(docs) -> None:
    with pytest.raises(UsageError, match="appears twice"):
        corpus_reuse([docs[0], docs[0]])


def test_seeds(seed_store) -> None:
    result = corpus_reuse(seed_store.documents())
    pairs = {(p.a.split("_")[0] + p.a[20:], p.b.split("_")[0]): p for p in result.pairs}
    assert pairs[("000#3", "004")].coverage_a > 0.9
    assert ("000#5", "004") in pairs
    family = next(f for f in result.families if any(m.startswith("004") for m in f.members))
    # 000#5 shares two edited paragraphs (20 %) with 004: a pair, not the template of 000#3 and 004
    assert {m[:3] + m[20:] for m in family.members} == {"000#3", "004"}
    assert family.template.startswith(family.passages[0].text) and len(family.template) > 1500
    assert set(family.slots) == set(family.members)


# ----- terminal view ---------------------------------------------------------------------------
def test_render_corpus_shows_the_four_tables(result) -> None:
    console = Console(record=True, width=200)
    render_corpus(console, result, top=5)
    out = console.export_text()
    for title in ("Top pairs", "Families", "Least original", "Most reused passages"):
        assert title in out
    assert "f0" in out and "x1" not in out.split("Least original")[1].split("Most reused")[0]


def test_render_corpus_without_reuse() -> None:
    console = Console(record=True, width=120)
    render_corpus(console, corpus_reuse([doc("a", OTHER[0]), doc("b", OTHER[1])]), top=5)
    assert "No shared passages" in console.export_text()


def test_pair_rows_for_csv(result) -> None:
    rows = pair_rows(result)
    assert rows and set(rows[0]) == set(PAIR_FIELDS)


def test_a_template_copied_into_more_documents_than_max_df_is_one_family() -> None:
    """Fingerprints in more than 40 documents are not paired all-with-all, but a template copied
    60 times still links every copy to the first one, so the family and each copy's source show."""
    import random

    from tests.reuse_fixtures import seed_text

    rng = random.Random(3)
    template = seed_text("004")[:1200]
    docs = []
    for i in range(60):
        own = "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(600)) + "。\n"
        text = own + template.replace("xx总医院", f"第{i}人民医院")
        docs.append(Document(id=f"copy{i:02d}", source=f"copy{i:02d}.txt", part=1, title="t",
                             text=text, raw=text, encoding="utf-8"))
    result = corpus_reuse(docs)
    assert [sorted(f.members) for f in result.families] == [sorted(d.id for d in docs)]
    for record in result.documents:
        assert record.shares_most_with is not None and record.largest_share > 0.6
        assert record.longest_passage >= 1000
