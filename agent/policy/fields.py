"""Typed models for JSON documents: a model is a frozen dataclass whose fields carry their rule (`rule(Int(0, 60))`).

One walk (`check`) reads any model and reports every problem as `path: reason` (never stopping at the first);
`build` turns a checked document into the model's typed values. The policy (agent/policy/doc.py) and the wire
messages (agent/protocol/messages.py) are declared with these rules, so each constraint is written once, next to
its field, and every document is checked the same way.

The reasons are the words parents read in the console and on the command line: keep them stable.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
import re
from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from agent.policy.errors import Problem
from agent.policy.schema import MAX_LIST_ITEMS

APP_ID = re.compile(r"^[a-z0-9][a-z0-9._+\- ]{0,79}$")
EXE_SUFFIX = re.compile(r"\.(exe|app|appimage|bin|x86_64)$")
HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")
FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class Context:
    """What a check may need beyond the document: the category names this agent ships (None: not known)."""

    known_categories: Set[str] | None = None


_NO_CONTEXT = Context()


class Checks:
    """Collects problems while a document is walked."""

    def __init__(self, context: Context | None = None) -> None:
        self.problems: list[Problem] = []
        self.context = context or _NO_CONTEXT

    def add(self, path: str, reason: str) -> None:
        self.problems.append(Problem(path, reason))

    def obj(self, value: Any, path: str, known: Iterable[str]) -> dict | None:
        """An object with only `known` fields (each unknown one is reported, as a typo would be)."""
        if not isinstance(value, dict):
            self.add(path, f"must be an object, got {kind(value)}")
            return None
        known = known if isinstance(known, (set, frozenset, dict)) else set(known)
        for key in value:
            if key not in known:
                self.add(f"{path}.{key}" if path else key, "unknown field (a typo?)")
        return value


def kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "true/false", int: "a number", float: "a decimal number", str: "text", list: "a list",
            dict: "an object"}.get(type(value), type(value).__name__)


@functools.lru_cache(maxsize=2048)  # 1,441 times of day; every window of every check and policy view reads two
def hhmm_to_minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


class Rule(Protocol):
    def check(self, c: Checks, value: Any, path: str) -> None: ...

    def build(self, value: Any) -> Any: ...


# A leaf rule may also say, as a Python expression on a variable, when a value is certainly fine
# (`accepts(v) -> str | None`, None: it cannot): a model whose every rule can (the signed wire messages) is first
# checked by one function made from those expressions, and only walked, for the wording, when that says no. The
# expression may say no to a fine value (the walk then finds nothing), never yes to a wrong one:
# test_policy_models checks both ways.


class _Plain:
    """A rule whose checked value is already its typed value."""

    def build(self, value: Any) -> Any:
        return value


def rule(r: Rule, default: Any = dataclasses.MISSING) -> Any:
    """A model field with its rule: `minutes: int | None = rule(Int(0, 1440, nullable=True))`. With a default, a
    document may leave the field out (then it is the default, unchecked)."""
    return field(default=default, metadata={"rule": r})


# ---- leaf rules ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Int(_Plain):
    lo: int
    hi: int
    nullable: bool = False

    def accepts(self, v: str) -> str:
        return f"(type({v}) is int and {self.lo} <= {v} <= {self.hi}{f' or {v} is None' if self.nullable else ''})"

    def check(self, c: Checks, value: Any, path: str) -> None:
        if value is None and self.nullable:
            return
        if isinstance(value, bool) or not isinstance(value, int):
            want = "a whole number or null" if self.nullable else "a whole number"
            c.add(path, f"must be {want}, got {kind(value)}")
        elif not self.lo <= value <= self.hi:
            c.add(path, f"must be between {self.lo} and {self.hi}, got {value}")


@dataclass(frozen=True)
class Bool(_Plain):
    def accepts(self, v: str) -> str:
        return f"({v} is True or {v} is False)"

    def check(self, c: Checks, value: Any, path: str) -> None:
        if not isinstance(value, bool):
            c.add(path, f"must be true or false, got {kind(value)}")


@dataclass(frozen=True)
class Choice(_Plain):
    choices: tuple[str, ...]

    def check(self, c: Checks, value: Any, path: str) -> None:
        if value not in self.choices:
            c.add(path, f"must be one of {', '.join(self.choices)}, got {value!r}")


@dataclass(frozen=True)
class Const(_Plain):
    """A value fixed by the code (a schema number after migration)."""

    value: int
    reason: str  # formatted with want= and got=

    def check(self, c: Checks, value: Any, path: str) -> None:
        if value != self.value:
            c.add(path, self.reason.format(want=self.value, got=value))


@dataclass(frozen=True)
class Text(_Plain):
    max_len: int
    min_len: int = 0

    def ok(self, value: Any) -> bool:
        return isinstance(value, str) and self.min_len <= len(value) <= self.max_len

    def accepts(self, v: str) -> str:
        return f"(type({v}) is str and {self.min_len} <= len({v}) <= {self.max_len})"

    def check(self, c: Checks, value: Any, path: str) -> None:
        if not self.ok(value):
            size = f"{self.min_len} to {self.max_len}" if self.min_len else f"at most {self.max_len}"
            c.add(path, f"must be text of {size} characters")


@dataclass(frozen=True)
class Number(_Plain):
    """A whole or decimal number (seconds, say) from lo to hi."""

    lo: float
    hi: float

    def accepts(self, v: str) -> str | None:
        if not (math.isfinite(self.lo) and math.isfinite(self.hi)):
            return None  # inf has no literal: such a field is only walked
        return f"((type({v}) is int or type({v}) is float) and {float(self.lo)!r} <= {v} <= {float(self.hi)!r})"

    def check(self, c: Checks, value: Any, path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            c.add(path, f"must be a number, got {kind(value)}")
        elif not self.lo <= value <= self.hi:
            c.add(path, f"must be from {self.lo:g} to {self.hi:g}, got {value}")


@dataclass(frozen=True)
class Texts(_Plain):
    """A short list of short texts."""

    max_items: int
    item: Text

    def check(self, c: Checks, value: Any, path: str) -> None:
        if not isinstance(value, list) or len(value) > self.max_items:
            c.add(path, f"must be a list of at most {self.max_items} texts")
            return
        for i, v in enumerate(value):
            self.item.check(c, v, f"{path}[{i}]")


@dataclass(frozen=True)
class NullOr(_Plain):
    """null, or exactly `value`; `reason` says what the value means."""

    value: str
    reason: str

    def check(self, c: Checks, value: Any, path: str) -> None:
        if value is not None and value != self.value:
            c.add(path, f"{self.reason}, got {value!r}")


@dataclass(frozen=True)
class TimeZoneName(_Plain):
    def check(self, c: Checks, value: Any, path: str) -> None:
        if not isinstance(value, str) or not value or ".." in value or value.startswith("/"):
            c.add(path, f"must be an IANA time zone name such as Asia/Ho_Chi_Minh, got {value!r}")
            return
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            c.add(path, f"unknown time zone {value!r} (use an IANA name such as Asia/Ho_Chi_Minh)")


@dataclass(frozen=True)
class Names(_Plain):
    """A list of names matching `pattern`; app ids must be written without their extension."""

    pattern: re.Pattern[str]
    what: str
    app_ids: bool = False

    def check(self, c: Checks, value: Any, path: str) -> None:
        if not isinstance(value, list):
            c.add(path, f"must be a list, got {kind(value)}")
            return
        if len(value) > MAX_LIST_ITEMS:
            c.add(path, f"has {len(value)} items; at most {MAX_LIST_ITEMS}")
            return
        match, app_ids = self.pattern.match, self.app_ids  # a list may hold 10,000 names: no lookups per name
        for i, item in enumerate(value):
            if not isinstance(item, str) or not match(item):
                c.add(f"{path}[{i}]", f"must be {self.what}, got {item!r}")
            elif app_ids and EXE_SUFFIX.search(item):
                c.add(f"{path}[{i}]", f"write the name without its extension: {EXE_SUFFIX.sub('', item)!r}")


@dataclass(frozen=True)
class KnownCategories(Names):
    """Category names, each one this agent ships (resources/categories) when that list is known."""

    def check(self, c: Checks, value: Any, path: str) -> None:
        super().check(c, value, path)
        known = c.context.known_categories
        if known is not None and isinstance(value, list):
            for i, cat in enumerate(value):
                if isinstance(cat, str) and self.pattern.match(cat) and cat not in known:
                    c.add(f"{path}[{i}]", f"unknown category {cat!r}; known: {', '.join(sorted(known))}")


@dataclass(frozen=True)
class Ints(_Plain):
    """A short list of whole numbers."""

    max_items: int
    item: Int

    def check(self, c: Checks, value: Any, path: str) -> None:
        if not isinstance(value, list) or len(value) > self.max_items:
            c.add(path, f"must be a list of at most {self.max_items} whole numbers")
            return
        for i, v in enumerate(value):
            self.item.check(c, v, f"{path}[{i}]")


@dataclass(frozen=True)
class AppMinutes(_Plain):
    """app id → whole minutes."""

    hi: int

    def check(self, c: Checks, value: Any, path: str) -> None:
        if not isinstance(value, dict):
            c.add(path, f"must be an object of app id → minutes, got {kind(value)}")
            return
        app_id_ok, exe_suffix, hi = APP_ID.match, EXE_SUFFIX.search, self.hi
        for app_id, minutes in value.items():
            if not app_id_ok(app_id):
                c.add(f"{path}.{app_id}", "is not a valid app id (lower-case letters, digits, . _ + -)")
            elif exe_suffix(app_id):
                c.add(f"{path}.{app_id}", f"write the name without its extension: {EXE_SUFFIX.sub('', app_id)!r}")
            # The usual value is checked inline (a large family's file has hundreds); the rest is worded by Int.
            if type(minutes) is not int or not 0 <= minutes <= hi:
                Int(0, hi).check(c, minutes, f"{path}.{app_id}")


@dataclass(frozen=True)
class ContentMarks(_Plain):
    """Programs the parent counted as games by what they are: content fingerprint (64 hex) → the app id it counts
    as (what the PC reported it as)."""

    def check(self, c: Checks, value: Any, path: str) -> None:
        if not isinstance(value, dict):
            c.add(path, f"must be an object of content fingerprint → app id, got {kind(value)}")
            return
        if len(value) > MAX_LIST_ITEMS:
            c.add(path, f"has {len(value)} programs; at most {MAX_LIST_ITEMS}")
        for fp, app_id in value.items():
            if not FINGERPRINT.match(fp):
                c.add(f"{path}.{fp[:80]}", "is not a content fingerprint (64 lower-case hex digits)")
            elif not isinstance(app_id, str) or not APP_ID.match(app_id):
                c.add(f"{path}.{fp}", "must be an app id (lower-case letters, digits, . _ + -)")


@dataclass(frozen=True)
class ClockTime(_Plain):
    """HH:MM; a start is at most 23:59, an end may be 24:00."""

    is_end: bool

    def ok(self, value: Any) -> bool:
        return isinstance(value, str) and bool(HHMM.match(value)) and (self.is_end or value != "24:00")

    def check(self, c: Checks, value: Any, path: str) -> None:
        if not self.ok(value):
            latest = "24:00" if self.is_end else "23:59"
            c.add(path, f"must be a time HH:MM (00:00–{latest}), got {value!r}")


# ---- models and the rules that hold them --------------------------------------------------------------------
M = TypeVar("M", bound="Model")


class Model:
    """Base of the typed models. A subclass is a frozen dataclass whose fields are declared with `rule(...)`.

    `required`: how a missing field is reported — None: checked as null (its rule says whether null is fine);
    a reason: reported with that reason; `required_first`: all missing fields are reported before any check,
    in `field_order` (the policy's top level)."""

    required: ClassVar[str | None] = None
    required_first: ClassVar[bool] = False
    field_order: ClassVar[tuple[str, ...] | None] = None
    closed: ClassVar[bool] = True  # unknown fields are reported (False: ignored, as in signed wire messages)

    @classmethod
    def _shape(cls) -> _Shape:
        shape = _SHAPES.get(cls)
        if shape is None:
            fs = dataclasses.fields(cls)  # type: ignore[arg-type]
            shape = _SHAPES[cls] = _Shape(
                rules=tuple((f.name, f.metadata["rule"]) for f in fs),
                builders=tuple((f.name, None if isinstance(f.metadata["rule"], _Plain) else f.metadata["rule"])
                               for f in fs),
                names=frozenset(f.name for f in fs),
                defaults={f.name: f.default for f in fs if f.default is not dataclasses.MISSING})
        return shape

    @classmethod
    def rules(cls) -> tuple[tuple[str, Rule], ...]:
        return cls._shape().rules

    @classmethod
    def check(cls, c: Checks, value: Any, path: str) -> None:
        shape = _SHAPES.get(cls) or cls._shape()
        defaults, required = shape.defaults, cls.required
        if cls.closed:
            obj = c.obj(value, path, shape.names)
            if obj is None:
                return
        elif isinstance(value, dict):
            obj = value
        else:
            c.add(path, f"must be an object, got {kind(value)}")
            return
        prefix = f"{path}." if path else ""
        if cls.required_first:
            for name in cls.field_order or [n for n, _ in shape.rules]:
                if name not in obj:
                    c.add(prefix + name, required or "missing")
        for name, r in shape.rules:
            if name in obj:
                r.check(c, obj[name], prefix + name)
            elif name in defaults or cls.required_first:
                continue
            elif required is None:
                r.check(c, None, prefix + name)
            else:
                c.add(prefix + name, required)
        cls.relations(c, obj, path)

    @classmethod
    def relations(cls, c: Checks, obj: dict[str, Any], path: str) -> None:
        """Rules between fields (override); runs after every field was checked."""

    @classmethod
    def build(cls: type[M], value: dict[str, Any]) -> M:
        """The typed model of a document that passed `check`."""
        return (_BUILDERS.get(cls) or builder(cls))(value)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)  # type: ignore[call-overload]


