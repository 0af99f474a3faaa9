"""Dating: the terminus post quem of a document, with evidence that slices the clean text."""

from __future__ import annotations

import json
import time

import pytest
from typer.testing import CliRunner

from djmine.cli import app
from djmine.dating import (
    DateEstimate,
    date_document,
    date_documents,
    earliest_years,
    load_calendar,
    parse_number,
)
from djmine.lexicon import Lexicon, Term, load_lexicon
from djmine.models import Document
from djmine.store import Store

runner = CliRunner()


def make_doc(text: str, doc_id: str = "t", years: tuple[int, ...] = ()) -> Document:
    return Document(id=doc_id, source=f"{doc_id}.txt", part=1, title="", text=text, raw=text,
                    encoding="utf-8", years=years)


def tiny_lexicon(**terms: int | None) -> Lexicon:
    return Lexicon(terms={t: Term(t, "test", y) for t, y in terms.items()}, fingerprint=f"test-{sorted(terms)}")


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


@pytest.fixture(scope="module")
def seed_dates(seed_store: Store, lexicon: Lexicon) -> dict[str, DateEstimate]:
    return {e.id: e for e in date_documents(seed_store.documents(), lexicon)}


def estimate_for(dates: dict[str, DateEstimate], prefix: str) -> DateEstimate:
    (match,) = [e for i, e in dates.items() if i.startswith(prefix)]
    return match


def evidence_years(estimate: DateEstimate) -> dict[str, int]:
    return {e.term: e.year for e in estimate.evidence}


# ----- the seeds ---------------------------------------------------------------------------
def test_first_article_of_000_cannot_predate_two_studies_one_action(seed_dates) -> None:
    estimate = estimate_for(seed_dates, "000_645f09018402f143#1")
    assert estimate.year is not None and estimate.year >= 2016
    assert evidence_years(estimate)["两学一做"] == 2016


def test_004_cannot_predate_socialist_honour_and_disgrace(seed_dates) -> None:
    estimate = estimate_for(seed_dates, "004")
    assert estimate.year is not None and estimate.year >= 2006
    assert evidence_years(estimate)["社会主义荣辱观"] == 2006


def test_002_names_2022(seed_dates) -> None:
    estimate = estimate_for(seed_dates, "002")
    assert estimate.year == 2022
    assert ("2022", 2022, "explicit") in [(e.term, e.year, e.kind) for e in estimate.evidence]


def test_000_mass_line_and_five_year_plan(seed_dates, lexicon: Lexicon) -> None:
    second = estimate_for(seed_dates, "000_645f09018402f143#2")
    assert second.year is not None and second.year >= 2013  # 四风 (2013)
    assert evidence_years(second)["群众路线教育实践活动"] == lexicon.year_of("群众路线教育实践活动")
    fourth = estimate_for(seed_dates, "000_645f09018402f143#4")
    kinds = {e.term: (e.year, e.kind) for e in fourth.evidence}
    assert kinds["十二五"] == (2011, "plan")
    assert kinds["建党九十二周年"] == (2013, "anniversary")
    assert fourth.year is not None and fourth.year >= 2013


def test_001_plenum_and_congress(seed_dates) -> None:
    estimate = estimate_for(seed_dates, "001")
    kinds = {e.term: (e.year, e.kind) for e in estimate.evidence}
    assert kinds["十六大"] == (2002, "congress")
    assert kinds["十六届三中全会"] == (2003, "plenum")
    assert estimate.year == 2004  # 2004年1-6月


def test_evidence_slices_the_text_and_is_newest_first(seed_store: Store, seed_dates) -> None:
    texts = {d.id: d.text for d in seed_store.documents()}
    for estimate in seed_dates.values():
        years = [e.year for e in estimate.evidence]
        assert years == sorted(years, reverse=True)
        assert estimate.year == (years[0] if years else None)
        for e in estimate.evidence:
            assert e.start is not None
            assert texts[estimate.id][e.start : e.start + len(e.term)] == e.term


def test_earliest_years_covers_every_document(seed_store: Store, lexicon: Lexicon) -> None:
    years = earliest_years(seed_store.documents(), lexicon)
    assert set(years) == {d.id for d in seed_store.documents()}
    assert years["002_24122ba48d98ca54"] == 2022


# ----- rules -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("以党的十六大精神为指导", ("十六大", 2002, "congress")),
        ("深入学习贯彻党的二十大精神", ("二十大", 2022, "congress")),
        ("党的十二大提出", ("十二大", 1982, "congress")),
        ("党的第十八次全国代表大会以来", ("第十八次全国代表大会", 2012, "congress")),
        ("十八届中央纪委第三次全会", ("十八届", 2012, "congress")),
        ("学习十六届三中全会《决定》", ("十六届三中全会", 2003, "plenum")),
        ("党的十九届六中全会精神", ("十九届六中全会", 2021, "plenum")),
        ("二十届三中全会", ("二十届三中全会", 2024, "plenum")),
        ("“十二五”规划实施的关键一年", ("十二五", 2011, "plan")),
        ("十三五期间", ("十三五", 2016, "plan")),
        ("十四五开局之年", ("十四五", 2021, "plan")),
        ("配合开展建党九十二周年系列活动", ("建党九十二周年", 2013, "anniversary")),
        ("庆祝建党100周年", ("建党100周年", 2021, "anniversary")),
        ("新中国成立70周年", ("新中国成立70周年", 2019, "anniversary")),
        ("改革开放四十周年", ("改革开放四十周年", 2018, "anniversary")),
    ],
)
def test_calendar_evidence(text: str, expected: tuple[str, int, str]) -> None:
    estimate = date_document(make_doc(text), tiny_lexicon())
    assert [(e.term, e.year, e.kind) for e in estimate.evidence] == [expected]
    assert estimate.year == expected[1]
    assert text[estimate.evidence[0].start :].startswith(expected[0])


