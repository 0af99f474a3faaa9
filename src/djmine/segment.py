"""Word segmentation: jieba (accurate mode) that keeps the 党建 lexicon's terms whole.

Every lexicon term is added to a private :class:`jieba.Tokenizer` (never the global one) with a
frequency high enough that the best route takes it whole. Terms with punctuation inside
(不忘初心、牢记使命), which jieba's dictionary cannot hold as one word, are cut out by a regex
before jieba sees the text and put back as one token, in their lexicon spelling.

Tokens of a stored corpus are computed once and cached in the store's ``tokens`` table, keyed by
the document's sha256 and the lexicon fingerprint. The cache keeps every token (stopwords too) so
that changing stopwords never needs re-segmenting; only a change of lexicon does. Whitespace is
dropped, except that a line break becomes the token ``"\\n"``, a boundary no phrase crosses.

Speed: large corpora are segmented by two worker processes in bounded batches, and when the
optional ``jieba_fast_dat`` package is installed it does the work (same tokens as jieba, several
times faster; set ``DJMINE_SLOW_JIEBA=1`` to use plain jieba).
"""

from __future__ import annotations

import os
import re
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from .errors import StoreLocked
from .lexicon import Lexicon

if TYPE_CHECKING:
    from .store import Store

TOKENS_TABLE = "tokens"
#: Tokens are stored joined by this character; jieba never puts a space inside a token.
TOKEN_SEP = " "
NEWLINE = "\n"
#: Corpora with more characters than this to segment are split over worker processes (a
#: worker takes a second or two to start; the fast backend needs a bigger corpus to gain).
PARALLEL_MIN_CHARS = 700_000
PARALLEL_MIN_CHARS_FAST = 3_000_000
BATCH_CHARS = 200_000
#: Frequency given to lexicon terms: far above ordinary words (a common word has ~10^3–10^5), so
#: a term always wins the route, but added without raising jieba's total so other words' odds
#: are unchanged.
TERM_FREQ = 10**6

# jieba cuts text into blocks of these characters; a term with anything else inside must be
# protected before jieba sees the text.
_JIEBA_BLOCK = re.compile(r"^[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+$")
_TERM_PUNCT = "、,，;；:：·"
# A whole block with Latin letters or digits: the one place jieba_fast_dat and jieba differ.
# The lookbehind starts matches at block starts only, so long Chinese runs cost linear time.
_MIXED_BLOCK = re.compile(
    r"(?<![\u4E00-\u9FD5a-zA-Z0-9+#&._%\-])[\u4E00-\u9FD5]*[a-zA-Z0-9+#&._%\-]"
    r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]*"
)

Progress = Callable[[int, int], None]  # (characters done, characters in total)

_SEGMENTERS: dict[str, _Segmenter] = {}


class _Segmenter:
    """jieba with the lexicon loaded, the regex for punctuated terms, and the fast backend.

    When ``jieba_fast_dat`` (a C++ port of jieba) is installed, the text goes to it, loaded with
    jieba's own dictionary and the same lexicon words: it gives jieba's tokens (tests and the
    bench check) several times faster. Blocks with Latin letters or digits, whose handling
    differs between the two (8.9, 62%), stay with jieba.
    """

    def __init__(self, lexicon: Lexicon, *, fast: bool = True):
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        self.tokenizer = _load_words(jieba.Tokenizer(), lexicon)
        self.fast = _fast_tokenizer(lexicon, jieba) if fast else None
        # longest first, so 不忘初心、牢记使命主题教育 wins over 不忘初心、牢记使命
        self.protected = sorted(
            (t for t in lexicon.terms if not _JIEBA_BLOCK.match(t)), key=len, reverse=True
        )
        self.protect = _protect_pattern(self.protected)

    def tokens(self, text: str) -> list[str]:
        out: list[str] = []
        if self.protect is None:
            self._cut(text, out)
            return out
        start = 0
        for match in self.protect.finditer(text):
            self._cut(text[start : match.start()], out)
            out.append(self.protected[int((match.lastgroup or "t0")[1:])])
            start = match.end()
        self._cut(text[start:], out)
        return out

    def _cut(self, text: str, out: list[str]) -> None:
        if not text:
            return
        if self.fast is None:
            self._cut_jieba(text, out)
            return
        start = 0
        for block in _MIXED_BLOCK.finditer(text):
            self._emit(self.fast.lcut(text[start : block.start()], HMM=True), out)
            self._cut_jieba(block.group(), out)
            start = block.end()
        self._emit(self.fast.lcut(text[start:], HMM=True), out)

    def _cut_jieba(self, text: str, out: list[str]) -> None:
        if text:
            self._emit(self.tokenizer.cut(text, HMM=True), out)

    @staticmethod
    def _emit(tokens: Iterable[str], out: list[str]) -> None:
        """Append ``tokens``, dropping whitespace but for one line-break token in a row."""
        for token in tokens:
            if not token.isspace():
                out.append(token)
            elif NEWLINE in token and (not out or out[-1] != NEWLINE):
                out.append(NEWLINE)


