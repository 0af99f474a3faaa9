"""Tests for djmine.clean: chrome rules, body survival and the corpus-level chrome signal."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from djmine.clean import Cleaned, chrome_rules, clean_lines, clean_text, recurring_chrome_lines
from djmine.models import RemovedSpan
from djmine.normalize import join_broken_lines, normalize_text

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"


@cache
def seed(prefix: str) -> tuple[list[str], Cleaned]:
    """The normalised lines of a seed file and its cleaning result."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    lines = normalize_text(path.read_text("utf-8")).split("\n")
    return lines, clean_lines(lines)


def kept_text(cleaned: Cleaned) -> str:
    return "\n".join(line.text for line in cleaned.lines)


def assert_spans_slice(lines: list[str], removed: list[RemovedSpan]) -> None:
    for span in removed:
        assert lines[span.line][span.start : span.end] == span.text, span
        assert span.end > span.start


# ---------------------------------------------------------------------------------------------
# (1) Body text survives. Representative sentences of every seed, as they appear in the raw
# file, including each seed's first and last body paragraph and the part headings the splitter
# needs.

BODY = {
    "000": [
        "医院党建工作总结范文(一)",
        "今年,医院党委按照中央、省委、市委的部署,在市直机关工委的指导下,深入开展“两学一做”学习教育",
        "现将我院党建工作开展情况总结如下:",
        "一、医院基层党组织和党员基本情况",
        "医院现有基层党支部5个,其中在职人员党支部4个,退休人员党支部1个。",
        "二、医院党建工作任务落实情况",
        "1、抓班子,强化党委自身建设。",
        "三是坚持实行民主集中制。不定时召开党政联席会议,班子成员共同商讨重大事宜。",
        "2、抓队伍,提高党员素质。",
        "认真落实党务公开制度。",
        "推荐了1篇文章和2幅书法作品送市直机关工委参赛。",
        "医院党建工作总结范文(二)",
        "20_年,我院党建工作按照镇党委和县卫生局党委工作部署",
        "一、以“求真务实”的态度,开展群众路线教育实践活动。",
        "实现了团结—批评—团结的目的。",
        "二、基本党建工作",
        "(二)围绕医院改革、发展、稳定中心任务大力开展思想政",
        "治工作,在思想上、政治上、行动上与党中央和上级党委保持高度一致。",
        "规范了广大医务人员的医疗行为。",
        "五、存在的主要问题与不足",
        "用好的作风带动工作。",
        "医院党建工作总结范文(三)",
        "一、积极探索党建思路,促进医院行风建设",
        "并聘请南江县检察院副院长李秀权同志作了《预防职务犯罪》的法制专题",
        "医院积极参与公益活动,为受灾群众捐款捐物。",
        "医院党建工作总结范文(四)",
        "20_年主要围绕以下几个方面开展工作:",
        "平时表现主要包括加强政治理论学习、及时缴纳党费、撰写心得体会等党员",
        "履行基本义务情况,占积分考核20分。",
        "1.开展“增强人文素养、共建书香医院”阅读节活动。",
        "组织职工将读书心得制作成PPT参加读书报告会比赛。",
        "医院党建工作总结范文(五)",
        "(一)依托载体,扎实开展基本活动。",
        "20_年“5.8”红十字纪念日,我们在辖区内开展了义诊和“院外急求培训”",
        "(三)大力开展党员志愿者服务活动。",
        "党员在社会活动中以身作则,起到先锋模范带头作用,发挥党员的先进性,带动群众投身社会公益事业。",
    ],
    "001": [
        "医院党组织“凝聚力工程”工作总结",
        "党组织的凝聚力是党的生命、是医院事业的助推器",
        "促进政治、业务各项工作的顺利开展。",
        "一、以先进的理念灌输人",
        "在防治SARS中,结合实际开展了讲大局、讲政治、讲科学、讲纪律、讲稳定、讲奉献的学习教育活动",
        "二、以公正的制度鼓舞人",
        "中层干部平均满意率达90.84%,没有低于75%以下的选票。",
        "一是坚持民主集中制,坚持重大问题在班子内充分酝酿、讨论;",
        "二是办事务实,紧紧扭住工作目标不放松;",
        "四、以党员的力量感召人",
        "职工中也涌现出许多可歌可泣的先进事迹",
        "五、以改革的事业留住人",
        "在区域内率先加入了xx医院集团,依托xx医院集团,集聚优势。",
        "如:04年上半年医院门急诊诊疗人次14.9万",
        "七、以法定的程序规范人",
        "拒收红包、礼品2人,折合人民币200余元。",
        "八、以艰巨的工作锻炼人",
        "敢于碰硬;",
        "敢于突破;",
        "敢于创新;",
        "九、以公平的报酬吸引人",
        "不能让“靠得住,有本事”的人吃亏。",
        "十、以真挚的感情关心人",
        "党员捐款",
    ],
    "002": [
        "书记党建项目",
        "【前言】",
        "为充分发挥基层党组织的战斗堡垒作用和广大党员的先锋模范作用",
        "推动医院党建工作与医疗业务双融双促双提升。",
        "(一)创新学习载体,加强党员理想信念教育。",
        "二是坚持开展主题党日活动。",
        "(二)优化医疗服务,加强阵地建设。",
        "让活动阵地真正成为有温度的党员之家。",
        "(三)加强东西部协作,加快医疗卫生人才建设。",
        "(四)稳步实施人才发展战略,建设高质量人才队伍。",
        "(五)树立良好医风,扎实开展专项整治提升活动。",
        "树立良好的卫生健康行业新形象。",
        "(六)持续深入开展“我是党员我先上,我为群众办实事”活动。",
        "打造特色党建品牌,加强医务人员职业道德素质培养和业务技术培训",
        "深入开展“我是党员我先上,我为群众办实事”实践活动,以更高水平、更高质量践行初心使命。",
    ],
    "003": [
        "医院创先争优活动述职报告",
        "现将我院创先争优活动开展情况汇报如下:",
        "(一)领导重视,组织健全制定方案",
        "1、我院领导班子非常重视,及时召开班子成员会议",
        "3、制订了详细可行的实施方案。",
        "6月3日下午,我院在新院五楼会议室召开了全院创先争优活动动员大会",
        "(三)搞好宣传营造氛围",
        "1、2010年元月,投资1800万元放疗中心投入使用。",
        "3、黎阳(5000平方米)长风(平方米)两社区扩建改造项目进入招标阶段。",
        "社区中心工作情况统计表",
        "老年体检建挡人数辖区户数疫苗注射传染病管理",
        "长风384391991317522978次263",
        "分解成八项20条100分的详细工作目标责任书。",
        "行政会议管理及业务讲座情况统计(次)",
        "淇滨62714",
        "3其他方式引资200万元,购置数字胃肠机、四维彩超监护仪等医疗设备。",
        "(六)扎实开展医疗质量万里行活动",
        "(八)上半年卫生系统市直各单位医院综合治理平安建设考核中,医院得分83分,名列第一。",
        "(二)各党支部在活动中创新少,形式和方法单一,不够",
        "多样化,不够丰富多彩。",
        "(五)开展活动中,资金紧张。",
        "四、医院创先争优活动今后打算",
        "(四)完善建立的主要领导、主管领导、党支部书记、责任人的目标责任制。加强创先争优工作目标的落实情况的督查。",
    ],
    "004": [
        "医院党建述职评议工作",
        "近年来，xx总医院坚持以邓小平理论和“xxxx”重要思想为指导",
        "一、积极探索党建思路，促进医院行风建设",
        "努力构建“学习型的总支班子”;建立和完善了一系列党的工作制度",
        "成为党在基层的坚强战斗堡垒和密切联系党员群众的桥梁纽带。",
        "加强党风廉政建设和行业作风建设是党建工作的重中之重",
        "二、努力创建和谐医院，推动医院和谐发展",
        "以发展促进和谐。",
        "用素质营造和谐。创建和谐医院，必须把提高干部职工素质放在首位。",
        "努力健全和完善医疗服务体系：围绕零差错、零投诉的服务目标",
        "三、开展医疗扶贫救困，关爱社会弱势群体",
        "医院积极参与公益活动，为受灾群众捐款捐物。",
        "在社会上引起了强烈的反响。",
        "目前，医院已与各乡镇医院建立了技术协作关系，并免费接受基层医院的医务人员进修培训。",
    ],
}


