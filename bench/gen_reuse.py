"""Generate 党建 work-summary corpora with planted reuse and exact ground truth.

The text is written in the genre: sentences are built from clauses, some cut from the seed
articles in ``data/seeds`` and most from a grammar of genre clauses with varied slots (units,
numbers, activities, slogans), so stock phrases ("坚持以习近平新时代中国特色社会主义思想为指导",
"三会一课", "不忘初心、牢记使命") recur across documents while unrelated documents never share a
run of 50 characters. Seed clauses are never placed next to each other, so two documents cannot
share a long run by drawing the same seed clauses by chance.

Two kinds of reuse are planted:

* **passages**: 1–4 consecutive sentences of one document copied into 1–4 others, with the
  edits a copier makes: unit renamed, numbers changed, punctuation width swapped (``，`` vs
  ``,``), a few words replaced by synonyms;
* **families**: one template body (several sections) reused by several units, each member
  filling in its own unit name and numbers, replacing a few words, sometimes dropping a section,
  and writing its own opening and closing.

Raw texts mix full- and half-width punctuation and digits; ``GeneratedDoc.text`` is their NFKC
form (what ``djmine`` stores as ``Document.text``) and every offset refers to it.

Example::

    corpus = generate_corpus(200, seed=1)
    corpus.docs[0]            # ("d00000", "……")
    corpus.passages[0]        # PlantedPassage(origin="p3", a="d00012", a_start=…, …)
    corpus.true_pairs()       # {("d00012", "d00107"), …}
"""

from __future__ import annotations

import itertools
import random
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"

# ----- vocabulary ---------------------------------------------------------------------------

PLACE_HEADS = list("东西南北中新青白金红长平安永兴和临桃柳松清龙凤云江河山泉石城")
PLACE_TAILS = list("山水湖川林阳宁华丰源泰庄桥塘溪岭坪湾港城坝口关峰州")
PLACE_KINDS = ["县", "区", "镇", "乡", "街道", "开发区"]
UNIT_KINDS = [
    "人民医院", "中心学校", "卫生院", "教育局", "财政局", "税务局", "自然资源局", "供电公司",
    "社区居委会", "第一中学", "实验小学", "交警大队", "人民检察院", "人民法院", "市场监管局",
    "水务集团", "住建局", "疾控中心", "人社局", "林业站", "农商银行", "邮政分公司", "中医院",
    "文化馆", "图书馆", "统计局", "审计局", "司法所", "派出所", "农业农村局",
]
ORGS = ["党委", "党总支", "党支部", "党组", "机关党委"]
TIMES = ["今年以来", "一年来", "过去一年", "本年度", "上半年以来", "近年来", "这一年", "年初以来"]
ADVS = ["认真", "扎实", "深入", "切实", "积极", "全面", "不断", "持续", "着力", "进一步",
        "大力", "严格", "稳步", "有序", "统筹"]
VERBS = ["开展", "推进", "落实", "加强", "深化", "组织", "抓好", "完善", "强化", "推动",
         "规范", "健全", "创新", "做实", "夯实"]