@dataclass(frozen=True)
class _Shape:
    rules: tuple[tuple[str, Rule], ...]
    builders: tuple[tuple[str, Rule | None], ...]  # None: the value is kept as it is
    names: frozenset[str]
    defaults: dict[str, Any]


_SHAPES: dict[type, _Shape] = {}
_BUILDERS: dict[type, Callable[[dict[str, Any]], Any]] = {}
_ACCEPTS: dict[type, Callable[[Any], bool] | None] = {}


def _generate(name: str, lines: list[str], env: dict[str, Any]) -> Any:
    """Compile one function from its lines, as dataclasses makes __init__: the model's shape is read once here,
    not on every document."""
    exec("\n".join(lines), env)  # the source is made from the model's own field names and rules
    return env[name]


def builder(cls: type[M]) -> Callable[[dict[str, Any]], M]:
    """`cls.build` as one function: the model is filled directly, not through __init__ (every value was checked,
    and a frozen dataclass's __init__ costs one object.__setattr__ a field; the ledger's view and every link request
    build one). A plain rule's value is its typed value: only nested models are built."""
    shape = cls._shape()
    env: dict[str, Any] = {"_new": object.__new__, "cls": cls}
    items = []
    for i, (name, r) in enumerate(shape.builders):
        env[f"d{i}"] = shape.defaults.get(name)
        if r is None:
            value = f"value[{name!r}]"
        else:
            env[f"b{i}"] = builder(r.model) if isinstance(r, Sub) else r.build
            value = f"b{i}(value[{name!r}])"
        items.append(f"{name!r}: {value} if {name!r} in value else d{i}")
    build = _BUILDERS[cls] = _generate("build", [
        "def build(value):",
        "    model = _new(cls)",
        f"    model.__dict__.update({{{', '.join(items)}}})",
        "    return model"], env)
    return build