@pytest.mark.parametrize(
    ("prefix", "sentence"), [(prefix, s) for prefix, sentences in BODY.items() for s in sentences]
)
def test_body_sentence_survives(prefix: str, sentence: str) -> None:
    _, cleaned = seed(prefix)
    assert normalize_text(sentence) in kept_text(cleaned)


def test_wrapped_sentences_are_whole_after_joining() -> None:
    for prefix, sentence in [
        ("000", "(二)围绕医院改革、发展、稳定中心任务大力开展思想政治工作,在思想上"),
        ("003", "(二)各党支部在活动中创新少,形式和方法单一,不够多样化,不够丰富多彩。"),
    ]:
        _, cleaned = seed(prefix)
        assert sentence in {line.text[: len(sentence)] for line in join_broken_lines(cleaned.lines)}


# ---------------------------------------------------------------------------------------------
# (2) Every chrome line of the seeds goes, with the expected rule, and nothing else goes.
# Line numbers are 0-based.

SEED_CHROME = {
    "000": {0: "seo-title", 1: "site-intro"},
    "001": {
        2: "watermark",  # 【www.zhangdahai.com--经济论文】
        40: "navigation",  # 文章出处:
        41: "uploader-note",  # 本文全部由自己书写 【大
        42: "widget",  # 中
        43: "widget",  # 小】
        44: "widget",  # 【打印】
        45: "widget",  # 【关闭】
        47: "html",  # align=center> color=red>[1]
        49: "navigation",  # 推荐访问:党组织 凝聚力 工作总结
        51: "navigation",  # 本文来源:http://www.zhangdahai.com/…
        53: "navigation",  # • 相关内容
        54: "navigation",  # • 热门专题
        55: "navigation",  # • 网站地图- 手机版
        56: "copyright",  # • Copyright @ www.zhangdahai.com 大海范文网 All Rights Reserved 黔ICP备…
        57: "copyright",  # • 免责声明:…请联系我们,我们将在48小时内删除!
    },
    "002": {
        15: "credit",  # 总编:张继红 审核:孙维东
        16: "credit",  # 审稿:孙 虎 责编:刘雨婕
        17: "credit",  # 内容来自:党委办
        **{n: "widget" for n in range(18, 27)},  # 不感兴趣 看过了 取消 人点赞 人收藏 打赏 …
        27: "membership",  # 您已认证成功,可享专属会员优惠,买1年送3个月!
        28: "membership",  # 开通会员,资料、课程、直播、报告等海量内容免费看!
        **{n: "widget" for n in range(29, 37)},  # 打赏金额 … 已收到您的咨询诉求 我们会尽快联系您
    },
    "003": {1: "repeated-line"},  # the title, emitted twice
    "004": {},
}


