"""Ingest throughput per stage on a generated corpus of ≥ 50 MB.

The corpus recombines and perturbs the seeds' lines (body paragraphs, site chrome, compilation
markers), so every cleaning and splitting rule is exercised at scale. ``--gb18030 F`` writes a
fraction F of the files in GB18030, as older Chinese sites serve them, so that reading includes
encoding detection; ``--html F`` writes a fraction F as web pages, so that reading includes
HTML parsing. Corpora are cached under bench/out/. Usage::

    python bench/bench_ingest.py [--mb 50] [--files 5000] [--gb18030 0.0] [--html 0.0]

Reports MB/s per stage on one core, timed on the pipeline's own functions (read, normalise,
chrome profile, clean, join, split, document facts and hashes, Arrow, Parquet), then the whole
ingest as users run it, in a fresh process, with one and with two workers, and its peak memory
(PSS summed over the process and its workers) against the corpus size.
"""

from __future__ import annotations

import argparse
import html
import os
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
OUT = ROOT / "bench" / "out"


def build_corpus(target_mb: float, files: int, gb18030: float = 0.0, html_share: float = 0.0,
                 seed: int = 1) -> tuple[Path, int]:
    """Write ``files`` documents totalling ``target_mb`` MB of UTF-8 text, a fraction ``gb18030``
    of them encoded in GB18030 and a fraction ``html_share`` of them as web pages (one <p> a line,
    with head, script, style and navigation markup); reuse a cached corpus of the same settings."""
    out = OUT / f"ingest-corpus-{target_mb:g}mb-{files}-gb18030-{gb18030:g}-html-{html_share:g}-seed{seed}"
    marker = out / ".built"
    if marker.exists():
        return out, sum(p.stat().st_size for p in out.glob("doc*"))
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
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
        encoding = "gb18030" if gb18030 and rng.random() < gb18030 else "utf-8"
        if html_share and rng.random() < html_share:
            name, page = f"doc{i:05d}.html", _page(parts, encoding)
        else:
            name, page = f"doc{i:05d}.txt", "\n".join(parts)
        data = page.encode(encoding)
        (out / name).write_bytes(data)
        total += len(data)
    marker.touch()
    return out, total


def _page(lines: list[str], encoding: str) -> str:
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return (f"<!DOCTYPE html><html><head><meta charset=\"{encoding}\"><title>党建工作总结</title>"
            "<style>.nav{color:#333}</style><script>var _hmt=_hmt||[];</script></head><body>"
            "<div class=\"nav\"><a href=\"/\">首页</a> &gt; <a href=\"/dj/\">党建</a></div>"
            f"<div class=\"content\">\n{body}\n</div><div class=\"footer\">&copy; 2021</div></body></html>")


def _perturb(line: str, rng: random.Random) -> str:
    line = re.sub(r"\d+", lambda m: str(rng.randrange(1, 999)), line)
    return line.replace("医院", rng.choice(["医院", "学校", "中心", "公司", "卫生院"]))


