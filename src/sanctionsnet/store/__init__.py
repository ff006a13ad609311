"""Immutable, versioned snapshots of the official lists."""

from sanctionsnet.store.diff import Diff, diff_versions
from sanctionsnet.store.store import ImportResult, Store, Version, open_store

__all__ = ["Diff", "ImportResult", "Store", "Version", "diff_versions", "open_store"]