@pytest.mark.parametrize("prefix", sorted(SEED_CHROME))
def test_seed_chrome_lines_are_removed_whole(prefix: str) -> None:
    lines, cleaned = seed(prefix)
    whole = {s.line: s.rule for s in cleaned.removed if (s.start, s.end) == (0, len(lines[s.line]))}
    assert whole == SEED_CHROME[prefix]


@pytest.mark.parametrize("prefix", sorted(SEED_CHROME))
def test_seed_spans_slice_the_normalised_lines(prefix: str) -> None:
    lines, cleaned = seed(prefix)
    assert_spans_slice(lines, cleaned.removed)


def test_seed_inline_url_is_cut_from_a_body_sentence() -> None:
    lines, cleaned = seed("003")
    inline = [s for s in cleaned.removed if s.rule == "url"]
    assert inline == [
        RemovedSpan("url", 47, len(lines[47]) - 18, len(lines[47]), "http://nayishi.com")
    ]
    kept = {line.number: line.text for line in cleaned.lines}
    assert kept[47].endswith("分解成八项20条100分的详细工作目标责任书。")


def test_seed_every_other_line_is_kept_verbatim() -> None:
    for prefix, chrome in SEED_CHROME.items():
        lines, cleaned = seed(prefix)
        kept = {line.number: line.text for line in cleaned.lines}
        expected = {n for n, text in enumerate(lines) if text and n not in chrome}
        assert set(kept) == expected
        cut = {s.line for s in cleaned.removed if s.line not in chrome}
        assert all(kept[n] == lines[n] for n in expected - cut)


# ---------------------------------------------------------------------------------------------
# (3) One table per kind: (line in, text kept, rule). Kept text "" means the line went whole;
# rule None means nothing was removed, for body lines that merely look like chrome.

