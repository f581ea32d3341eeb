"""The competition document, declared once: every field, its type, default and bounds.

Why one declaration: the reader (``load``), the writer (``dump``), the import and export of the
database (``services/transfer``) and the published JSON Schema (``docs/document.schema.json``) are
all derived from these models, so a field such as ``time_target`` is named, typed and defaulted in
one place. The engine keeps its own vocabulary (``scoring.rules.types``); ``scoring.document.typed``
maps between the two by field name.

Conventions (docs/document.md): unknown fields are errors; ``null`` for an optional field means
"absent" (its default) unless the field says otherwise; strings are trimmed; numbers are exact
decimals (``fields.Exact``). Field order is the order the writer uses. A field written only when it
differs from its default says so with ``omitted(default)``. Checks that need more than one field
(codes unique, references resolve, weights add up ...) are plain functions in
``scoring.document.checks``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_serializer

from scoring.document.declaration.base import Entry, omitted
from scoring.document.declaration.sessions import Session
from scoring.document.declaration.settings import (
    DEFAULT_AGGREGATION,
    NO_ROUNDING,
    TWO_PLACES,
    Aggregation,
    Award,
    Band,
    Checks,
    Review,
    Rounding,
    Rules,
    Standardisation,
    TeamStanding,
    TieBreak,
    Tier,
)
from scoring.document.declaration.teams import Member, Team
from scoring.document.fields import (
    Code,
    Descriptor,
    Flag,
    IdNumber,
    IsoDate,
    Label,
    LookupCode,
    Name,
    NonNegative,
    Number,
    Phone,
    Positive,
    Slug,
    Station,
    Text,
    TimeZoneName,
    refuse,
)
from scoring.document.model import FORMAT, VERSION, StageState, Visibility
from scoring.document.tolerant import Tolerant
from scoring.i18n import LOCALES, N_
from scoring.rules.types import AspectType

Locale = Literal["zh_Hans_CN", "en"]
if get_args(Locale) != LOCALES:  # pragma: no cover  (a type needs the names spelled out: keep them in step)
    raise ImportError("scoring.document.declaration.Locale must list scoring.i18n.LOCALES")

__all__ = [
    "Session",
    "DEFAULT_AGGREGATION",
    "NO_ROUNDING",
    "TWO_PLACES",
    "Aggregation",
    "Aspect",
    "Award",
    "Band",
    "Checks",
    "Competition",
    "Contestant",
    "Criterion",
    "Document",
    "Draw",
    "DrawEntry",
    "Entry",
    "Group",
    "Judge",
    "Mark",
    "Member",
    "Panel",
    "Recusal",
    "Review",
    "Rounding",
    "Rules",
    "Stage",
    "Standardisation",
    "SubCriterion",
    "TeamStanding",
    "Team",
    "TieBreak",
    "Tier",
    "omitted",
]


# ------------------------------------------------------------------ the event, groups, stages, scheme


class Competition(Entry):
    """The event."""

    slug: Slug
    """URL name: lower-case letters, digits and hyphens, e.g. yulin-childcare-2025."""
    name: Name
    organizer: Text = ""
    date: IsoDate = ""
    """ISO date YYYY-MM-DD, or empty."""
    venue: Text = ""
    timezone: TimeZoneName = "Asia/Shanghai"
    """IANA zone in which times are shown."""
    locale: Locale = "zh_Hans_CN"
    visibility: Visibility = "embargoed"
    """What the public sees."""


class Group(Entry):
    """A group (组别); quotas and rankings are per group."""

    code: Code
    name: Name
    event: Text = ""
    """The 项目, e.g. 托育职业技能."""
    team: Team | None = omitted(None)
    """Set: a team event (团体项目); each contestant of the group is a team with ``members``."""


class Stage(Entry):
    """A stage (理论/实操) scored on its own scale, then weighted."""

    code: Code
    name: Text = ""
    weight: NonNegative
    """Percent or factor, see rules.weight_kind."""
    max_weight: NonNegative | None = None
    """Validation cap, e.g. theory <= 30 %."""
    max_mark: Positive = Decimal(100)
    aggregation: Aggregation | None = None
    """Null: the stage is the sum of its aggregated aspects. Set: each judge's stage total is aggregated."""
    rounding: Rounding | None = TWO_PLACES
    weighted_rounding: Rounding | None = NO_ROUNDING
    """Of stage x weight, before the stages are added."""
    state: StageState = omitted("open")
    """open or locked (marking closed)."""


