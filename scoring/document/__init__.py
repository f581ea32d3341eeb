"""The portable competition document: one JSON file with rules, groups, stages, scheme,
people, draw and raw marks. The archive format and the input to an independent recompute.

Declared once in ``scoring.document.declaration``; the reader (``load``), the writer (``dump``),
the database import/export and the published JSON Schema (``schema``) derive from it.
See docs/document.md for every field.
"""

from scoring.document.convert import recompute, to_engine_input, uniform_scheme
from scoring.document.dump import dump_document, to_json, write_document
from scoring.document.load import load_document, parse_json, read_document
from scoring.document.model import (
    FORMAT,
    PRIVATE_FIELDS,
    VERSION,
    CompetitionInfo,
    ContestantRecord,
    Criterion,
    Document,
    Draw,
    DrawEntry,
    Group,
    JudgeRecord,
    Recusal,
)
from scoring.document.report import results_report, results_table

__all__ = [
    "FORMAT",
    "PRIVATE_FIELDS",
    "VERSION",
    "CompetitionInfo",
    "ContestantRecord",
    "Criterion",
    "Document",
    "Draw",
    "DrawEntry",
    "Group",
    "JudgeRecord",
    "Recusal",
    "dump_document",
    "load_document",
    "parse_json",
    "read_document",
    "recompute",
    "results_report",
    "results_table",
    "to_engine_input",
    "to_json",
    "uniform_scheme",
    "write_document",
]