OBJECTS = [
    "主题党日活动", "“三会一课”制度", "党风廉政建设", "基层党组织标准化建设", "党员教育管理",
    "意识形态工作", "作风建设", "党史学习教育", "民主评议党员", "组织生活会", "谈心谈话制度",
    "党建工作责任制", "“两学一做”学习教育", "干部队伍建设", "理论学习中心组学习", "党务公开",
    "发展党员工作", "志愿服务活动", "结对共建", "廉政风险防控", "正风肃纪", "统战工作",
    "群团工作", "精神文明建设", "党员积分管理", "支部书记培训", "先锋示范岗创建", "智慧党建平台建设",
]
ACTIVITIES = [
    "专题党课", "主题党日", "志愿服务", "廉政教育", "红色教育基地参观", "知识竞赛", "读书分享会",
    "演讲比赛", "入户走访", "义诊义卖", "环境整治", "送温暖活动", "专题研讨", "警示教育",
    "重温入党誓词", "集中学习", "业务培训", "座谈交流",
]
SLOGANS = [
    "不忘初心、牢记使命", "四个意识", "四个自信", "两个维护", "两学一做", "三严三实",
    "党要管党、从严治党", "一岗双责", "守初心、担使命", "我为群众办实事", "两个确立",
]
FOCUS = [
    "中心工作", "脱贫攻坚", "乡村振兴", "疫情防控", "营商环境优化", "民生改善", "安全生产",
    "高质量发展", "服务群众", "改革发展稳定", "文明城市创建", "基层治理",
]
POSITIONS = ["重要政治任务", "一项基础性工作", "头等大事", "首要任务", "重中之重", "长期任务"]
MEANS = ["抓手", "载体", "突破口", "切入点", "着力点", "重要平台"]
EFFECTS = [
    "筑牢思想根基", "夯实组织基础", "提升服务水平", "凝聚发展合力", "推动中心工作",
    "营造良好氛围", "强化责任担当", "增强战斗力", "树立良好形象", "激发队伍活力",
    "提升组织力", "守住廉洁底线",
]
SUBJECTS = ["部分党员", "个别支部", "少数干部", "一些党员干部", "基层支部", "部分支部书记",
            "个别党员", "少数青年党员", "部分基层组织", "个别部门"]
PROBLEMS = [
    "理论学习不够深入", "联系群众不够紧密", "创新意识有待增强", "活动形式较为单一",
    "作用发挥不够明显", "组织生活质量不高", "责任落实存在层层递减", "党建与业务融合不够",
    "工作标准有待提高", "服务意识还需加强", "制度执行不够严格", "宣传力度仍显不足",
    "学用结合不够紧密", "攻坚克难的劲头不足", "档案管理不够规范",
]
SUPERIORS = ["上级党委", "县委", "区委", "市委", "机关工委", "局党组", "县委组织部", "主管部门党委",
             "镇党委", "街道党工委"]
GOALS = ["全面建设社会主义现代化国家", "推动本地经济社会高质量发展", "建设人民满意的服务型机关",
         "开创党建工作新局面", "谱写新时代发展新篇章", "实现全年目标任务"]
MEASURES = ["学习计划", "考核细则", "任务清单", "责任清单", "工作台账", "实施方案", "问题清单"]
PEOPLE = ["党员", "党员干部", "入党积极分子", "支部委员", "职工群众", "青年党员", "离退休党员"]

