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

and one kind of reuse that is hard to see:

* **mirrors**: a document republished on another site, garbled: pinyin after some characters
  (``长(zhǎng)``), OCR spacing over whole lines, or a mix of punctuation and digit widths. The
  whole body is one planted occurrence in both (``GeneratedCorpus.mirrors`` lists the pairs).

Real corpora also share a lot of text that is *not* reuse, and the generator plants it too
(hard negatives, never in the ground truth; ``GeneratedCorpus.formulae`` says where they are):

* genre **titles and opening formulae** (``2022年，××党支部在上级党组织的坚强领导下，坚持以……``)
  and mandated **ideology formulae** dropped into sentences;
* **slot templates**, sentences that recur with other numbers (``现有党员12名，其中预备党员2名……``);
* **same unit, same year**: a few pairs of unrelated documents by one unit, whose formulae
  match even on the unit's name;
* **chrome** the cleaner has no rule for: reading-time notes and per-site footers.

Two unrelated documents never share a run of 50 characters outside these formulae.
``generate_genre_corpus`` writes a corpus of such formulae only, without any planted reuse.

Raw texts mix full- and half-width punctuation and digits; ``GeneratedDoc.text`` is their NFKC
form (what ``djmine`` stores as ``Document.text``), of the same length, and every offset refers
to it.

Example::

    corpus = generate_corpus(200, seed=1)
    corpus.docs[0]            # ("d00000", "……")
    corpus.passages[0]        # PlantedPassage(origin="p3", a="d00012", a_start=…, …)
    corpus.true_pairs()       # {("d00012", "d00107"), …}
    corpus.mirrors            # [("d00031", "d00412"), …]  (original, mirror)
    corpus.formulae[0]        # FormulaUse(kind="title", key="2", doc="d00000", start=0, end=19)
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

# ----- formulae: text that unrelated documents share (hard negatives, never ground truth) -----
# Slots: {unit}, {year}, {superior}, {n:low-high} (a number).

