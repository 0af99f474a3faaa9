"""Ingest throughput per stage on a generated corpus of ≥ 50 MB.

The corpus recombines and perturbs the seeds' lines (body paragraphs, site chrome, compilation
markers), so every cleaning and splitting rule is exercised at scale. It is cached under
bench/out/ingest-corpus/. Usage::

    python bench/bench_ingest.py [--mb 50] [--files 5000]

Reports MB/s per stage on one core (read, normalise, clean, split, store), then the whole
ingest as users run it (both cores) in a fresh process, with its peak RSS against the corpus size.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
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
    """Stage by stage on one core, then the real ingest (both cores) in a fresh process."""
    from djmine import clean, normalize, split
    from djmine.io import discover, read_source
    from djmine.pipeline import _assign_stems, file_documents
    from djmine.store import Store

    mb = size / 2**20
    normalize.join_broken_lines([])  # not timed: one-off loads (OpenCC, jieba dictionary)
    from djmine.models import Line

    normalize.join_broken_lines([Line(0, "大力开展思想政"), Line(1, "治工作,在思想上一致。")])
    normalize.normalize_text("醫院")
    timings: dict[str, float] = {}
    with _timed(timings, "read (discover + decode)"):
        sources = [read_source(p) for p in discover([corpus]) if isinstance(p, Path)]
    with _timed(timings, "normalise"):
        normalised = {s.path: normalize.normalize_text(s.text).split("\n") for s in sources}
    with _timed(timings, "clean (chrome rules + recurring lines + joins)"):
        chrome = clean.recurring_lines({p: clean.chrome_profile(ls) for p, ls in normalised.items()})
        cleaned = [normalize.join_broken_lines(clean.clean_lines(ls, chrome_lines=chrome).lines)
                   for ls in normalised.values()]
    with _timed(timings, "split"):
        parts = sum(len(split.split_articles(lines).articles) for lines in cleaned)
    del cleaned
    stems = _assign_stems([s.path for s in sources], {})
    docs = [d for s in sources for d in file_documents(s, normalised[s.path], stems[s.path], chrome)]
    del normalised
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / ".djmine")
        with _timed(timings, "store (write parquet)"), store.lock(), store.document_writer() as writer:
            for i in range(0, len(docs), 256):
                writer.write(docs[i:i + 256])
            writer.commit()
    del docs, sources
    whole, peak_main, peak_worker = _ingest_in_subprocess(corpus)
    print(f"corpus: {mb:.1f} MB in {len(list(corpus.glob('*.txt')))} files, {parts} articles")
    print(f"{'stage (one core)':48} {'seconds':>8} {'MB/s':>8}")
    for name, seconds in timings.items():
        print(f"{name:48} {seconds:8.2f} {mb / seconds:8.1f}")
    cs = sum(v for k, v in timings.items() if k.startswith(("normalise", "clean", "split")))
    print(f"{'normalise + clean + split (one core)':48} {cs:8.2f} {mb / cs:8.1f}")
    print(f"{'whole ingest: djmine.pipeline.ingest, 2 cores':48} {whole:8.2f} {mb / whole:8.1f}")
    print(f"peak RSS: main process {peak_main:.0f} MB, largest worker {peak_worker:.0f} MB; "
          f"sum {(peak_main + peak_worker) / mb:.1f}x a corpus of {mb:.0f} MB ({(peak_main + 2 * peak_worker) / mb:.1f}x with both workers)")


class _timed:
    def __init__(self, timings: dict[str, float], name: str):
        self.timings, self.name = timings, name

    def __enter__(self):
        self.start = time.perf_counter()

    def __exit__(self, *exc):
        self.timings[self.name] = time.perf_counter() - self.start


def _ingest_in_subprocess(corpus: Path) -> tuple[float, float, float]:
    """Wall time and peak RSS (MB) of a real ingest into an empty store, in a fresh process."""
    code = f"""
import resource, tempfile, time
from pathlib import Path
from djmine.pipeline import ingest
from djmine.store import Store
with tempfile.TemporaryDirectory() as tmp:
    t = time.perf_counter()
    ingest([{str(corpus)!r}], Store(Path(tmp) / "s"))
    t = time.perf_counter() - t
# VmHWM, not ru_maxrss: ru_maxrss survives exec, so it would include the benchmark process
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
print(t, hwm, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    wall, main_mb, worker_mb = map(float, out.stdout.split())
    return wall, main_mb, worker_mb


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
