"""Reading rubric YAML within a budget: bounded size, nodes, text, aliases and depth.

YAML aliases let a tiny file describe a huge document: a 4.5 KB file that
reuses one competency 300 times, whose behaviors and items are aliases too,
expands to millions of nodes, and validating it took a process to 2.9 GB and
an abort. PyYAML builds the aliased structure as shared objects, so the load
itself looks cheap; the cost comes later, when validation walks every copy.

So the budget is counted while composing, before anything is constructed or
validated: every node counts once where it is written and again *each time an
alias repeats it* (with all its children), which is exactly the size of the
tree validation would walk. A file over any limit is refused with a located
:class:`YamlRefused`; nothing of it is built. The limits (documented in
docs/rubric-format.md "Limits" and docs/security.md) are about 35 times what
the shipped Product Owner rubric needs (84 KB, 2,724 nodes, depth 10).

The loader is also strict where plain ``yaml.safe_load`` is lenient or
crashes: duplicate mapping keys are refused (YAML keeps the last), an alias
to a node that contains it is refused, and values Python cannot build (an
integer of 5,000 digits, an impossible date, an unhashable key) become
located errors instead of ``ValueError`` tracebacks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import yaml
from yaml.constructor import ConstructorError
from yaml.error import MarkedYAMLError

#: Largest rubric file read, in bytes (2 MiB, 25 times the shipped rubric).
MAX_RUBRIC_FILE_BYTES = 2 * 1024 * 1024
#: Most YAML nodes (scalars, sequences, mappings, keys included) a file may
#: expand to, counting each use of an alias as a copy of what it names.
MAX_RUBRIC_NODES = 100_000
#: Most characters of text (scalar values) a file may expand to: without
#: aliases a file cannot hold more text than bytes, so this only stops an alias
#: repeating a long string (a 1 MB text used 1,000 times is 1 GB of JSON later).
MAX_RUBRIC_TEXT_CHARS = MAX_RUBRIC_FILE_BYTES
#: Most alias uses (``*name``) in one file.
MAX_RUBRIC_ALIASES = 1_000
#: Deepest nesting of collections (a rubric needs 10).
MAX_RUBRIC_DEPTH = 50


@dataclass(frozen=True, slots=True)
class YamlBudget:
    """What one file may cost; tests pass smaller ones."""

    max_bytes: int = MAX_RUBRIC_FILE_BYTES
    max_nodes: int = MAX_RUBRIC_NODES
    max_text_chars: int = MAX_RUBRIC_TEXT_CHARS
    max_aliases: int = MAX_RUBRIC_ALIASES
    max_depth: int = MAX_RUBRIC_DEPTH


DEFAULT_BUDGET = YamlBudget()


class YamlRefused(Exception):
    """A file that cannot be read as rubric YAML; ``where`` is "line L, column C" or ""."""

    def __init__(self, where: str, message: str):
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}" if where else message)


class _OverBudget(MarkedYAMLError):
    """Raised inside the composer; turned into :class:`YamlRefused` by :func:`load_yaml_file`."""


def _where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""


class BudgetedLoader(yaml.SafeLoader):
    """A SafeLoader that counts what it composes and refuses duplicate keys."""

    def __init__(self, stream: str, budget: YamlBudget = DEFAULT_BUDGET):
        super().__init__(stream)
        self.budget = budget
        self.expanded_nodes = 0
        self.expanded_chars = 0
        self.alias_uses = 0
        self._depth = 0
        #: Expanded (nodes, characters) of each finished anchored node; an anchor
        #: that is in ``self.anchors`` but not here is still being composed.
        self._anchor_sizes: dict[str, tuple[int, int]] = {}

    def _refuse(self, mark: Any, message: str) -> NoReturn:
        raise _OverBudget(problem=message, problem_mark=mark)

    def _count(self, nodes: int, chars: int, mark: Any) -> None:
        self.expanded_nodes += nodes
        self.expanded_chars += chars
        if self.expanded_nodes > self.budget.max_nodes:
            self._refuse(
                mark,
                f"the file expands to more than {self.budget.max_nodes:,} YAML nodes "
                "(each use of an alias counts everything it repeats)",
            )
        if self.expanded_chars > self.budget.max_text_chars:
            self._refuse(
                mark,
                f"the file expands to more than {self.budget.max_text_chars:,} characters "
                "of text (each use of an alias counts everything it repeats)",
            )

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self.alias_uses += 1
            if self.alias_uses > self.budget.max_aliases:
                self._refuse(
                    event.start_mark, f"the file uses more than {self.budget.max_aliases:,} aliases"
                )
            anchor = str(event.anchor)
            if anchor in self.anchors and anchor not in self._anchor_sizes:
                self._refuse(event.start_mark, f"alias *{anchor} is used inside its own anchor")
            # An undefined alias is left to the composer's own located error.
            self._count(*self._anchor_sizes.get(anchor, (0, 0)), event.start_mark)
            return super().compose_node(parent, index)
        before = (self.expanded_nodes, self.expanded_chars)
        chars = len(event.value) if isinstance(event, yaml.ScalarEvent) else 0
        self._count(1, chars, event.start_mark)
        self._depth += 1
        if self._depth > self.budget.max_depth:
            self._refuse(
                event.start_mark, f"the file nests deeper than {self.budget.max_depth} levels"
            )
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        defined = getattr(event, "anchor", None)
        if defined is not None:
            self._anchor_sizes[str(defined)] = (
                self.expanded_nodes - before[0],
                self.expanded_chars - before[1],
            )
        return node

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError, TypeError) as exc:
            # E.g. an int of more than 4300 digits; keep the reason, not the value.
            reason = str(exc).split(";")[0]
            kind = node.tag.rsplit(":", 1)[-1]
            raise ConstructorError(
                None, None, f"cannot read this {kind} value ({reason})", node.start_mark
            ) from None


def _construct_mapping(loader: BudgetedLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node)
        try:
            hash(key)
        except TypeError:
            raise ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                "found a key that is not a plain value",
                key_node.start_mark,
            ) from None
        if key in mapping:
            raise ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"found duplicate key {key!r}",
                key_node.start_mark,
            )
        mapping[key] = loader.construct_object(value_node)
    return mapping


BudgetedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_limited_text(path: Path, max_bytes: int) -> str:
    """The file's text, refusing before reading more than ``max_bytes`` (even from a pipe)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise YamlRefused("", f"cannot read the file: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise YamlRefused("", f"the file is larger than {max_bytes:,} bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlRefused("", f"cannot read the file: not UTF-8 at byte {exc.start}") from None


def load_yaml_text(text: str, budget: YamlBudget = DEFAULT_BUDGET) -> Any:
    """Parse one YAML document within ``budget``; :class:`YamlRefused` on any problem."""
    loader = BudgetedLoader(text, budget)
    try:
        return loader.get_single_data()
    except _OverBudget as exc:
        raise YamlRefused(_where(exc.problem_mark), f"refused: {exc.problem}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        detail = getattr(exc, "problem", None) or str(exc)
        raise YamlRefused(_where(mark), f"not valid YAML: {detail}") from None
    finally:
        loader.dispose()


def load_yaml_file(path: Path, budget: YamlBudget = DEFAULT_BUDGET) -> Any:
    """Read and parse a YAML file within ``budget`` (size first, then nodes, aliases, depth)."""
    return load_yaml_text(read_limited_text(path, budget.max_bytes), budget)
