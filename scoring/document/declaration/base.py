"""The base of every declared entry: unknown fields refused, a null read as absent, and the
writer's rule for fields written only when they differ from their default."""

from __future__ import annotations

from functools import partial
from operator import eq
from typing import Any, ClassVar, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from scoring.rules.numbers import JsonNumber


def omitted(default: Any, **kwargs: Any) -> Any:
    """A field with ``default`` that the writer leaves out while it holds that default."""
    return Field(default, exclude_if=partial(eq, default), **kwargs)


class Entry(BaseModel):
    """One object of the document. Its fields that may not be null read a null as absent."""

    model_config = ConfigDict(extra="forbid", from_attributes=True, use_attribute_docstrings=True)
    _nullable: ClassVar[frozenset[str]] = frozenset()
    _text: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        fields = cls.model_fields.items()
        cls._nullable = frozenset(n for n, f in fields if type(None) in get_args(f.annotation))
        cls._text = frozenset(n for n, f in fields if f.annotation is str)

    @model_validator(mode="before")
    @classmethod
    def _absent_when_null(cls, data: Any) -> Any:
        # A JSON number where text is expected arrives as JsonNumber (a str): refuse it as text.
        if type(data) is dict:
            return {
                k: _NOT_TEXT if k in cls._text and isinstance(v, JsonNumber) else v
                for k, v in data.items()
                if v is not None or k in cls._nullable
            }
        return data


_NOT_TEXT = object()
