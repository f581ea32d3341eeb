"""The demo: the origin story's competition, ready to click through."""
from __future__ import annotations

from sqlalchemy.engine import Engine

from scoring.demo_data import childcare_document
from scoring.services.transfer import import_document


def build_demo(engine: Engine) -> list[tuple[str, str]]:
    """(Re)build the demo competition and return (label, path) pairs of what to open."""
    raw = childcare_document(marks="some")
    raw["competition"]["visibility"] = "live"
    import_document(engine, raw, actor="demo", replace=True)
    slug = raw["competition"]["slug"]
    urls = [
        ("组织者 Organizer", f"/admin/c/{slug}"),
        ("裁判 Judge", f"/judge/c/{slug}"),
        ("大屏 Board", f"/board/{slug}"),
    ]
    return urls
