"""The ingest pipeline on the seeds, on every encoding, on re-ingests and on bad input."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from djmine.pipeline import ingest
from djmine.store import Store


def seed_ids(store: Store) -> dict[str, list[str]]:
    by_stem: dict[str, list[str]] = {}
    for doc in store.documents():
        by_stem.setdefault(doc.stem[:3], []).append(doc.id)
    return by_stem


def test_seeds_give_five_parts_for_000_and_one_for_the_rest(seed_store: Store) -> None:
    ids = seed_ids(seed_store)
    assert ids["000"] == [f"000_645f09018402f143#{n}" for n in range(1, 6)]
    for stem in ("001", "002", "003", "004"):
        assert len(ids[stem]) == 1 and "#" not in ids[stem][0]


def test_document_fields(seed_store: Store, seeds_dir: Path) -> None:
    docs = {d.id[:5]: d for d in seed_store.documents()}
    third = seed_store.resolve("000#3")[0]
    assert third.part == 3 and third.title == "医院党建工作总结范文(三)"
    assert "上海武警总医院" in third.text
    assert docs["004_e"].title == "医院党建述职评议工作"
    assert docs["004_e"].placeholders >= 2  # xx总医院, “xxxx”
    assert 2022 in docs["002_2"].years
    for doc in seed_store.documents():
        assert doc.encoding == "utf-8"
        assert doc.chars == len(doc.text) > 500
        assert Path(doc.source).name.startswith(doc.stem)
        assert doc.raw and doc.raw in (seeds_dir / Path(doc.source).name).read_text("utf-8")


def test_chrome_is_removed_and_audited(seed_store: Store) -> None:
    d001 = seed_store.resolve("001")[0]
    d002 = seed_store.resolve("002")[0]
    for doc in (d001, d002):
        assert doc.removed_chars > 100
        assert doc.removed_chars == sum(len(s.text) for s in doc.removed)
        assert all(s.rule for s in doc.removed)
    assert "zhangdahai" not in d001.text and "ICP" not in d001.text
    assert "打赏" not in d002.text and "开通会员" not in d002.text
    first = seed_store.resolve("000#1")[0]
    assert "小编" not in first.text and "范文大全" not in first.text
    assert {s.rule for s in first.removed}  # the SEO title and 小编 intro are audited on part 1


def test_removed_spans_point_into_the_normalised_source(seed_store: Store, seeds_dir: Path) -> None:
    from djmine.normalize import normalize_text

    for doc in seed_store.documents():
        lines = normalize_text((seeds_dir / Path(doc.source).name).read_text("utf-8")).split("\n")
        for span in doc.removed:
            assert lines[span.line][span.start:span.end] == span.text


def test_reingest_changes_nothing(store_copy: Store, seeds_dir: Path) -> None:
    path = store_copy.table_path("documents")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    report = ingest([seeds_dir], Store(store_copy.path))
    assert report.added == [] and report.updated == [] and len(report.unchanged) == 9
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_changed_file_replaces_its_documents(tmp_path: Path, seeds_dir: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    store = Store(tmp_path / ".djmine")
    ingest([corpus], store)
    f004 = next(corpus.glob("004_*.txt"))
    f004.write_text(f004.read_text("utf-8") + "\n我院坚持每月开展主题党日活动。\n", encoding="utf-8")
    f000 = next(corpus.glob("000_*.txt"))
    text = f000.read_text("utf-8")
    f000.write_text(text[: text.index("医院党建工作总结范文(五)")], encoding="utf-8")
    report = ingest([corpus], Store(store.path))
    # 000#4 now ends the file, so its raw lines gain the file's last line break
    assert report.updated == ["000_645f09018402f143#4", "004_e0a56b618b8c2f77"]
    assert report.deleted == ["000_645f09018402f143#5"]
    assert len(report.unchanged) == 6
    docs = Store(store.path).documents()
    assert len(docs) == 8
    assert "主题党日活动" in Store(store.path).resolve("004")[0].text


def test_other_files_stay_when_one_file_is_ingested(store_copy: Store, tmp_path: Path) -> None:
    extra = tmp_path / "new.txt"
    extra.write_text("社区党委工作总结\n今年,社区党委深入开展党史学习教育。\n", encoding="utf-8")
    report = ingest([extra], Store(store_copy.path))
    assert report.added == ["new"]
    assert len(Store(store_copy.path).documents()) == 10


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-16", "utf-8-sig"])
def test_every_encoding_gives_the_same_documents(tmp_path: Path, seeds_dir: Path, encoding: str,
                                                 seed_store: Store) -> None:
    src = next(seeds_dir.glob("003_*.txt"))
    (tmp_path / "in").mkdir()
    target = tmp_path / "in" / src.name
    target.write_bytes(src.read_text("utf-8").encode(encoding))
    store = Store(tmp_path / ".djmine")
    ingest([target], store)
    doc = store.documents()[0]
    assert doc.text == seed_store.resolve("003")[0].text
    assert doc.encoding == {"gbk": "gb18030", "utf-16": "utf-16", "utf-8-sig": "utf-8-sig"}.get(encoding, encoding)


def test_big5_traditional_becomes_simplified(tmp_path: Path) -> None:
    target = tmp_path / "big5.txt"
    target.write_bytes("醫院黨建工作總結\n今年,醫院黨委認真落實「三會一課」制度,深入開展黨史學習教育。\n".encode("big5"))
    store = Store(tmp_path / ".djmine")
    ingest([target], store)
    doc = store.documents()[0]
    assert doc.encoding.startswith(("big5", "cp950"))
    assert "医院党委认真落实" in doc.text and "党史学习教育" in doc.text


def test_bad_inputs_are_skipped_with_reasons(tmp_path: Path, seeds_dir: Path) -> None:
    corpus = tmp_path / "mixed"
    corpus.mkdir()
    shutil.copy(next(seeds_dir.glob("004_*.txt")), corpus / "good.txt")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (corpus / "bad.txt").write_bytes(b"\xef\xbb\xbf\xff\xfe\xfa\xfb" * 50)
    with open(corpus / "huge.txt", "wb") as handle:  # sparse: 50 MB without writing 50 MB
        handle.truncate(50 * 2**20)
    os.symlink(corpus, corpus / "loop")
    os.symlink(corpus / "selfref.txt", corpus / "selfref.txt")
    report = ingest([corpus, tmp_path / "missing"], Store(tmp_path / ".djmine"))
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert [d.id for d in report.documents] == ["good"]
    assert reasons["empty.txt"] == "empty file"
    assert reasons["image.txt"].startswith("binary file")
    assert reasons["bad.txt"].startswith("undecodable")
    assert "50.0 MB" in reasons["huge.txt"]
    assert "symlink loop" in reasons["loop"] and reasons["selfref.txt"] == "symlink loop"
    assert reasons["missing"] == "no such file or directory"
    assert report.exit_code == 1


def test_nothing_readable_is_exit_2_and_store_untouched(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    store = Store(tmp_path / ".djmine")
    report = ingest([tmp_path / "empty.txt"], store)
    assert report.exit_code == 2 and not store.exists()


def test_interrupt_during_ingest_keeps_previous_corpus(store_copy: Store, seeds_dir: Path,
                                                       monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import djmine.pipeline as ingest_module

    before = store_copy.table_path("documents").read_bytes()
    corpus = tmp_path / "c"
    shutil.copytree(seeds_dir, corpus)
    for f in corpus.iterdir():
        f.write_text(f.read_text("utf-8") + "\n新增一段正文,内容有变化。\n", encoding="utf-8")
    calls = {"n": 0}
    real = ingest_module.file_documents

    def interrupt_on_third(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(ingest_module, "file_documents", interrupt_on_third)
    with pytest.raises(KeyboardInterrupt):
        ingest([corpus], Store(store_copy.path))
    assert store_copy.table_path("documents").read_bytes() == before
    with Store(store_copy.path).lock():  # the lock was released
        pass


def test_worker_processes_give_the_same_documents(tmp_path: Path, seeds_dir: Path, seed_store: Store,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import djmine.pipeline as pipeline_module

    monkeypatch.setattr(pipeline_module, "FILES_PER_BATCH", 1)  # five groups: both lanes work
    store = Store(tmp_path / ".djmine")
    report = ingest([seeds_dir], store, workers=2)
    assert len(report.added) == 9
    assert Store(store.path).documents() == seed_store.documents()
    assert not pipeline_module._KEPT.files  # nothing of the ingest stays in memory


def test_lanes_give_each_group_the_same_lane_and_keep_order() -> None:
    from djmine.pipeline import _Lanes

    with _Lanes(2) as lanes:
        first = list(lanes.map(_pid_and_item, list(range(12))))
        second = list(lanes.map(_pid_and_item, list(range(12))))
    assert [item for _, item in first] == list(range(12))
    assert first == second  # same lane (process) for the same group in both passes
    lane_of = [pid for pid, _ in first]
    assert lane_of.count(os.getpid()) == 5  # this process: 2 groups in 5
    assert len(set(lane_of)) == 2


def test_three_lanes_keep_order_and_lanes() -> None:
    # More than one worker pool: they start with forkserver, never fork a threaded process.
    from djmine.pipeline import _Lanes

    with _Lanes(3) as lanes:
        first = list(lanes.map(_pid_and_item, list(range(16))))
        second = list(lanes.map(_pid_and_item, list(range(16))))
    assert [item for _, item in first] == list(range(16)) and first == second
    assert len({pid for pid, _ in first}) == 3


def _pid_and_item(item: int) -> tuple[int, int]:
    return os.getpid(), item


def test_large_ingest_streams_in_row_groups(tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Documents are written in several row groups instead of being held until the end."""
    import pyarrow.parquet as pq

    import djmine.pipeline as pipeline_module
    import djmine.store as store_module

    monkeypatch.setattr(store_module, "ROW_GROUP_BYTES", 20_000)
    monkeypatch.setattr(pipeline_module, "FILES_PER_BATCH", 1)
    store = Store(tmp_path / ".djmine")
    ingest([seeds_dir], store)
    assert pq.ParquetFile(store.table_path("documents")).num_row_groups > 1
    assert len(Store(store.path).documents()) == 9


