"""Speed of ``corpus_reuse`` (what ``djmine compare --all`` runs) as the corpus grows.

For each size, a generated corpus of ~3 KB (UTF-8) documents is cached under ``bench/out/``
and compared in a fresh process, which reports wall time per stage and peak memory (RSS of the
main process, and of the largest alignment worker).

Usage::

    .venv/bin/python bench/bench_reuse_speed.py                 # 2.5k, 5k, 10k, 20k documents
    .venv/bin/python bench/bench_reuse_speed.py --sizes 1000 2000
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

from gen_reuse import GeneratedCorpus, generate_corpus, score  # noqa: E402

SEED = 20240501


def cached_corpus(n_docs: int, seed: int = SEED) -> GeneratedCorpus:
    """The generated corpus of ``n_docs`` documents, from ``bench/out/`` if made before."""
    path = OUT / f"corpus_{n_docs}_{seed}.pkl"
    if path.is_file():
        with path.open("rb") as handle:
            return pickle.load(handle)
    corpus = generate_corpus(n_docs, seed)
    OUT.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        pickle.dump(corpus, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return corpus


def run_one(n_docs: int) -> dict:
    """Time one corpus in this process (called in a child process by ``main``)."""
    from djmine.reuse.corpus import corpus_reuse

    corpus = cached_corpus(n_docs)
    documents = corpus.documents()
    start = time.perf_counter()
    result = corpus_reuse(documents)
    wall = time.perf_counter() - start
    s = score(corpus, result)
    return {
        "docs": n_docs,
        "mb": sum(len(d.raw.encode("utf-8")) for d in corpus.documents_) / 1e6,
        "chars": sum(len(d.text) for d in documents),
        "wall": wall,
        **{f"t_{k}": v for k, v in result.timings.items()},
        "candidates": result.candidates,
        "pairs": len(result.pairs),
        "rss_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "recall": s.recall,
        "pair_precision": s.pair_precision,
        "char_precision": s.char_precision,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2500, 5000, 10000, 20000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    rows = []
    for n in args.sizes:
        t = time.perf_counter()
        cached_corpus(n)
        made = time.perf_counter() - t
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], check=True, capture_output=True, text=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"# {n} docs ready ({made:.0f}s to generate/load), compared in {rows[-1]['wall']:.1f}s", file=sys.stderr)
    header = (f"{'docs':>6} {'MB':>6} {'chars':>10} {'wall s':>7} {'index':>6} {'align':>6} {'summ':>5} "
              f"{'cands':>8} {'pairs':>7} {'s/1k docs':>9} {'RSS main':>9} {'RSS wkr':>8} {'recall':>6} {'pairP':>6} {'charP':>6}")
    print(header)
    for r in rows:
        print(f"{r['docs']:>6} {r['mb']:>6.1f} {r['chars']:>10,} {r['wall']:>7.1f} {r['t_index']:>6.1f} {r['t_align']:>6.1f} "
              f"{r['t_summary']:>5.1f} {r['candidates']:>8,} {r['pairs']:>7,} {1000 * r['wall'] / r['docs']:>9.2f} "
              f"{r['rss_main_mb']:>7.0f}MB {r['rss_worker_mb']:>6.0f}MB {r['recall']:>6.3f} {r['pair_precision']:>6.3f} "
              f"{r['char_precision']:>6.3f}")


if __name__ == "__main__":
    main()
