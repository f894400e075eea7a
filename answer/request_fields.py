"""Field types the request models share, so that what a caller sends is read as it was
meant or refused, never turned into something else.

Pydantic's lax mode reads ``true`` as 1 for an integer field (``top_k: true`` asked for
one passage) and ``"yes"`` or 1 as true for a boolean (``stream: "no"`` would stream): a
JSON boolean sent for a count, or a string for a switch, is surely a mistake, so it is
refused with a 422 that names the field and the range to send. A numeric string
(``"5"``) and a whole float (``5.0``) stay accepted: they say the same number, as scripts
and shells often send it. A null for an optional field means "not given": its default (no
filters, no history, five passages), as OpenAI's API reads null; it was a 422
(``filters：オブジェクトで指定してください``) for what a script sends when it has none.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, Field, StrictBool, ValidationError, WrapValidator, model_validator
from pydantic_core import PydanticCustomError

__all__ = ["NullMeansDefault", "StrictBool", "TopK", "whole_number"]

# pydantic's errors for a value that is no whole number (not for one out of range)
_NOT_WHOLE = frozenset(
    {"int_type", "int_parsing", "int_from_float", "int_parsing_size", "finite_number"}
)


def whole_number(ge: int | None = None, le: int | None = None) -> WrapValidator:
    """Refuse true/false and anything pydantic cannot read as a whole number with one
    error naming the range (``whole_number_range``: from ``ge`` to ``le``); a number out
    of range keeps pydantic's own error (``top_k：1 以上にしてください``)."""

    def validate(value: Any, handler: Callable[[Any], Any]) -> Any:
        if isinstance(value, bool):
            raise _not_whole(ge, le)
        try:
            return handler(value)
        except ValidationError as error:
            if any(item["type"] in _NOT_WHOLE for item in error.errors()):
                raise _not_whole(ge, le) from None
            raise

    return WrapValidator(validate)


def _not_whole(ge: int | None, le: int | None) -> PydanticCustomError:
    if ge is not None and le is not None:
        return PydanticCustomError(
            "whole_number_range",
            "Input should be a whole number from {ge} to {le} (true, false and fractions are refused)",
            {"ge": ge, "le": le},
        )
    return PydanticCustomError(
        "whole_number", "Input should be a whole number (true, false and fractions are refused)"
    )


TopK = Annotated[int, Field(ge=1, le=50), whole_number(1, 50)]


class NullMeansDefault(BaseModel):
    """A request model whose optional fields read null as not given (their default); a
    required field sent as null is still refused, naming the field."""

    @model_validator(mode="before")
    @classmethod
    def _null_is_not_given(cls, data: Any) -> Any:
        if not isinstance(data, dict) or None not in data.values():
            return data  # the usual request: nothing to drop, nothing copied
        optional = _optional_fields(cls)
        return {
            key: value for key, value in data.items() if value is not None or key not in optional
        }


@cache
def _optional_fields(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(name for name, field in model.model_fields.items() if not field.is_required())