# words a copier swaps for a synonym (the "a few words replaced" edit)
SYNONYMS = {
    "加强": "强化", "强化": "加强", "深入": "扎实", "扎实": "深入", "积极": "主动", "认真": "切实",
    "切实": "认真", "推进": "推动", "推动": "推进", "提高": "提升", "提升": "提高", "开展": "组织",
    "完善": "健全", "健全": "完善", "不断": "持续", "持续": "不断", "重点": "关键", "措施": "举措",
    "举措": "措施", "成效": "成果", "氛围": "环境", "群众": "百姓", "干部": "同志", "制度": "机制",
    "问题": "短板", "目标": "任务", "形式": "方式", "意识": "观念", "水平": "能力", "充分": "全面",
    "有效": "有力", "明显": "显著", "紧密": "密切", "规范": "标准", "学习": "研学", "要求": "部署",
}
_SYNONYM_RE = re.compile("|".join(sorted(SYNONYMS, key=len, reverse=True)))
_HALF_WIDTH = {"，": ",", "；": ";", "：": ":", "（": "(", "）": ")", "！": "!", "？": "?"}
_FULL_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
_SEED_SPLIT = re.compile(r"[，。；！？：,;!?:\n]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ENUMERATOR = re.compile(r"^\s*[(（]?[一二三四五六七八九十\d]+[、.)）]")


# ----- tokens and sentences ----------------------------------------------------------------

@dataclass
class Token:
    """A piece of a sentence: ``kind`` is "w" (words), "unit", "num" or "p" (punctuation)."""

    kind: str
    text: str


Sentence = list[Token]


@dataclass
class Block:
    """Consecutive sentences of one paragraph; ``origin`` tags planted reuse (None = own text)."""

    sentences: list[Sentence]
    origin: str | None = None
    edited: bool = False


@dataclass
class Draft:
    id: str
    unit: str
    paragraphs: list[list[Block]] = field(default_factory=list)
    full_width: bool = True
    full_digits: bool = False
    family: int | None = None


# ----- results ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Occurrence:
    """Where one planted passage (``origin``) sits in one document (offsets into NFKC text)."""

    origin: str
    doc: str
    start: int
    end: int
    edited: bool


@dataclass(frozen=True)
class PlantedPassage:
    """Ground truth for one document pair: the same origin appears in both (``a`` < ``b``)."""

    origin: str
    a: str
    b: str
    a_start: int
    a_end: int
    b_start: int
    b_end: int

    @property
    def chars(self) -> int:
        return min(self.a_end - self.a_start, self.b_end - self.b_start)


@dataclass
class GeneratedDoc:
    id: str
    raw: str
    text: str


@dataclass
class GeneratedCorpus:
    """A generated corpus and its ground truth."""

    seed: int
    documents_: list[GeneratedDoc]
    occurrences: list[Occurrence]
    families: list[list[str]]

    @property
    def docs(self) -> list[tuple[str, str]]:
        """(id, normalised text) pairs."""
        return [(d.id, d.text) for d in self.documents_]

    @property
    def passages(self) -> list[PlantedPassage]:
        """Pairwise ground truth: every two occurrences of one origin in different documents."""
        by_origin: dict[str, list[Occurrence]] = defaultdict(list)
        for occ in self.occurrences:
            by_origin[occ.origin].append(occ)
        out = []
        for origin, occs in by_origin.items():
            for x, y in itertools.combinations(sorted(occs, key=lambda o: o.doc), 2):
                if x.doc != y.doc:
                    out.append(PlantedPassage(origin, x.doc, y.doc, x.start, x.end, y.start, y.end))
        return out

    def true_pairs(self) -> set[tuple[str, str]]:
        return {(p.a, p.b) for p in self.passages}

    def documents(self) -> list:
        """The corpus as ``djmine.models.Document`` records (text = NFKC text, raw = raw)."""
        from djmine.models import Document

        return [
            Document(id=d.id, source=f"gen/{d.id}.txt", part=0, title=d.text.split("\n", 1)[0],
                     text=d.text, raw=d.raw, encoding="utf-8")
            for d in self.documents_
        ]

    def write(self, folder: Path) -> None:
        """Write the raw texts as ``<id>.txt`` files (e.g. to ingest them)."""
        folder.mkdir(parents=True, exist_ok=True)
        for d in self.documents_:
            (folder / f"{d.id}.txt").write_text(d.raw, encoding="utf-8")


# ----- the generator ------------------------------------------------------------------------

class _Writer:
    """Draws genre sentences from the grammar and the seed clauses."""

    def __init__(self, rng: random.Random, seed_clauses: list[str]):
        self.rng = rng
        self.seed_clauses = seed_clauses

    def num(self, low: int = 2, high: int = 120) -> Token:
        return Token("num", str(self.rng.randint(low, high)))

    def pick(self, items: list[str]) -> Token:
        return Token("w", self.rng.choice(items))

    def grammar_clause(self) -> list[Token]:
        r, c = self.rng, self.rng.choice
        w, n = self.pick, self.num
        options = [
            lambda: [w(ADVS), w(VERBS), w(OBJECTS)],
            lambda: [Token("w", c(["全年共召开", "全年累计召开", "一年来共召开", "共组织召开", "先后召开"]) + c(["党委会", "支委会", "党员大会", "专题会议", "党组会", "民主生活会", "组织生活会", "专题研讨会"])), n(3, 60), Token("w", c(["次", "场", "余次"]))],
            lambda: [Token("w", "组织" + c(PEOPLE)), n(10, 900), Token("w", "人次参加" + c(ACTIVITIES))],
            lambda: [Token("w", c(["发展新党员", "培养入党积极分子", "确定发展对象", "转正预备党员"])), n(1, 30), Token("w", "名")],
            lambda: [Token("w", "开展" + c(ACTIVITIES)), n(2, 80), Token("w", c(["场次", "次", "期", "轮"]))],
            lambda: [Token("w", c(["收集意见建议", "梳理问题", "解决实际困难", "办理民生实事"])), n(5, 200), Token("w", c(["条", "个", "件", "项"]))],
            lambda: [w(ADVS), Token("w", "落实“"), w(SLOGANS), Token("w", "”" + c(["要求", "部署", "精神", "任务"]))],
            lambda: [Token("w", c(["紧紧围绕", "聚焦", "紧扣", "服务"])), w(FOCUS), Token("w", c(["这一中心", "大局", "目标", "任务"]))],
            lambda: [Token("w", "把"), w(OBJECTS), Token("w", "作为" + c(POSITIONS) + c(["来抓", "", "常抓不懈"]))],
            lambda: [Token("w", "以"), w(OBJECTS), Token("w", "为" + c(MEANS))],
            lambda: [Token("w", c(["设立", "创建", "评选"]) + c(["党员先锋岗", "示范党支部", "党员责任区", "优秀共产党员"])), n(2, 40), Token("w", "个")],
            lambda: [Token("w", "走访慰问" + c(["困难党员", "老党员", "困难群众", "退役军人"])), n(5, 160), Token("w", "户")],
            lambda: [Token("w", c(["累计投入", "筹措", "争取"]) + c(["资金", "专项经费", "党建经费"])), n(3, 500), Token("w", "万元")],
            lambda: [w(ADVS), Token("w", "推动"), w(OBJECTS), Token("w", "与"), w(FOCUS), Token("w", "深度融合")],
            lambda: [Token("w", c(["切实增强", "牢固树立", "自觉做到", "始终坚持"]) + "“"), w(SLOGANS), Token("w", "”")],
            lambda: [Token("w", c(["制定", "印发", "建立"])), w(MEASURES), n(2, 30), Token("w", c(["份", "项", "套"]))],
            lambda: [Token("w", c(["党员参学率达", "整改完成率达", "群众满意度达", "覆盖率达"])), n(85, 100), Token("w", "%")],
            lambda: [Token("w", c(["引导", "带动", "激励", "号召"])), w(PEOPLE), Token("w", c(["在", "投身"])), w(FOCUS), Token("w", c(["中冲锋在前", "一线建功立业", "中当先锋作表率", "中发挥作用"]))],
            lambda: [Token("w", c(["有效", "有力", "进一步"])), Token("w", c(["提升了", "增强了", "激发了"])), w(["党组织的凝聚力", "党员的先锋意识", "干部的履职能力", "队伍的战斗力", "群众的获得感", "支部的组织力"])],
            lambda: [Token("w", c(["坚持以习近平新时代中国特色社会主义思想为指导", "深入学习贯彻党的二十大精神", "认真贯彻落实上级党委决策部署", "坚持党建引领"]))],
        ]
        return r.choice(options)()

    def seed_clause(self) -> list[Token]:
        return _tokenize(self.rng.choice(self.seed_clauses))

    def sentence(self, unit_share: float = 0.25) -> Sentence:
        """2–4 clauses; a seed clause is never next to another seed clause."""
        n = self.rng.randint(2, 4)
        tokens: Sentence = []
        previous_seed = True  # a sentence never opens with a seed clause
        if self.rng.random() < unit_share:
            tokens += [Token("unit", ""), Token("w", self.rng.choice(ORGS))]
        for i in range(n):
            use_seed = bool(self.seed_clauses) and not previous_seed and self.rng.random() < 0.45
            tokens += self.seed_clause() if use_seed else self.grammar_clause()
            previous_seed = use_seed
            tokens.append(Token("p", "，" if i < n - 1 else "。"))
        return tokens

    def opening(self) -> Sentence:
        c = self.rng.choice
        lead = "在" + c(SUPERIORS) + c(["的正确领导下", "的坚强领导下", "的精心指导下", "的统一部署下", "的关心支持下"])
        done = c(["各项工作", "党建工作", "基层党建", "年度任务", "重点工作"]) + c(
            ["取得了新成效", "取得明显成效", "圆满完成", "稳步推进", "成效显著", "迈上新台阶"])
        report = c(["现将", "现就", "下面将", "特将"]) + c(["有关情况", "工作开展情况", "主要工作", "一年来的工作", "党建工作情况"]) + c(
            ["总结如下", "汇报如下", "报告如下", "简要总结如下"])
        parts = [[Token("w", c(TIMES))], [Token("unit", ""), Token("w", c(ORGS) + lead)], self.grammar_clause(),
                 self.grammar_clause()]
        if self.rng.random() < 0.5:
            parts.insert(2, self.seed_clause())
        tokens: Sentence = []
        for part in parts:
            tokens += [*part, Token("p", "，")]
        return [*tokens, Token("w", done), Token("p", "。"), Token("w", report), Token("p", "：")]

    def heading(self, number: int) -> Sentence:
        c = self.rng.choice
        return [Token("w", "一二三四五六七八"[number] + "、" + c(VERBS) + c(OBJECTS).strip("“”")),
                Token("p", "，"), Token("w", c(EFFECTS))]

    def problems(self) -> Sentence:
        tokens: Sentence = [Token("w", self.rng.choice(["但也存在一些不足", "工作中也存在一些问题", "对照要求仍有差距"])), Token("p", "：")]
        for i, head in enumerate(["一是", "二是", "三是"][: self.rng.randint(2, 3)]):
            if i:
                tokens.append(Token("p", "；"))
            tokens += [Token("w", head + self.rng.choice(SUBJECTS) + self.rng.choice(PROBLEMS))]
            if self.rng.random() < 0.5:
                tokens += [Token("p", "，"), *self.grammar_clause()]
        tokens.append(Token("p", "。"))
        return tokens

    def closing(self) -> Sentence:
        c = self.rng.choice
        return [Token("w", c(["下一步", "新的一年", "今后", "在今后的工作中"])), Token("p", "，"), Token("unit", ""),
                Token("w", c(ORGS) + "将"), *self.grammar_clause(), Token("p", "，"), *self.grammar_clause(),
                Token("p", "，"), Token("w", "为" + c(GOALS) + c(["作出新的更大贡献", "贡献力量", "提供坚强保证"])),
                Token("p", "。")]


def _tokenize(clause: str) -> list[Token]:
    """A seed clause as tokens: digit runs become numbers so that copies can change them."""
    out = []
    for piece in re.split(r"(\d+)", clause):
        if piece:
            out.append(Token("num" if piece.isdigit() else "w", piece))
    return out


def seed_clauses(folder: Path = SEEDS) -> list[str]:
    """Clauses (6–28 characters, mostly Chinese) cut from the seed articles, deduplicated."""
    seen: dict[str, None] = {}
    for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
        text = unicodedata.normalize("NFKC", path.read_text(encoding="utf-8", errors="replace"))
        for clause in _SEED_SPLIT.split(text):
            clause = clause.strip()
            if _ENUMERATOR.match(clause) or not 6 <= len(clause) <= 28:
                continue
            if len(_CJK.findall(clause)) >= 0.8 * len(clause):
                seen.setdefault(clause, None)
    return list(seen)


def _place(rng: random.Random) -> str:
    return rng.choice(PLACE_HEADS) + rng.choice(PLACE_TAILS) + rng.choice(PLACE_KINDS)


def _unit(rng: random.Random) -> str:
    return _place(rng) + rng.choice(UNIT_KINDS)


def _body_paragraphs(writer: _Writer, n_sections: int, sentences: tuple[int, int]) -> list[list[Block]]:
    paragraphs = []
    for s in range(n_sections):
        paragraphs.append([Block([writer.heading(s)])])
        count = writer.rng.randint(*sentences)
        paragraphs.append([Block([writer.sentence() for _ in range(count)])])
    return paragraphs


def _sections_for(chars: int) -> int:
    return max(2, min(8, round(chars / 200)))


def _edit_copy(sentences: list[Sentence], rng: random.Random, *, keep_unit: str | None = None) -> list[Sentence]:
    """A copier's edits: numbers changed, a few words replaced.

    Unit slots take the new document's unit when rendered, unless ``keep_unit`` is given: the
    copier forgot to rename and the old name (or a template's ×× placeholder) stays.
    """
    out = [[Token(t.kind, t.text) for t in s] for s in sentences]
    for sentence in out:
        for token, after in zip(sentence, [*sentence[1:], Token("w", "")], strict=True):
            if token.kind == "num" and rng.random() < 0.7:
                value = max(1, int(token.text) + rng.randint(-20, 40))
                token.text = str(min(value, 100) if after.text.startswith("%") else value)
            if token.kind == "unit" and keep_unit is not None:
                token.kind, token.text = "w", keep_unit
    length = sum(len(t.text) for s in out for t in s)
    spots = [(t, m) for s in out for t in s if t.kind == "w" for m in _SYNONYM_RE.finditer(t.text)]
    budget = min(len(spots), rng.randint(0, max(1, length // 45)))
    for token, match in sorted(rng.sample(spots, budget), key=lambda tm: -tm[1].start()):
        word = match.group()
        token.text = token.text[: match.start()] + SYNONYMS[word] + token.text[match.end():]
    return out


def generate_corpus(
    n_docs: int,
    seed: int = 0,
    *,
    chars_per_doc: int = 1000,
    family_share: float = 0.25,
    family_sizes: tuple[int, int] = (3, 6),
    passages_per_doc: float = 0.4,
    seed_folder: Path = SEEDS,
) -> GeneratedCorpus:
    """Generate ``n_docs`` documents with planted passages and template families.

    Args:
        n_docs: number of documents.
        seed: random seed; the same arguments always give the same corpus.
        chars_per_doc: typical document length in characters (~3 bytes each in UTF-8).
        family_share: share of documents that belong to a template family.
        family_sizes: smallest and largest family.
        passages_per_doc: planted passages (each copied to 1–4 documents) per document.
        seed_folder: folder of seed articles whose clauses season the text.
    """
    rng = random.Random(seed)
    writer = _Writer(rng, seed_clauses(seed_folder))
    drafts = [Draft(f"d{i:05d}", _unit(rng), full_width=rng.random() < 0.6,
                    full_digits=rng.random() < 0.15) for i in range(n_docs)]
    families = _plant_families(drafts, writer, chars_per_doc, family_share, family_sizes)
    for draft in drafts:
        if draft.family is None:
            sections = _sections_for(chars_per_doc * rng.uniform(0.7, 1.3))
            draft.paragraphs = [[Block([writer.opening()])], *_body_paragraphs(writer, sections, (2, 4)),
                                [Block([writer.problems()])], [Block([writer.closing()])]]
    _plant_passages(drafts, rng, round(n_docs * passages_per_doc))
    documents, occurrences = [], []
    for draft in drafts:
        doc, occs = _render(draft)
        documents.append(doc)
        occurrences += occs
    return GeneratedCorpus(seed, documents, occurrences, families)


def _plant_families(drafts: list[Draft], writer: _Writer, chars: int, share: float,
                    sizes: tuple[int, int]) -> list[list[str]]:
    rng = writer.rng
    free = list(range(len(drafts)))
    rng.shuffle(free)
    families: list[list[str]] = []
    budget = int(len(drafts) * share)
    while budget >= sizes[0] and len(free) >= sizes[0]:
        size = min(rng.randint(*sizes), budget, len(free))
        members = sorted(free[:size])
        free = free[size:]
        budget -= size
        number = len(families)
        template = _body_paragraphs(writer, _sections_for(chars * rng.uniform(0.8, 1.2)), (2, 4))
        # a section = heading paragraph + body paragraph
        sections = [template[i: i + 2] for i in range(0, len(template), 2)]
        for index in members:
            draft = drafts[index]
            draft.family = number
            kept = list(range(len(sections)))
            if len(kept) >= 3 and rng.random() < 0.3:
                kept.pop(rng.randrange(len(kept)))
            body = []
            for s in kept:
                origin = f"f{number}.{s}"
                for paragraph in sections[s]:
                    keep = "××单位" if rng.random() < 0.05 else None
                    edited = _edit_copy(paragraph[0].sentences, rng, keep_unit=keep)
                    body.append([Block(edited, origin=origin, edited=True)])
            draft.paragraphs = [[Block([writer.opening()])], *body, [Block([writer.closing()])]]
        families.append([drafts[i].id for i in members])
    return families


def _own_sentence_runs(draft: Draft) -> list[tuple[int, int]]:
    """(paragraph, block) positions of own multi-sentence blocks that can give or take a passage."""
    return [(p, b) for p, paragraph in enumerate(draft.paragraphs) for b, block in enumerate(paragraph)
            if block.origin is None and len(block.sentences) >= 2]


def _plant_passages(drafts: list[Draft], rng: random.Random, count: int) -> None:
    if len(drafts) < 2:
        return
    for number in range(count):
        source = rng.choice(drafts)
        runs = _own_sentence_runs(source)
        if not runs:
            continue
        p, b = rng.choice(runs)
        block = source.paragraphs[p][b]
        length = min(rng.randint(1, 4), len(block.sentences))
        start = rng.randint(0, len(block.sentences) - length)
        origin = f"p{number}"
        taken = block.sentences[start: start + length]
        # split the source block so the passage is its own tagged block
        source.paragraphs[p][b: b + 1] = [blk for blk in (
            Block(block.sentences[:start]), Block(taken, origin=origin),
            Block(block.sentences[start + length:])) if blk.sentences]
        n_targets = rng.choices([1, 2, 3, 4], weights=[70, 18, 8, 4])[0]
        targets = rng.sample([d for d in drafts if d is not source], min(n_targets, len(drafts) - 1))
        for target in targets:
            keep = source.unit if rng.random() < 0.1 else None
            _insert(target, Block(_edit_copy(taken, rng, keep_unit=keep), origin=origin, edited=True), rng)


def _insert(target: Draft, block: Block, rng: random.Random) -> None:
    """Put ``block`` between two sentences of one of the target's own paragraphs."""
    runs = _own_sentence_runs(target) or [(len(target.paragraphs) - 1, 0)]
    p, b = rng.choice(runs)
    host = target.paragraphs[p][b]
    if host.origin is not None:
        target.paragraphs.insert(p, [block])
        return
    cut = rng.randint(0, len(host.sentences))
    target.paragraphs[p][b: b + 1] = [blk for blk in (
        Block(host.sentences[:cut]), block, Block(host.sentences[cut:])) if blk.sentences]


def _render(draft: Draft) -> tuple[GeneratedDoc, list[Occurrence]]:
    raw_parts = [f"{draft.unit}党建工作总结"]
    norm_len = len(_nfkc(raw_parts[0]))
    spans: dict[str, list[int]] = {}
    edited: dict[str, bool] = {}
    for paragraph in draft.paragraphs:
        raw_parts.append("\n")
        norm_len += 1
        for block in paragraph:
            text = "".join(_render_token(t, draft) for s in block.sentences for t in s)
            length = len(_nfkc(text))
            if block.origin is not None:
                span = spans.setdefault(block.origin, [norm_len, norm_len])
                span[1] = norm_len + length
                edited[block.origin] = block.edited
            raw_parts.append(text)
            norm_len += length
    raw = "".join(raw_parts)
    text = _nfkc(raw)
    assert len(text) == norm_len, "a character changed length under NFKC"
    occurrences = [Occurrence(o, draft.id, s, e, edited[o]) for o, (s, e) in spans.items()]
    return GeneratedDoc(draft.id, raw, text), occurrences


def _render_token(token: Token, draft: Draft) -> str:
    if token.kind == "unit":
        return draft.unit
    if token.kind == "p":
        return token.text if draft.full_width else _HALF_WIDTH.get(token.text, token.text)
    if token.kind == "num" and draft.full_digits:
        return token.text.translate(_FULL_DIGITS)
    return token.text


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


# ----- scoring a result against the ground truth ------------------------------------------

@dataclass
class Score:
    """How a corpus-reuse result compares with the planted ground truth."""

    planted: int  # planted pair passages of ≥ min_chars characters
    found: int  # ... of which at least half (on both sides) lies inside reported passages
    planted_chars: int
    found_chars: int
    reported_pairs: int
    true_pairs_reported: int
    true_pairs: int  # pairs sharing a planted passage of ≥ min_chars characters
    reported_chars: int
    true_chars: int  # reported characters inside planted passages of the same pair
    families: int
    families_recovered: int  # a reported family with exactly the planted members
    false_pairs: list[tuple[str, str]] = field(default_factory=list)
    missed: list[PlantedPassage] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0

    @property
    def char_recall(self) -> float:
        return self.found_chars / self.planted_chars if self.planted_chars else 1.0

    @property
    def pair_recall(self) -> float:
        return self.true_pairs_reported / self.true_pairs if self.true_pairs else 1.0

    @property
    def pair_precision(self) -> float:
        return self.true_pairs_reported / self.reported_pairs if self.reported_pairs else 1.0

    @property
    def char_precision(self) -> float:
        return self.true_chars / self.reported_chars if self.reported_chars else 1.0


def score(corpus: GeneratedCorpus, result, *, min_chars: int = 50) -> Score:
    """Score a ``djmine.reuse.corpus.CorpusReuse`` (or anything with ``pairs`` and ``families``)."""
    truth: dict[tuple[str, str], list[PlantedPassage]] = defaultdict(list)
    for p in corpus.passages:
        truth[(p.a, p.b)].append(p)
    reported: dict[tuple[str, str], tuple[list[tuple[int, int]], list[tuple[int, int]]]] = {}
    for pair in result.pairs:
        a_spans = [(x.a_start, x.a_end) for x in pair.passages]
        b_spans = [(x.b_start, x.b_end) for x in pair.passages]
        key = (pair.a, pair.b) if pair.a < pair.b else (pair.b, pair.a)
        reported[key] = (a_spans, b_spans) if pair.a < pair.b else (b_spans, a_spans)
    planted = [p for p in corpus.passages if p.chars >= min_chars]
    s = Score(len(planted), 0, 0, 0, len(reported), 0, len({(p.a, p.b) for p in planted}), 0, 0,
              len(corpus.families), 0)
    for p in planted:
        a_spans, b_spans = reported.get((p.a, p.b), ([], []))
        a_in = _overlap(p.a_start, p.a_end, a_spans)
        b_in = _overlap(p.b_start, p.b_end, b_spans)
        s.planted_chars += p.b_end - p.b_start
        s.found_chars += b_in
        if 2 * a_in >= p.a_end - p.a_start and 2 * b_in >= p.b_end - p.b_start:
            s.found += 1
        else:
            s.missed.append(p)
    for key, (a_spans, b_spans) in reported.items():
        passages = truth.get(key, [])
        if passages:
            s.true_pairs_reported += any(p.chars >= min_chars for p in passages) or 0
            if not any(p.chars >= min_chars for p in passages):
                s.true_pairs += 1  # a shorter planted passage, still real reuse
                s.true_pairs_reported += 1
        else:
            s.false_pairs.append(key)
        for spans, side in ((a_spans, "a"), (b_spans, "b")):
            truth_spans = [(p.a_start, p.a_end) if side == "a" else (p.b_start, p.b_end) for p in passages]
            for start, end in spans:
                s.reported_chars += end - start
                s.true_chars += _overlap(start, end, _merge(truth_spans))
    found_families = {tuple(sorted(f.members)) for f in result.families}
    s.families_recovered = sum(tuple(sorted(f)) in found_families for f in corpus.families)
    return s


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(a, b) for a, b in out]


def _overlap(start: int, end: int, spans: list[tuple[int, int]]) -> int:
    return sum(max(0, min(end, e) - max(start, s)) for s, e in _merge(spans))


if __name__ == "__main__":
    import sys

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    corpus = generate_corpus(n, seed=1)
    for doc in corpus.documents_[:n]:
        print(doc.raw, "\n")
    print(len(corpus.passages), "planted pair passages;", len(corpus.families), "families")
