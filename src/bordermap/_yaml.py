"""One YAML loader for every file bordermap reads: safe, line-tracking, bounded.

:func:`load` parses text with PyYAML's safe constructor (libyaml's parser when
present) and returns plain data in which every mapping is a :class:`LinedMap`
and every list a :class:`LinedSeq`, each knowing the 1-based line of its start
and of each key or item.  Compared with ``yaml.safe_load`` it

* refuses a key given twice in one mapping (plain YAML keeps the last);
* keeps dates as text, so that ``2024-01`` keeps its month precision;
* reads numbers as YAML 1.2 does: ``190:30`` (YAML 1.1 base 60) and ``010``
  (YAML 1.1 octal) stay text instead of becoming 11430 and 8;
* refuses a document whose aliases would expand past :data:`MAX_NODES` nodes
  (the "billion laughs"), or nested deeper than :data:`MAX_NESTING`, before
  anything is built, and integers longer than :data:`MAX_NUMBER_DIGITS` digits.

Every problem is raised as the caller's error class (a
:class:`~bordermap.errors.BordermapError`) with the file and line.

Examples
--------
>>> data = load("a: 1\\nb:\\n  - x\\n  - 190:30\\n", path="example.yaml")
>>> data["b"], data.line_of("b"), data["b"].line_of(1)
(['x', '190:30'], 2, 4)
>>> try:
...     load("a: 1\\na: 2\\n", path="dup.yaml")
... except Exception as exc:
...     print(exc.line, exc.message)
2 cannot read YAML: key 'a' appears twice in one mapping (first on line 1)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from bordermap.errors import BordermapError, LayerError, shorten

__all__ = [
    "MAX_NESTING",
    "MAX_NODES",
    "MAX_NUMBER_DIGITS",
    "LinedMap",
    "LinedSeq",
    "lined",
    "load",
]

#: Most nodes a document may hold once its aliases are expanded.
MAX_NODES = 5_000_000
#: Deepest nesting of mappings and lists in a document.
MAX_NESTING = 64
#: Longest integer, in digits (Python refuses to convert past 4,300).
MAX_NUMBER_DIGITS = 100


class LinedMap(dict):
    """A dict that remembers the line of its start and of each key (1-based)."""

    line: int | None = None
    key_lines: dict

    def line_of(self, key: Any) -> int | None:
        return getattr(self, "key_lines", {}).get(key, self.line)


class LinedSeq(list):
    """A list that remembers the line of its start and of each item (1-based)."""

    line: int | None = None
    item_lines: list

    def line_of(self, index: int) -> int | None:
        lines = getattr(self, "item_lines", [])
        return lines[index] if index < len(lines) else self.line


class _Refused(yaml.MarkedYAMLError):
    """A document refused by this loader (duplicate key, too large, too deep)."""


# libyaml's parser when present (about 10x faster); the constructor stays PyYAML's safe one.
_SafeBase: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_INT_RE = re.compile(r"^[-+]?[0-9][0-9_]*$|^[-+]?0x[0-9a-fA-F_]+$")
_FLOAT_RE = re.compile(
    r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?\.[0-9][0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.X,
)
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"


def _resolvers() -> dict:
    """SafeLoader's implicit resolvers without timestamps, base 60 and octal."""
    out: dict = {}
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items():
        kept = []
        for tag, rx in resolvers:
            if tag == "tag:yaml.org,2002:timestamp":
                continue
            kept.append(
                (tag, _INT_RE if tag == _INT_TAG else _FLOAT_RE if tag == _FLOAT_TAG else rx)
            )
        out[first] = kept
    return out


class LineLoader(_SafeBase):
    """Safe loader that records node lines, refuses duplicate keys and caps aliases."""

    yaml_implicit_resolvers = _resolvers()

    def get_single_node(self) -> Any:
        node = super().get_single_node()
        if node is not None:
            _measure(node, 0, {})
        return node


