"""Validation that keeps going: an entry that fails becomes a ``Broken`` marker in its place.

Why: an organizer fixing a spreadsheet export wants every problem at once. Pydantic reports
every field error of a document, but a document with one bad mark then yields no document at
all, and the cross-field checks (unknown group, weights that do not add up, a mark off its step)
would wait for the next attempt. So lists of entries and the top-level sections are declared
``Tolerant``: a failing entry is replaced by a ``Broken`` that keeps its errors, its raw value, its
code when that much was readable, and, when dropping its failing optional fields makes it
valid, the ``repaired`` entry. The cross-field checks use what is sound and treat what is broken
as known but unusable, so they neither stop nor repeat an entry's own problems.

A valid document pays one Python call per tolerant list (not per entry): the list is validated
whole first, and entry by entry only when that fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, get_args

from pydantic import BaseModel, GetCoreSchemaHandler, ValidationError
from pydantic_core import ErrorDetails, core_schema

from scoring.document.fields import CODE_RE


class Broken:
    """An entry (or section) that did not validate. ``errors`` are pydantic's, relative to it."""

    __slots__ = ("errors", "raw", "code", "repaired", "failed")

    def __init__(self, errors: list[ErrorDetails], raw: Any) -> None:
        self.errors = errors
        self.raw = raw
        self.failed = {e["loc"][0] for e in errors if e["loc"]}
        code = raw.get("code") if isinstance(raw, dict) else None
        self.code: str | None = code if isinstance(code, str) and CODE_RE.match(code) else None
        self.repaired: Any = None  # the entry without its failing optional fields, if that validates

    def usable(self, field: str) -> Any:
        """The repaired entry when ``field`` itself did not fail, else None."""
        return self.repaired if field not in self.failed else None

    def __repr__(self) -> str:
        return f"Broken({self.raw!r:.60})"


def sound(entry: Any) -> Any:
    """The entry when it validated, else None."""
    return None if isinstance(entry, Broken) else entry


def code_of(entry: Any) -> str | None:
    """An entry's code, also for a broken entry whose code could be read."""
    return entry.code if isinstance(entry, Broken) else entry.code


def field_of(entry: Any, field: str) -> Any:
    """One field of an entry: from the entry, or from a broken entry's repair when that field
    itself was sound; None when it is not known."""
    if isinstance(entry, Broken):
        entry = entry.usable(field)
    return None if entry is None else getattr(entry, field)


@dataclass(frozen=True)
class Tolerant:
    """Marks a list of entries (or a section) whose failures become ``Broken`` markers."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.with_info_wrap_validator_function(_tolerate, handler(source))


def _tolerate(value: Any, handler: Callable[[Any], Any], info: core_schema.ValidationInfo) -> Any:
    if isinstance(value, Broken):
        return value  # a section the reader already replaced (it was missing or not a list)
    try:
        return handler(value)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    registry = (info.context or {}).get("broken")
    if not isinstance(value, list) or not all(e["loc"] and type(e["loc"][0]) is int for e in errors):
        return _broken(errors, value, handler, registry)
    bad: dict[int, list[ErrorDetails]] = {}
    for e in errors:
        index = e["loc"][0]
        assert isinstance(index, int)  # (checked above: every error is in an entry)
        bad.setdefault(index, []).append({**e, "loc": e["loc"][1:]})
    rest = [v for i, v in enumerate(value) if i not in bad]
    try:
        good = iter(handler(rest))
    except ValidationError:  # the list's own bounds (at least one entry) do not hold for the rest
        good = iter([handler([v])[0] for v in rest])
    return [
        _broken(bad[i], v, lambda fixed: handler([fixed])[0], registry) if i in bad else next(good)
        for i, v in enumerate(value)
    ]


def _broken(
    errors: list[ErrorDetails], raw: Any, validate: Callable[[Any], Any], registry: list[Broken] | None
) -> Broken:
    out = Broken(errors, raw)
    if isinstance(raw, dict) and all(e["loc"] for e in errors):
        try:
            out.repaired = validate({k: v for k, v in raw.items() if k not in out.failed})
        except ValidationError:
            pass  # a required field failed: nothing sound to keep
    if registry is not None:
        registry.append(out)
    return out


def broken_entries(value: Any, path: str = "") -> Iterator[tuple[str, Broken]]:
    """Every ``Broken`` marker in a validated tree, with the path of the entry it replaced."""
    if isinstance(value, Broken):
        yield path, value
        if value.repaired is not None:
            yield from broken_entries(value.repaired, path)
    elif isinstance(value, BaseModel):
        for name in _containers(type(value)):
            yield from broken_entries(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from broken_entries(item, f"{path}[{i}]")


@cache
def _containers(cls: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model that can hold entries (so a walk skips plain values)."""
    return tuple(name for name, f in cls.model_fields.items() if _holds_models(f.annotation))


def _holds_models(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_models(arg) for arg in get_args(annotation))