def test_a_line_recurring_across_unrelated_sources_is_chrome(tmp_path: Path) -> None:
    bodies = ["今年,社区党委深入开展党史学习教育,组织党员志愿服务三十余次。\n全年发展党员两名,按期转正一名。",
              "医院党委严格落实三会一课制度,全年召开支部委员会十二次。\n各支部开展主题党日活动,党员参与率达到百分之九十。"]
    for n, body in enumerate(bodies):
        (tmp_path / f"doc{n}.txt").write_text(f"第{n}篇工作总结\n{body}\n城乡党建资料库\n", encoding="utf-8")
    store = Store(tmp_path / ".djmine")
    ingest([tmp_path], store)
    for doc in store.documents():
        assert "城乡党建资料库" not in doc.text
        assert [s.rule for s in doc.removed] == ["recurring-line"]
        assert doc.text.splitlines()[-1].endswith("。")  # the body is all there


def test_html_page_in_gbk_is_cleaned(tmp_path: Path, seed_store: Store) -> None:
    article = seed_store.resolve("004")[0]
    paragraphs = "".join(f"<p>{line}</p>\n" for line in article.raw.splitlines() if line.strip())
    page = (
        '<html><head><meta charset="gbk"><title>医院党建述职评议工作_范文网</title>'
        "<script>var ad='打赏';</script></head><body>"
        '<div class="nav"><a href="/">首页</a> &gt; <a href="/dj/">党建范文</a> &gt; 正文</div>'
        f"<div class='content'>{paragraphs}</div><div>分享到:微信 微博 QQ空间</div>"
        "<div>上一篇:社区党建工作总结</div><div>下一篇:学校党建工作总结</div>"
        "<div>Copyright 2021 范文网 版权所有 京ICP备12345678号</div></body></html>"
    )
    (tmp_path / "page.html").write_bytes(page.encode("gbk"))
    store = Store(tmp_path / ".djmine")
    ingest([tmp_path / "page.html"], store)
    doc = store.documents()[0]
    assert doc.encoding == "gb18030" and doc.title == "医院党建述职评议工作"
    assert doc.text == article.text  # the page's body is exactly the seed's clean text
    assert {s.rule for s in doc.removed} >= {"seo-title", "navigation", "widget", "copyright"}


