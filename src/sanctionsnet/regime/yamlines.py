"""YAML that remembers where each value came from, so rule errors can name their line.

PyYAML's composer keeps a mark (line, column) on every node; the usual loaders throw
them away. Here mappings and sequences become `YMap` / `YSeq`, which carry the line of
each key and item, while scalars keep PyYAML's ordinary types (str, int, float, bool,
date, None). Duplicate keys, which PyYAML silently overwrites, are reported instead.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode


class YMap(dict[str, Any]):
    """A YAML mapping; `line` is where it starts, `key_lines[key]` where each key is."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class YSeq(list[Any]):
    """A YAML sequence; `item_lines[i]` is the line of item i."""

    line: int
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class BadScalar:
    """A scalar PyYAML recognised but could not build (such as the date 2017-13-01).

    Kept in the tree so that the schema check can report it, with its line, among the
    other problems of the file instead of stopping at the first.
    """

    __slots__ = ("line", "problem", "text")

    def __init__(self, text: str, problem: str, line: int) -> None:
        self.text = text
        self.problem = problem
        self.line = line

    def __repr__(self) -> str:
        return f"BadScalar({self.text!r}: {self.problem})"


class YamlSyntaxError(Exception):
    """The text is not YAML, or repeats a key; `line` is 1-based."""

    def __init__(self, message: str, line: int | None) -> None:
        self.message = message
        self.line = line
        super().__init__(message)


def load(text: str) -> Any:
    """Parse one YAML document into YMap / YSeq / plain scalars, with 1-based lines."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise YamlSyntaxError(f"not valid YAML: {exc.problem or exc}", line) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"not valid YAML: {exc}", None) from None
    if node is None:
        return None
    return _convert(node, SafeConstructor())


def _convert(node: Node, constructor: SafeConstructor) -> Any:
    line = node.start_mark.line + 1
    if isinstance(node, MappingNode):
        result = YMap()
        result.line = line
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = _convert(key_node, constructor)
            key_text = str(key)
            key_line = key_node.start_mark.line + 1
            if key_text in result:
                raise YamlSyntaxError(
                    f"key {key_text!r} repeated (first at line {result.key_lines[key_text]})",
                    key_line,
                )
            result[key_text] = _convert(value_node, constructor)
            result.key_lines[key_text] = key_line
        return result
    if isinstance(node, SequenceNode):
        seq = YSeq()
        seq.line = line
        seq.item_lines = []
        for item in node.value:
            seq.append(_convert(item, constructor))
            seq.item_lines.append(item.start_mark.line + 1)
        return seq
    if isinstance(node, ScalarNode):
        try:
            return constructor.construct_object(node, deep=True)
        except (yaml.constructor.ConstructorError, ValueError) as exc:
            # e.g. a timestamp-looking value that is no date: 2017-13-01
            return BadScalar(str(node.value), str(getattr(exc, "problem", None) or exc), line)
    raise YamlSyntaxError(f"unsupported YAML node {type(node).__name__}", line)