RULE_CASES = [
    # url
    ("详见http://www.example.com/a/1.html。", "详见。", "url"),
    ("访问www.dangjian.cn了解更多", "访问了解更多", "url"),
    ("目标责任书。http://nayishi.com", "目标责任书。", "url"),
    ("nayishi.com", "", "url"),
    ("https://www.zhangdahai.com/mianfeilunwen/jingjilunwen/2021/0212/119838.html", "", "url"),
    (
        "组织职工将读书心得制作成PPT参加读书报告会比赛。",
        "组织职工将读书心得制作成PPT参加读书报告会比赛。",
        None,
    ),
    ("如:04年上半年医院门急诊诊疗人次14.9万。", "如:04年上半年医院门急诊诊疗人次14.9万。", None),
    # watermark
    ("【www.zhangdahai.com--经济论文】", "", "watermark"),
    (
        "加强党风廉政建设【www.example.com--范文大全】和行业作风建设",
        "加强党风廉政建设和行业作风建设",
        "watermark",
    ),
    ("【大海范文网--工作总结】", "", "watermark"),
    ("【前言】", "【前言】", None),
    ("【案例】医院开展结对帮扶。", "【案例】医院开展结对帮扶。", None),
    # html
    ("align=center> color=red>[1]", "", "html"),
    ("<p>党员大会</p>", "党员大会", "html"),
    ("<br/>", "", "html"),
    ("召开&nbsp;党员大会", "召开党员大会", "html"),
    ("满意率<90%的科室要整改。", "满意率<90%的科室要整改。", None),
    # widget
    ("【打印】", "", "widget"),
    ("【打印】 【关闭】", "", "widget"),
    ("字体:【大 中 小】", "", "widget"),
    ("医院党建工作总结【打印】", "医院党建工作总结", "widget"),
    ("收藏 分享", "", "widget"),
    ("取消", "", "widget"),
    ("128人点赞", "", "widget"),
    ("人收藏", "", "widget"),
    ("扫描二维码", "", "widget"),
    ("认可我就打赏我~", "", "widget"),
    ("1元 5元 10元 20元 50元 其它打赏作者", "", "widget"),
    ("立即打赏给Ta吧!", "", "widget"),
    ("温馨提示:仅支持微信支付!", "", "widget"),
    ("已收到您的咨询诉求 我们会尽快联系您", "", "widget"),
    ("评论(0) 收藏 分享到:", "", "widget"),
    ("微信扫一扫 分享到朋友圈", "", "widget"),
    ("分享到:微信 微博 QQ空间", "", "widget"),
    ("• 分享至 朋友圈 | 新浪微博 | 复制链接", "", "widget"),
    ("党员在朋友圈分享到微信群的学习心得。", None, None),
    ("分享到微信群和朋友圈的学习资料共86份,党员反响热烈。", None, None),
    ("医院开展了“扫黑除恶”专项斗争,党员扫码学习强国积分名列前茅。", None, None),
    ("我们要认真分享经验。", None, None),
    ("严禁收受红包和打赏。", None, None),
    ("取消不合理收费项目12项。", None, None),
    ("打印机等办公设备统一采购。", None, None),
    ("收藏家协会党支部开展主题党日活动。", None, None),
    ("2010年元月,投资1800万元放疗中心投入使用。", None, None),
    # copyright
    ("Copyright © 2021 某某范文网 All Rights Reserved", "", "copyright"),
    ("黔ICP备2021006551号", "", "copyright"),
    ("版权所有:某某范文网", "", "copyright"),
    ("免责声明:本站部分信息来自互联网", "", "copyright"),
    ("若侵害了您的利益,请联系我们,我们将在48小时内删除!", "", "copyright"),
    ("严格落实版权保护和知识产权制度。", None, None),
    ("及时删除过时的宣传标语。", None, None),
    # uploader-note
    ("本文来源于网友上传,不代表本站观点", "", "uploader-note"),
    ("本文全部由自己书写", "", "uploader-note"),
    ("本文仅供参考", "", "uploader-note"),
    ("组织网络评议,广泛听取用户意见。", None, None),
    # reading on a phone, reach counters, follow prompts, pagination, download formats
    ("扫一扫手机阅读", "", "widget"),
    ("打开APP阅读全文", "", "widget"),
    ("本文已影响 1234 人", "", "widget"),
    ("已有56人阅读", "", "widget"),
    ("更多精彩内容请关注微信公众号", "", "widget"),
    ("第1页 共3页", "", "navigation"),
    ("共5页", "", "navigation"),
    ("返回目录", "", "navigation"),
    ("热门排行", "", "navigation"),
    ("文档为doc格式", "", "membership"),
    ("本文档格式为PDF", "", "membership"),
    ("全院已有56人阅读了《党章》", "全院已有56人阅读了《党章》", None),
    ("医院开通了微信公众号,请患者关注。", "医院开通了微信公众号,请患者关注。", None),
    ("(三)关注公众号阵地建设", "(三)关注公众号阵地建设", None),
    ("用手机阅读党史学习材料成为党员的日常习惯", "用手机阅读党史学习材料成为党员的日常习惯", None),
    ("第3页的表格列出了全年的学习安排。", "第3页的表格列出了全年的学习安排。", None),
    ("学习文档为支部自行编印", "学习文档为支部自行编印", None),
    ("TAG标签:党建 工作总结", "", "navigation"),
    ("上传者:admin 上传时间:2021-01-01", "", "credit"),
    ("[ 打 印 ] [ 关 闭 ]", "", "widget"),
    ("本文共计3256字,预计阅读时间9分钟", "", "paywall"),
    ("全屏阅读", "", "widget"),
    ("1/3页", "", "navigation"),
    ("查看更多>>", "", "paywall"),
    ("免费获取完整版", "", "membership"),
    ("Word版下载", "", "membership"),
    ("收藏本页", "", "widget"),
    ("<<返回列表", "", "navigation"),
    ("本文为原创,转载请注明出处", "", "navigation"),
    ("三、及时获取原文件并归档", "三、及时获取原文件并归档", None),
    ("党员上传者须对内容负责", "党员上传者须对内容负责", None),
    ("机关严格执行保密制度,涉密文件禁止转载。", "机关严格执行保密制度,涉密文件禁止转载。", None),
    ("全年共编印学习资料1/3页以上的专题摘要。", "全年共编印学习资料1/3页以上的专题摘要。", None),
    ("(二)查看更多群众意见", "(二)查看更多群众意见", None),
    ("您现在的位置:范文网 > 工作总结 > 正文", "", "navigation"),
    ("【导语】党建工作总结是对一年来工作的回顾。以下是本站整理的党建工作总结,供大家参考。", "", "site-intro"),
    ("编辑推荐:", "", "navigation"),
    ("本文由范文网整理发布", "", "uploader-note"),
    ("此文章由范文网原创,未经授权不得转载。", "", "uploader-note"),
    ("阅读:123 | 评论:0", "", "widget"),
    ("发表于 2021-05-05", "", "credit"),
    ("相关标签:党建 工作总结 学校", "", "navigation"),
    ("以上几点体会,供大家参考。", "以上几点体会,供大家参考。", None),
    ("本报告由党委办公室整理。", "本报告由党委办公室整理。", None),
    ("二、编辑推荐工作", "二、编辑推荐工作", None),
    ("全年阅读量达12万人次。", "全年阅读量达12万人次。", None),
    ("论文发表于2021年《党建研究》", "论文发表于2021年《党建研究》", None),
    ("会议认为,党建工作要落实到正文之外的每个环节。", "会议认为,党建工作要落实到正文之外的每个环节。", None),
    ("文库 > 实用文档 > 述职报告", "", "navigation"),
    ("页数:5页 大小:23KB 格式:DOCX", "", "credit"),
    ("贡献者:dangjian2021 下载积分:2", "", "credit"),
    ("文档评分:4.5", "", "credit"),
    ("喜欢此文档的还喜欢", "", "navigation"),
    ("举报该文档", "", "widget"),
    ("侵权投诉", "", "widget"),
    ("群众满意度>95%", "群众满意度>95%", None),
    ("考核评分:95分", "考核评分:95分", None),
    ("三、报送格式:按附件要求", "三、报送格式:按附件要求", None),
    ("职责排序:党员>群众>干部", "职责排序:党员>群众>干部", None),
    # lines of articles that look like the chrome above
    ("评分:优秀", "评分:优秀", None),
    ("格式:Word文档", "格式:Word文档", None),
    ("大小:不超过10MB", "大小:不超过10MB", None),
    ("页数:不少于5页", "页数:不少于5页", None),
    ("满意率>95% 合格率>90% 优秀率>60%", "满意率>95% 合格率>90% 优秀率>60%", None),
    ("优秀>良好>合格>基本合格", "优秀>良好>合格>基本合格", None),
    ("学习 > 讨论 > 落实 > 提升", "学习 > 讨论 > 落实 > 提升", None),
    ("党员大会 > 支委会 > 党小组会", "党员大会 > 支委会 > 党小组会", None),
    ("关键词:党建引领;基层治理;乡村振兴", "关键词:党建引领;基层治理;乡村振兴", None),
    ("【导语】2021年以来,某某县委坚持以党建引领基层治理,推动各项工作取得明显成效。",
     "【导语】2021年以来,某某县委坚持以党建引领基层治理,推动各项工作取得明显成效。", None),
    ("关注微信公众号“清廉某某”,及时了解党风廉政动态;", "关注微信公众号“清廉某某”,及时了解党风廉政动态;", None),
    ("意见反馈", "意见反馈", None),
    ("投诉举报", "投诉举报", None),
    ("相关资料", "相关资料", None),
    # navigation
    ("首页 > 范文大全 > 工作总结", "", "navigation"),
    ("当前位置:首页>工作总结", "", "navigation"),
    ("上一篇:2021年党建工作计划", "", "navigation"),
    ("下一篇:医院工会工作总结", "", "navigation"),
    ("相关推荐", "", "navigation"),
    ("• 相关内容", "", "navigation"),
    ("网站地图 | 手机版", "", "navigation"),
    ("推荐访问:党组织 凝聚力 工作总结", "", "navigation"),
    ("本文来源:http://www.example.com/1.html", "", "navigation"),
    ("文章出处:", "", "navigation"),
    ("登录 | 注册 | 我要投稿", "", "navigation"),
    ("Tags: 党建 总结", "", "navigation"),
    ("首页展示了医院的党建成果", None, None),
    ("下一篇章将由全体党员共同书写。", None, None),
    ("上一年度党建考核中,我院名列第一。", None, None),
    ("相关内容详见附件。", None, None),
    # membership
    ("开通会员,资料、课程、直播、报告等海量内容免费看!", "", "membership"),
    ("您已认证成功,可享专属会员优惠,买1年送3个月!", "", "membership"),
    ("VIP专享下载", "", "membership"),
    ("免费下载本文档", "", "membership"),
    ("登录后即可复制全文", "", "membership"),
    ("会员单位之间开展结对共建。", None, None),
    ("医院实行先诊疗后付费服务模式。", None, None),
    # paywall
    ("查看全文", "", "paywall"),
    ("展开全文>>", "", "paywall"),
    ("全文共3000字,当前显示500字", "", "paywall"),
    ("加强作风建设(此处隐藏2542字)", "加强作风建设", "paywall"),
    ("组织党员阅读全文并撰写心得体会。", None, None),
    ("此处隐藏着安全隐患,必须及时整改。", None, None),
    # seo-title
    ("2020党建工作总结_医院党建工作总结范文大全5篇", "", "seo-title"),
    ("党支部工作总结范文精选3篇", "", "seo-title"),
    ("2021年党史学习教育心得体会范文(通用6篇)", "", "seo-title"),
    ("医院党建工作总结范文(一)", None, None),
    ("20_年党建工作总结", None, None),
    ("推荐了1篇文章和2幅书法作品送市直机关工委参赛。", None, None),
    # site-intro
    (
        "在医院如何做好党建的工作?不断抓队伍,提高党员素质。下面是小编给大家带来的医院党建工作总结范文,"
        "我们一起来看看吧,希望大家能喜欢!",
        "",
        "site-intro",
    ),
    ("以上就是小编整理的医院党建工作总结,希望对大家有所帮助。", "", "site-intro"),
    ("下面是本站为大家整理的党建工作总结范文,供大家参考。", "", "site-intro"),
    ("欢迎阅读由范文网为您整理的党建总结", "", "site-intro"),
    ("专家给大家带来了一场精彩的健康讲座。", None, None),
    ("现将材料印发给你们,供大家参考。", None, None),
    ("欢迎上级领导莅临指导。", None, None),
    ("希望大家再接再厉。", None, None),
    # credit
    ("总编:张继红 审核:孙维东", "", "credit"),
    ("审稿:孙 虎 责编:刘雨婕", "", "credit"),
    ("内容来自:党委办", "", "credit"),
    ("来源:人民网 作者:李明", "", "credit"),
    ("发布时间:2021-02-12 10:33 浏览次数:120", "", "credit"),
    ("时间:2021-03-01 来源:网络 作者:佚名 点击:", "", "credit"),
    ("(责任编辑:张三)", "", "credit"),
    ("作者:admin 来源:原创 日期:2021-03-01", "", "credit"),
    ("时间:2021年3月5日", None, None),
    ("时间:2021年3月5日 地点:第一会议室", None, None),
    ("图:党员志愿者在社区开展义诊", None, None),
    ("来源于群众的意见建议", None, None),
    ("主持人:张三", None, None),
    ("党员捐款", None, None),
    # symbol-line
    ("——————", "", "symbol-line"),
    ("•", "", "symbol-line"),
    ("* * *", "", "symbol-line"),
    ("(一)", None, None),
]