TITLE_FORMULAE = [
    "{unit}{year}年党建工作总结", "{year}年度{unit}党支部工作总结", "{unit}党委{year}年度党建工作总结",
    "关于{unit}{year}年度党建工作情况的报告", "{unit}党总支{year}年工作总结", "{year}年{unit}基层党建工作总结",
]
OPENING_FORMULAE = [
    "{year}年，{unit}党支部在上级党组织的坚强领导下，坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实党的二十大精神，",
    "{year}年以来，{unit}党委坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻党的二十大精神，全面落实新时代党的建设总要求，",
    "{year}年，{unit}党总支在{superior}的正确领导下，紧紧围绕年初制定的党建工作目标任务，以加强党的政治建设为统领，以提升组织力为重点，",
    "一年来，{unit}党支部在上级党委的正确领导和大力支持下，坚持以党建为引领，以服务群众为宗旨，不断加强支部自身建设，",
    "{year}年是全面贯彻落实党的二十大精神的开局之年，{unit}党委坚持把党的政治建设摆在首位，围绕中心、建设队伍、服务群众，",
    "根据{superior}关于做好{year}年度基层党建工作的部署要求，{unit}党支部坚持党要管党、全面从严治党，紧扣年度目标任务，",
]
IDEOLOGY_FORMULAE = [
    "以邓小平理论、“三个代表”重要思想、科学发展观为指导",
    "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大和二十届二中、三中全会精神",
    "高举中国特色社会主义伟大旗帜，坚持以马克思列宁主义、毛泽东思想、邓小平理论、“三个代表”重要思想、科学发展观、习近平新时代中国特色社会主义思想为指导",
    "增强“四个意识”、坚定“四个自信”、做到“两个维护”",
    "深刻领悟“两个确立”的决定性意义，坚决做到“两个维护”",
    "自觉在思想上政治上行动上同以习近平同志为核心的党中央保持高度一致",
    "全面落实新时代党的建设总要求和新时代党的组织路线",
    "坚持和加强党的全面领导，坚持全面从严治党，推动全面从严治党向纵深发展",
]
SLOT_TEMPLATES = [
    "现有党员{n:8-160}名，其中预备党员{n:1-9}名，{n:35-45}岁以下党员占{n:10-60}%。",
    "全年共召开支部委员会{n:8-24}次、党员大会{n:4-12}次、党小组会{n:12-48}次，上党课{n:4-12}次。",
    "{unit}党支部下设{n:2-9}个党小组，现有在职党员{n:10-120}名、退休党员{n:2-40}名。",
    "全年共发展党员{n:1-9}名，按期转正预备党员{n:1-9}名，确定入党积极分子{n:2-20}名。",
    "开展主题党日活动{n:6-24}次，参与党员{n:60-900}人次，党员参与率达{n:85-100}%。",
    "组织党员干部参加集中学习{n:6-30}次，撰写心得体会{n:20-300}篇，交流发言{n:10-90}人次。",
    "召开专题组织生活会{n:1-4}次，查摆问题{n:5-40}个，制定整改措施{n:5-40}条，已完成整改{n:5-40}条。",
    "{unit}党委共有基层党支部{n:3-30}个、党员{n:300-900}名，其中女党员{n:60-290}名、少数民族党员{n:1-30}名。",
    "领导班子成员讲专题党课{n:4-20}次，深入基层联系点调研{n:6-40}次，协调解决实际问题{n:5-60}个。",
    "全年共收缴党费{n:3000-90000}元，全部按规定及时足额上缴{superior}，党费收缴率达{n:95-100}%。",
]
READING_NOTES = [
    "阅读时间约{n:2-8}分钟", "本文共{n:800-2000}字，预计阅读{n:2-6}分钟", "全文约{n:800-2000}字 阅读需{n:2-6}分钟",
    "阅读本文大约需要{n:2-6}分钟", "字数：{n:800-2000}\u3000阅读时长：{n:2-6}分钟",
]
SITE_FOOTERS = [
    "版权所有：青山县融媒体中心\u3000主办单位：中共青山县委组织部\u3000备案号：湘ICP备10023456号-1",
    "主办：中共临江市直属机关工作委员会 承办：临江市直机关党建信息中心 联系电话：0731-84561234",
    "【打印本页】【关闭窗口】【收藏本页】 ©2019-2023 清河区党建网 版权所有 技术支持：清河区大数据中心",
    "本网站由中共云川县委宣传部主办 网站标识码：4305230001 ICP备案号：滇ICP备2021003456号",
    "来源：松阳镇人民政府网 扫一扫在手机打开当前页 【字体：大 中 小】 【打印】【关闭】",
]
# characters a mirror site annotates with their reading (polyphones and place-name characters)
PINYIN = {
    "长": "zhǎng", "镇": "zhèn", "行": "xíng", "重": "zhòng", "乐": "lè", "还": "huán", "调": "diào",
    "种": "zhòng", "处": "chù", "率": "lǜ", "便": "biàn", "参": "cān", "省": "shěng", "传": "chuán",
    "干": "gàn", "给": "gěi", "几": "jǐ", "觉": "jué", "难": "nán", "强": "qiáng", "少": "shào",
    "数": "shù", "相": "xiāng", "应": "yìng", "着": "zhuó", "降": "jiàng", "藏": "cáng", "落": "luò",
    "创": "chuàng", "教": "jiào", "区": "qū", "塘": "táng",
}
MIRROR_GARBLES = ("pinyin", "spaced", "width")

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
_SLOT = re.compile(r"\{(unit|year|superior|n:\d+-\d+)\}|([，；：])")
_WIDTH_SWAP = {**_HALF_WIDTH, **{v: k for k, v in _HALF_WIDTH.items()},
               **{str(d): chr(0xFF10 + d) for d in range(10)}, **{chr(0xFF10 + d): str(d) for d in range(10)}}


# ----- tokens and sentences ----------------------------------------------------------------

