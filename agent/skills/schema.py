"""A small JSON Schema checker for the subset resources/skills/schema.json uses (type, enum, pattern, required,
properties, additionalProperties: false, items, min/maxItems, min/maxLength, minimum/maximum, local $ref).

Why not the `jsonschema` package: the kit is checked inside the agent, which keeps its dependencies few; the schema
file itself is standard draft 2020-12, so a school can check its own kit with any JSON Schema tool. A keyword this
checker does not know is refused when the schema is loaded, so the schema can never say more than is checked.
"""

from __future__ import annotations

import re
from typing import Any

KNOWN = {"$schema", "$id", "$defs", "$ref", "title", "description", "type", "enum", "pattern", "required",
         "properties", "additionalProperties", "items", "minItems", "maxItems", "minLength", "maxLength",
         "minimum", "maximum"}
TYPES: dict[str, tuple[type, ...]] = {"object": (dict,), "array": (list,), "string": (str,), "boolean": (bool,),
                                      "integer": (int,), "number": (int, float)}


class SchemaProblem(Exception):
    """The schema itself uses something this checker cannot check."""


def check_schema(schema: Any, where: str = "#") -> None:
    if not isinstance(schema, dict):
        raise SchemaProblem(f"{where}: a schema must be an object")
    unknown = set(schema) - KNOWN
    if unknown:
        raise SchemaProblem(f"{where}: keywords not checked by Sprout: {', '.join(sorted(unknown))}")
    for name, sub in schema.get("properties", {}).items():
        check_schema(sub, f"{where}/properties/{name}")
    for name, sub in schema.get("$defs", {}).items():
        check_schema(sub, f"{where}/$defs/{name}")
    if "items" in schema:
        check_schema(schema["items"], f"{where}/items")


def validate(value: Any, schema: dict[str, Any], root: dict[str, Any] | None = None, path: str = "") -> list[str]:
    """Every problem as 'path: reason' (path like lessons[3].title.vi); [] when the value fits."""
    root = root or schema
    if "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/$defs/"):
            raise SchemaProblem(f"{ref}: only local #/$defs/ references are checked")
        schema = root["$defs"][ref.removeprefix("#/$defs/")]
    here = path or "(top)"
    kind = schema.get("type")
    if kind is not None:
        ok = isinstance(value, TYPES[kind]) and not (kind in ("integer", "number") and isinstance(value, bool))
        if not ok:
            return [f"{here}: must be {kind}, got {type(value).__name__}"]
    problems: list[str] = []
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{here}: must be one of {', '.join(map(str, schema['enum']))}, got {value!r}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            problems.append(f"{here}: must not be empty" if schema.get("minLength") == 1
                            else f"{here}: at least {schema['minLength']} characters")
        if len(value) > schema.get("maxLength", 1 << 30):
            problems.append(f"{here}: at most {schema['maxLength']} characters, got {len(value)}")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            problems.append(f"{here}: {value[:40]!r} does not match {schema['pattern']}")
    if isinstance(value, int | float) and not isinstance(value, bool) and (
            value < schema.get("minimum", float("-inf")) or value > schema.get("maximum", float("inf"))):
        problems.append(f"{here}: must be from {schema.get('minimum')} to {schema.get('maximum')}, got {value}")
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                problems.append(f"{here}: missing {name!r}")
        props = schema.get("properties", {})
        for name, sub in value.items():
            sub_path = f"{path}.{name}" if path else str(name)
            if name in props:
                problems += validate(sub, props[name], root, sub_path)
            elif schema.get("additionalProperties") is False:
                problems.append(f"{sub_path}: not a known field (known: {', '.join(props)})")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            problems.append(f"{here}: needs at least {schema['minItems']} item(s), has {len(value)}")
        if len(value) > schema.get("maxItems", 1 << 30):
            problems.append(f"{here}: at most {schema['maxItems']} items, has {len(value)}")
        if "items" in schema:
            for i, item in enumerate(value):
                problems += validate(item, schema["items"], root, f"{path}[{i}]")
    return problems