@pytest.mark.parametrize(("text_in", "expected_kept", "expected_rule"), RULE_CASES)
def test_rule(text_in: str, expected_kept: str | None, expected_rule: str | None) -> None:
    cleaned = clean_lines([text_in])
    assert {span.rule for span in cleaned.removed} == ({expected_rule} if expected_rule else set())
    assert kept_text(cleaned) == (text_in if expected_kept is None else expected_kept)
    assert_spans_slice([text_in], cleaned.removed)


def test_every_pattern_rule_has_a_case() -> None:
    tested = {rule for _, _, rule in RULE_CASES}
    named = {rule.name for rule in chrome_rules()} - {"recurring-line", "repeated-line", "related-list"}
    assert named <= tested


def test_font_widget_split_over_lines() -> None:
    lines = ["党员捐款", "本文全部由自己书写 【大", "中", "小】", "【打印】"]
    cleaned = clean_lines(lines)
    assert [line.text for line in cleaned.lines] == ["党员捐款"]
    assert [(s.line, s.rule) for s in cleaned.removed] == [
        (1, "uploader-note"),
        (2, "widget"),
        (3, "widget"),
        (4, "widget"),
    ]


def test_link_list_below_the_article_is_chrome() -> None:
    lines = ["医院党建工作总结", "医院党委认真落实三会一课制度,全年召开支部委员会十二次。", "中共某某医院委员会",
             "2021年12月20日", "相关推荐", "", "2021年党建工作总结", "述职报告", "感谢阅读。", "猜你喜欢:"]
    cleaned = clean_lines(lines)
    assert [line.text for line in cleaned.lines] == lines[:4] + ["感谢阅读。"]
    assert [(s.line, s.rule) for s in cleaned.removed] == [
        (4, "navigation"), (6, "related-list"), (7, "related-list"), (9, "navigation")]