def accepts(cls: type[Model]) -> Callable[[Any], bool] | None:
    """A function saying True only for a value `cls.check` finds nothing wrong with; None when a rule of the model
    has no `accepts` expression or the model has relations between fields (then the walk is the only check)."""
    if cls in _ACCEPTS:
        return _ACCEPTS[cls]
    shape = cls._shape()
    fast = None
    exprs = {name: (getattr(r, "accepts", None) or (lambda v: None))("v") for name, r in shape.rules}
    if (cls.relations.__func__ is Model.relations.__func__ and not cls.required_first  # type: ignore[attr-defined]
            and None not in exprs.values()):
        env: dict[str, Any] = {"names": shape.names}
        lines = ["def accepts(value):", "    if type(value) is not dict:", "        return False"]
        if cls.closed:
            lines += ["    if not value.keys() <= names:", "        return False"]
        for name, expr in exprs.items():
            lines += [f"    if {name!r} in value:", f"        v = value[{name!r}]",
                      f"        if not {expr}:", "            return False"]
            # A missing field without a default is reported, or (required None) checked as null by its rule.
            if name not in shape.defaults and not (cls.required is None and _generate(
                    "null_ok", ["def null_ok(v):", f"    return {expr}"], {})(None)):
                lines += ["    else:", "        return False"]
        lines.append("    return True")
        fast = _generate("accepts", lines, env)
    _ACCEPTS[cls] = fast
    return fast


