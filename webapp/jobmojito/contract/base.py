"""What every JobMojito request and response model shares: strictness, field types, errors.

A request model refuses bad values with ``RequestInvalid`` naming the field by pydantic's
location (``hiring_for_company.name``); a response model refuses a body outside the contract with
``UpstreamError(kind="malformed")``. Neither message ever repeats the rejected value: it may be a
résumé or a secret. New endpoints add a module beside ``create_interview.py`` built on these.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ModelWrapValidatorHandler,
    ValidationError,
    model_validator,
)
from pydantic_core import ErrorDetails

from webapp.jobmojito.contract.errors import RequestInvalid, UpstreamError

_COUNTRY_CODE = re.compile(r"[A-Za-z]{2}")


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _country_code(value: str) -> str:
    if not _COUNTRY_CODE.fullmatch(value):
        raise ValueError("must be a two-letter country code")
    return value.upper()


def _iso_date_or_datetime(value: str) -> str:
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            parse(value)
        except ValueError:
            continue
        return value
    raise ValueError("must be an ISO 8601 date or date-time")


def _integral(value: Any) -> Any:
    # JSON has one number type: 3.0 is the whole number 3 to a JavaScript platform. 3.5 is not.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _json_object(value: dict[str, Any]) -> dict[str, Any]:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        raise ValueError("must contain only JSON values") from None
    return value


NonEmptyText = Annotated[str, AfterValidator(_not_blank)]
CountryCode = Annotated[str, AfterValidator(_country_code)]
IsoDate = Annotated[str, AfterValidator(_iso_date_or_datetime)]
# Goes after the bounds: ``Annotated[int, Field(ge=1, le=20), WholeNumber]``, so that the JSON
# schema shows them as ``minimum`` and ``maximum``.
WholeNumber = BeforeValidator(_integral)
JsonObject = Annotated[dict[str, Any], AfterValidator(_json_object)]


class ContractPart(BaseModel):
    """A strict, closed piece of a body: JSON types only, unknown fields refused, read-only."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, use_enum_values=True)


class ContractRequest(ContractPart):
    """A request body; building one with a value outside the contract raises RequestInvalid."""

    @model_validator(mode="wrap")
    @classmethod
    def _refuse_with_the_field(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        try:
            return handler(data)
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            # ``from None``: the ValidationError holds the input, which may be personal data.
            raise RequestInvalid(location(first), describe(cls, first)) from None

    @classmethod
    def parse(cls, data: Any) -> Self:
        """Validate a decoded JSON body (or any mapping); RequestInvalid names the first bad field."""
        return cls.model_validate(data)

    def validate(self) -> Self:  # type: ignore[override]
        """The request checked again, as a new model (this guards a hand-made copy).

        The values are read as stored, not serialised: a copy made with ``model_construct`` or
        ``model_copy(update=...)`` may hold anything.
        """
        return type(self).model_validate({**self.__dict__, **(self.__pydantic_extra__ or {})})

    def to_payload(self) -> dict[str, Any]:
        """The JSON body, unset (None) fields of this model and its parts left out.

        Free-form objects (``custom_scoring``) are sent exactly as given, nulls included.
        """
        return self.model_dump(mode="json", exclude_none=True)


class ContractResponse(BaseModel):
    """A response body: strict types, unknown fields ignored (the platform may add some)."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True, use_enum_values=False)

    @classmethod
    def from_json(cls, body: Any) -> Self:
        """Parse a decoded body; raise UpstreamError(kind="malformed") naming what is wrong."""
        if not isinstance(body, dict):
            raise UpstreamError("the response body is not a JSON object", kind="malformed")
        try:
            return cls.model_validate(body)
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            field = location(first)
            # ``field`` stays None: on UpstreamError it names a field of our request.
            raise UpstreamError(
                f"the response field {field} {describe(cls, first)}", kind="malformed"
            ) from None


def location(error: ErrorDetails) -> str:
    """The dotted field name of a pydantic error; list positions are left out (``tags``)."""
    return ".".join(str(part) for part in error["loc"] if isinstance(part, str))


def describe(model: type[BaseModel], error: ErrorDetails) -> str:
    """Our wording of one pydantic error, without the rejected value."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    if kind in ("greater_than_equal", "less_than_equal"):
        low, high = bounds(model, location(error))
        if low is not None and high is not None:
            return f"must be between {low} and {high}"
        return f"must be at least {ctx['ge']}" if "ge" in ctx else f"must be at most {ctx['le']}"
    if kind == "enum" or kind == "literal_error":
        return f"must be one of {ctx.get('expected', '')}".strip()
    return _WORDS.get(kind, error["msg"][:1].lower() + error["msg"][1:])


_WORDS = {
    "missing": "is required",
    "string_type": "must be a string",
    "bool_type": "must be true or false",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "finite_number": "must be a finite number",
    "list_type": "must be a list",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "extra_forbidden": "is not a field the platform accepts",
}


def bounds(model: type[BaseModel], name: str) -> tuple[Any, Any]:
    """The inclusive (lowest, highest) bounds the model's JSON schema gives a field, or None."""
    schema = model.model_json_schema()["properties"].get(name, {})
    for part in [schema, *schema.get("anyOf", [])]:
        if "minimum" in part or "maximum" in part:
            return part.get("minimum"), part.get("maximum")
    return None, None
