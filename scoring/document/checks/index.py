"""What a document names, for the cross-field checks: codes by kind, where each was first used,
the aspects with their stage, and the panels that resolved.

Why ``None`` for a whole kind: when a section is broken (not a list, missing), nothing can be
said about what it would have named, so references to it are not reported (its own problem is).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from scoring.document import declaration as d
from scoring.document.tolerant import Broken, code_of
from scoring.errors import Problem
from scoring.i18n import N_

DUPLICATE = N_("duplicate code %(code)s (first used at %(first)s)")


@dataclass
class AspectAt:
    """An aspect as the checks see it. ``decl`` is None when the aspect has problems of its own
    (or sits under a criterion whose stage is unknown): known for references, unusable for sums."""

    code: str
    stage: str
    path: str  # "scheme[1].children[0].aspects[1]"
    criterion: str  # "P/P-A"
    decl: d.Aspect | None


@dataclass
class PanelAt:
    group: str
    stage: str
    judges: tuple[str, ...]
    aspects: tuple[str, ...]
    trainees: tuple[str, ...] = ()


@dataclass
class Index:
    problems: list[Problem] = field(default_factory=list)
    groups: dict[str, str] | None = None
    stages: dict[str, str] | None = None
    criteria: dict[str, str] = field(default_factory=dict)
    criterion_paths: set[str] | None = field(default_factory=set)
    aspects: dict[str, AspectAt] | None = field(default_factory=dict)
    contestants: dict[str, str] | None = None
    judges: dict[str, str] | None = None
    panels: list[PanelAt] | None = field(default_factory=list)  # None: some panel is broken

    def add(self, path: str, msgid: str, **params: Any) -> None:
        self.problems.append(Problem(path, msgid, {k: _text(v) for k, v in params.items()}))

    def unique(self, seen: dict[str, str], code: str | None, path: str) -> None:
        if code is None:
            return
        if code in seen:
            self.add(path, DUPLICATE, code=code, first=seen[code])
        else:
            seen[code] = path

    def codes(self, section: Any, name: str) -> dict[str, str] | None:
        """The codes of a list of entries (also of broken entries whose code could be read),
        each with the path where it was first used; duplicates reported."""
        if isinstance(section, Broken):
            return None
        seen: dict[str, str] = {}
        for i, entry in enumerate(section):
            self.unique(seen, code_of(entry), f"{name}[{i}].code")
        return seen

    def resolves(self, known: dict[str, Any] | set[str] | None, code: str | None, path: str, msgid: str) -> bool:
        """Whether ``code`` names something of a kind; reported at ``path`` when it does not."""
        if code is None:
            return False
        if known is not None and code not in known:
            self.add(path, msgid, code=code)
            return False
        return True

    def sound_aspects(self) -> list[AspectAt] | None:
        """Every aspect, when all of them are usable; else None (sums would only repeat problems)."""
        if self.aspects is None or any(a.decl is None for a in self.aspects.values()):
            return None
        return list(self.aspects.values())


def entries(section: Any) -> Iterable[Any]:
    """The entries of a list section ([] when the section itself is broken)."""
    return () if isinstance(section, Broken) else section


def sound_entries(section: Any, name: str) -> Iterator[tuple[str, Any]]:
    """(path, entry) for each entry of a list section that validated."""
    for i, entry in enumerate(entries(section)):
        if not isinstance(entry, Broken):
            yield f"{name}[{i}]", entry


def _text(value: Any) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)
