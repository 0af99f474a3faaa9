"""Shared fixtures: the seed files and a store with the seeds ingested."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from djmine.pipeline import ingest
from djmine.store import Store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A store with the five seeds ingested once per test session. Treat as read-only."""
    path = tmp_path_factory.mktemp("seed-store") / ".djmine"
    store = Store(path)
    ingest([SEEDS], store)
    return Store(path)


@pytest.fixture
def store_copy(seed_store: Store, tmp_path: Path) -> Store:
    """A private, writable copy of the seed store."""
    dest = tmp_path / ".djmine"
    shutil.copytree(seed_store.path, dest)
    return Store(dest)


@pytest.fixture
def env_store(seed_store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    """Point the CLI at the seed store through DJMINE_STORE."""
    monkeypatch.setenv("DJMINE_STORE", str(seed_store.path))
    return seed_store