@dataclass(frozen=True)
class Sub:
    """A field holding another model."""

    model: type[Model]

    def check(self, c: Checks, value: Any, path: str) -> None:
        self.model.check(c, value, path)

    def build(self, value: Any) -> Any:
        return self.model.build(value)


@dataclass(frozen=True)
class Weekly:
    """An object keyed by weekday. `every_day`: each weekday must be there (`missing` says how to write "none");
    otherwise the days given are checked, in the order given."""

    item: Any  # a Rule
    days: tuple[str, ...]
    every_day: bool = False
    missing: str = "missing"

    @functools.cached_property
    def _day_set(self) -> frozenset[str]:
        return frozenset(self.days)

    def check(self, c: Checks, value: Any, path: str) -> None:
        obj = c.obj(value, path, self._day_set)
        if obj is None:
            return
        if self.every_day:
            for d in self.days:
                if d not in obj:
                    c.add(f"{path}.{d}", self.missing)
                else:
                    self.item.check(c, obj[d], f"{path}.{d}")
        else:
            for d, v in obj.items():
                if d in self.days:
                    self.item.check(c, v, f"{path}.{d}")

    def build(self, value: Any) -> Any:
        if isinstance(self.item, _Plain):
            return dict(value)
        build = self.item.build
        return {d: build(v) for d, v in value.items()}