class Aspect(Entry):
    """One line of the marking form."""

    code: Code
    name: Text = ""
    stage: Code | None = Field(None, exclude=True)
    """The criterion's stage; may be given, must match."""
    type: AspectType = AspectType.MEASUREMENT
    max_mark: Positive
    step: Positive = Decimal("0.01")
    """Smallest unit a judge may enter."""
    min_value: Number = omitted(Decimal(0))
    max_value: Number | None = omitted(None)
    """Highest value a judge may enter; null: max_mark (judgement: scale_max; time: unbounded)."""
    scale_max: Positive = Decimal(3)
    """Top of the judgement scale (whole number); written for judgement aspects or when not 3."""
    descriptors: list[Descriptor] = omitted([])
    """Judgement: one per level 0..scale_max."""
    time_target: NonNegative | None = omitted(None)
    """Time aspects: full marks at or under this many seconds."""
    time_limit: NonNegative | None = omitted(None)
    """Time aspects: zero at or over this many seconds."""
    aggregation: Aggregation = omitted(DEFAULT_AGGREGATION)

    @model_serializer(mode="wrap")
    def _written(self, handler: Any) -> Any:
        return self.scale_when_it_matters(handler(self))

    @staticmethod
    def scale_when_it_matters(written: dict[str, Any]) -> dict[str, Any]:
        """The writer's rule for ``scale_max``: always for judgement aspects, else only when not 3."""
        if written.get("type") != AspectType.JUDGEMENT and written.get("scale_max") in (3, "3"):
            written.pop("scale_max", None)
        return written


class SubCriterion(Entry):
    """A sub-criterion: the stage of its parent."""

    code: Code
    name: Text = ""
    stage: Code | None = Field(None, exclude=True)
    """May repeat the parent's stage, nothing else."""
    children: Annotated[list[SubCriterion], Tolerant()] = omitted([])
    aspects: Annotated[list[Aspect], Tolerant()] = omitted([])


class Criterion(SubCriterion):
    """A top-level criterion of the marking scheme, in one stage."""

    stage: Code


# ------------------------------------------------------------------ people


class Contestant(Entry):
    """A contestant (选手). ``id_number`` and ``phone`` are private."""

    code: Code
    name: Name
    gender: Literal["男", "女", ""] = ""
    unit: Text = ""
    """Employer (单位)."""
    region: Text = ""
    """County or district (县市区)."""
    group: Code
    withdrawn: Flag = omitted(False)
    """弃赛/缺考: kept in the archive, left out of the ranking, shown as such (never as 0)."""
    withdrawn_as: Literal["withdrawn", "absent"] = omitted("withdrawn")
    """With ``withdrawn``: 弃权 (withdrew) or 缺考 (did not show up)."""
    withdrawn_reason: Text = omitted("")
    """With ``withdrawn``: why, as the results show it."""
    withdrawn_stage: Code | None = omitted(None)
    """With ``withdrawn``: the stage from which the contestant is out; none: the whole competition."""
    id_number: IdNumber = ""
    """Private: 18-character resident ID number."""
    phone: Phone = ""
    """Private."""
    lookup_code: LookupCode = omitted("")
    """Private: the 成绩查询 code printed on the admission ticket (10 of 23456789ABCDEFGHJKLMNPQRSTUVWXYZ); empty: given on import."""
    params: dict[Code, dict[Code, Number]] = omitted({})
    """Per-aspect parameters: {"D1": {"dd": "3.0"}}; reserved: goe_basis, goe_step, invalid (1: scores 0)."""
    members: list[Member] = omitted([])
    """Team events only: the team's members (the entry's ``name`` is the team's name)."""


