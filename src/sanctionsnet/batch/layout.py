"""The columns of a screening output: the input row's own, then the match's.

Match columns carry a ``match_`` prefix so that the book's own columns (its ``id``,
``name``, ``schema``...) keep their names and results join back to the input on them;
an input column that clashes with a match column is renamed ``input_<name>``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

#: Match columns of a screening run: name and type.
MATCH_COLUMNS: tuple[tuple[str, pa.DataType], ...] = (
    ("match_rank", pa.int32()),
    ("match_id", pa.string()),
    ("match_schema", pa.string()),
    ("match_caption", pa.string()),
    ("match_dataset", pa.string()),
    ("match_source", pa.string()),
    ("match_ref", pa.string()),
    ("match_version", pa.string()),
    ("match_score", pa.float64()),
    ("matched_name", pa.string()),
    ("match_programs", pa.string()),
    ("match_features", pa.string()),
)

#: Monitoring runs (--changes-since) add what happened to the entry and its earlier score.
MONITOR_COLUMNS: tuple[tuple[str, pa.DataType], ...] = (
    ("change", pa.string()),
    *MATCH_COLUMNS,
    ("previous_score", pa.float64()),
)

INPUT_PREFIX = "input_"


@dataclass(frozen=True)
class Layout:
    """Output column names and types; `input_types` is None when input values are text."""

    input_names: tuple[str, ...]
    match_columns: tuple[tuple[str, pa.DataType], ...]
    input_types: tuple[pa.DataType, ...] | None = None

    @classmethod
    def build(
        cls,
        input_columns: tuple[str, ...] | list[str],
        monitoring: bool = False,
        input_types: tuple[pa.DataType, ...] | None = None,
    ) -> Layout:
        match = MONITOR_COLUMNS if monitoring else MATCH_COLUMNS
        taken = {name for name, _ in match}
        names: list[str] = []
        for column in input_columns:
            name = column
            while name in taken:
                name = INPUT_PREFIX + name
            taken.add(name)
            names.append(name)
        return cls(tuple(names), match, input_types)

    @property
    def names(self) -> list[str]:
        return [*self.input_names, *(name for name, _ in self.match_columns)]

    @property
    def width(self) -> int:
        return len(self.input_names) + len(self.match_columns)

    def arrow_schema(self) -> pa.Schema:
        types = self.input_types or tuple(pa.string() for _ in self.input_names)
        fields = [pa.field(n, t) for n, t in zip(self.input_names, types, strict=True)]
        fields += [pa.field(n, t) for n, t in self.match_columns]
        return pa.schema(fields)