@dataclass
class Token:
    """A piece of a sentence: ``kind`` is "w" (words), "unit", "year", "num" or "p" (punctuation).

    ``tag`` marks formula text: "kind:key#instance" (see ``FormulaUse``).
    """

    kind: str
    text: str
    tag: str | None = None


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
    year: int = 2022
    title: Sentence | None = None  # None: "{unit}党建工作总结"
    top: Sentence | None = None  # chrome lines above the body and below it
    bottom: list[Sentence] = field(default_factory=list)
    site: int | None = None  # the site whose footer ``bottom`` ends with


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


@dataclass(frozen=True)
class FormulaUse:
    """Where formula text (not reuse) sits in one document (offsets into NFKC text).

    ``kind`` is "title", "opening", "ideology", "template" (a slot template), "reading" (a
    reading-time note) or "footer" (a site footer); ``key`` numbers the formula within its kind.
    """

    kind: str
    key: str
    doc: str
    start: int
    end: int


@dataclass
class GeneratedDoc:
    id: str
    raw: str
    text: str


@dataclass
class GeneratedCorpus:
    """A generated corpus and its ground truth.

    ``mirrors``: (original, mirror) id pairs, also in the ground truth (origin "m…").
    ``mirror_garbles``: mirror id → "pinyin", "spaced" or "width".
    ``formulae``: every formula, template and chrome line (not ground truth).
    ``same_unit``: pairs of documents written for one unit in one year (not ground truth).
    """

    seed: int
    documents_: list[GeneratedDoc]
    occurrences: list[Occurrence]
    families: list[list[str]]
    mirrors: list[tuple[str, str]] = field(default_factory=list)
    mirror_garbles: dict[str, str] = field(default_factory=dict)
    formulae: list[FormulaUse] = field(default_factory=list)
    same_unit: list[tuple[str, str]] = field(default_factory=list)

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

    def formula_spans(self) -> dict[str, list[tuple[int, int]]]:
        """Document id → merged spans of formula text."""
        spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for f in self.formulae:
            spans[f.doc].append((f.start, f.end))
        return {doc: _merge(s) for doc, s in spans.items()}

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

    def formula_opening(self, formula: list[Token]) -> Sentence:
        """An opening that starts with a genre formula and goes on in the document's own words."""
        c = self.rng.choice
        tokens = list(formula)
        for _ in range(self.rng.randint(1, 2)):
            tokens += [*self.grammar_clause(), Token("p", "，")]
        done = c(["各项工作", "党建工作", "基层党建", "年度任务", "重点工作"]) + c(
            ["取得了新成效", "取得明显成效", "圆满完成", "稳步推进", "成效显著", "迈上新台阶"])
        report = c(["现将", "现就", "下面将", "特将"]) + c(["有关情况", "工作开展情况", "主要工作", "一年来的工作", "党建工作情况"]) + c(
            ["总结如下", "汇报如下", "报告如下", "简要总结如下"])
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
    out = [[Token(t.kind, t.text, t.tag) for t in s] for s in sentences]
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
    mirror_share: float = 0.02,
    opening_share: float = 0.6,
    ideology_share: float = 0.5,
    template_share: float = 0.7,
    same_unit_pairs: float = 0.01,
    reading_time_share: float = 0.2,
    footer_share: float = 0.3,
    n_sites: int = 5,
    hard_negatives: bool = True,
) -> GeneratedCorpus:
    """Generate ``n_docs`` documents with planted passages, template families and mirrors, and
    the formulae that unrelated documents share.

    Args:
        n_docs: number of documents (mirrors included).
        seed: random seed; the same arguments always give the same corpus.
        chars_per_doc: typical document length in characters (~3 bytes each in UTF-8).
        family_share: share of documents that belong to a template family.
        family_sizes: smallest and largest family (a mirror of a member joins it as well).
        passages_per_doc: planted passages (each copied to 1–4 documents) per document.
        seed_folder: folder of seed articles whose clauses season the text.
        mirror_share: share of documents that are a garbled mirror of another (at least one
            when ``n_docs >= 50``); ground truth.
        opening_share: share of documents with a genre title and opening formula.
        ideology_share: share of documents with 1–2 ideology formulae dropped into sentences.
        template_share: share of documents with 1–3 slot-template sentences.
        same_unit_pairs: pairs of unrelated documents with the same unit and year, per document
            (at least one pair when it is > 0 and ``n_docs >= 20``).
        reading_time_share: share of documents with a reading-time note at the top or bottom.
        footer_share: share of documents with the footer line of one of ``n_sites`` sites.
        hard_negatives: False turns off mirrors and all formulae (the corpus is then the one
            this generator made before they existed).
    """
    if not hard_negatives:
        mirror_share = opening_share = ideology_share = template_share = 0.0
        same_unit_pairs = reading_time_share = footer_share = 0.0
    rng = random.Random(seed)
    clauses = seed_clauses(seed_folder)
    writer = _Writer(rng, clauses)
    # every hard-negative choice draws from its own generator, so the rest stays as it was
    neg = _Formulae(random.Random(f"gen_reuse negatives {seed}"), clauses)
    n_mirrors = min(n_docs // 2, round(n_docs * mirror_share))
    if mirror_share > 0 and n_docs >= 50:
        n_mirrors = max(1, n_mirrors)
    mirror_slots = set(neg.rng.sample(range(n_docs), n_mirrors))
    drafts = [Draft(f"d{i:05d}", _unit(rng), full_width=rng.random() < 0.6,
                    full_digits=rng.random() < 0.15) for i in range(n_docs) if i not in mirror_slots]
    for draft in drafts:
        draft.year = neg.rng.randint(2016, 2023)
    families = _plant_families(drafts, writer, chars_per_doc, family_share, family_sizes)
    for draft in drafts:
        if draft.family is None:
            sections = _sections_for(chars_per_doc * rng.uniform(0.7, 1.3))
            draft.paragraphs = [[Block([writer.opening()])], *_body_paragraphs(writer, sections, (2, 4)),
                                [Block([writer.problems()])], [Block([writer.closing()])]]
    same_unit = neg.plant(drafts, opening_share=opening_share, ideology_share=ideology_share,
                          template_share=template_share, same_unit_pairs=same_unit_pairs,
                          reading_time_share=reading_time_share, footer_share=footer_share,
                          n_sites=n_sites)
    _plant_passages(drafts, rng, round(n_docs * passages_per_doc))
    rendered = {draft.id: _render(draft) for draft in drafts}
    mirrors, garbles = _make_mirrors(drafts, rendered, sorted(mirror_slots), neg, families,
                                     reading_time_share=reading_time_share, footer_share=footer_share,
                                     n_sites=n_sites)
    documents, occurrences, formulae = [], [], []
    for doc_id in sorted(rendered):
        r = rendered[doc_id]
        documents.append(r.doc)
        occurrences += r.occurrences
        formulae += r.formulae
    return GeneratedCorpus(seed, documents, occurrences, families, mirrors, garbles, formulae, same_unit)


def generate_genre_corpus(n_docs: int, seed: int = 0, **options) -> GeneratedCorpus:
    """Independently written reports of one genre: they share formulae only (titles, openings,
    ideology formulae, slot templates, same-unit pairs, chrome), with no planted reuse, no
    families and no mirrors, so the ground truth is empty. ``options`` go to ``generate_corpus``.
    """
    options = {"family_share": 0.0, "passages_per_doc": 0.0, "mirror_share": 0.0, **options}
    return generate_corpus(n_docs, seed, **options)


# ----- hard negatives -----------------------------------------------------------------------

class _Formulae:
    """Plants the formulae, templates and chrome that unrelated documents share."""

    def __init__(self, rng: random.Random, clauses: list[str]):
        self.rng = rng
        self.writer = _Writer(rng, clauses)
        self.instances = itertools.count()

    def tokens(self, template: str, kind: str, key: int) -> list[Token]:
        """One use of a formula: its slots filled, every token tagged with one instance tag."""
        tag = f"{kind}:{key}#{next(self.instances)}"
        out: list[Token] = []
        pos = 0
        for m in _SLOT.finditer(template):
            if m.start() > pos:
                out.append(Token("w", template[pos: m.start()], tag))
            slot, punct = m.groups()
            if punct:
                out.append(Token("p", punct, tag))
            elif slot in ("unit", "year"):
                out.append(Token(slot, "", tag))
            elif slot == "superior":
                out.append(Token("w", self.rng.choice(SUPERIORS), tag))
            else:
                low, high = map(int, slot[2:].split("-"))
                out.append(Token("num", str(self.rng.randint(low, high)), tag))
            pos = m.end()
        if pos < len(template):
            out.append(Token("w", template[pos:], tag))
        return out

    def chrome(self, draft: Draft, reading_time_share: float, footer_share: float, n_sites: int,
               avoid_site: int | None = None) -> None:
        """Give ``draft`` a reading-time note (top or bottom) and the footer of a site."""
        rng = self.rng
        if rng.random() < reading_time_share:
            key = rng.randrange(len(READING_NOTES))
            note = self.tokens(READING_NOTES[key], "reading", key)
            if rng.random() < 0.5:
                draft.top = note
            else:
                draft.bottom.append(note)
        site = None
        if n_sites > 0 and rng.random() < footer_share:
            sites = [s for s in range(min(n_sites, len(SITE_FOOTERS))) if s != avoid_site]
            if sites:
                site = rng.choice(sites)
                draft.bottom.append(self.tokens(SITE_FOOTERS[site], "footer", site))
        draft.site = site

    def plant(self, drafts: list[Draft], *, opening_share: float, ideology_share: float,
              template_share: float, same_unit_pairs: float, reading_time_share: float,
              footer_share: float, n_sites: int) -> list[tuple[str, str]]:
        rng = self.rng
        own = [d for d in drafts if d.family is None]  # documents written in their own words
        n_pairs = min(len(own) // 2, round(len(drafts) * same_unit_pairs))
        if same_unit_pairs > 0 and len(drafts) >= 20:
            n_pairs = min(len(own) // 2, max(1, n_pairs))
        chosen = rng.sample(own, 2 * n_pairs)
        pairs = [(chosen[2 * i], chosen[2 * i + 1]) for i in range(n_pairs)]
        partner: dict[str, Draft] = {}
        for a, b in pairs:
            b.unit, b.year = a.unit, a.year
            partner[a.id], partner[b.id] = b, a
        opening_key: dict[str, int] = {}
        templates_of: dict[str, list[int]] = {}
        unit_templates = [k for k, t in enumerate(SLOT_TEMPLATES) if "{unit}" in t]
        seen: set[str] = set()
        for draft in drafts:
            seen.add(draft.id)
            other = partner.get(draft.id)
            if other is not None and other.id in seen:  # the second of a same-unit pair
                if other.id in opening_key:
                    opening_key[draft.id] = opening_key[other.id]
                if other.id in templates_of:
                    templates_of[draft.id] = templates_of[other.id]
            elif other is not None:  # the first: an opening and a template with the unit's name
                if opening_share > 0:
                    opening_key[draft.id] = rng.randrange(len(OPENING_FORMULAE))
                if template_share > 0:
                    others = [k for k in range(len(SLOT_TEMPLATES)) if k not in unit_templates]
                    templates_of[draft.id] = [rng.choice(unit_templates), *rng.sample(others, rng.randint(0, 2))]
            else:
                if rng.random() < opening_share:
                    opening_key[draft.id] = rng.randrange(len(OPENING_FORMULAE))
                if rng.random() < template_share:
                    templates_of[draft.id] = rng.sample(range(len(SLOT_TEMPLATES)), rng.randint(1, 3))
            key = opening_key.get(draft.id)
            if key is not None:
                title = rng.randrange(len(TITLE_FORMULAE))
                draft.title = self.tokens(TITLE_FORMULAE[title], "title", title)
                draft.paragraphs[0] = [Block([self.writer.formula_opening(
                    self.tokens(OPENING_FORMULAE[key], "opening", key))])]
            runs = _own_sentence_runs(draft)
            for template in templates_of.get(draft.id, []) if runs else []:
                p, b = rng.choice(runs)
                block = draft.paragraphs[p][b]
                block.sentences.insert(rng.randint(0, len(block.sentences)),
                                       self.tokens(SLOT_TEMPLATES[template], "template", template))
            if rng.random() < ideology_share:
                sentences = [s for p, b in runs for s in draft.paragraphs[p][b].sentences
                             if not any(t.tag for t in s)]
                closing = draft.paragraphs[-1][0].sentences[0]
                if draft.paragraphs[-1][0].origin is None:
                    sentences.append(closing)
                for sentence in rng.sample(sentences, min(len(sentences), rng.randint(1, 2))):
                    key = rng.randrange(len(IDEOLOGY_FORMULAE))
                    _drop_clause(sentence, [*self.tokens(IDEOLOGY_FORMULAE[key], "ideology", key),
                                            Token("p", "，")], rng, at_start=sentence is not closing)
            self.chrome(draft, reading_time_share, footer_share, n_sites)
        return [(a.id, b.id) if a.id < b.id else (b.id, a.id) for a, b in pairs]


def _drop_clause(sentence: Sentence, clause: list[Token], rng: random.Random, *, at_start: bool = True) -> None:
    """Insert ``clause`` at a clause boundary of ``sentence`` (after a leading unit and org)."""
    first = 2 if sentence and sentence[0].kind == "unit" else 0
    spots = [i + 1 for i in range(first, len(sentence) - 1) if sentence[i].kind == "p" and sentence[i].text == "，"]
    if at_start or not spots:
        spots.append(first)
    at = rng.choice(spots)
    sentence[at:at] = clause


def _garble(body: str, kind: str, rng: random.Random) -> tuple[str, list[int], list[int]]:
    """A mirror site's garbled copy of ``body``, and where each character of ``body`` went:
    ``begin[i]`` is the offset of character i itself (spaces put before it not included),
    ``finish[i]`` the end of what it became (an annotation after it included)."""
    before = [""] * len(body)
    chars = list(body)
    after = [""] * len(body)
    if kind == "pinyin":
        spots = [i for i, c in enumerate(body) if c in PINYIN]
        budget = int(0.045 * len(body))  # the mirror keeps ≥ 95 % the same text
        for i in sorted(rng.sample(spots, round(0.3 * len(spots)))):
            annotation = f"({PINYIN[body[i]]})"
            if len(annotation) > budget:
                break
            after[i] = annotation
            budget -= len(annotation)
    elif kind == "spaced":  # OCR: spaces between the characters of whole lines
        lines, start = [], 0
        for line in body.split("\n"):
            if len(line) >= 10:
                lines.append((start, start + len(line)))
            start += len(line) + 1
        rng.shuffle(lines)
        budget = 0.04 * len(body)  # the mirror keeps ≥ 95 % the same text
        spaced = []
        for start, end in lines:
            if 1.3 * (end - start - 1) <= budget:
                spaced.append((start, end))
                budget -= 1.3 * (end - start - 1)
        for start, end in spaced or sorted(lines, key=lambda span: span[1] - span[0])[:1]:
            for i in range(start + 1, end):
                before[i] = rng.choice([" ", " ", " ", " ", "  ", "\u3000"])
    else:  # width: punctuation and digits flip width (NFKC undoes that, not 。→． or “→＂)
        for i, c in enumerate(body):
            if c in _WIDTH_SWAP and rng.random() < 0.5:
                chars[i] = _WIDTH_SWAP[c]
            elif c == "。" and rng.random() < 0.6:
                chars[i] = "．"
            elif c in "“”" and rng.random() < 0.6:
                chars[i] = "＂"
    out, begin, finish, pos = [], [], [], 0
    for i in range(len(body)):
        begin.append(pos + len(before[i]))
        piece = before[i] + chars[i] + after[i]
        out.append(piece)
        pos += len(piece)
        finish.append(pos)
    return "".join(out), begin, finish


def _make_mirrors(drafts: list[Draft], rendered: dict[str, _Rendered], slots: list[int], neg: _Formulae,
                  families: list[list[str]], *, reading_time_share: float, footer_share: float,
                  n_sites: int) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """Republish one original per slot on another site, garbled; add both to the ground truth."""
    rng = neg.rng
    originals = rng.sample(drafts, len(slots)) if slots else []
    first_kind = rng.randrange(len(MIRROR_GARBLES))
    mirrors, garbles = [], {}
    for number, (slot, original) in enumerate(zip(slots, originals, strict=True)):
        kind = MIRROR_GARBLES[(first_kind + number) % len(MIRROR_GARBLES)]
        mirror = Draft(f"d{slot:05d}", original.unit, full_width=original.full_width,
                       full_digits=original.full_digits, year=original.year)
        source = rendered[original.id]
        neg.chrome(mirror, reading_time_share, footer_share, n_sites, avoid_site=original.site)
        rendered[mirror.id] = _render_mirror(source, mirror, kind, f"m{number}", rng)
        if original.family is not None:
            families[original.family] = sorted([*families[original.family], mirror.id])
        mirrors.append((original.id, mirror.id))
        garbles[mirror.id] = kind
    return mirrors, garbles


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


@dataclass
class _Rendered:
    doc: GeneratedDoc
    occurrences: list[Occurrence]
    formulae: list[FormulaUse]
    title_end: int
    body: tuple[int, int]


class _Emitter:
    """Renders tokens of one draft, keeping offsets of formula tags (raw and NFKC offsets agree)."""

    def __init__(self, draft: Draft):
        self.draft = draft
        self.parts: list[str] = []
        self.pos = 0
        self.tags: dict[str, list[int]] = {}

    def text(self, text: str) -> None:
        self.parts.append(text)
        self.pos += len(text)

    def tokens(self, tokens: list[Token]) -> None:
        for token in tokens:
            text = _render_token(token, self.draft)
            if token.tag:
                span = self.tags.setdefault(token.tag, [self.pos, self.pos])
                span[1] = self.pos + len(text)
            self.text(text)

    def finish(self, occurrences: list[Occurrence], title_end: int, body: tuple[int, int],
               formulae: list[FormulaUse] = ()) -> _Rendered:
        raw = "".join(self.parts)
        text = _nfkc(raw)
        assert len(text) == len(raw) == self.pos, "a character changed length under NFKC"
        uses = [*formulae]
        for tag, (start, end) in self.tags.items():
            kind, key = tag.split("#")[0].split(":")
            uses.append(FormulaUse(kind, key, self.draft.id, start, end))
        uses.sort(key=lambda f: (f.start, f.end))
        return _Rendered(GeneratedDoc(self.draft.id, raw, text), occurrences, uses, title_end, body)


def _render(draft: Draft) -> _Rendered:
    out = _Emitter(draft)
    out.tokens(draft.title or [Token("unit", "", "title:plain#"), Token("w", "党建工作总结", "title:plain#")])
    title_end = out.pos
    if draft.top:
        out.text("\n")
        out.tokens(draft.top)
    spans: dict[str, list[int]] = {}
    edited: dict[str, bool] = {}
    body_start = None
    for paragraph in draft.paragraphs:
        out.text("\n")
        body_start = out.pos if body_start is None else body_start
        for block in paragraph:
            start = out.pos
            for sentence in block.sentences:
                out.tokens(sentence)
            if block.origin is not None:
                span = spans.setdefault(block.origin, [start, start])
                span[1] = out.pos
                edited[block.origin] = block.edited
    body = (out.pos if body_start is None else body_start, out.pos)
    for line in draft.bottom:
        out.text("\n")
        out.tokens(line)
    occurrences = [Occurrence(o, draft.id, s, e, edited[o]) for o, (s, e) in spans.items()]
    return out.finish(occurrences, title_end, body)


def _render_mirror(source: _Rendered, mirror: Draft, kind: str, origin: str, rng: random.Random) -> _Rendered:
    """``source`` republished as ``mirror``: same title, garbled body, the mirror site's chrome.

    The whole body becomes one planted occurrence (``origin``) in both; everything planted in
    the source's body is planted in the mirror too."""
    raw = source.doc.raw
    b0, b1 = source.body
    garbled, begin, finish = _garble(raw[b0:b1], kind, rng)
    out = _Emitter(mirror)
    out.text(raw[: source.title_end])
    if mirror.top:
        out.text("\n")
        out.tokens(mirror.top)
    out.text("\n")
    m0 = out.pos
    out.text(garbled)

    def moved(start: int, end: int) -> tuple[int, int]:
        return m0 + begin[start - b0], m0 + finish[end - 1 - b0]

    occurrences = [Occurrence(o.origin, mirror.id, *moved(o.start, o.end), True) for o in source.occurrences]
    occurrences.append(Occurrence(origin, mirror.id, m0, out.pos, True))
    source.occurrences.append(Occurrence(origin, source.doc.id, b0, b1, False))
    formulae = [FormulaUse(f.kind, f.key, mirror.id, f.start, f.end) for f in source.formulae if f.end <= source.title_end]
    formulae += [FormulaUse(f.kind, f.key, mirror.id, *moved(f.start, f.end)) for f in source.formulae
                 if b0 <= f.start and f.end <= b1]
    body = (m0, out.pos)
    for line in mirror.bottom:
        out.text("\n")
        out.tokens(line)
    return out.finish(occurrences, source.title_end, body, formulae)


def _render_token(token: Token, draft: Draft) -> str:
    if token.kind == "unit":
        return draft.unit
    if token.kind == "p":
        return token.text if draft.full_width else _HALF_WIDTH.get(token.text, token.text)
    if token.kind == "year":
        return str(draft.year).translate(_FULL_DIGITS) if draft.full_digits else str(draft.year)
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
    mirror_pairs: int = 0  # (original, mirror) pairs planted
    mirror_pairs_reported: int = 0
    missed_mirrors: list[tuple[str, str]] = field(default_factory=list)
    formula_chars: int = 0  # reported characters outside planted passages that lie in formulae

    @property
    def mirror_recall(self) -> float:
        return self.mirror_pairs_reported / self.mirror_pairs if self.mirror_pairs else 1.0

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
    """Score a ``djmine.reuse.corpus.CorpusReuse`` (or anything with ``pairs`` and ``families``).

    Only ``result.pairs`` (each with ``a``, ``b`` and ``passages`` of ``a_start, a_end,
    b_start, b_end``) and ``result.families`` (each with ``members``) are read; anything else on
    the result (e.g. passages it judged formulae) is ignored.
    """
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
    formula = corpus.formula_spans()
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
            outside = _subtract(formula.get(key[0] if side == "a" else key[1], []), truth_spans)
            for start, end in spans:
                s.reported_chars += end - start
                s.true_chars += _overlap(start, end, _merge(truth_spans))
                s.formula_chars += _overlap(start, end, outside)
    found_families = {tuple(sorted(f.members)) for f in result.families}
    s.families_recovered = sum(tuple(sorted(f)) in found_families for f in corpus.families)
    for original, mirror in corpus.mirrors:
        s.mirror_pairs += 1
        if (min(original, mirror), max(original, mirror)) in reported:
            s.mirror_pairs_reported += 1
        else:
            s.missed_mirrors.append((original, mirror))
    return s


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(a, b) for a, b in out]


def _subtract(spans: list[tuple[int, int]], minus: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of ``spans`` outside ``minus``."""
    out = []
    cuts = _merge(minus)
    for start, end in _merge(spans):
        for s, e in cuts:
            if e <= start or s >= end:
                continue
            if s > start:
                out.append((start, s))
            start = max(start, e)
        if start < end:
            out.append((start, end))
    return out


def _overlap(start: int, end: int, spans: list[tuple[int, int]]) -> int:
    return sum(max(0, min(end, e) - max(start, s)) for s, e in _merge(spans))


if __name__ == "__main__":
    import sys

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    corpus = generate_corpus(n, seed=1)
    for doc in corpus.documents_[:n]:
        print(doc.raw, "\n")
    print(len(corpus.passages), "planted pair passages;", len(corpus.families), "families;",
          len(corpus.mirrors), "mirrors;", len(corpus.formulae), "formulae")
