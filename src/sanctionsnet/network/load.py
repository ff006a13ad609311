"""The network of the current lists, built once per set of current versions and cached.

Reading every entry's text and resolving the names it cites takes seconds; the result
depends only on the current versions and on this code, so it is pickled under a key
made of both (as the screening index is) and reused until either changes.
"""

from __future__ import annotations

from sanctionsnet import __version__
from sanctionsnet.network.graph import Graph
from sanctionsnet.network.list_edges import list_network
from sanctionsnet.pickle_cache import cache_key, load_or_build
from sanctionsnet.screen import Screener
from sanctionsnet.store import Store

#: Bump when the graph layout or the edge extraction changes.
NETWORK_FORMAT = "1"


def network_key(store: Store) -> str:
    return cache_key(store, __version__, NETWORK_FORMAT)


def load_network(store: Store, screener: Screener | None = None, use_cache: bool = True) -> Graph:
    """The graph of the current lists (from the cache when it is still valid).

    `screener` resolves names in the lists' text; by default the store's own is loaded.
    """

    def build() -> Graph:
        resolver = screener
        if resolver is None:
            from sanctionsnet.service import load_screener

            resolver = load_screener(store)
        nodes, edges, versions = list_network(store, resolver)
        return Graph(nodes, edges, versions)

    return load_or_build(store, "network", network_key(store), build, use_cache)
