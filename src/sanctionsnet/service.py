"""Loading the screener for a store, with the built index cached on disk.

Building the index analyses every listed name; the result depends only on the
current versions and on the code, so it is pickled under a key made of both and
reused until either changes.
"""

from __future__ import annotations

from sanctionsnet import __version__
from sanctionsnet.index import ScreeningIndex
from sanctionsnet.pickle_cache import cache_key, load_or_build
from sanctionsnet.screen import Screener
from sanctionsnet.store import Store

#: Bump when the index layout or the analysis changes.
INDEX_FORMAT = "8"


def index_key(store: Store) -> str:
    return cache_key(store, __version__, INDEX_FORMAT)


def load_index(store: Store, use_cache: bool = True) -> ScreeningIndex:
    """The index of the current versions, from the cache when it is still valid."""
    return load_or_build(
        store, "index", index_key(store), lambda: ScreeningIndex.from_store(store), use_cache
    )


def load_screener(store: Store) -> Screener:
    return Screener(load_index(store))
