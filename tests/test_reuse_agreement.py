"""``compare --all`` agrees with ``compare A B``, formulae are set apart, mirrors are found.

Corpora are generated: documents built from genre sentences, some copied between documents
with edits (renamed unit, other numbers, a replaced word), and formulae — an opening and a
slot template — shared by most documents without any copying.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from djmine.pipeline import ingest
from djmine.reuse import compare, find_shared_passages
from djmine.reuse.corpus import corpus_reuse
from djmine.store import Store

UNITS = ["城关镇卫生院", "青山乡中心学校", "东湖区税务局", "西江县人民医院", "南岭街道社区", "北塘镇财政所",
         "金河县供电公司", "白石区图书馆", "龙泉县审计局", "松林乡林业站", "桃源区文化馆", "永兴县疾控中心"]
OPENING = "{year}年，{unit}党支部在上级党组织的坚强领导下，认真贯彻落实上级各项决策部署，现将全年工作总结如下。"
TEMPLATE = "现有党员{n}名，其中预备党员{m}名，三十五岁以下党员占{p}%，"
OWN = [
    "组织党员赴革命纪念馆开展现场教学，邀请老战士讲述长征故事，并在支部内举办读书分享会和主题征文活动。",
    "围绕群众关心的出行难题，开通了三条夜间公交线路并延长服务时间，收集意见建议一百余条并逐条回复。",
    "建立党员联系户制度，每名党员联系五户群众，定期入户走访，帮助解决看病难、上学难等实际问题。",
    "针对巡察反馈的问题，逐条建立整改台账，明确责任人和完成时限，整改情况在支部公开栏公示接受监督。",
    "开展岗位练兵和业务比武，评选服务标兵十名，推动党员在窗口服务中亮身份、作表率、当先锋。",
    "与社区结对共建，联合举办义诊、法律咨询和文艺演出，把组织生活开到田间地头和群众家门口。",
    "修订完善财务管理、物资采购、公务接待等制度，堵塞管理漏洞，全年节约经费二十余万元。",
    "推行智慧党建平台，党员学习积分实时排名，每季度通报一次，学习参与率明显提高。",
    "选派青年党员到信访窗口轮岗锻炼，在矛盾调处一线摔打磨炼，提升做群众工作的本领。",
    "组织开展安全隐患大排查，发现并整改隐患十七处，全年未发生一起安全责任事故。",
    "举办入党积极分子培训班两期，严格落实发展党员程序，确保发展质量，新吸收预备党员三名。",
    "把离退休老党员组织起来成立银发宣讲团，深入学校、社区宣讲党史故事三十余场。",
]


def _corpus(rng: random.Random, n_docs: int) -> dict[str, str]:
    docs: list[list[str]] = []
    for i in range(n_docs):
        unit = UNITS[i % len(UNITS)]
        body = rng.sample(OWN, 3)
        if rng.random() < 0.8:  # formulae: most reports open the same way, with their own slots
            body.insert(0, OPENING.format(year=rng.choice([2021, 2022, 2023]), unit=unit))
        if rng.random() < 0.6:
            body.insert(1, TEMPLATE.format(n=rng.randint(9, 90), m=rng.randint(1, 9), p=rng.randint(20, 60)))
        docs.append(body)
    for _ in range(rng.randint(1, 3)):  # copies with a copier's edits
        source, target = rng.sample(range(n_docs), 2)
        copied = rng.choice(docs[source])
        edited = copied.replace("党员", "同志", 1) if rng.random() < 0.5 else copied
        docs[target].insert(rng.randint(0, len(docs[target])), edited)
    return {f"d{i:02d}": "\n".join(body) for i, body in enumerate(docs)}


def _store(folder: Path, texts: dict[str, str]) -> Store:
    for doc_id, text in texts.items():
        (folder / f"{doc_id}.txt").write_text(f"{doc_id}工作总结\n{text}\n", encoding="utf-8")
    store = Store(folder / ".djmine")
    ingest([folder], store)
    return store


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n_docs=st.integers(3, 9))
def test_all_reports_every_pair_that_compare_reports(seed: int, n_docs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = _store(Path(folder), _corpus(random.Random(seed), n_docs))
        docs = store.documents()
        everything = {frozenset((p.a, p.b)) for p in corpus_reuse(docs).pairs}
        for i, x in enumerate(docs):
            for y in docs[i + 1 :]:
                pairwise = compare(store, x.id, y.id)
                for pair in pairwise.pairs:
                    assert frozenset((pair.a, pair.b)) in everything, (pair.a, pair.b)
                for pair in compare(store, y.id, x.id).pairs:  # the order of A and B changes nothing
                    assert frozenset((pair.a, pair.b)) in everything


def test_openings_and_slot_templates_are_formulae_not_copies(tmp_path: Path) -> None:
    rng = random.Random(7)
    texts = {}
    for i in range(12):  # twelve unrelated reports, each with the genre's formulae
        unit = UNITS[i]
        own = rng.sample(OWN, 2)
        texts[f"d{i:02d}"] = "\n".join([OPENING.format(year=2022, unit=unit),
                                        TEMPLATE.format(n=10 + i, m=i % 5 + 1, p=30 + i), *own])
    texts["d12"] = texts["d03"].replace("龙泉", "凤凰")  # ... and one real copy
    store = _store(tmp_path, texts)
    result = corpus_reuse(store.documents())
    pairs = {frozenset((p.a[:3], p.b[:3])) for p in result.pairs}
    assert frozenset(("d03", "d12")) in pairs
    # own sentences drawn from a pool of twelve may be shared by chance; the opening never makes a pair
    for pair in result.pairs:
        for p in pair.passages:
            assert "坚强领导下" not in p.a_text or p.a_chars > 120 or {pair.a[:3], pair.b[:3]} == {"d03", "d12"}
    assert result.formulae and result.formulae[0].documents >= 6
    doc = next(d for d in result.documents if d.id.startswith("d05"))
    assert doc.copy_ratio_raw > doc.copy_ratio  # raw counts the formulae, net does not


def test_pinyin_and_spaced_mirrors_match_their_source() -> None:
    source = "镇长带领全镇党员干部开展环境整治行动，行程三十余公里，清理垃圾二百余吨，群众满意度明显提升。" * 2
    pinyin = source.replace("长", "长(zhǎng)").replace("镇", "镇(zhèn)").replace("行", "行(xíng)")
    spaced = " ".join(source)
    for mirror in (pinyin, spaced):
        passages = find_shared_passages(source, mirror)
        assert sum(p.a_chars for p in passages) >= 0.95 * len(source)
        for p in passages:
            assert p.b_text == mirror[p.b_start : p.b_end]  # offsets index the mirror as stored
