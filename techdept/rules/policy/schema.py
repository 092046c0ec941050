"""The shape of a policy file as data, and the one validator that walks it.

A schema is a tree of four kinds of node:

- ``Value(kind, …)``: one value of a kind (``str``, ``int``, ``number``, ``bool``,
  ``str_list``, ``int_list``, ``labels``), converted (numbers to ``Decimal``, lists to
  tuples) and then given to its ``checks``;
- ``Table(fields, …)``: a TOML table with these keys and no others (``readings = true``: it
  may name readings A1… that must be defined);
- ``Rows(table, …)``: an array of tables, each checked as ``table``;
- ``Map(value, …)``: a table whose keys are the policy's own (tracks, coefficient levels).

``validate`` walks the raw TOML against the schema and returns the converted values (absent or
wrong values replaced by their defaults) and one problem per fault, ``"key.path: message"``.
A check is a function of the converted value (and, for a table, of the whole file's values)
that yields ``(sub-path, message)`` pairs: ranges, choices, duplicates, references.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

Found = Iterable[tuple[str, str]]  # (path below the checked node, "" for the node; message)
ValueCheck = Callable[[Any], Found]
TableCheck = Callable[[dict[str, Any], dict[str, Any]], Found]  # (the table, the whole file)

LANGS = ("zh", "en")


@dataclass(frozen=True)
class Value:
    kind: str
    required: bool = True
    default: Any = None
    checks: tuple[ValueCheck, ...] = ()
    check_default: bool = False  # a value of the wrong type: check the default in its place


@dataclass(frozen=True)
class Table:
    fields: Mapping[str, Node]
    required: bool = True
    # absent or not a table: None skips its fields; {} checks them against an empty table
    # (each required field is then reported missing)
    default: dict[str, Any] | None = field(default_factory=dict)
    readings: bool = False
    checks: tuple[TableCheck, ...] = ()


@dataclass(frozen=True)
class Rows:
    table: Table
    required: bool = True
    empty: str | None = None  # the message for an empty array
    checks: tuple[ValueCheck, ...] = ()  # of the list of converted rows


@dataclass(frozen=True)
class Map:
    value: Node
    required: bool = True
    default: dict[str, Any] | None = field(default_factory=dict)
    empty: str | None = None
    checks: tuple[TableCheck, ...] = ()


Node = Value | Table | Rows | Map

# ------------------------------------------------------------------------------ checks


def positive(value: Any) -> Found:
    if value <= 0:
        yield "", "must be positive"


def at_least(low: int) -> ValueCheck:
    def check(value: Any) -> Found:
        if value < low:
            yield "", f"must be at least {low}"

    return check


def between(low: Any, high: Any, message: str | None = None) -> ValueCheck:
    def check(value: Any) -> Found:
        if not low <= value <= high:
            yield "", message or f"must be between {low} and {high}"

    return check


def one_of(choices: tuple[str, ...], message: str | None = None) -> ValueCheck:
    """``message`` may name the value ``{value}`` and the choices ``{known}``."""

    def check(value: Any) -> Found:
        if value not in choices:
            text = message or "must be one of {known}"
            yield "", text.format(value=value, known=", ".join(choices))

    return check


def each_one_of(choices: tuple[str, ...], message: str) -> ValueCheck:
    """Every member of a list is one of ``choices``."""

    def check(values: Any) -> Found:
        for value in values:
            if value not in choices:
                yield "", message.format(value=value, known=", ".join(choices))

    return check


def no_duplicates(message: str) -> ValueCheck:
    def check(values: Any) -> Found:
        if len(set(values)) != len(values):
            yield "", message

    return check


def not_empty(message: str) -> ValueCheck:
    def check(values: Any) -> Found:
        if not values:
            yield "", message

    return check


# ------------------------------------------------------------------------------ kinds

_TYPE_NAMES = {
    str: "string",
    int: "integer",
    bool: "boolean",
    Decimal: "number",
    dict: "table",
    list: "array",
}


def type_name(value: object) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return _is_int(value) or (isinstance(value, Decimal) and value.is_finite())


def _labels(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(value.get(lang), str) and value.get(lang) for lang in LANGS
    )


# kind → (accepts, converts, what it expects)
KINDS: dict[str, tuple[Callable[[Any], bool], Callable[[Any], Any], str]] = {
    "str": (lambda v: isinstance(v, str) and bool(v.strip()), lambda v: v, "a non-empty string"),
    "int": (_is_int, lambda v: v, "an integer"),
    "number": (_is_number, Decimal, "a number"),
    "bool": (lambda v: isinstance(v, bool), lambda v: v, "a boolean"),
    "table": (lambda v: isinstance(v, dict), lambda v: v, "a table"),
    "table_list": (
        lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v),
        lambda v: v,
        "an array of tables",
    ),
    "str_list": (
        lambda v: isinstance(v, list) and all(isinstance(x, str) and x for x in v),
        tuple,
        "an array of strings",
    ),
    "int_list": (
        lambda v: isinstance(v, list) and all(map(_is_int, v)),
        tuple,
        "an array of integers",
    ),
    "labels": (_labels, lambda v: {lang: v[lang] for lang in LANGS}, "a table with zh and en"),
}


# ------------------------------------------------------------------------------ the walk


def join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


class Walk:
    """One pass of the validator: the problems found, the readings named and where."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.reading_refs: list[tuple[str, str]] = []  # (reading id, path)
        self._table_checks: list[tuple[TableCheck, dict[str, Any], str]] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def found(self, path: str, found: Found) -> None:
        for sub, message in found:
            self.problem(join(path, sub) if sub else path, message)

    def convert(self, value: Any, path: str, kind: str) -> tuple[bool, Any]:
        accepts, converts, expected = KINDS[kind]
        if accepts(value):
            return True, converts(value)
        self.problem(path, f"expected {expected}, got {type_name(value)}")
        return False, None

    def node(self, node: Node, value: Any, path: str) -> Any:
        """``value`` (present in the file) checked and converted by ``node``."""
        if isinstance(node, Value):
            ok, converted = self.convert(value, path, node.kind)
            if not ok and not node.check_default:
                return node.default
            converted = converted if ok else node.default
            for check in node.checks:
                self.found(path, check(converted))
            return converted
        if isinstance(node, Table):
            ok, table = self.convert(value, path, "table")
            return self.table(node, table if ok else node.default, path)
        if isinstance(node, Rows):
            ok, rows = self.convert(value, path, "table_list")
            if not ok:
                return None
            if not rows and node.empty:
                self.problem(path, node.empty)
            out = [self.table(node.table, row, f"{path}[{i}]") for i, row in enumerate(rows)]
            for check in node.checks:
                self.found(path, check(out))
            return out
        ok, table = self.convert(value, path, "table")
        return self.map(node, table if ok else node.default, path)

    def absent(self, node: Node, path: str) -> Any:
        """What a node stands for when its key is missing."""
        if isinstance(node, Table):
            return self.table(node, node.default, path)
        if isinstance(node, Map):
            return self.map(node, node.default, path)
        return None if isinstance(node, Rows) else node.default

    def table(self, node: Table, table: dict[str, Any] | None, path: str) -> dict[str, Any] | None:
        if table is None:
            return None
        allowed = (*node.fields, "readings") if node.readings else tuple(node.fields)
        for key in table:
            if key not in allowed:
                self.problem(join(path, key), "unknown key")
        out: dict[str, Any] = {}
        if node.readings:
            ids = (
                self.node(Value("str_list", default=()), table["readings"], join(path, "readings"))
                if "readings" in table
                else ()
            )
            self.reading_refs += [(rid, path) for rid in ids or ()]
            out["readings"] = ids or ()
        for key, child in node.fields.items():
            if key in table:
                out[key] = self.node(child, table[key], join(path, key))
            else:
                if child.required:
                    self.problem(join(path, key), "missing")
                out[key] = self.absent(child, join(path, key))
        self._table_checks += [(check, out, path) for check in node.checks]
        return out

    def map(self, node: Map, table: dict[str, Any] | None, path: str) -> dict[str, Any] | None:
        if table is None:
            return None
        if not table and node.empty:
            self.problem(path, node.empty)
        out: dict[str, Any] = {}
        for key, value in table.items():
            converted = self.node(node.value, value, join(path, key))
            if converted is not None:
                out[key] = converted
        self._table_checks += [(check, out, path) for check in node.checks]
        return out

    def finish(self, root: dict[str, Any]) -> None:
        """The checks of tables, which may look at the rest of the file (references)."""
        for check, values, path in self._table_checks:
            self.found(path, check(values, root))


def validate(schema: Table, raw: dict[str, Any]) -> tuple[dict[str, Any], Walk]:
    """The file's values as ``schema`` converts them, and the walk with its problems."""
    walk = Walk()
    root = walk.table(schema, raw, "") or {}
    walk.finish(root)
    return root, walk