@pytest.mark.parametrize("lines", [
    # a page of slogans has no sentence, so no line stands below the last one
    ["首页 | 热门文章 | 最新文章 | 联系我们", "2021年党建宣传标语大全", "不忘初心 牢记使命", "坚持党的领导 加强党的建设"],
    # a signature and a date are no link titles, even under a 推荐阅读 box
    ["今年以来,我支部认真贯彻落实上级党委的各项部署,取得了一定成效。", "推荐阅读:", "中共某某村支部委员会", "2021年12月20日"],
    # numbered headings are no link titles
    ["今年以来,我支部认真贯彻落实上级党委的各项部署,取得了一定成效。", "延伸阅读", "一、加强理论学习总结", "1.强化组织建设"],
])
def test_related_list_takes_no_article_line(lines: list[str]) -> None:
    cleaned = clean_lines(lines)
    assert [s.rule for s in cleaned.removed] == ["navigation"]
    assert len(cleaned.lines) == len(lines) - 1


def test_a_list_heading_word_in_the_body_takes_nothing_along() -> None:
    lines = ["相关推荐", "一、基本情况", "医院党委认真落实三会一课制度,全年召开支部委员会十二次。", "支部书记述职",
             "我院形成了相关推荐机制,效果良好。", "落款"]
    cleaned = clean_lines(lines)
    assert [line.text for line in cleaned.lines] == lines[1:]  # the heading above the body goes alone
    assert [s.rule for s in cleaned.removed] == ["navigation"]