def _load_words(tokenizer, lexicon: Lexicon):
    """Initialise a jieba(-compatible) tokenizer and add the lexicon's terms at TERM_FREQ."""
    tokenizer.initialize()
    total = tokenizer.total
    for term in lexicon.terms:
        if _JIEBA_BLOCK.match(term):
            tokenizer.add_word(term, TERM_FREQ)
    tokenizer.total = total
    return tokenizer


def _fast_tokenizer(lexicon: Lexicon, jieba):
    """A ``jieba_fast_dat`` tokenizer on jieba's dictionary, or None if it isn't installed."""
    if os.environ.get("DJMINE_SLOW_JIEBA"):
        return None
    try:
        import jieba_fast_dat
    except ImportError:
        return None
    import logging

    jieba_fast_dat.setLogLevel(logging.WARNING)
    dictionary = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    return _load_words(jieba_fast_dat.Tokenizer(dictionary=dictionary), lexicon)


def _protect_pattern(terms: list[str]) -> re.Pattern[str] | None:
    """One regex for the punctuated terms, group ``t<i>`` for ``terms[i]``; the punctuation
    between a term's parts may be any of them (不忘初心,牢记使命 → 不忘初心、牢记使命)."""
    if not terms:
        return None
    parts = []
    for term in terms:
        pieces = [p for p in re.split(f"[{_TERM_PUNCT}\\s]+", term) if p]
        parts.append(f"[{_TERM_PUNCT}]\\s*".join(re.escape(p) for p in pieces))
    return re.compile("|".join(f"(?P<t{i}>{p})" for i, p in enumerate(parts)))


def _segmenter(lexicon: Lexicon) -> _Segmenter:
    seg = _SEGMENTERS.get(lexicon.fingerprint)
    if seg is None:
        seg = _Segmenter(lexicon)
        _SEGMENTERS.clear()  # one lexicon at a time: a tokenizer holds ~60 MB
        _SEGMENTERS[lexicon.fingerprint] = seg
    return seg


def segment(text: str, lexicon: Lexicon) -> list[str]:
    """The tokens of ``text``: jieba accurate mode, lexicon terms whole, whitespace dropped.

    Example:
        >>> segment("深入开展“两学一做”学习教育", load_lexicon())
        ['深入', '开展', '“', '两学一做', '”', '学习', '教育']
    """
    return _segmenter(lexicon).tokens(text)


def segment_texts(
    texts: Sequence[str],
    lexicon: Lexicon,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
) -> Iterator[str]:
    """Segment many texts, yielding each text's tokens joined by :data:`TOKEN_SEP`, in order.

    Large inputs (over :data:`PARALLEL_MIN_CHARS`) go to ``workers`` processes (default: up to 2)
    in batches of about :data:`BATCH_CHARS`, with only a few batches in flight at a time, so
    memory stays bounded whatever the corpus size. Small inputs are segmented in this process.
    """
    total = sum(len(t) for t in texts)
    workers = min(2, os.cpu_count() or 1) if workers is None else workers
    if workers > 1 and total > _parallel_threshold():
        yield from _segment_parallel(texts, lexicon, workers, total, progress)
        return
    seg = _segmenter(lexicon)
    done = 0
    for text in texts:
        yield TOKEN_SEP.join(seg.tokens(text))
        done += len(text)
        if progress:
            progress(done, total)


def _parallel_threshold() -> int:
    from importlib.util import find_spec

    if find_spec("jieba_fast_dat") is None or os.environ.get("DJMINE_SLOW_JIEBA"):
        return PARALLEL_MIN_CHARS
    return max(PARALLEL_MIN_CHARS, PARALLEL_MIN_CHARS_FAST)


