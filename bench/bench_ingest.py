"""Ingest throughput per stage on a generated corpus of ≥ 50 MB.

The corpus recombines and perturbs the seeds' lines (body paragraphs, site chrome, compilation
markers), so every cleaning and splitting rule is exercised at scale. It is cached under
bench/out/ingest-corpus/. Usage::

    python bench/bench_ingest.py [--mb 50] [--files 5000]

Reports MB/s for read, clean (normalise + recurring-line signal + rules + line joining), split,
and store, plus the whole ingest, and the process's peak RSS against the corpus size.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "seeds"
OUT = ROOT / "bench" / "out" / "ingest-corpus"


def build_corpus(target_mb: float, files: int, seed: int = 1) -> tuple[Path, int]:
    """Write ``files`` documents totalling ``target_mb`` MB; reuse a cached corpus of that size."""
    marker = OUT / f".built-{target_mb}-{files}-{seed}"
    if marker.exists():
        return OUT, sum(p.stat().st_size for p in OUT.glob("*.txt"))
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    rng = random.Random(seed)
    lines = [ln for p in sorted(SEEDS.glob("*.txt")) for ln in p.read_text("utf-8").splitlines() if ln.strip()]
    body = [ln for ln in lines if len(ln) > 40]
    chrome = [ln for ln in lines if len(ln) <= 40]
    per_file = int(target_mb * 2**20 / files)
    total = 0
    for i in range(files):
        parts = [rng.choice(chrome) for _ in range(3)]
        compilation = i % 10 == 0
        n_articles = 3 if compilation else 1
        for a in range(1, n_articles + 1):
            if compilation:
                parts.append(f"党建工作总结范文({'一二三'[a - 1]})")
            size = 0
            while size < per_file / n_articles:
                line = _perturb(rng.choice(body), rng)
                parts.append(line)
                size += len(line.encode())
        parts += [rng.choice(chrome) for _ in range(4)]
        data = "\n".join(parts).encode("utf-8")
        (OUT / f"doc{i:05d}.txt").write_bytes(data)
        total += len(data)
    marker.touch()
    return OUT, total


def _perturb(line: str, rng: random.Random) -> str:
    line = re.sub(r"\d+", lambda m: str(rng.randrange(1, 999)), line)
    return line.replace("医院", rng.choice(["医院", "学校", "中心", "公司", "卫生院"]))


def run(corpus: Path, size: int) -> None:
    from djmine import clean, normalize, split
    from djmine.io import discover, read_source
    from djmine.store import Store

    rss_before = _rss_mb()
    t0 = time.perf_counter()
    sources = [read_source(p) for p in discover([corpus]) if isinstance(p, Path)]
    t_read = time.perf_counter() - t0

    t0 = time.perf_counter()
    normalised = {s.path: normalize.normalize_text(s.text).split("\n") for s in sources}
    chrome = clean.recurring_chrome_lines(normalised)
    cleaned = {path: normalize.join_broken_lines(clean.clean_lines(lines, chrome_lines=chrome).lines)
               for path, lines in normalised.items()}
    t_clean = time.perf_counter() - t0

    t0 = time.perf_counter()
    parts = sum(len(split.split_articles(lines).articles) for lines in cleaned.values())
    t_split = time.perf_counter() - t0
    del normalised, cleaned, sources

    from djmine.ingest import ingest

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        report = ingest([corpus], Store(Path(tmp) / ".djmine"))
        t_total = time.perf_counter() - t0
    peak = _rss_mb()
    mb = size / 2**20
    rows = [
        ("read (discover + decode)", t_read), ("clean (normalise + rules + join)", t_clean),
        ("split", t_split), ("clean + split", t_clean + t_split),
        ("store (write parquet)", report.timings.get("store", 0.0)), ("whole ingest", t_total),
    ]
    print(f"corpus: {len(report.documents)} documents ({parts} parts) from {report.files_read} files, {mb:.1f} MB")
    print(f"{'stage':34} {'seconds':>8} {'MB/s':>8}")
    for name, seconds in rows:
        print(f"{name:34} {seconds:8.2f} {mb / seconds:8.1f}")
    print(f"peak RSS {peak:.0f} MB (before ingest {rss_before:.0f} MB); "
          f"growth {peak - rss_before:.0f} MB = {(peak - rss_before) / mb:.1f}x corpus size")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50)
    parser.add_argument("--files", type=int, default=5000)
    args = parser.parse_args(argv)
    corpus, size = build_corpus(args.mb, args.files)
    run(corpus, size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
