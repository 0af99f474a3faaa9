"""The pairwise reuse engine: seeds, hand-made edits, stock phrases, placeholders, invariants."""

from __future__ import annotations

import time
import unicodedata
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reuse_fixtures import part_of_000, seed_documents, seed_text

from djmine.errors import UsageError
from djmine.reuse import (
    PairReport,
    compare_documents,
    find_shared_passages,
    match_key,
    pair_report,
    passage_diff,
    text_diff,
)
from djmine.reuse.key import PLACEHOLDER, WILDCARD

# A paragraph in the register of the seeds (~150 chars), and a second, unrelated one.
BASE = (
    "今年以来,城关镇卫生院党支部坚持以习近平新时代中国特色社会主义思想为指导,认真落实全面从严治党主体责任,"
    "扎实开展党史学习教育,全年共组织集中学习24次,开展专题党课6场,发展新党员12名。"
    "医院把党建工作与业务工作同谋划、同部署、同落实、同考核,推动党建与业务深度融合,群众满意度达到98.5%。"
)
OTHER = (
    "本学期,学校团委围绕立德树人根本任务,组织青年教师赴革命纪念馆开展现场教学,邀请老战士讲述长征故事,"
    "并在各班级举办主题班会和读书分享会。同学们撰写心得体会三百余篇,评选出优秀作品二十篇在校报刊发,"
    "形成了比学赶超的良好氛围,志愿服务时长累计超过一千小时。"
)


def only_passage(a: str, b: str, **options):
    passages = find_shared_passages(a, b, **options)
    assert len(passages) == 1, passages
    return passages[0]


def assert_covers(passage, a: str, b: str, slack: int = 3) -> None:
    assert passage.a_start <= slack and passage.a_end >= len(a) - slack
    assert passage.b_start <= slack and passage.b_end >= len(b) - slack


# ----- comparison key ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("党建,工作。", "党建\ue001工作\ue001"),
        ("党建，工作；", "党建\ue001工作\ue001"),  # full width folds like half width
        ("3月5日", "\ue002月\ue002日"),
        ("xx总医院", WILDCARD + "总医院"),
        ("××医院 某某同志", WILDCARD + "医院" + WILDCARD + "同志"),
        ("20_年\n", "\ue002\ue002" + WILDCARD + "年"),
        ("ABC", "abc"),
    ],
)
def test_match_key(text: str, key: str) -> None:
    mk = match_key(text)
    assert mk.key == key
    assert len(mk.starts) == len(mk.ends) == len(key)
    assert all(text[s:e].strip() for s, e in zip(mk.starts, mk.ends, strict=True))


@pytest.mark.parametrize("placeholder", ["xx", "XXX", "××", "某某", "_", "○○"])
def test_placeholder_pattern(placeholder: str) -> None:
    assert PLACEHOLDER.fullmatch(placeholder)


# ----- hand-made edits: each is still one passage covering the paragraph -------------------------
EDITS = {
    "renamed unit": BASE.replace("城关镇卫生院党支部", "县人民医院党委"),
    "changed numbers": BASE.replace("24", "36").replace("6场", "8场").replace("98.5", "97.2"),
    "punctuation width": BASE.replace(",", "，").replace("。", "．"),
    "words inserted": BASE.replace("扎实开展", "在上级党委的正确领导下,扎实开展"),
    "words deleted": BASE.replace("扎实开展党史学习教育,", ""),
    "words replaced": BASE.replace("推动党建与业务深度融合", "促进党建与业务互融互促"),
    "several edits": BASE.replace("城关镇卫生院", "中心医院").replace("24", "30").replace("认真", ""),
}


@pytest.mark.parametrize("kind", list(EDITS))
def test_edited_copy_is_one_passage(kind: str) -> None:
    edited = EDITS[kind]
    passage = only_passage(OTHER + "\n" + BASE, edited + "\n" + OTHER[:20])
    a = OTHER + "\n" + BASE
    assert passage.a_start == len(OTHER) + 1 and passage.a_end == len(a)
    assert passage.b_start == 0 and passage.b_end >= len(edited) - 1
    assert passage.identity >= 0.8


