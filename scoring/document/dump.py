"""Writing a document back to plain JSON-able data.

Why a fixed shape: an archive is compared, diffed and hashed, so the same document must always
serialise to the same text: keys in the declaration's order, every Decimal as plain canonical
text (never a float, an exponent or trailing zeros), optional settings written only when they
differ from their defaults (``declaration.omitted``). The shape is the declaration's own
``model_dump``; ``load_document(dump_document(doc)) == doc`` holds for every loaded document.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from scoring.document.fields import fmt_decimal
from scoring.document.model import Document
from scoring.document.typed import declared_of
from scoring.rules.engine import gc_paused


def dump_document(doc: Document) -> dict[str, Any]:
    """The document as JSON-able data (Decimals as strings), keys in a fixed order."""
    with gc_paused():
        return declared_of(doc).model_dump(mode="json")


def _json_default(o: Any) -> Any:
    if isinstance(o, Decimal):
        return fmt_decimal(o)
    raise TypeError(type(o).__name__)


def to_json(data: Any, indent: int | None = 2, width: int = 120) -> str:
    """Serialise a dumped document (or report): UTF-8, Chinese kept as is, Decimals as strings.

    Pretty but compact: a list or object that fits on one line of ``width`` characters is
    written on one line (so each mark is one line), larger ones are indented. ``indent=None``
    gives the smallest single-line text.
    """
    if indent is None:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_json_default) + "\n"
    return _pretty(data, 0, indent, width) + "\n"


def _pretty(value: Any, level: int, indent: int, width: int) -> str:
    flat = json.dumps(value, ensure_ascii=False, default=_json_default)
    if not isinstance(value, (dict, list)) or not value or len(flat) + level * indent <= width:
        return flat
    pad = " " * (indent * (level + 1))
    if isinstance(value, dict):
        items = [
            f"{pad}{json.dumps(k, ensure_ascii=False)}: {_pretty(v, level + 1, indent, width)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + " " * (indent * level) + "}"
    items = [pad + _pretty(v, level + 1, indent, width) for v in value]
    return "[\n" + ",\n".join(items) + "\n" + " " * (indent * level) + "]"


def write_document(doc_or_data: Document | dict[str, Any], path: str | Path) -> None:
    data = dump_document(doc_or_data) if isinstance(doc_or_data, Document) else doc_or_data
    Path(path).write_text(to_json(data), encoding="utf-8")


__all__ = ["dump_document", "to_json", "write_document"]