class Judge(Entry):
    """A judge (裁判). ``id_number`` and ``phone`` are private."""

    code: Code
    name: Name
    role: Literal["judge", "chief"] = "judge"
    unit: Text = ""
    region: Text = ""
    id_number: IdNumber = ""
    phone: Phone = ""


class Panel(Entry):
    """These judges mark these aspects of this stage for this group."""

    name: Label = omitted("")
    group: Code
    stage: Code
    judges: Annotated[list[Code], Field(min_length=1)]
    """Judge codes, in panel order."""
    aspects: list[Code] = []
    """Aspect codes of the stage; empty: all of the stage's aspects."""
    session: Code | None = omitted(None)
    """A session (场次) of the stage: this panel marks only the contestants seated in it."""
    trainees: list[Code] = omitted([])
    """Trainee judges (见习裁判), judge codes: they mark like the judges, their marks never count."""


class Recusal(Entry):
    """回避: the judge does not mark the contestant."""

    judge: Code
    contestant: Code
    reason: Text = ""


class DrawEntry(Entry):
    contestant: Code
    station: Station = ""
    """工位号, unique in a group; may be empty."""
    code: Code
    """The anonymous code judges see (加密号), unique."""
    session: Code | None = omitted(None)
    """The session (场次) drawn for the contestant, when the stage runs in sessions."""


class Draw(Entry):
    """The lot drawing (抽签/加密)."""

    seed: Text = ""
    method: Text = ""
    map_hash: Text = ""
    """The published commitment (hash of the code map), if one was published."""
    entries: Annotated[list[DrawEntry], Tolerant()] = []


class Mark(BaseModel):
    """One judge's newest mark for one aspect of one contestant.

    Not an ``Entry``: a national document has a million of these and every field is required, so
    the null-as-absent hook is left out (a null reads as "is required" all the same)."""

    model_config = ConfigDict(extra="forbid", from_attributes=True, use_attribute_docstrings=True)
    contestant: Code
    aspect: Code
    judge: Code
    value: Number
    """What the judge entered: the mark, the level, the deductions or the seconds."""


# ------------------------------------------------------------------ the document


def _format(value: Any) -> Any:
    if value != FORMAT:
        raise refuse(N_('must be "%(format)s": this is not a competition document'), format=FORMAT)
    return value


def _version(value: Any) -> Any:
    if isinstance(value, bool) or value != VERSION:
        raise refuse(
            N_("unsupported version %(version)s (this service reads version %(supported)s)"),
            version=str(value)[:16],
            supported=VERSION,
        )
    return value


class Document(Entry):
    """A competition document (scoring-competition, version 1): rules, groups, stages, marking
    scheme, people, panels, recusals, draw and raw marks. See docs/document.md."""

    model_config = ConfigDict(title="scoring-competition")
    format: Annotated[Literal["scoring-competition"], BeforeValidator(_format)]
    version: Annotated[Literal[1], BeforeValidator(_version)]
    competition: Annotated[Competition, Tolerant()]
    rules: Annotated[Rules, Tolerant()] = Rules()
    groups: Annotated[list[Group], Field(min_length=1), Tolerant()]
    stages: Annotated[list[Stage], Field(min_length=1), Tolerant()]
    scheme: Annotated[list[Criterion], Field(min_length=1), Tolerant()]
    """The marking scheme tree: criterion -> sub-criteria -> aspects."""
    contestants: Annotated[list[Contestant], Tolerant()] = []
    judges: Annotated[list[Judge], Tolerant()] = []
    panels: Annotated[list[Panel], Tolerant()] = []
    recusals: Annotated[list[Recusal], Tolerant()] = []
    sessions: Annotated[list[Session], Tolerant()] = omitted([])
    """Sessions (场次) of stages run in several sittings; see docs/document.md."""
    draw: Annotated[Draw | None, Tolerant()] = None
    marks: Annotated[list[Mark], Tolerant()] = []
    """The newest valid version of each (contestant, aspect, judge) mark, in any order."""
    meta: dict[str, Any] = omitted({})
    """Free JSON kept as is (generator, notes); never interpreted."""


SubCriterion.model_rebuild()
Criterion.model_rebuild()
Document.model_rebuild()
