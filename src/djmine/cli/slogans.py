"""Commands about slogans, dating and concordance (filled in by the slogans work)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
