"""The package's public names: each resolves to what it says, even after its module is imported."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import djmine


def test_every_public_name_is_a_function_or_class_not_a_module() -> None:
    for info in pkgutil.walk_packages(djmine.__path__, "djmine."):  # import every submodule first
        importlib.import_module(info.name)
    for name in djmine.__all__:
        value = getattr(djmine, name)
        if name == "__version__":
            assert isinstance(value, str)
            continue
        assert not inspect.ismodule(value), f"djmine.{name} is shadowed by a module"
        assert callable(value), name
    from djmine import ingest

    assert not inspect.ismodule(ingest)
