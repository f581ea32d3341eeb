"""The published JSON Schema of the competition document, generated from its declaration.

Why generated: integrators validate their exports against ``docs/document.schema.json`` before
they send them; written by hand it would drift from what the reader accepts. A test fails when
the committed file is not what this prints. Regenerate with

    .venv/bin/python -m scoring.document.schema > docs/document.schema.json

The schema describes the document as written: decimals as plain decimal strings (JSON numbers
are accepted too), codes, bounds, required fields, no unknown fields. The reader is a little
more lenient (a ``null`` optional field counts as absent, strings are trimmed) and also runs the
cross-field checks no JSON Schema can express (docs/document.md, "Validation and errors").
"""

from __future__ import annotations

import json
from typing import Any

from pydantic.json_schema import GenerateJsonSchema

from scoring.document import declaration as d

SCHEMA_ID = "https://scoring.invalid/schemas/scoring-competition-1.json"


class _Schema(GenerateJsonSchema):
    """pydantic's generator without a title on every property (the property name says it), and
    with a mapping's keys held to their pattern (``params``: aspect codes, parameter names)."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False

    def dict_schema(self, schema: Any) -> dict[str, Any]:
        out = super().dict_schema(schema)
        if "patternProperties" in out:
            out.setdefault("additionalProperties", False)
        return out


def document_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a competition document."""
    schema = d.Document.model_json_schema(mode="validation", schema_generator=_Schema)
    return {"$schema": _Schema.schema_dialect, "$id": SCHEMA_ID, **schema}


def schema_text() -> str:
    return json.dumps(document_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    print(schema_text(), end="")