def test_font_widget_split_over_lines_with_blank_lines_between() -> None:
    lines = ["党员捐款", "字体:【大", "", "中", "", "小】", "", "一、基本情况"]
    cleaned = clean_lines(lines)
    assert [line.text for line in cleaned.lines] == ["党员捐款", "一、基本情况"]
    assert [(s.line, s.rule) for s in cleaned.removed] == [(1, "widget"), (3, "widget"), (5, "widget")]
    assert_spans_slice(lines, cleaned.removed)


def test_font_widget_after_body_text_is_cut_inline() -> None:
    cleaned = clean_lines(["敢于创新;字体【大", "中", "小】"])
    assert [line.text for line in cleaned.lines] == ["敢于创新;"]
    assert_spans_slice(["敢于创新;字体【大", "中", "小】"], cleaned.removed)


def test_blank_lines_are_dropped_unrecorded() -> None:
    cleaned = clean_lines(["", "一、概况", "   ", "正文。"])
    assert [(line.number, line.text) for line in cleaned.lines] == [(1, "一、概况"), (3, "正文。")]
    assert cleaned.removed == []


def test_repeated_line_only_when_consecutive() -> None:
    cleaned = clean_lines(["医院述职报告", "", "医院述职报告", "正文。", "医院述职报告"])
    assert [s.line for s in cleaned.removed if s.rule == "repeated-line"] == [2]
    assert [line.number for line in cleaned.lines] == [0, 3, 4]


def test_clean_text_normalises_first() -> None:
    cleaned = clean_text("醫院黨建工作總結\r\n【打印】\r\n（一）加強學習。")
    assert [(line.number, line.text) for line in cleaned.lines] == [
        (0, "医院党建工作总结"),
        (2, "(一)加强学习。"),
    ]
    assert [s.rule for s in cleaned.removed] == ["widget"]


def test_chrome_lines_argument() -> None:
    lines = ["大海范文网 精品文章", "正文第一句。", "大海范文网 精品文章"]
    cleaned = clean_lines(lines, chrome_lines=frozenset({"大海范文网 精品文章"}))
    assert [line.text for line in cleaned.lines] == ["正文第一句。"]
    assert {(s.line, s.rule) for s in cleaned.removed} == {
        (0, "recurring-line"),
        (2, "recurring-line"),
    }


# ---------------------------------------------------------------------------------------------
# (4) Properties: body sentences interleaved with chrome survive; spans always slice.

# Characters of article prose, without the few that chrome keywords are made of.
BODY_CHARS = "".join(
    sorted(
        set(re.sub(r"[^\u4e00-\u9fff]", "", "".join(BODY["002"] + BODY["004"])))
        - set("小编网站本载您你赏")
    )
)
body_sentence = st.builds(
    lambda parts: ",".join(parts) + "。",
    st.lists(st.text(alphabet=BODY_CHARS, min_size=2, max_size=25), min_size=1, max_size=4),
)
chrome_line = st.sampled_from([text for text, kept, rule in RULE_CASES if rule and kept == ""])


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.tuples(st.just(True), body_sentence),
            st.tuples(st.just(False), chrome_line),
            st.tuples(st.just(False), st.just("")),
        ),
        max_size=30,
    )
)
def test_body_sentences_survive_among_chrome(tagged: list[tuple[bool, str]]) -> None:
    lines = [text for _, text in tagged]
    cleaned = clean_lines(lines)
    kept = {line.text for line in cleaned.lines}
    assert {text for is_body, text in tagged if is_body} <= kept
    assert_spans_slice(lines, cleaned.removed)


@settings(max_examples=300)
@given(st.text(max_size=300))
def test_spans_slice_arbitrary_text(text: str) -> None:
    lines = normalize_text(text).split("\n")
    cleaned = clean_lines(lines)
    assert_spans_slice(lines, cleaned.removed)
    numbers = [line.number for line in cleaned.lines]
    assert numbers == sorted(set(numbers))
    assert all(line.text for line in cleaned.lines)


FRAGMENTS = [
    "【", "】", "[", "]", "(", ")", "大", "中", "小", "字体", "【打印】", "打印", "http://a.com",
    "www.b.cn", "x.com", "&nbsp;", "<p>", "align=x>", "此处隐藏12字", "党建", "。", ",", "小编",
    "...", " ", "\n",
]  # fmt: skip


