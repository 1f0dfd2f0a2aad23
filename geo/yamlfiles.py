"""YAML files (records and map files) read with YAML 1.2 core-schema scalars, each mapping and list
knowing its lines, so errors can name them. Apart from the readers: a CSV render never imports PyYAML."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from geo.errors import Problem, RecordError
from geo.files import decode

MAX_DEPTH = 20


class _RecordLoader(yaml.SafeLoader):
    """yaml.safe_load with YAML 1.2 core-schema scalars, that remembers each mapping's line and refuses aliases.

    PyYAML follows YAML 1.1, which silently changes published text: `Off` and `NO` (Norway) become
    booleans, `012` an octal 10, `1:30` the number 90, `2024-02-30` a crash. Here only true/false,
    null, and decimal numbers written without leading zeros are typed; everything else stays the
    text it was, for the field parsers to read (dates included).
    """

    depth = 0
    yaml_implicit_resolvers: dict = {}  # filled below; SafeLoader's 1.1 rules are not inherited

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.MarkedYAMLError(None, None, "aliases (*name) are not allowed here; "
                                       "write the value out", mark)
        if self.depth >= MAX_DEPTH:
            raise yaml.MarkedYAMLError(None, None, f"is nested more than {MAX_DEPTH} levels deep",
                                       self.peek_event().start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node, deep=False):  # noqa: ANN001
        seen: set[str] = set()
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "<<":
                continue
            # PyYAML keeps the last of two equal keys: the first value would vanish without a word
            if key_node.value in seen:
                raise yaml.MarkedYAMLError(None, None, f"key {key_node.value!r} appears twice in one mapping",
                                           key_node.start_mark)
            seen.add(key_node.value)
        mapping = super().construct_mapping(node, deep=True)
        mapping["_origin"] = node.start_mark.line + 1
        mapping["_lines"] = {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
        return mapping

    def construct_yaml_seq(self, node):  # noqa: ANN001
        items = Items([], [n.start_mark.line + 1 for n in node.value])
        yield items
        items.extend(self.construct_sequence(node, deep=True))


class Items(list):
    """A YAML list that knows the line of each item, so errors about an item can name it."""

    def __init__(self, items: list[Any], lines: list[int]):
        super().__init__(items)
        self.lines = lines


_RecordLoader.add_constructor("tag:yaml.org,2002:seq", _RecordLoader.construct_yaml_seq)
for _tag, _pattern, _first in (
    ("bool", r"true|True|TRUE|false|False|FALSE", "tTfF"),
    ("null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    ("int", r"[-+]?(?:0|[1-9][0-9]*)", "-+0123456789"),
    ("float", r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9]+(?:[eE][-+]?[0-9]+)?"
              r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)", "-+0123456789."),
):
    _RecordLoader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(f"^(?:{_pattern})$"), list(_first))


def _construct_int(loader: _RecordLoader, node: yaml.ScalarNode) -> int:
    """A decimal integer; one longer than Python converts (4,300 digits) is an error naming its line."""
    try:
        return int(node.value)
    except ValueError:
        raise yaml.MarkedYAMLError(None, None, f"a number of {len(node.value)} digits is too long",
                                   node.start_mark) from None


_RecordLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """A YAML date, or an impossible one (2024-02-30) kept as text for geo.dates to name the error."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return node.value


_RecordLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def load_yaml(path: Path) -> Any:
    """yaml.safe_load of a file; each mapping carries its line as ``_origin`` and its keys' lines as
    ``_lines``, each list its items' lines as ``.lines``; errors name the line."""
    text = decode(path)
    try:
        return yaml.load(text, Loader=_RecordLoader)  # noqa: S506 - _RecordLoader is a SafeLoader
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = str(mark.line + 1) if mark else ""
        raise RecordError([Problem(str(path), line, "yaml", (err.problem or err.context or "invalid").strip(),
                                   "fix the YAML syntax at that line")]) from None
    except yaml.YAMLError as err:
        raise RecordError([Problem(str(path), "", "yaml", str(err).splitlines()[0],
                                   "fix the YAML syntax")]) from None
    except RecursionError:
        raise RecordError([Problem(str(path), "", "yaml", "is nested too deeply",
                                   "records are flat mappings; remove the nesting")]) from None