def test_identity_reflects_edits() -> None:
    assert only_passage(BASE, EDITS["changed numbers"]).identity == 1.0  # digits are one class
    assert only_passage(BASE, EDITS["punctuation width"]).identity == 1.0
    assert only_passage(BASE, EDITS["words replaced"]).identity < 1.0


def test_unicode_width_is_irrelevant_after_and_before_nfkc() -> None:
    wide = BASE.replace(",", "，").replace("24", "２４")
    assert only_passage(BASE, wide).identity == 1.0
    assert only_passage(BASE, unicodedata.normalize("NFKC", wide)).identity == 1.0


@pytest.mark.parametrize(
    ("template", "filled"),
    [
        ("近年来,xx总医院坚持", "近年来,上海武警总医院坚持"),
        ("近年来,××总医院坚持", "近年来,人民总医院坚持"),
        ("近年来,某某同志坚持", "近年来,张三丰同志坚持"),
        ("20_年,我院坚持", "2019年,我院坚持"),
    ],
)
def test_placeholders_match_names(template: str, filled: str) -> None:
    tail = BASE[4:]
    passage = only_passage(template + tail, filled + tail)
    assert_covers(passage, template + tail, filled + tail, slack=0)
    assert passage.identity == 1.0
    ops = passage_diff(passage)
    assert [op for op, _, _ in ops if op != "equal"] == ["similar"]


def test_placeholder_does_not_swallow_a_clause() -> None:
    # A wildcard stands for a name, not for a sentence of other text.
    assert not find_shared_passages("近年来,xx医院坚持" + OTHER, "近年来,某区第一人民医院的全体党员干部坚持" + BASE)


# ----- what is not reuse ------------------------------------------------------------------------------
STOCK = ["同部署、同落实、同考核", "不断增强党组织的凝聚力", "全面从严治党", "切实发挥党员先锋模范作用"]


def test_stock_phrases_are_not_passages() -> None:
    fillers_a = ["医院党委组织全院职工开展技能比武", "门诊楼改造工程按期完工", "院感防控培训覆盖全部科室", "新院区规划通过专家论证"]
    fillers_b = ["学校团委组织学生参观纪念馆", "图书馆新增藏书三千余册", "青年教师赛课活动圆满结束", "校园文化节吸引家长参与"]
    a = "。".join(f"{f},{s}" for f, s in zip(fillers_a, STOCK, strict=True)) + "。"
    b = "。".join(f"{f},{s}" for f, s in zip(fillers_b, STOCK, strict=True)) + "。"
    assert find_shared_passages(a, b) == []
    assert find_shared_passages(a, b, min_chars=10)  # each phrase alone is a (short) match


def test_min_chars_and_min_identity_are_options() -> None:
    short = BASE[:60]
    assert only_passage(short, short + OTHER).a_end == 60
    assert find_shared_passages(short, short + OTHER, min_chars=61) == []
    edited = EDITS["words replaced"]
    identity = only_passage(BASE, edited).identity
    assert not [p for p in find_shared_passages(BASE, edited, min_identity=0.99) if p.a_chars >= len(BASE) - 5]
    assert identity < 0.99


def test_unrelated_texts_share_nothing() -> None:
    assert find_shared_passages(BASE, OTHER) == []
    assert find_shared_passages("", BASE) == [] and find_shared_passages(BASE, "") == []


def test_bad_options_raise_usage_error() -> None:
    with pytest.raises(UsageError, match="min_identity=1.5"):
        find_shared_passages(BASE, BASE, min_identity=1.5)


