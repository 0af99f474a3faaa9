"""djmine: text mining for Chinese 党建 work summaries.

The pipeline reads top to bottom: ``io`` (load) → ``normalize`` → ``clean`` → ``split`` →
``pipeline`` (ingest into the ``store``) → ``segment`` →
analyses (``themes``, ``slogans``, ``dating``, ``reuse``) → ``report``. Heavy modules are imported
lazily so that ``import djmine`` and ``djmine --help`` stay fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it; resolved on first use (PEP 562). Functions named like
# their module (themes, segment, kwic) are reached as djmine.themes.themes etc.: importing the
# submodule would otherwise replace the function on the package.
_EXPORTS = {
    "Store": "store",
    "Document": "models",
    "RemovedSpan": "models",
    "ingest": "pipeline",
    "IngestReport": "pipeline",
    "clean_text": "clean",
    "normalize_text": "normalize",
    "split_articles": "split",
    "compare": "reuse",
    "compare_documents": "reuse",
    "find_shared_passages": "reuse",
    "pair_report": "reuse",
    "passage_diff": "reuse",
    "SharedPassage": "reuse",
    "PairReport": "reuse",
    "CompareResult": "reuse",
    "render_html": "report",
    "mine_slogans": "slogans",
    "corpus_slogans": "slogans",
    "Slogan": "slogans",
    "date_document": "dating",
    "date_documents": "dating",
    "earliest_years": "dating",
    "DateEstimate": "dating",
    "Evidence": "dating",
    "Hit": "kwic",
    "load_lexicon": "lexicon",
    "load_stopwords": "lexicon",
    "Lexicon": "lexicon",
    "Term": "lexicon",
    "corpus_tokens": "segment",
    "Theme": "themes",
    "corpus_reuse": "reuse.corpus",
    "CorpusReuse": "reuse.corpus",
    "Family": "reuse.families",
    "DocumentReuse": "reuse.corpus",
    "candidate_pairs": "reuse.index",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'djmine' has no attribute {name!r}")
