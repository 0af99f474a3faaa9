"""Every exception djmine raises on purpose. The CLI turns these into one-line messages."""

from __future__ import annotations


class DjmineError(Exception):
    """Base class: a user-facing problem with a message that says what to do."""

    exit_code = 2


class UsageError(DjmineError):
    """Bad options or input given by the user."""


class UnknownDocument(DjmineError):
    """An ID or prefix matched no document."""

    def __init__(self, query: str, candidates: list[str]):
        self.query = query
        self.candidates = candidates
        hint = f"; did you mean {', '.join(candidates)}?" if candidates else ""
        super().__init__(f"unknown document '{query}'{hint}")


class AmbiguousDocument(DjmineError):
    """A prefix matched documents of more than one file."""

    def __init__(self, query: str, candidates: list[str]):
        self.query = query
        self.candidates = candidates
        shown = ", ".join(candidates[:8]) + (" …" if len(candidates) > 8 else "")
        super().__init__(f"ambiguous document '{query}': matches {shown}; type more of the ID")


class StoreError(DjmineError):
    """The store is missing, locked, damaged or of another schema version."""


class EmptyStore(StoreError):
    def __init__(self, path: str):
        super().__init__(f"no corpus in {path}; run `djmine ingest PATH` first")


class StoreLocked(StoreError):
    def __init__(self, path: str):
        super().__init__(
            f"the store {path} is being written by another djmine process; "
            "wait for it to finish and try again"
        )


class SchemaMismatch(StoreError):
    def __init__(self, path: str, found: int, expected: int):
        super().__init__(
            f"store at {path} was written by schema {found}, this djmine reads schema {expected}; "
            "run `djmine ingest --rebuild PATH` to rebuild it"
        )


class MissingExtra(DjmineError):
    def __init__(self, module: str, extra: str):
        super().__init__(f"{module} is not installed; install it with `pip install 'djmine[{extra}]'`")
