"""Which screening kernel is in use: the mypyc-compiled modules, or their sources.

``setup.py`` compiles five modules and records their sources' hashes. In an editable
install the compiled files sit beside the sources and Python prefers them; once a
source is edited, they would hide the edit. So when any recorded hash no longer matches
its source, all five modules are imported from source (they call each other directly
when compiled, so they cannot be mixed), with a warning, until ``pip install -e .``
compiles them again. ``SANCTIONSNET_PURE_PYTHON=1`` at run time also imports the sources.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import warnings
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

_PACKAGE = Path(__file__).parent
_MANIFEST = _PACKAGE / "_kernel.json"


def kernel_sources() -> dict[str, Path]:
    """Module name -> source file of each compiled module, as `setup.py` recorded them."""
    recorded = _recorded()
    return {path.removesuffix(".py").replace("/", "."): _PACKAGE.parent / path for path in recorded}


def _recorded() -> dict[str, str]:
    try:
        data = json.loads(_MANIFEST.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def stale_sources() -> list[str]:
    """The compiled modules whose source changed since they were compiled."""
    out = []
    for path, digest in _recorded().items():
        source = _PACKAGE.parent / path
        try:
            current = hashlib.sha256(source.read_bytes()).hexdigest()
        except OSError:
            continue
        if current != digest:
            out.append(path)
    return out


def compiled_modules() -> list[str]:
    """The kernel modules imported compiled in this process (imports them)."""
    names = []
    for name in kernel_sources():
        module = importlib.import_module(name)
        if not (module.__file__ or "").endswith(".py"):
            names.append(name)
    return names


class _SourcesFirst(importlib.abc.MetaPathFinder):
    """Finds the kernel modules' sources ahead of their compiled files."""

    def __init__(self, sources: dict[str, Path]) -> None:
        self.sources = sources

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        source = self.sources.get(fullname)
        if source is None or not source.exists():
            return None
        return importlib.util.spec_from_file_location(fullname, source)


def choose_kernel() -> None:
    """Import the kernel from source where the compiled one is missing its edits."""
    sources = kernel_sources()
    if not sources:
        return
    stale = stale_sources()
    if stale:
        warnings.warn(
            "sanctionsnet: the compiled screening kernel predates edits to "
            f"{', '.join(stale)}; using the sources until `pip install -e .` compiles "
            "them again",
            stacklevel=2,
        )
    elif os.environ.get("SANCTIONSNET_PURE_PYTHON") != "1":
        return
    sys.meta_path.insert(0, _SourcesFirst(sources))


def describe_kernel() -> str:
    """One line for benchmark reports: which kernel measured the figures."""
    sources = kernel_sources()
    if not sources:
        return "screening kernel: pure Python (not compiled at install)"
    compiled = compiled_modules()
    if len(compiled) == len(sources):
        return f"screening kernel: compiled with mypyc ({len(compiled)} modules)"
    stale = stale_sources()
    if stale:
        why = f"sources edited since: {', '.join(stale)}"
    elif os.environ.get("SANCTIONSNET_PURE_PYTHON") == "1":
        why = "SANCTIONSNET_PURE_PYTHON=1"
    elif compiled:
        why = f"{len(compiled)} of {len(sources)} modules compiled"
    else:
        why = "no compiled modules found"
    return f"screening kernel: pure Python ({why})"