@settings(max_examples=500)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40))
def test_every_character_is_kept_or_recorded(parts: list[str]) -> None:
    lines = normalize_text("".join(parts)).split("\n")
    cleaned = clean_lines(lines)
    removed: set[tuple[int, int]] = set()
    for span in cleaned.removed:
        assert lines[span.line][span.start : span.end] == span.text
        positions = {(span.line, i) for i in range(span.start, span.end)}
        assert not positions & removed, "spans overlap"
        removed |= positions
    kept = {line.number: line.text for line in cleaned.lines}
    for number, line in enumerate(lines):
        rest = "".join(c for i, c in enumerate(line) if (number, i) not in removed)
        assert rest.strip() == kept.get(number, "")


# ---------------------------------------------------------------------------------------------
# The corpus-level signal.

ARTICLE_A = [
    "医院党建工作总结",
    "大海范文网 精品文章推荐",
    "一、加强组织建设",
    "今年以来,医院党委认真落实全面从严治党主体责任,不断加强基层党组织建设,党建工作取得新成效。",
    "存在的问题",
    "个别党员理论学习不够深入,学用结合还有差距,需要在今后工作中认真加以改进和提高。",
    "大海范文网 精品文章推荐",
]
ARTICLE_B = [
    "社区党支部述职报告",
    "大海范文网 精品文章推荐",
    "一、加强组织建设",
    "一年来,社区党支部坚持以党建引领基层治理,组织党员开展志愿服务活动二十余次,群众满意度明显提高。",
    "存在的问题",
    "支部活动形式还比较单一,对年轻党员的吸引力不够强,需要进一步创新活动载体和方式方法。",
    "返回首页 精品文章推荐",
]


def test_recurring_banner_found_and_headings_kept() -> None:
    chrome = recurring_chrome_lines({"a": ARTICLE_A, "b": ARTICLE_B})
    assert chrome == frozenset({"大海范文网 精品文章推荐"})
    cleaned = clean_lines(ARTICLE_A, chrome_lines=chrome)
    assert "一、加强组织建设" in kept_text(cleaned)
    assert "存在的问题" in kept_text(cleaned)
    assert [s.line for s in cleaned.removed if s.rule == "recurring-line"] == [1, 6]


def test_recurring_needs_min_sources() -> None:
    files = {"a": ARTICLE_A, "b": ARTICLE_B}
    assert recurring_chrome_lines(files, min_sources=3) == frozenset()
    assert recurring_chrome_lines({"a": ARTICLE_A}) == frozenset()


def test_recurring_ignores_copies_of_one_article() -> None:
    # Two sites carrying the same article share its title and subtitle: not chrome.
    copy = ["医院党建工作总结", "大海范文网 精品文章推荐", *ARTICLE_A[2:]]
    assert recurring_chrome_lines({"a": ARTICLE_A, "copy": copy}) == frozenset()


def test_recurring_ignores_title_slot_and_short_lines() -> None:
    a = ["党建工作", "第一段正文写得很长很长,足够成为一个正文段落,而且以句号结束。", "顶"]
    b = ["党建工作", "另一篇文章的正文也写得很长很长,同样足够成为一个正文段落。", "顶"]
    assert recurring_chrome_lines({"a": a, "b": b}) == frozenset({"顶"})
    c = [
        "正文前的一行",
        "党建工作",
        "第一段正文写得很长很长,足够成为一个正文段落,而且以句号结束。",
        "医院",
    ]
    d = ["另一行", "党建工作", "另一篇文章的正文也写得很长很长,同样足够成为一个正文段落。", "医院"]
    # "党建工作总结"-like titles and three-character lines that are no widget word stay.
    assert recurring_chrome_lines({"c": c, "d": d}) == frozenset({"党建工作"})


def test_recurring_on_seeds_finds_nothing() -> None:
    files = {prefix: seed(prefix)[0] for prefix in BODY}
    assert recurring_chrome_lines(files) == frozenset()


# ---------------------------------------------------------------------------------------------
# The rule file itself.


def test_rules_are_documented() -> None:
    for rule in chrome_rules():
        assert rule.name and rule.description and rule.scope in ("line", "inline")
        assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", rule.name)


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_keys_cover_markers(data: st.DataObject) -> None:
    # A line with no key skips the markers, so every marker match must contain a key.
    for rule in chrome_rules():
        for marker in rule.markers:
            match = data.draw(st.from_regex(marker, fullmatch=True))
            assert any(key in match for key in rule.keys), (rule.name, marker, match)


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_inline_trigger_covers_inline_patterns(data: st.DataObject) -> None:
    from djmine.clean import _ruleset

    # Lines without a trigger skip the inline pass, and the combined pattern only tries
    # positions holding a start character: every inline match must satisfy both.
    trigger = _ruleset().inline_trigger
    start = _ruleset().inline_start
    for rule in chrome_rules():
        if rule.scope == "inline":
            for pattern in rule.patterns:
                match = data.draw(st.from_regex(pattern, fullmatch=True))
                assert not match or trigger.search(match), (rule.name, pattern, match)
                assert not match or start.match(match), (rule.name, pattern, match)
