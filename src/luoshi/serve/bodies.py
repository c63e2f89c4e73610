"""Typed request bodies: every change a page sends (JSON or an HTML form) goes through one of
these models before it reaches the store, so a wrong type, a lone surrogate, an unknown field
or a field over its limit (:mod:`.limits`) is a 422 naming the field, in the app's one error
shape, never a server error.

:func:`validated` checks a body (from :func:`.respond.read_body`) against a model.  Form
fields arrive as text: numbers and booleans are read from it (``"2025"``, ``"on"``), but JSON
must send each field as its own type (``{"title": 1}`` is refused).
"""

from typing import Annotated, Literal, Optional, TypeVar

from fastapi.exceptions import RequestValidationError
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from ..model import TrackingStatus
from ..store.tracking import split_units
from ..store.users import ROLES
from ..track.evidence import local_or_web_link
from .limits import most
from .respond import ID_MAX

Model = TypeVar("Model", bound=BaseModel)


def text(limit: str):
    """A text field of at most :func:`.limits.most` ``(limit)`` characters."""
    return Annotated[str, Field(max_length=most(limit))]


DateText = text("date")
DeadlineText = text("deadline")
EvidenceUrlText = text("evidence_url")
LeadUnitText = text("lead_unit")
MilestoneText = text("milestone_text")
NoteText = text("note")
PasswordText = text("password")
ReasonText = text("reason")
RegionText = text("region")
SupportingUnitText = text("supporting_unit")
TitleText = text("title")
UserNameText = text("user_name")
Role = Literal[ROLES]  # type: ignore[valid-type]


def _milestone_lines(value):
    """The HTML form sends milestones as text, one a line: ``2025-06-30 what is due``."""
    if not isinstance(value, str):
        return value
    if len(value) > most("milestones_text"):
        raise ValueError(f"milestones are at most {most('milestones_text')} characters")
    lines = [line.strip() for line in value.splitlines() if line.strip()]
    return [
        dict(zip(("due", "text"), line.split(None, 1))) if " " in line else {"due": None, "text": line}
        for line in lines
    ]


def _units(value):
    """Supporting units as one text (``市发改委、市财政局``) are split as the store splits them,
    so that the count limit holds either way."""
    if isinstance(value, str):
        if len(value) > most("supporting_units_text"):
            raise ValueError(f"supporting units are at most {most('supporting_units_text')} characters")
        return split_units(value)
    return value


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Milestone(Body):
    due: Optional[DeadlineText] = None
    text: MilestoneText


class ItemFields(Body):
    """The fields of a tracked item an editor sets."""

    title: Optional[TitleText] = None
    lead_unit: Optional[LeadUnitText] = None
    supporting_units: Annotated[
        Optional[Annotated[list[SupportingUnitText], Field(max_length=most("supporting_units"))]],
        BeforeValidator(_units),
    ] = None
    deadline: Optional[DeadlineText] = None
    milestones: Annotated[
        Optional[Annotated[list[Milestone], Field(max_length=most("milestones"))]], BeforeValidator(_milestone_lines)
    ] = None
    status: Optional[TrackingStatus] = None
    reason: Optional[ReasonText] = None


class NewItem(ItemFields):
    """A new item: a record to follow (``record_id``), or a free one (``title``, ``region``, ``year``)."""

    record_id: Optional[Annotated[int, Field(ge=1, le=ID_MAX)]] = None
    region: Optional[RegionText] = None
    year: Optional[Annotated[int, Field(ge=1949, le=2100)]] = None


class ItemChange(ItemFields):
    """A change to an item, made against its ``version``."""

    version: Annotated[int, Field(ge=0, le=ID_MAX)]


class Progress(Body):
    """A progress update; ``version`` (optional) is the item's version it was written against."""

    date: Optional[DateText] = None
    status: Optional[TrackingStatus] = None
    percent: Optional[Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]] = None
    value_reached: Optional[Annotated[float, Field(allow_inf_nan=False)]] = None
    note: Optional[NoteText] = None
    evidence_url: Optional[Annotated[EvidenceUrlText, AfterValidator(local_or_web_link)]] = None
    reason: Optional[ReasonText] = None
    version: Optional[Annotated[int, Field(ge=0, le=ID_MAX)]] = None


class NewUser(Body):
    name: UserNameText
    password: PasswordText
    role: Role = "viewer"


class UserChange(Body):
    role: Optional[Role] = None
    password: Optional[PasswordText] = None
    disabled: Optional[bool] = None


class Settings(Body):
    anonymous_read: Optional[Literal["yes", "no"]] = None


def documented(model: type[BaseModel]) -> dict:
    """``openapi_extra`` for a route that reads ``model`` with :func:`validated`: the JSON body
    in the API's spec (so /docs shows it and the schema tests send it), the model's
    definitions written inline.  (An HTML form sends the same fields.)"""
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def inline(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(definitions[node["$ref"].rsplit("/", 1)[-1]])
            return {k: inline(v) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    return {"requestBody": {"required": True, "content": {"application/json": {"schema": inline(schema)}}}}


def validated(model: type[Model], data: dict) -> Model:
    """``data`` as ``model``, or a 422 (the app's error shape) naming each field refused."""
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise RequestValidationError(
            [
                {"loc": ("body", *err["loc"]), "msg": _message(err), "type": err["type"]}
                for err in e.errors(include_url=False)
            ]
        ) from None


def _message(err: dict) -> str:
    """Pydantic's message; a refused value's own message without the "Value error, " prefix."""
    msg = err.get("msg", "")
    return msg.removeprefix("Value error, ")
