"""The in-memory candidate index built from the current snapshots."""

from sanctionsnet.index.index import ScreeningIndex
from sanctionsnet.index.records import Record, records_from_entities

__all__ = ["Record", "ScreeningIndex", "records_from_entities"]
