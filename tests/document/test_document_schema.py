"""The published JSON Schema (docs/document.schema.json): current, and in agreement with the reader."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path

import pytest
from doc_samples import SMALL
from schema_check import KEYWORDS, errors, keywords

from scoring.document import declaration as d
from scoring.document import dump_document, load_document, read_document
from scoring.document.schema import document_schema, schema_text
from scoring.document.typed import ENGINE, typed

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "docs" / "document.schema.json"
EXAMPLES = sorted((ROOT / "docs" / "examples").glob("*.json"))
SCHEMA = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def test_the_published_schema_is_current():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "docs/document.schema.json is stale: "
        "run .venv/bin/python -m scoring.document.schema > docs/document.schema.json"
    )


def test_the_schema_uses_only_what_the_test_validator_implements():
    assert set(keywords(SCHEMA)) <= KEYWORDS | {"title", "description", "default", "$schema", "$id", "$defs"}
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_validates_against_the_schema_and_loads(path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert list(errors(raw, SCHEMA, SCHEMA)) == []
    doc = read_document(path)
    assert list(errors(dump_document(doc), SCHEMA, SCHEMA)) == []


def test_every_object_refuses_unknown_fields():
    """As the reader does: a typo such as "wieght" is an error, never silently ignored."""
    for name, schema in SCHEMA["$defs"].items():
        if schema.get("type") == "object":
            assert schema.get("additionalProperties") is False, name
    assert SCHEMA["additionalProperties"] is False
    assert SCHEMA["required"] == ["format", "version", "competition", "groups", "stages", "scheme"]
    assert SCHEMA["$defs"]["Mark"]["required"] == ["contestant", "aspect", "judge", "value"]


BREAKS = [
    ("unknown field", lambda r: r["judges"][0].__setitem__("rank", "chief"), "judges[0].rank"),
    ("missing name", lambda r: r["groups"][0].pop("name"), "groups[0].name"),
    ("number with an exponent", lambda r: r["marks"][0].__setitem__("value", "1e3"), "marks[0].value"),
    ("full-width digits", lambda r: r["marks"][0].__setitem__("value", "８８"), "marks[0].value"),
    ("boolean as a number", lambda r: r["stages"][0].__setitem__("weight", True), "stages[0].weight"),
    ("negative weight", lambda r: r["stages"][0].__setitem__("weight", -30), "stages[0].weight"),
    ("bad code", lambda r: r["contestants"][0].__setitem__("code", "C 1"), "contestants[0].code"),
    ("unknown enum", lambda r: r["rules"].__setitem__("ranking", "olympic"), "rules.ranking"),
    ("wrong format", lambda r: r.__setitem__("format", "xlsx"), "format"),
    (
        "bad parameter name",
        lambda r: r["contestants"][0].__setitem__("params", {"P1": {"d d": "1"}}),
        "contestants[0].params.P1",
    ),
    ("empty groups", lambda r: r.__setitem__("groups", []), "groups"),
]


@pytest.mark.parametrize("mutate,path", [b[1:] for b in BREAKS], ids=[b[0] for b in BREAKS])
def test_what_the_reader_refuses_field_by_field_the_schema_refuses_too(mutate, path):
    raw = copy.deepcopy(SMALL)
    mutate(raw)
    assert list(errors(raw, SCHEMA, SCHEMA)), path
    with pytest.raises(Exception) as info:
        load_document(raw)
    assert any(p.path.startswith(path) for p in info.value.problems), [p.path for p in info.value.problems]


def test_the_schema_is_the_declaration():
    assert document_schema()["properties"].keys() == d.Document.model_fields.keys()
    aspect = SCHEMA["$defs"]["Aspect"]["properties"]
    assert aspect["time_target"]["anyOf"][0]["minimum"] == 0 and aspect["max_mark"]["exclusiveMinimum"] == 0
    assert aspect["step"]["default"] == "0.01"  # decimals are published as the writer writes them


#: Where the document's default is deliberately not the engine's (the engine needs a value; the
#: document requires it, or derives it from another field).
OWN_DEFAULTS = {(d.Stage, "weight"), (d.TieBreak, "higher_is_better")}


@pytest.mark.parametrize("decl", list(ENGINE), ids=[c.__name__ for c in ENGINE])
def test_declared_defaults_are_the_engines(decl):
    """One declaration: a field the document leaves out means what the engine's default means."""
    engine = ENGINE[decl]
    for f in dataclasses.fields(engine):
        field = decl.model_fields.get(f.name)
        if field is None or field.is_required() or (decl, f.name) in OWN_DEFAULTS:
            continue
        if f.default is dataclasses.MISSING:
            continue
        assert typed(field.get_default(call_default_factory=True)) in (f.default, None), (decl.__name__, f.name)
