"""Slogan mining: numbered formulas, quoted campaign names and phrases the lexicon doesn't know."""

from __future__ import annotations

import json
import random
import time

import pytest
from typer.testing import CliRunner

from djmine.cli import app
from djmine.lexicon import Lexicon, load_lexicon
from djmine.models import Document
from djmine.slogans import (
    corpus_slogans,
    count_occurrences,
    mine_slogans,
    numbered_candidates,
    phrase_stats,
    quoted_candidates,
)
from djmine.store import Store

runner = CliRunner()

# Counting words that must never be reported as formulas.
NOT_SLOGANS = {"一是", "二是", "三是", "一年来", "第一", "一大批", "一系列", "一次", "三个方面", "五个方面",
               "一步", "一定", "一方面", "二级医院", "三级医院", "五一", "五四", "七一"}


def make_doc(doc_id: str, text: str, years: tuple[int, ...] = ()) -> Document:
    return Document(id=doc_id, source=f"{doc_id}.txt", part=1, title="", text=text, raw=text,
                    encoding="utf-8", years=years)


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


# ----- a generated corpus with an invented formula -------------------------------------------
OPENINGS = ["今年以来,{unit}党委按照上级部署,", "一年来,{unit}党总支坚持围绕中心、服务大局,",
            "{year}年,{unit}党支部在上级党委的指导下,", "回顾一年的工作,{unit}各党支部"]
FORMULA_USES = ["深入开展“三联三促”活动,", "以三联三促为抓手,推动工作落实。", "三联三促工作取得了明显成效。",
                "把三联三促与业务工作结合起来,", "扎实推进三联三促,", "围绕“三联三促”要求,"]
FILLERS = ["一是加强理论学习,二是严格组织生活,三是狠抓作风建设。", "认真落实支部书记第一责任人职责。",
           "召开专题会议一次,从三个方面查找问题。", "积极开展“红色引擎”工程,", "组织党员参加志愿服务活动,",
           "进一步提高了党员的服务意识和业务水平。", "坚持“三会一课”制度,", "一大批年轻骨干走上岗位。",
           "围绕医疗质量和患者满意度开展检查,", "开展谈心谈话,了解职工思想动态。"]
UNITS = ["第一人民医院", "县中医院", "市妇幼保健院", "区疾控中心", "社区卫生服务中心", "镇卫生院"]


def generated_corpus(seed: int = 7, n_docs: int = 6) -> list[Document]:
    """Varied documents in which the invented formula 三联三促 recurs in different contexts."""
    rng = random.Random(seed)
    docs = []
    for i in range(n_docs):
        year = 2015 + i
        parts = [rng.choice(OPENINGS).format(unit=UNITS[i % len(UNITS)], year=year)]
        parts += rng.sample(FORMULA_USES, 2) + rng.sample(FILLERS, 5)
        rng.shuffle(parts[1:])
        text = "".join(parts) + f"{year}年工作总结完毕。"
        docs.append(make_doc(f"g{i}", text, (year,)))
    return docs


def by_term(slogans):
    return {s.term: s for s in slogans}


def test_invented_formula_is_found_as_new(lexicon: Lexicon) -> None:
    docs = generated_corpus()
    found = by_term(mine_slogans(docs, lexicon))
    slogan = found["三联三促"]
    assert slogan.kind == "numbered"
    assert slogan.known is False and slogan.new
    assert set(slogan.docs) == {d.id for d in docs}
    assert slogan.count == sum(d.text.count("三联三促") for d in docs)
    assert (slogan.first_year, slogan.last_year) == (2015, 2020)
    assert not [t for t in found if t != "三联三促" and ("三联" in t or "三促" in t)]  # one boundary only
    assert not NOT_SLOGANS & set(found)


@pytest.mark.parametrize("seed", range(5))
def test_invented_formula_survives_other_shuffles(lexicon: Lexicon, seed: int) -> None:
    found = by_term(mine_slogans(generated_corpus(seed), lexicon, kinds=("numbered",)))
    assert "三联三促" in found and not NOT_SLOGANS & set(found)