@pytest.mark.parametrize(
    "text",
    [
        "医院职工荣获全市卫生系统十大医德楷模",  # 十大 = ten best
        "以深入学习贯彻党的十_大精神为主线",  # masked congress
        "十三届全国人大代表",  # the NPC, not a party congress
        "分为十五大类",
        "共有二十五个科室,三十五岁以下",
        "第十九届运动会",
        "投资1800万元,2000人参加",  # bare numbers are not years
    ],
)
def test_no_false_evidence(text: str) -> None:
    assert date_document(make_doc(text), tiny_lexicon()).evidence == []


def test_five_year_plan_is_not_a_congress() -> None:
    estimate = date_document(make_doc("十二五规划和党的十二大"), tiny_lexicon())
    assert [(e.term, e.year, e.kind) for e in estimate.evidence] == [
        ("十二五", 2011, "plan"), ("十二大", 1982, "congress")
    ]


def test_newest_evidence_wins_and_lexicon_terms_count() -> None:
    lexicon = tiny_lexicon(三个代表=2000, 两学一做=2016, 三会一课=None)
    doc = make_doc("坚持“三个代表”,落实三会一课,开展两学一做。2015年", years=(2015,))
    estimate = date_document(doc, lexicon)
    assert estimate.year == 2016
    assert [(e.term, e.year, e.kind) for e in estimate.evidence] == [
        ("两学一做", 2016, "lexicon"), ("2015", 2015, "explicit"), ("三个代表", 2000, "lexicon")
    ]


def test_longest_lexicon_term_wins() -> None:
    lexicon = tiny_lexicon(群众路线=2013, 群众路线教育实践活动=2013, 教育实践=None)
    estimate = date_document(make_doc("开展党的群众路线教育实践活动"), lexicon)
    assert [e.term for e in estimate.evidence] == ["群众路线教育实践活动"]


def test_stated_years_come_from_document_years() -> None:
    # a year-like number the extractor did not list is not evidence; listed years are
    doc = make_doc("2019年工作总结,编号2021年", years=(2019,))
    estimate = date_document(doc, tiny_lexicon())
    assert [(e.term, e.kind, e.start) for e in estimate.evidence] == [("2019", "explicit", 0)]


def test_undated_document() -> None:
    estimate = date_document(make_doc("加强组织建设,提高党员素质。"), tiny_lexicon())
    assert estimate == DateEstimate("t", None, [])
    assert estimate.to_json() == {"id": "t", "year": None, "evidence": []}


@pytest.mark.parametrize(("text", "value"), [("92", 92), ("九十二", 92), ("十", 10), ("一百", 100),
                                             ("百", 100), ("七十", 70), ("一百零一", 101), ("廿", None)])
def test_parse_number(text: str, value: int | None) -> None:
    assert parse_number(text) == value


def test_calendar_table_is_consistent() -> None:
    calendar = load_calendar()
    assert calendar.congresses["十九"] == 2017
    for name, year in calendar.plenums.items():
        congress = name.split("届")[0]
        assert calendar.congresses[congress] <= year <= calendar.congresses[congress] + 5, name


def test_dating_is_one_fast_pass(lexicon: Lexicon) -> None:
    # ~5 MB of text: the corpus `list` command dates every document
    chunk = "今年,医院党委深入开展“两学一做”学习教育,落实三会一课制度,学习党的十九大精神。" * 40
    docs = [make_doc(chunk + f"{2000 + i % 20}年", f"d{i}", (2000 + i % 20,)) for i in range(1500)]
    started = time.perf_counter()
    years = earliest_years(docs, lexicon)
    assert time.perf_counter() - started < 5
    assert set(years.values()) == {2017, 2018, 2019}


# ----- CLI ---------------------------------------------------------------------------------
def test_cli_date_table(env_store: Store) -> None:
    result = runner.invoke(app, ["date"])
    assert result.exit_code == 0, result.output
    assert "两学一做 2016 (lexicon)" in result.output
    assert "2022 (explicit)" in result.output
    assert "9 documents" in result.output


def test_cli_date_json_for_some_documents(env_store: Store) -> None:
    result = runner.invoke(app, ["date", "002", "004", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)["documents"]
    assert [(d["id"], d["year"]) for d in data] == [("002_24122ba48d98ca54", 2022), ("004_e0a56b618b8c2f77", 2006)]
    assert {"term": "2022", "year": 2022, "kind": "explicit", "start": 251} in data[0]["evidence"]


def test_cli_date_compilation_prefix_gives_every_part(env_store: Store) -> None:
    result = runner.invoke(app, ["date", "000", "--csv"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "id,year,evidence"
    assert len(lines) == 6
    assert lines[1].startswith("000_645f09018402f143#1,2016,两学一做 2016 (lexicon); 四个意识 2016")


def test_cli_date_unknown_document(env_store: Store) -> None:
    result = runner.invoke(app, ["date", "0O4"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: unknown document '0O4'")


def test_cli_date_one_format(env_store: Store) -> None:
    result = runner.invoke(app, ["date", "--json", "--csv"])
    assert result.exit_code == 2