def test_ingest_does_not_import_pandas(tmp_path: Path, seeds_dir: Path) -> None:
    # pandas costs 45 MB and 0.2 s per process; ingest builds its Arrow batches without it.
    code = ("import sys; from djmine.pipeline import ingest; from djmine.store import Store; "
            f"ingest([{str(seeds_dir / '000_645f09018402f143.txt')!r}], Store({str(tmp_path / 's')!r})); "
            f"r = ingest([{str(seeds_dir)!r}], Store({str(tmp_path / 's')!r})); "
            "print(len(r.added), len(r.unchanged), 'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["4", "5", "False"]


def test_kept_texts_give_the_same_store_as_reading_again(tmp_path: Path, seeds_dir: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import djmine.pipeline as pipeline_module

    ingest([seeds_dir], Store(tmp_path / "kept"))
    monkeypatch.setattr(pipeline_module, "CACHE_BYTES", 0)  # pass 2 reads and normalises again
    ingest([seeds_dir], Store(tmp_path / "again"))
    assert Store(tmp_path / "kept").documents() == Store(tmp_path / "again").documents()


def test_a_file_edited_between_the_two_passes_is_stored_as_it_is_now(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import djmine.clean as clean_module

    (tmp_path / "a.txt").write_text("第一篇\n原来的正文,写于2019年。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("第二篇\n另一篇正文。\n", encoding="utf-8")
    recurring = clean_module.recurring_lines

    def edit_then_recurring(profiles, **kwargs):  # runs between pass 1 and pass 2
        (tmp_path / "a.txt").write_text("第一篇\n改过的正文,写于2021年。\n", encoding="utf-8")
        (tmp_path / "b.txt").unlink()
        return recurring(profiles, **kwargs)

    monkeypatch.setattr(clean_module, "recurring_lines", edit_then_recurring)
    report = ingest([tmp_path], Store(tmp_path / ".djmine"))
    (doc,) = Store(tmp_path / ".djmine").documents()
    assert (doc.text, doc.years) == ("第一篇\n改过的正文,写于2021年。", (2021,))
    assert "改过的正文" in doc.raw
    assert [Path(s.path).name for s in report.skipped] == ["b.txt"]


def test_a_file_named_twice_is_ingested_once(tmp_path: Path, seeds_dir: Path) -> None:
    single = seeds_dir / "004_e0a56b618b8c2f77.txt"
    report = ingest([seeds_dir, single, str(single)], Store(tmp_path / ".djmine"))
    ids = [d.id for d in Store(tmp_path / ".djmine").documents()]
    assert len(ids) == len(set(ids)) == 9
    assert len(report.added) == 9


def test_bad_files_in_a_worker_lane_are_skipped_with_reasons(tmp_path: Path, seeds_dir: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import djmine.pipeline as pipeline_module

    monkeypatch.setattr(pipeline_module, "FILES_PER_BATCH", 1)  # one file a group, lanes alternate
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    (corpus / "a_image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (corpus / "b_empty.txt").write_bytes(b"")
    (corpus / "c_gbk.txt").write_bytes("医院党委认真落实三会一课制度。".encode("gbk"))
    report = ingest([corpus], Store(tmp_path / ".djmine"), workers=2)
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert set(reasons) == {"a_image.txt", "b_empty.txt"}
    assert "binary" in reasons["a_image.txt"] and reasons["b_empty.txt"] == "empty file"
    assert report.exit_code == 1 and len(report.added) == 10
    (doc,) = Store(tmp_path / ".djmine").resolve("c_gbk")
    assert (doc.encoding, doc.text) == ("gb18030", "医院党委认真落实三会一课制度。")