def test_invented_quoted_campaign_is_found(lexicon: Lexicon) -> None:
    docs = generated_corpus(n_docs=8)
    expected = [d.id for d in docs if "红色引擎" in d.text]
    assert len(expected) >= 2
    found = by_term(mine_slogans(docs, lexicon, kinds=("quoted",)))
    assert found["红色引擎"].kind == "quoted" and found["红色引擎"].new
    assert list(found["红色引擎"].docs) == expected


def test_min_docs(lexicon: Lexicon) -> None:
    docs = [make_doc("a", "落实三联三促,推进三联三促。"), make_doc("b", "加强学习。")]
    assert "三联三促" not in by_term(mine_slogans(docs, lexicon, kinds=("numbered",)))
    assert "三联三促" in by_term(mine_slogans(docs, lexicon, kinds=("numbered",), min_docs=1))


# ----- the seeds ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seed_slogans(seed_store: Store, lexicon: Lexicon):
    return mine_slogans(seed_store.documents(), lexicon)


@pytest.fixture(scope="module")
def seed_slogans_any(seed_store: Store, lexicon: Lexicon):
    return mine_slogans(seed_store.documents(), lexicon, min_docs=1, min_count=1)


def test_seed_formulas(seed_slogans) -> None:
    found = by_term(seed_slogans)
    for term in ["三会一课", "一岗双责", "三好一满意", "三个代表"]:
        assert found[term].kind == "numbered", term
    assert found["抓党建、带队伍、促发展"].kind == "quoted"
    assert found["三个代表"].known
    assert found["一级抓一级"].new
    assert len(found["一岗双责"].docs) == 4


def test_seed_formulas_in_one_document(seed_slogans_any) -> None:
    found = by_term(seed_slogans_any)
    for term in ["两学一做", "三亮三比三评", "双融双促双提升", "五个好", "四风", "三重一大", "四个意识", "九不准"]:
        assert found[term].kind == "numbered", term
    assert not NOT_SLOGANS & set(found)
    assert "三会一课制" not in found and "两学一做学" not in found


def test_seed_slogans_are_recurring_and_ordered(seed_slogans) -> None:
    assert seed_slogans
    kinds = ["numbered", "quoted", "phrase"]
    for a, b in zip(seed_slogans, seed_slogans[1:], strict=False):
        assert (kinds.index(a.kind), -len(a.docs)) <= (kinds.index(b.kind), -len(b.docs))
    for s in seed_slogans:
        assert len(s.docs) >= 2 and s.count >= 2
        assert s.first_year is None or s.first_year <= s.last_year


def test_years_are_the_documents_dates(seed_store: Store, lexicon: Lexicon, seed_slogans) -> None:
    from djmine.dating import earliest_years

    dates = earliest_years(seed_store.documents(), lexicon)
    for s in seed_slogans:
        years = [dates[i] for i in s.docs if dates[i] is not None]
        assert (s.first_year, s.last_year) == (min(years, default=None), max(years, default=None))


def test_slogans_on_cached_tokens_are_fast(store_copy: Store, lexicon: Lexicon) -> None:
    corpus_slogans(store_copy, lexicon)  # segments and caches the tokens
    started = time.perf_counter()
    corpus_slogans(store_copy, lexicon)
    assert time.perf_counter() - started < 1.0


# ----- detectors ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("texts", "present", "absent"),
    [
        (["坚持“三会一课”制度,", "三会一课规章制度", "坚持三会一课制度,"], {"三会一课"}, {"三会一课制", "三会一课制度"}),
        (["开展三亮三比三评活动。", "“三亮三比三评”"], {"三亮三比三评"}, {"三亮三比", "三亮三比三评活"}),
        (["推动双融双促双提升。", "实现双融双促双提升,"], {"双融双促双提升"}, {"双融双促", "双融双促双提"}),
        (["一是加强学习,二是严格管理。一年来,", "第一责任人,第一时间"], set(), {"一是", "一年来", "第一责任"}),
        (["一级抓一级,一级促一级的格局"], {"一级抓一级"}, {"一级促一级的"}),  # one use, then 的: no edge
        (["每两月至少组织一次", "每两月一次"], set(), {"两月至少", "两月一次"}),
    ],
)
def test_numbered_candidates(texts: list[str], present: set[str], absent: set[str]) -> None:
    found = numbered_candidates(texts)
    assert present <= found
    assert not absent & found


