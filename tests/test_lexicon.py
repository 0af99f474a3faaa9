"""The bundled lexicon and stopwords, and the user files that extend them."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from djmine.errors import UsageError
from djmine.lexicon import (
    Lexicon,
    Term,
    bundled_function_words,
    load_lexicon,
    load_stopwords,
    stopword_sections,
)

CATEGORIES = {
    "slogan", "campaign", "theory", "policy", "institution", "organization", "meeting",
    "document", "congress", "plenum", "event", "concept",
}  # fmt: skip


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


def test_bundled_lexicon_is_large_and_well_formed(lexicon: Lexicon) -> None:
    assert len(lexicon.terms) >= 200
    for text, term in lexicon.terms.items():
        assert isinstance(term, Term) and term.term == text
        assert term.category in CATEGORIES, term
        assert term.year is None or 1921 <= term.year <= 2030, term
        assert text == unicodedata.normalize("NFKC", text)
        assert len(text) >= 2


@pytest.mark.parametrize(
    ("term", "year"),
    [
        ("三个代表", 2000),
        ("科学发展观", 2003),
        ("创先争优", 2010),
        ("八项规定", 2012),
        ("两学一做", 2016),
        ("四个意识", 2016),
        ("不忘初心、牢记使命主题教育", 2019),
        ("党史学习教育", 2021),
        ("两个确立", 2021),
        ("十六大", 2002),
        ("二十大", 2022),
        ("十六届三中全会", 2003),
        ("社会主义荣辱观", 2006),
        ("邓小平理论", 1997),
        ("和谐社会", 2004),
        ("先进性教育", 2005),
        ("乡村振兴", 2017),
        ("习近平新时代中国特色社会主义思想", 2017),
        ("两个维护", 2018),
        ("我为群众办实事", 2021),
    ],
)
def test_historical_first_years(lexicon: Lexicon, term: str, year: int) -> None:
    assert lexicon.terms[term].year == year


@pytest.mark.parametrize(
    "term", ["三会一课", "一岗双责", "三重一大", "主题党日", "民主生活会", "党风廉政建设"]
)
def test_terms_without_a_clear_first_year_have_none(lexicon: Lexicon, term: str) -> None:
    assert lexicon.terms[term].year is None


def test_punctuated_terms_are_nfkc(lexicon: Lexicon) -> None:
    assert "不忘初心、牢记使命" in lexicon.terms  # 、 survives NFKC
    assert "学党章党规、学系列讲话,做合格党员" in lexicon.terms  # full-width ， became ,


def test_kind_of(lexicon: Lexicon) -> None:
    assert lexicon.kind_of("两学一做") == "slogan"
    assert lexicon.kind_of("和谐医院", tokens=2) == "phrase"
    assert lexicon.kind_of("医院") == "word"


def test_user_lexicon_adds_terms_with_category_and_year(tmp_path: Path, lexicon: Lexicon) -> None:
    path = tmp_path / "mine.txt"
    path.write_text(
        "# my terms\n\n红色引擎\n双融双促\tcampaign\n党建联盟 policy 2019\n先锋引领工程 2017\n两学一做\tslogan\t2015\n",
        encoding="utf-8",
    )
    mine = load_lexicon(path)
    assert mine.terms["红色引擎"] == Term("红色引擎", "user", None)
    assert mine.terms["双融双促"] == Term("双融双促", "campaign", None)
    assert mine.terms["党建联盟"] == Term("党建联盟", "policy", 2019)
    assert mine.terms["先锋引领工程"] == Term("先锋引领工程", "user", 2017)
    assert mine.terms["两学一做"].year == 2015  # the user's entry overrides the bundled one
    assert len(mine.terms) == len(lexicon.terms) + 4
    assert mine.fingerprint != lexicon.fingerprint


def test_fingerprint_depends_on_terms_only(tmp_path: Path, lexicon: Lexicon) -> None:
    assert load_lexicon().fingerprint == lexicon.fingerprint
    same_terms = tmp_path / "same.txt"
    same_terms.write_text("两学一做 slogan 2016\n", encoding="utf-8")
    assert load_lexicon(same_terms).fingerprint == lexicon.fingerprint


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("好词\n坏词 slogan 20x6\n", "bad.txt:2: year '20x6' is not a year"),
        ("a b c d\n", "bad.txt:1: expected 'term [category [year]]', got 4 fields"),
        ("词\tslogan\t1800\n", "bad.txt:1: year '1800' is not a year between 1900 and 2100"),
    ],
)
def test_bad_user_lexicon_lines_name_file_and_line(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_lexicon(path)


def test_missing_or_binary_user_files(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="file not found"):
        load_lexicon(tmp_path / "nope.txt")
    binary = tmp_path / "gbk.txt"
    binary.write_bytes("两学一做".encode("gbk"))
    with pytest.raises(UsageError, match="is not UTF-8"):
        load_stopwords(binary)


def test_bundled_stopwords_hold_the_genre_filler() -> None:
    stop = load_stopwords()
    for word in [
        "进一步",
        "认真",
        "切实",
        "加强",
        "开展",
        "工作",
        "积极",
        "不断",
        "我院",
        "医院",
        "建设",
        "活动",
        "进行",
        "提高",
        "我们",
    ]:
        assert word in stop
    for term in ["两学一做", "三会一课", "党风廉政建设", "和谐"]:
        assert term not in stop


def test_no_lexicon_term_is_a_stopword(lexicon: Lexicon) -> None:
    assert set(lexicon.terms) & load_stopwords() == set()


def test_stopword_sections() -> None:
    sections = stopword_sections()
    assert "开展" in sections["function"] and "建设" in sections["filler"]
    assert bundled_function_words() == sections["function"]


def test_user_stopwords_extend_or_replace(tmp_path: Path) -> None:
    path = tmp_path / "stop.txt"
    path.write_text("# mine\n和谐\n[function]\n探讨\n", encoding="utf-8")
    extended = load_stopwords(path)
    assert {"和谐", "探讨", "工作"} <= extended
    assert stopword_sections(path)["function"] >= {"探讨", "开展"}
    assert load_stopwords(path, replace=True) == {"和谐", "探讨"}


def test_unknown_stopword_section(tmp_path: Path) -> None:
    path = tmp_path / "stop.txt"
    path.write_text("[verbs]\n开展\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"stop.txt:1: unknown section \[verbs\]"):
        load_stopwords(path)
