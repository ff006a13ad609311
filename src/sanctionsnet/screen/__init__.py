"""Screening: a query against the current lists, ranked results with explained scores."""

from sanctionsnet.screen.query import Query, QueryError
from sanctionsnet.screen.screener import ALGORITHMS, Match, Screener, get_algorithm

__all__ = ["ALGORITHMS", "Match", "Query", "QueryError", "Screener", "get_algorithm"]