def _measure(node: yaml.Node, depth: int, memo: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """(nodes once expanded, height) of a node graph; refuse too large or too deep.

    Shared (aliased) nodes are measured once, so the walk is linear in the text,
    whatever the expansion would be; a recursive alias exceeds the depth cap.
    """
    if depth > MAX_NESTING:
        raise _Refused(
            None,
            None,
            f"nested more than {MAX_NESTING} levels deep (or a recursive alias)",
            node.start_mark,
        )
    known = memo.get(id(node))
    if known is not None:
        if depth + known[1] > MAX_NESTING:
            raise _Refused(
                None, None, f"nested more than {MAX_NESTING} levels deep", node.start_mark
            )
        return known
    if isinstance(node, yaml.MappingNode):
        children = [n for pair in node.value for n in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = node.value
    else:
        children = []
    size, height = 1, 0
    for child in children:
        c_size, c_height = _measure(child, depth + 1, memo)
        size += c_size
        height = max(height, c_height + 1)
    if size > MAX_NODES:
        raise _Refused(
            None,
            None,
            f"the aliases expand to more than {MAX_NODES:,} values",
            node.start_mark,
        )
    memo[id(node)] = (size, height)
    return size, height


def _construct_map(loader: LineLoader, node: yaml.MappingNode) -> Iterator[LinedMap]:
    data = LinedMap()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "found a key that is a mapping or a list", key_node.start_mark
            ) from None
        if key in data:
            raise _Refused(
                None,
                None,
                f"key {shorten(key)} appears twice in one mapping "
                f"(first on line {data.key_lines[key]})",
                key_node.start_mark,
            )
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = key_node.start_mark.line + 1


def _construct_seq(loader: LineLoader, node: yaml.SequenceNode) -> Iterator[LinedSeq]:
    data = LinedSeq()
    data.line = node.start_mark.line + 1
    data.item_lines = [child.start_mark.line + 1 for child in node.value]
    yield data
    data.extend(loader.construct_object(child, deep=True) for child in node.value)


def _construct_int(loader: LineLoader, node: yaml.ScalarNode) -> int:
    digits = sum(ch.isdigit() for ch in node.value)
    if digits > MAX_NUMBER_DIGITS:
        raise _Refused(
            None,
            None,
            f"a number of {digits} digits (more than {MAX_NUMBER_DIGITS})",
            node.start_mark,
        )
    text = node.value.replace("_", "")
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("+-")
    try:
        if text.lower().startswith("0x"):
            return sign * int(text[2:], 16)
        return sign * int(text, 10)  # YAML 1.2: a leading 0 is not octal
    except ValueError:
        raise _Refused(
            None, None, f"{shorten(node.value)} is not a whole number", node.start_mark
        ) from None


LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
LineLoader.add_constructor(_INT_TAG, _construct_int)


def load(text: str, *, path: str | None = None, error: type[BordermapError] = LayerError) -> Any:
    """Parse YAML text into :class:`LinedMap`/:class:`LinedSeq`/scalars.

    Parameters
    ----------
    text : str
        The document.
    path : str, optional
        The file it came from, for error messages.
    error : BordermapError subclass
        Raised (with ``path`` and ``line``) for anything that cannot be read.

    Returns
    -------
    object
        None for an empty document.
    """
    try:
        return yaml.load(text, Loader=LineLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = None if mark is None else mark.line + 1
        problem = exc.problem or "invalid YAML"
        if "nesting depth" in problem:  # PyYAML >= 6.0.4 stops deep nesting itself
            problem = f"nested more than {MAX_NESTING} levels"
        hint = None
        if "python/" in problem or "could not determine a constructor" in problem:
            hint = "files are read with a safe loader: remove the '!!' / '!' tag"
        raise error(f"cannot read YAML: {problem}", path=path, line=line, suggestion=hint) from None
    except yaml.YAMLError as exc:
        if "nesting depth" in str(exc):
            raise error(f"cannot read YAML: nested more than {MAX_NESTING} levels",
                        path=path) from None
        raise error(f"cannot read YAML: {shorten(str(exc), 200)}", path=path) from None
    except (ValueError, TypeError, OverflowError) as exc:  # a bad explicitly tagged value
        raise error(f"cannot read YAML: {shorten(str(exc), 200)}", path=path) from None
    except RecursionError:
        raise error(
            f"cannot read YAML: nested too deeply (limit {MAX_NESTING})", path=path
        ) from None


def lined(obj: Any, line: int | None, depth: int = 0) -> Any:
    """Wrap plain dicts/lists (e.g. from JSON or CSV) so every node has a line.

    Raises
    ------
    ValueError
        When nested more than :data:`MAX_NESTING` levels deep.
    """
    if depth > MAX_NESTING:
        raise ValueError(f"nested more than {MAX_NESTING} levels deep")
    if isinstance(obj, dict) and not isinstance(obj, LinedMap):
        out = LinedMap()
        out.line = line
        out.key_lines = {}
        for k, v in obj.items():
            out[k] = lined(v, line, depth + 1)
            out.key_lines[k] = line
        return out
    if isinstance(obj, list) and not isinstance(obj, LinedSeq):
        out_list = LinedSeq(lined(v, line, depth + 1) for v in obj)
        out_list.line = line
        out_list.item_lines = [line] * len(obj)
        return out_list
    return obj
