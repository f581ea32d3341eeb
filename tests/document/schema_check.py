"""A validator for the subset of JSON Schema (draft 2020-12) that docs/document.schema.json uses.

Why hand-written: the ``jsonschema`` package is not a dependency of this project, and the tests
must still prove that the published schema accepts every example and refuses what the reader
refuses. It refuses to judge a schema that uses a keyword it does not implement, so it can never
pass a document by ignoring a rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

ANNOTATIONS = {"title", "description", "default", "$schema", "$id", "$defs"}
KEYWORDS = {
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "minItems",
    "anyOf",
    "enum",
    "const",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "$ref",
    "propertyNames",
    "patternProperties",
}
TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def keywords(schema: Any) -> Iterator[str]:
    """Every keyword used anywhere in ``schema`` (to check the subset covers it)."""
    if isinstance(schema, dict):
        for key, value in schema.items():
            yield key
            if key in ("properties", "$defs"):
                for sub in value.values():
                    yield from keywords(sub)
            elif key == "patternProperties":
                for sub in value.values():
                    yield from keywords(sub)
            elif key in ("items", "additionalProperties", "propertyNames"):
                yield from keywords(value)
            elif key == "anyOf":
                for sub in value:
                    yield from keywords(sub)


def _search(pattern: str, text: str) -> bool:
    """ECMA-262 semantics for the anchors used here: ``$`` is the end of the text (in Python it
    would also match before a final newline)."""
    return re.search(pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern, text) is not None


def errors(instance: Any, schema: dict, root: dict, path: str = "") -> Iterator[str]:
    """Where ``instance`` breaks ``schema`` (empty: it is valid)."""
    unknown = set(schema) - KEYWORDS - ANNOTATIONS
    assert not unknown, f"the test validator does not implement {unknown}"
    if "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        yield from errors(instance, target, root, path)
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(TYPES[k](instance) for k in kinds):
            yield f"{path}: not {kinds}"
            return
    if "const" in schema and instance != schema["const"]:
        yield f"{path}: not {schema['const']!r}"
    if "enum" in schema and instance not in schema["enum"]:
        yield f"{path}: not one of {schema['enum']}"
    if "anyOf" in schema and not any(not list(errors(instance, s, root, path)) for s in schema["anyOf"]):
        yield f"{path}: matches none of anyOf"
    if isinstance(instance, str):
        if "pattern" in schema and not _search(schema["pattern"], instance):
            yield f"{path}: {instance!r} does not match {schema['pattern']}"
        if len(instance) < schema.get("minLength", 0) or len(instance) > schema.get("maxLength", len(instance)):
            yield f"{path}: length {len(instance)}"
    if TYPES["number"](instance):
        if "minimum" in schema and instance < schema["minimum"]:
            yield f"{path}: below {schema['minimum']}"
        if "maximum" in schema and instance > schema["maximum"]:
            yield f"{path}: above {schema['maximum']}"
        if "exclusiveMinimum" in schema and instance <= schema["exclusiveMinimum"]:
            yield f"{path}: not above {schema['exclusiveMinimum']}"
    if isinstance(instance, list):
        if len(instance) < schema.get("minItems", 0):
            yield f"{path}: fewer than {schema['minItems']} items"
        for i, item in enumerate(instance):
            if "items" in schema:
                yield from errors(item, schema["items"], root, f"{path}[{i}]")
    if isinstance(instance, dict):
        for key in schema.get("required", ()):
            if key not in instance:
                yield f"{path}.{key}: required"
        properties = schema.get("properties", {})
        for key, value in instance.items():
            if "propertyNames" in schema:
                yield from errors(key, schema["propertyNames"], root, f"{path}.{key}(name)")
            patterns = [s for p, s in schema.get("patternProperties", {}).items() if _search(p, key)]
            for sub in patterns:
                yield from errors(value, sub, root, f"{path}.{key}")
            if key in properties:
                yield from errors(value, properties[key], root, f"{path}.{key}")
            elif patterns:
                continue
            elif schema.get("additionalProperties") is False:
                yield f"{path}.{key}: unknown"
            elif isinstance(schema.get("additionalProperties"), dict):
                yield from errors(value, schema["additionalProperties"], root, f"{path}.{key}")