def _batches(texts: Sequence[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    size = 0
    for text in texts:
        batch.append(text)
        size += len(text)
        if size >= BATCH_CHARS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _segment_parallel(
    texts: Sequence[str], lexicon: Lexicon, workers: int, total: int, progress: Progress | None
) -> Iterator[str]:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    done_texts = done_chars = 0
    try:
        with ProcessPoolExecutor(
            workers, mp_context=_context(), initializer=_init_worker, initargs=(lexicon,)
        ) as pool:
            pending: deque = deque()
            batches = _batches(texts)
            while True:
                # keep a few batches in flight: enough to feed every worker, few enough that
                # memory stays bounded whatever the corpus size
                while len(pending) < 2 * workers and (batch := next(batches, None)) is not None:
                    pending.append(
                        (len(batch), sum(map(len, batch)), pool.submit(_segment_batch, batch))
                    )
                if not pending:
                    break
                count, size, future = pending.popleft()
                yield from future.result()
                done_texts, done_chars = done_texts + count, done_chars + size
                if progress:
                    progress(done_chars, total)
    except BrokenProcessPool:
        # a worker could not start (e.g. a __main__ that cannot be re-imported): finish here
        seg = _segmenter(lexicon)
        for text in texts[done_texts:]:
            yield TOKEN_SEP.join(seg.tokens(text))
            done_chars += len(text)
            if progress:
                progress(done_chars, total)


def _context():
    import multiprocessing

    # forkserver: safe when the parent already runs threads (pyarrow's pools); fork is not.
    return multiprocessing.get_context(
        "forkserver" if sys.platform.startswith("linux") else "spawn"
    )


_WORKER_LEXICON: Lexicon | None = None


def _init_worker(lexicon: Lexicon) -> None:
    global _WORKER_LEXICON
    _WORKER_LEXICON = lexicon
    _segmenter(lexicon)


def _segment_batch(batch: list[str]) -> list[str]:
    assert _WORKER_LEXICON is not None
    seg = _segmenter(_WORKER_LEXICON)
    return [TOKEN_SEP.join(seg.tokens(text)) for text in batch]


def split_tokens(joined: str) -> list[str]:
    """Undo the cache's joining: the token list of one document."""
    return joined.split(TOKEN_SEP) if joined else []


# ----- the store's token cache --------------------------------------------------------------
def corpus_tokens(
    store: Store,
    lexicon: Lexicon,
    *,
    progress: Progress | None = None,
    workers: int | None = None,
) -> dict[str, list[str]]:
    """Document ID → tokens for every document in ``store`` (see :func:`corpus_joined_tokens`)."""
    return {
        doc_id: split_tokens(joined)
        for doc_id, joined in corpus_joined_tokens(
            store, lexicon, progress=progress, workers=workers
        ).items()
    }


def corpus_joined_tokens(
    store: Store,
    lexicon: Lexicon,
    *,
    progress: Progress | None = None,
    workers: int | None = None,
) -> dict[str, str]:
    """Document ID → tokens joined by :data:`TOKEN_SEP`, from the store's cache where fresh.

    Documents whose text (sha256) or lexicon fingerprint has no cached tokens are segmented
    (in parallel for large corpora) and the cache is rewritten under the store's lock. If
    another process holds the lock, the tokens are returned without being cached.
    """
    docs = store.documents()
    cached = read_token_cache(store, lexicon.fingerprint)
    keys = [d.sha256 for d in docs]
    missing: dict[str, str] = {}
    for doc, key in zip(docs, keys, strict=True):
        if key not in cached and key not in missing:
            missing[key] = doc.text
    if missing:
        texts = list(missing.values())
        for key, joined in zip(
            missing, segment_texts(texts, lexicon, workers=workers, progress=progress), strict=True
        ):
            cached[key] = joined
        _write_token_cache(store, lexicon.fingerprint, {k: cached[k] for k in dict.fromkeys(keys)})
    return {doc.id: cached[key] for doc, key in zip(docs, keys, strict=True)}


def read_token_cache(store: Store, fingerprint: str) -> dict[str, str]:
    """sha256 → joined tokens for the cached rows made with this lexicon fingerprint."""
    try:
        table = store.read_table(TOKENS_TABLE, columns=["sha256", "fingerprint", "tokens"])
    except Exception:  # damaged or old-format cache: it is only a cache, so rebuild it
        return {}
    if table is None:
        return {}
    rows = zip(
        table["sha256"].to_pylist(),
        table["fingerprint"].to_pylist(),
        table["tokens"].to_pylist(),
        strict=True,
    )
    return {sha: tokens for sha, fp, tokens in rows if fp == fingerprint}


def _write_token_cache(store: Store, fingerprint: str, rows: dict[str, str]) -> None:
    import pandas as pd

    frame = pd.DataFrame(
        {"sha256": list(rows), "fingerprint": fingerprint, "tokens": list(rows.values())}
    )
    try:
        with store.lock():
            store.write_table(TOKENS_TABLE, frame)
    except StoreLocked:
        pass  # another process is writing; the tokens are still good for this run