@dataclass(frozen=True)
class DayWindows:
    """One day's allowed windows (a model of ClockTime fields "start" and "end"): at most `max_items`, none of zero
    length, none overlapping; a window that ends earlier than it starts crosses midnight into the next day."""

    model: type[Model]
    max_items: int = 12

    def check(self, c: Checks, value: Any, path: str) -> None:
        if not isinstance(value, list) or len(value) > self.max_items:
            c.add(path, f"must be a list of at most {self.max_items} windows like "
                        "{\"start\": \"07:00\", \"end\": \"21:00\"}")
            return
        spans: list[tuple[int, int, int]] = []
        for i, w in enumerate(value):
            wp = f"{path}[{i}]"
            times_ok = isinstance(w, dict) and all(r.ok(w.get(n)) for n, r in self.model.rules())
            if not (times_ok and len(w) == len(self.model.rules())):  # a window with nothing to say is not walked
                self.model.check(c, w, wp)
            if not times_ok:  # an unknown field is only reported; bad times leave nothing to compare
                continue
            start, end = hhmm_to_minutes(w["start"]), hhmm_to_minutes(w["end"])
            if start == end:
                c.add(wp, "start and end are equal; leave the day out of windows to allow it all day")
                continue
            spans.append((start, end if end > start else end + 1440, i))
        spans.sort()
        for (_s1, e1, i1), (s2, _e2, i2) in itertools.pairwise(spans):
            if s2 < e1:
                c.add(f"{path}[{max(i1, i2)}]", f"overlaps window [{min(i1, i2)}]")

    def build(self, value: Any) -> Any:
        return [_shared_window(self.model, w["start"], w["end"]) for w in value]


@functools.lru_cache(maxsize=4096)
def _shared_window(model: type[Model], start: str, end: str) -> Any:
    """One built window per distinct (start, end): a family's days repeat the same few, and a built model is
    immutable, so the policy's view shares them (a checked window has exactly these two fields)."""
    return model.build({"start": start, "end": end})


def check(model: type[Model], value: Any, path: str = "", context: Context | None = None) -> list[Problem]:
    """Every problem of `value` as `model`; an empty list means it is valid."""
    fast = _ACCEPTS[model] if model in _ACCEPTS else accepts(model)
    if fast is not None and fast(value):
        return []
    c = Checks(context)
    model.check(c, value, path)
    return c.problems