# ----- structure of the result -----------------------------------------------------------------------
def test_wide_gap_splits_passages_and_they_are_one_to_one() -> None:
    a = BASE + OTHER + BASE
    b = BASE
    passages = find_shared_passages(a, b)
    assert len(passages) == 1  # B's paragraph is matched once, not twice
    two = find_shared_passages(BASE + OTHER + EDITS["words replaced"], BASE + "另起一段话。" * 8 + EDITS["words replaced"])
    assert len(two) == 2
    assert two[0].a_end <= two[1].a_start and two[0].b_end <= two[1].b_start


def test_reordered_paragraphs_are_found_separately() -> None:
    p1, p2 = BASE, OTHER
    passages = find_shared_passages(p1 + "\n" + p2, p2 + "\n" + p1)
    assert len(passages) == 2
    assert sorted(p.a_text.strip() for p in passages) == sorted([p1, p2])


def test_passage_diff_concatenates_to_both_texts() -> None:
    passage = only_passage(BASE, EDITS["several edits"])
    diff = passage_diff(passage)
    assert "".join(a for _, a, _ in diff) == passage.a_text
    assert "".join(b for _, _, b in diff) == passage.b_text
    ops = {op for op, _, _ in diff}
    assert ops >= {"equal", "similar", "replace"} or ops >= {"equal", "similar", "delete"}
    assert ("similar", "24", "30") in diff


def test_text_diff_kinds() -> None:
    assert text_diff("抓党建促发展", "抓党建促发展") == [("equal", "抓党建促发展", "抓党建促发展")]
    assert ("insert", "", "全面") in text_diff("加强党的建设工作", "加强党的全面建设工作")
    assert ("delete", "全面", "") in text_diff("加强党的全面建设工作", "加强党的建设工作")
    assert text_diff("", "") == []


# ----- the seeds ---------------------------------------------------------------------------------------
def test_seed_000_part3_contains_almost_all_of_004() -> None:
    p3, t4 = part_of_000(3), seed_text("004")
    passages = find_shared_passages(p3, t4)
    coverage_a = sum(p.a_chars for p in passages) / len(p3)
    coverage_b = sum(p.b_chars for p in passages) / len(t4)
    assert coverage_a > 0.95  # 000#3 is 004 ...
    assert coverage_b > 0.8  # ... minus one paragraph (思想建设, which 000#5 reuses)
    assert any("上海武警总医院" in p.a_text and "xx总医院" in p.b_text for p in passages)
    longest = max(passages, key=lambda p: p.a_chars)
    assert longest.a_chars > 1500 and longest.identity > 0.98


def test_seed_000_part5_reuses_edited_paragraphs_of_004() -> None:
    p5, t4 = part_of_000(5), seed_text("004")
    passages = find_shared_passages(p5, t4)
    assert len(passages) >= 2
    assert all(0.8 <= p.identity < 1.0 for p in passages)  # edited, not verbatim
    diffs = [op for p in passages for op in passage_diff(p)]
    assert ("replace", "支部", "总支") in diffs  # 院总支 → 院支部


def test_seeds_002_and_003_share_nothing() -> None:
    assert find_shared_passages(seed_text("002"), seed_text("003")) == []


def test_compare_documents_reports_matching_parts_only() -> None:
    docs = seed_documents()
    parts_000 = [d for d in docs if d.id.startswith("000")]
    doc_004 = [d for d in docs if d.id.startswith("004")]
    reports = compare_documents(parts_000, doc_004)
    assert [r.a for r in reports] == ["000_645f09018402f143#3", "000_645f09018402f143#5"]
    p3, p5 = reports
    assert p3.coverage_a > 0.95 and p3.coverage_b > 0.8
    assert 0.05 < p5.coverage_b < 0.5
    assert p3.shared_chars == sum(p.a_chars for p in p3.passages)


def test_a_document_is_not_compared_with_itself() -> None:
    doc = seed_documents()[0]
    assert compare_documents([doc], [doc]) == []


