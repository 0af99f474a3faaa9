"""Segmentation keeps the lexicon whole; the token cache is reused, refreshed and invalidated."""

from __future__ import annotations

from pathlib import Path

import pytest

from djmine import segment as seg
from djmine.lexicon import Lexicon, load_lexicon
from djmine.segment import corpus_tokens, segment, segment_texts, split_tokens
from djmine.store import Store

TEMPLATES = [
    "{}",
    "我们认真学习{}的精神。",
    "深入开展{}，",
    "坚持以{}为指导,推动工作",
    "要把“{}”落到实处",
    "院党委开展{}活动",
]


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


def test_every_lexicon_term_stays_one_token(lexicon: Lexicon) -> None:
    broken = [
        (term, template)
        for term in lexicon.terms
        for template in TEMPLATES
        if term not in segment(template.format(term), lexicon)
    ]
    assert broken == []


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("深入开展“两学一做”学习教育", "两学一做"),
        ("严格落实三会一课制度", "三会一课"),
        ("认真落实“一岗双责”", "一岗双责"),
        ("坚持“三重一大”集体讨论", "三重一大"),
        ("加强党风廉政建设和行业作风建设", "党风廉政建设"),
        ("开展党的群众路线教育实践活动", "群众路线教育实践活动"),
    ],
)
def test_terms_plain_jieba_cuts_stay_whole(text: str, term: str, lexicon: Lexicon) -> None:
    assert term in segment(text, lexicon)


@pytest.mark.parametrize(
    "text",
    ["不忘初心、牢记使命", "不忘初心,牢记使命", "不忘初心，牢记使命", "不忘初心, 牢记使命"],
)
def test_punctuated_terms_come_back_in_lexicon_spelling(text: str, lexicon: Lexicon) -> None:
    assert segment(f"开展{text}教育", lexicon) == ["开展", "不忘初心、牢记使命", "教育"]


def test_punctuated_term_needs_its_punctuation(lexicon: Lexicon) -> None:
    tokens = segment("党政机关厉行节约反对浪费条例", lexicon)
    assert "厉行节约、反对浪费" not in tokens


def test_longest_punctuated_term_wins(lexicon: Lexicon) -> None:
    assert segment("不忘初心、牢记使命主题教育", lexicon) == ["不忘初心、牢记使命主题教育"]


def test_whitespace_dropped_and_line_breaks_kept_once(lexicon: Lexicon) -> None:
    tokens = segment("党建  工作\n\n  三会一课 ", lexicon)
    assert tokens == ["党建", "工作", "\n", "三会一课"]
    assert all(seg.TOKEN_SEP not in t for t in tokens)


def test_user_terms_stay_whole(tmp_path: Path) -> None:
    path = tmp_path / "mine.txt"
    path.write_text("红色引擎\tcampaign\n", encoding="utf-8")
    assert "红色引擎" in segment("实施红色引擎工程", load_lexicon(path))


def test_global_jieba_is_untouched(lexicon: Lexicon) -> None:
    import jieba

    segment("两学一做", lexicon)
    assert "两学一做" not in jieba.lcut("深入开展两学一做学习教育")


def test_split_tokens_round_trips() -> None:
    assert split_tokens(seg.TOKEN_SEP.join(["a", "\n", "b"])) == ["a", "\n", "b"]
    assert split_tokens("") == []


