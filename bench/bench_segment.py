"""Benchmark segmentation and themes on a large corpus made from the seeds.

Builds (or reuses, under ``bench/out/``) a corpus of at least ``--size-mb`` MB of UTF-8 text by
recombining and perturbing seed paragraphs, then measures on the same text:

* plain ``jieba.lcut`` in one process (the baseline), MB/s;
* djmine's segmentation (``segment_texts``: lexicon terms whole, 2 worker processes, the
  jieba_fast_dat backend when installed), MB/s;
* parity on a sample: djmine's parallel tokens equal its serial tokens, and its fast backend's
  tokens equal plain-jieba tokens (the same lexicon loaded into jieba itself);
* ``themes(top=20)`` wall time on a store holding that corpus with its tokens cached, in-process
  and as ``djmine themes --top 20`` in a fresh process.

djmine is also timed in one process, which compares per core with the baseline: on a shared
machine the 2-worker run's wall time depends on what else is running.

Run:  .venv/bin/python bench/bench_segment.py            (50 MB, a few minutes on 2 cores)
      .venv/bin/python bench/bench_segment.py --size-mb 5 (a quick look)
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "seeds"
OUT = ROOT / "bench" / "out"
DOC_SEP = "\f\n"
UNITS = [
    "医院",
    "卫生院",
    "中心学校",
    "社区",
    "街道党工委",
    "供电公司",
    "税务局",
    "疾控中心",
    "人民法院",
    "中医院",
]


def seed_paragraphs() -> list[str]:
    paragraphs = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = unicodedata.normalize("NFKC", path.read_text(encoding="utf-8"))
        for line in text.splitlines():
            line = line.strip()
            if len(line) >= 15 and "www" not in line and "http" not in line:
                paragraphs.append(line)
    return paragraphs


def make_document(rng: random.Random, paragraphs: list[str]) -> str:
    """A title and 6–15 seed paragraphs, with the unit renamed and the numbers changed."""
    unit = rng.choice(UNITS)
    year = rng.randint(2003, 2023)
    body = [
        p.replace("医院", unit) if rng.random() < 0.5 else p
        for p in rng.sample(paragraphs, rng.randint(6, 15))
    ]
    body = [re.sub(r"\d", lambda _: str(rng.randint(0, 9)), p) for p in body]
    return f"{year}年{unit}党建工作总结\n" + "\n".join(body)


def build_corpus(size_mb: float, seed: int = 1) -> list[str]:
    """Documents totalling at least ``size_mb`` MB, cached in bench/out/."""
    path = OUT / f"corpus-{size_mb:g}mb-seed{seed}.txt"
    if path.is_file():
        return path.read_text(encoding="utf-8").split(DOC_SEP)
    rng = random.Random(seed)
    paragraphs = seed_paragraphs()
    docs, size = [], 0
    while size < size_mb * 1e6:
        doc = make_document(rng, paragraphs)
        docs.append(doc)
        size += len(doc.encode("utf-8"))
    OUT.mkdir(parents=True, exist_ok=True)
    path.write_text(DOC_SEP.join(docs), encoding="utf-8")
    return docs


def bench_jieba(texts: list[str]) -> float:
    import jieba

    jieba.initialize()
    start = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    return time.perf_counter() - start


def bench_djmine(texts: list[str], workers: int) -> tuple[float, list[str]]:
    """Wall seconds including worker start-up (the lexicon-loaded tokenizer of this process is
    built before timing, as jieba's dictionary is for the baseline)."""
    from djmine.lexicon import load_lexicon
    from djmine.segment import _segmenter, segment_texts

    lexicon = load_lexicon()
    _segmenter(lexicon)
    start = time.perf_counter()
    joined = list(segment_texts(texts, lexicon, workers=workers))
    return time.perf_counter() - start, joined


def check_parity(texts: list[str], joined: list[str], sample_chars: int = 1_000_000) -> int:
    """On the first ``sample_chars`` characters: serial tokens equal the parallel ones, and the
    fast backend's tokens equal jieba's own."""
    from djmine.lexicon import load_lexicon
    from djmine.segment import TOKEN_SEP, _Segmenter, segment_texts

    count, size = 0, 0
    while count < len(texts) and size < sample_chars:
        size += len(texts[count])
        count += 1
    serial = list(segment_texts(texts[:count], load_lexicon(), workers=1))
    mismatched = [i for i in range(count) if serial[i] != joined[i]]
    if mismatched:
        raise SystemExit(
            f"parity FAILED: {len(mismatched)} of {count} documents differ (first: {mismatched[0]})"
        )
    jieba_only = _Segmenter(load_lexicon(), fast=False)
    differ = [i for i in range(count) if TOKEN_SEP.join(jieba_only.tokens(texts[i])) != serial[i]]
    if differ:
        raise SystemExit(
            f"backend parity FAILED: {len(differ)} of {count} documents differ from jieba"
        )
    return count


def build_store(texts: list[str], joined: list[str]):
    """A store holding the corpus, with the tokens just computed written as its cache."""
    import shutil

    from djmine.extract import years_mentioned
    from djmine.lexicon import load_lexicon
    from djmine.models import Document
    from djmine.segment import _write_token_cache
    from djmine.store import Store

    path = OUT / "store"
    shutil.rmtree(path, ignore_errors=True)
    store = Store(path)
    docs = [
        Document(id=f"b{i:06d}", source=f"bench/{i // 100:04d}.txt", part=1, title=t.split("\n", 1)[0],
                 text=t, raw=t, encoding="utf-8", years=years_mentioned(t))
        for i, t in enumerate(texts)
    ]  # fmt: skip
    with store.lock():
        store.replace_documents(docs)
    _write_token_cache(
        store, load_lexicon().fingerprint, {d.sha256: j for d, j in zip(docs, joined, strict=True)}
    )
    return Store(path)


def bench_themes(store) -> tuple[float, float, list[str]]:
    from djmine.themes import themes

    start = time.perf_counter()
    found = themes(store, top=20)
    in_process = time.perf_counter() - start
    start = time.perf_counter()
    cli = [
        sys.executable,
        "-m",
        "djmine",
        "--store",
        str(store.path),
        "themes",
        "--top",
        "20",
        "--json",
    ]
    subprocess.run(cli, check=True, capture_output=True)
    command = time.perf_counter() - start
    return in_process, command, [t.term for t in found]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--size-mb", type=float, default=50.0, help="corpus size in MB of UTF-8 (default 50)"
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="djmine segmentation processes (default 2)"
    )
    parser.add_argument(
        "--skip-jieba", action="store_true", help="skip the single-process jieba baseline"
    )
    args = parser.parse_args()

    texts = build_corpus(args.size_mb)
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    chars = sum(map(len, texts))
    print(
        f"corpus: {len(texts):,} documents, {megabytes:.1f} MB, {chars:,} characters; {os.cpu_count()} cores"
    )
    backend = "jieba_fast_dat" if _fast_available() else "jieba"
    rows = []
    if not args.skip_jieba:
        seconds = bench_jieba(texts)
        rows.append(("jieba.lcut, 1 process", seconds, f"{megabytes / seconds:.2f} MB/s"))
    seconds, _ = bench_djmine(texts, 1)
    rows.append((f"djmine, 1 process, {backend}", seconds, f"{megabytes / seconds:.2f} MB/s"))
    seconds, joined = bench_djmine(texts, args.workers)
    rows.append(
        (f"djmine, {args.workers} workers, {backend}", seconds, f"{megabytes / seconds:.2f} MB/s")
    )
    checked = check_parity(texts, joined)
    store = build_store(texts, joined)
    in_process, command, top = bench_themes(store)
    rows.append(("themes --top 20 (in process)", in_process, ""))
    rows.append(("djmine themes --top 20 (new process)", command, ""))

    print(f"{'step':<44} {'wall s':>8}  rate")
    for name, secs, rate in rows:
        print(f"{name:<44} {secs:>8.2f}  {rate}")
    print(f"parity: parallel == serial == plain-jieba tokens on the first {checked} documents")
    print("top 20:", " ".join(top))


def _fast_available() -> bool:
    try:
        import jieba_fast_dat  # noqa: F401
    except ImportError:
        return False
    return not os.environ.get("DJMINE_SLOW_JIEBA")


if __name__ == "__main__":
    main()