def test_pair_report_json_shape() -> None:
    docs = seed_documents()
    report = pair_report(docs[2], docs[-1])
    assert isinstance(report, PairReport)
    data = report.to_json()
    assert set(data) == {"a", "b", "shared_chars", "coverage_a", "coverage_b", "net_chars", "coverage_a_raw",
                         "coverage_b_raw", "passages", "formulae"}
    assert set(data["passages"][0]) == {"a_start", "a_end", "b_start", "b_end", "identity", "a_text", "b_text",
                                        "formula_score"}


def test_seed_sized_pair_aligns_in_a_few_ms() -> None:
    p3, t4 = part_of_000(3), seed_text("004")
    find_shared_passages(p3, t4)  # warm caches and imports
    match_key.cache_clear()
    start = time.perf_counter()
    for _ in range(10):
        match_key.cache_clear()
        find_shared_passages(p3, t4)
    assert (time.perf_counter() - start) / 10 < 0.05  # measured ~4 ms; generous for slow CI


# ----- invariants ----------------------------------------------------------------------------------------
CJK = [chr(c) for c in range(0x4E00, 0x4E00 + 400)] + list(",。、;:“”()0123456789") + ["xx", "某某", "\n"]


def edit_copy(draw, text: str) -> str:
    """Apply a few random edits (replace/insert/delete of short runs) to ``text``."""
    chars = list(text)
    for _ in range(draw(st.integers(0, 4))):
        if not chars:
            break
        i = draw(st.integers(0, len(chars) - 1))
        kind = draw(st.sampled_from(["replace", "insert", "delete"]))
        new = draw(st.lists(st.sampled_from(CJK), min_size=1, max_size=4))
        if kind == "replace":
            chars[i : i + len(new)] = new
        elif kind == "insert":
            chars[i:i] = new
        else:
            del chars[i : i + len(new)]
    return "".join(chars)


@st.composite
def planted_pair(draw):
    words = st.lists(st.sampled_from(CJK), min_size=0, max_size=300).map("".join)
    a, b, planted = draw(words), draw(words), draw(st.lists(st.sampled_from(CJK), min_size=60, max_size=250).map("".join))
    ia, ib = draw(st.integers(0, len(a))), draw(st.integers(0, len(b)))
    copy = edit_copy(draw, planted) if draw(st.booleans()) else planted
    return a[:ia] + planted + a[ia:], b[:ib] + copy + b[ib:], planted, copy


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(planted_pair(), st.integers(20, 80), st.sampled_from([0.6, 0.8, 0.9]))
def test_passages_slice_the_texts_exactly(pair, min_chars: int, min_identity: float) -> None:
    text_a, text_b, planted, copy = pair
    passages = find_shared_passages(text_a, text_b, min_chars=min_chars, min_identity=min_identity)
    for p in passages:
        assert p.a_text == text_a[p.a_start : p.a_end] and p.b_text == text_b[p.b_start : p.b_end]
        assert min(p.a_chars, p.b_chars) >= min_chars
        assert min_identity <= p.identity <= 1.0
        assert p.a_text[:1].strip() and p.a_text[-1:].strip()  # no dangling whitespace
    for side in ("a", "b"):
        spans = sorted((getattr(p, f"{side}_start"), getattr(p, f"{side}_end")) for p in passages)
        assert all(x[1] <= y[0] for x, y in zip(spans, spans[1:], strict=False))  # one-to-one: no overlaps
    coverage_a = sum(p.a_chars for p in passages) / max(len(text_a), 1)
    coverage_b = sum(p.b_chars for p in passages) / max(len(text_b), 1)
    assert 0.0 <= coverage_a <= 1.0 and 0.0 <= coverage_b <= 1.0
    key_b = match_key(text_b).key
    grams = Counter(key_b[i : i + 8] for i in range(len(key_b) - 7))
    # An 8-gram repeated more than 16 times (一一一一…) is ignored as a seed, by design.
    repetitive = max(grams.values(), default=0) > 16
    if copy == planted and len(match_key(planted).key) >= min_chars + 10 and not repetitive:
        assert passages, "an unedited planted copy must be found"