def test_parallel_segmentation_equals_serial(
    seed_store: Store, lexicon: Lexicon, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = [d.text for d in seed_store.documents()] * 3
    serial = list(segment_texts(texts, lexicon, workers=1))
    monkeypatch.setattr(seg, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(seg, "PARALLEL_MIN_CHARS_FAST", 0)
    monkeypatch.setattr(seg, "BATCH_CHARS", 4000)
    seen: list[tuple[int, int]] = []
    parallel = list(
        segment_texts(texts, lexicon, workers=2, progress=lambda d, t: seen.append((d, t)))
    )
    assert parallel == serial
    total = sum(map(len, texts))
    assert len(seen) > 3 and seen[-1] == (total, total)


def test_corpus_tokens_cached_and_reused(
    store_copy: Store, lexicon: Lexicon, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = corpus_tokens(store_copy, lexicon)
    docs = store_copy.documents()
    assert set(first) == {d.id for d in docs}
    assert first[docs[0].id] == segment(docs[0].text, lexicon)
    assert store_copy.table_path(seg.TOKENS_TABLE).is_file()

    def no_segmenting(*args, **kwargs):
        raise AssertionError("cached tokens should have been used")

    monkeypatch.setattr(seg, "segment_texts", no_segmenting)
    assert corpus_tokens(Store(store_copy.path), lexicon) == first


def test_lexicon_change_invalidates_cache(
    store_copy: Store, lexicon: Lexicon, tmp_path: Path
) -> None:
    corpus_tokens(store_copy, lexicon)
    path = tmp_path / "mine.txt"
    path.write_text("凝聚力建设\n", encoding="utf-8")
    mine = load_lexicon(path)
    tokens = corpus_tokens(Store(store_copy.path), mine)
    assert any("凝聚力建设" in t for t in tokens.values())
    cached = seg.read_token_cache(Store(store_copy.path), mine.fingerprint)
    assert len(cached) == len({d.sha256 for d in store_copy.documents()})
    assert seg.read_token_cache(Store(store_copy.path), lexicon.fingerprint) == {}


def test_only_missing_documents_are_segmented(
    store_copy: Store, lexicon: Lexicon, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus_tokens(store_copy, lexicon)
    docs = store_copy.documents()
    stale = docs[0].sha256
    cached = seg.read_token_cache(store_copy, lexicon.fingerprint)
    del cached[stale]
    seg._write_token_cache(store_copy, lexicon.fingerprint, cached)
    calls: list[list[str]] = []
    real = seg.segment_texts

    def counting(texts, *args, **kwargs):
        calls.append(list(texts))
        return real(texts, *args, **kwargs)

    monkeypatch.setattr(seg, "segment_texts", counting)
    corpus_tokens(Store(store_copy.path), lexicon)
    assert calls == [[docs[0].text]]


def test_damaged_cache_is_rebuilt(store_copy: Store, lexicon: Lexicon) -> None:
    store_copy.table_path(seg.TOKENS_TABLE).write_bytes(b"not parquet")
    tokens = corpus_tokens(store_copy, lexicon)
    assert len(tokens) == len(store_copy.documents())
    assert seg.read_token_cache(Store(store_copy.path), lexicon.fingerprint)


TRICKY = [
    "做B超检查,穿T恤衫,唱卡拉OK",
    "防治SARS中,xx医院与xxxx重要思想",
    "20_年工作,满意率达90.84%,共1379人次,5.12护士节",
    "网址http://www.example.com/a_b-c.html。C++和C#",
    "第一\r\n第二\n\n  第三\t四",
    "2010年元月,投资1800万元放疗中心投入使用。",
]


@pytest.mark.parametrize("text", TRICKY)
def test_fast_backend_gives_jiebas_tokens(text: str, lexicon: Lexicon) -> None:
    pytest.importorskip("jieba_fast_dat")
    fast, slow = seg._Segmenter(lexicon), seg._Segmenter(lexicon, fast=False)
    assert fast.fast is not None and slow.fast is None
    assert fast.tokens(text) == slow.tokens(text)


def test_fast_backend_parity_on_the_seeds(seed_store: Store, lexicon: Lexicon) -> None:
    pytest.importorskip("jieba_fast_dat")
    fast, slow = seg._Segmenter(lexicon), seg._Segmenter(lexicon, fast=False)
    for doc in seed_store.documents():
        assert fast.tokens(doc.text) == slow.tokens(doc.text), doc.id