def run(corpus: Path, size: int) -> None:
    """Stage by stage on one core, then the real ingest in a fresh process."""
    from djmine import clean, extract, normalize, split
    from djmine.io import discover, read_source
    from djmine.models import Line
    from djmine.pipeline import FILES_PER_BATCH, _assign_stems, file_documents
    from djmine.store import Store, documents_batch

    mb = size / 2**20
    # Not timed: one-off loads (OpenCC and the jieba dictionary, the rules).
    normalize.join_broken_lines([Line(0, "大力开展思想政"), Line(1, "治工作,在思想上一致。")])
    normalize.normalize_text("醫院")
    clean.clean_lines(["首页"])
    timings: dict[str, float] = {}
    with _timed(timings, "discover"):
        paths = [p for p in discover([corpus]) if isinstance(p, Path)]
    # Best of three: the first pass may still be filling the page cache, and the others
    # would then look slow next to it.
    read_runs: dict[str, float] = {}
    for attempt in range(3):
        with _timed(read_runs, str(attempt)):
            sources = [read_source(p) for p in paths]
    timings["read (bytes, encoding detection, decode)"] = min(read_runs.values())
    with _timed(timings, "normalise (NFKC, OpenCC, spaces)"):
        normalised = [normalize.normalize_lines(s.text) for s in sources]
    with _timed(timings, "chrome profile + recurring lines"):
        chrome = clean.recurring_lines({s.path: clean.chrome_profile(ls) for s, ls in zip(sources, normalised, strict=True)})
    with _timed(timings, "clean (line and inline rules)"):
        cleaned = [clean.clean_lines(ls, chrome_lines=chrome).lines for ls in normalised]
    with _timed(timings, "join broken lines"):
        joined = [normalize.join_broken_lines(lines) for lines in cleaned]
    with _timed(timings, "split"):
        parts = sum(len(split.split_articles(lines).articles) for lines in joined)
    del cleaned, joined
    stems = _assign_stems([s.path for s in sources], {})
    with _timed(timings, "file_documents (clean..split again + facts)"):
        docs = [d for s, ls in zip(sources, normalised, strict=True)
                for d in file_documents(s, ls, stems[s.path], chrome)]
    with _timed(timings, "  of which years + placeholders"):
        for d in docs:
            extract.years_mentioned(d.text), extract.count_placeholders(d.text)
    with _timed(timings, "hashes (sha256, content_sha256)"):
        for d in docs:
            d.content_sha256  # noqa: B018 - computed once, cached on the document
    del normalised, sources
    per_batch = max(1, round(len(docs) / len(paths) * FILES_PER_BATCH))
    with _timed(timings, "Arrow batches"):
        batches = [documents_batch(docs[i:i + per_batch]) for i in range(0, len(docs), per_batch)]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / ".djmine")
        with _timed(timings, "Parquet write (zstd)"), store.lock(), store.document_writer() as writer:
            for batch in batches:
                writer.write_batch(batch)
            writer.commit()
    del docs, batches
    runs = {workers: _ingest_in_subprocess(corpus, workers) for workers in (1, 2)}
    print(f"corpus: {mb:.1f} MB in {len(paths)} files, {parts} articles")
    print(f"        {corpus.name}")
    print(f"{'stage (one core)':48} {'seconds':>8} {'MB/s':>8}")
    for name, seconds in timings.items():
        print(f"{name:48} {seconds:8.2f} {mb / seconds:8.1f}")
    print("(file_documents repeats clean, join and split; the whole ingest runs them once)")
    clean_split = sum(v for k, v in timings.items() if k.startswith(("clean", "join", "split")))
    print(f"{'clean + join + split (one core; target >= 20)':48} {clean_split:8.2f} {mb / clean_split:8.1f}")
    print()
    print(f"{'whole ingest (djmine.pipeline.ingest)':40} {'seconds':>8} {'MB/s':>6} {'peak MB':>8} {'x corpus':>8}")
    for workers, (wall, main_mb, worker_mb, pss_mb) in runs.items():
        label = f"workers={workers}" + (" (default below 64 MB)" if workers == 1 else " (default from 64 MB)")
        print(f"{label:40} {wall:8.2f} {mb / wall:6.1f} {pss_mb:8.0f} {pss_mb / mb:8.1f}"
              f"   (RSS main {main_mb:.0f} MB, largest worker {worker_mb:.0f} MB)")
    print("peak MB: PSS summed over the ingest process and its workers, sampled every 50 ms")
    read = timings["discover"] + timings["read (bytes, encoding detection, decode)"]
    best = min(wall for wall, *_ in runs.values())
    print(f"whole ingest takes {best / read:.1f}x the time of reading the corpus (discover + read, warm cache)")


class _timed:
    def __init__(self, timings: dict[str, float], name: str):
        self.timings, self.name = timings, name

    def __enter__(self):
        self.start = time.perf_counter()

    def __exit__(self, *exc):
        self.timings[self.name] = time.perf_counter() - self.start


def _ingest_in_subprocess(corpus: Path, workers: int) -> tuple[float, float, float, float]:
    """A real ingest into an empty store, in a fresh process: wall time, peak RSS (MB) of the
    main process and of the largest worker, and the peak of the PSS summed over the process and
    all its descendants, sampled from outside every 50 ms (PSS splits the pages that forked
    workers share with their parent, so the interpreter and libraries are not counted twice)."""
    code = f"""
import resource, tempfile, time
from pathlib import Path
from djmine.pipeline import ingest
from djmine.store import Store

if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        ingest([{str(corpus)!r}], Store(Path(tmp) / "s"), workers={workers})
        t = time.perf_counter() - t
    # VmHWM, not ru_maxrss: ru_maxrss survives exec, so it would include the benchmark process
    hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
    print(t, hwm, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""
    script = Path(tempfile.mkdtemp()) / "ingest_run.py"
    script.write_text(code, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    peak_kb = 0
    while proc.poll() is None:
        peak_kb = max(peak_kb, sum(_pss_kb(pid) for pid in _tree(proc.pid)))
        time.sleep(0.05)
    wall, main_mb, worker_mb = map(float, proc.stdout.read().split())  # type: ignore[union-attr]
    return wall, main_mb, worker_mb, peak_kb / 1024


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (workers, a forkserver and its children)."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo += [int(c) for c in handle.read().split()]
        except OSError:
            continue
    return out


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            return next(int(line.split()[1]) for line in handle if line.startswith("Pss:"))
    except (OSError, StopIteration):
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50)
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--gb18030", type=float, default=0.0, help="fraction of files in GB18030")
    parser.add_argument("--html", type=float, default=0.0, help="fraction of files written as web pages")
    args = parser.parse_args(argv)
    corpus, size = build_corpus(args.mb, args.files, args.gb18030, args.html)
    run(corpus, size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