def test_quoted_candidates() -> None:
    texts = ["聚焦“四风”问题,“五一”体育活动,“党建”工作", "创建“和谐医院”,“和谐医院”", "“七一”", "“abc”"]
    assert quoted_candidates(texts) == {"四风": "numbered", "和谐医院": "quoted"}


def test_count_occurrences_counts_overlaps_and_prefixes() -> None:
    texts = {"a": "三会一课三会一课制度", "b": "无关", "c": "一课"}
    counts, where = count_occurrences(texts, ["三会一课", "三会一课制度", "一课"])
    assert counts == {"三会一课": 2, "三会一课制度": 1, "一课": 3}
    assert where == {"三会一课": ["a"], "三会一课制度": ["a"], "一课": ["a", "c"]}


def test_phrase_stats_branching_entropy() -> None:
    tokens = [["甲", "战斗", "堡垒", "乙"], ["丙", "战斗", "堡垒", "丁"], ["战斗", "堡垒", "。", "戊"]]
    stats = {s.tokens: s for s in phrase_stats(tokens, min_count=3, max_tokens=3)}
    bigram = stats[("战斗", "堡垒")]
    assert bigram.count == 3
    assert bigram.left_entropy == pytest.approx(1.0986, abs=1e-3)  # 甲, 丙, text start: 3 ways
    assert bigram.right_entropy == pytest.approx(1.0986, abs=1e-3)  # 乙, 丁, punctuation
    assert bigram.cohesion > 0


# ----- CLI ---------------------------------------------------------------------------------
def test_cli_slogans_table(env_store: Store) -> None:
    result = runner.invoke(app, ["slogans", "--top", "5"])
    assert result.exit_code == 0, result.output
    assert "三会一课" in result.output and "slogans of" in result.output


def test_cli_slogans_json_new_only(env_store: Store) -> None:
    result = runner.invoke(app, ["slogans", "--json", "--new", "--top", "0"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["slogans"] and all(not s["known"] for s in data["slogans"])
    assert {"term", "kind", "count", "n_docs", "docs", "first_year", "last_year", "known"} <= set(data["slogans"][0])
    assert "一级抓一级" in {s["term"] for s in data["slogans"]}


def test_cli_slogans_kind_and_min_docs(env_store: Store) -> None:
    result = runner.invoke(app, ["slogans", "--kind", "numbered", "--min-docs", "1", "--min-count", "1", "--json", "--top", "0"])
    assert result.exit_code == 0, result.output
    terms = {s["term"]: s for s in json.loads(result.output)["slogans"]}
    assert {s["kind"] for s in terms.values()} == {"numbered"}
    assert "两学一做" in terms


def test_cli_slogans_csv(env_store: Store) -> None:
    result = runner.invoke(app, ["slogans", "--csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "term,kind,count,n_docs,first_year,last_year,known,docs"


def test_cli_slogans_user_lexicon_marks_known(env_store: Store, tmp_path) -> None:
    user = tmp_path / "terms.tsv"
    user.write_text("一级抓一级\tslogan\n", encoding="utf-8")
    result = runner.invoke(app, ["slogans", "--json", "--lexicon", str(user)])
    assert result.exit_code == 0, result.output
    terms = {s["term"]: s for s in json.loads(result.output)["slogans"]}
    assert terms["一级抓一级"]["known"] is True


def test_cli_slogans_bad_option(env_store: Store) -> None:
    result = runner.invoke(app, ["slogans", "--min-docs", "0"])
    assert result.exit_code == 2


@pytest.mark.parametrize("command", ["slogans", "date", "kwic"])
def test_help_has_an_example(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example: djmine " + command in result.output
