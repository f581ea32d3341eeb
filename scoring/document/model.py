"""The portable competition document as typed, immutable data.

Why these shapes: the document is the archive format, the import source for the database and
the input to an independent recompute. Engine settings (rules, stages, aspects, panels, marks)
are the engine's own types from ``scoring.rules.types``, so a loaded document can be handed to
the engine without a second vocabulary. What the engine does not need (names, units, regions,
private contact data, the draw) lives in the small records below.

Every number is a ``Decimal``. Private fields (``id_number``, ``phone``) are kept for the
organizer's archive only: reports and public exports never read them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, Protocol, TypeVar, get_args

from scoring.rules.types import Aspect, Mark, Panel, Rules, Stage

FORMAT = "scoring-competition"
VERSION = 1

#: Fields of people that must never leave the organizer's archive (results, boards, public exports).
PRIVATE_FIELDS = ("id_number", "phone")
Visibility = Literal["embargoed", "live", "frozen", "published"]
StageState = Literal["open", "locked"]
VISIBILITIES: tuple[Visibility, ...] = get_args(Visibility)
STAGE_STATES: tuple[StageState, ...] = get_args(StageState)


@dataclass(frozen=True)
class CompetitionInfo:
    slug: str
    name: str
    organizer: str = ""
    date: str = ""  # ISO date "2025-05-23", or "" when not set
    venue: str = ""
    timezone: str = "Asia/Shanghai"
    locale: str = "zh_Hans_CN"
    visibility: str = "embargoed"  # public results: embargoed | live | frozen | published


@dataclass(frozen=True)
class Team:
    """A group's team event (团体项目): each entry has min_members..max_members members."""

    min_members: int = 2
    max_members: int | None = None  # None: no upper limit


@dataclass(frozen=True)
class Member:
    """A member of a team entry; ``id_number`` and ``phone`` are private like a contestant's."""

    name: str
    gender: str = ""
    unit: str = ""
    region: str = ""
    id_number: str = ""  # private
    phone: str = ""  # private


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    event: str = ""  # 项目, e.g. "托育职业技能"
    team: Team | None = None  # set: a team event, each contestant is a team with members


@dataclass(frozen=True)
class Criterion:
    """A criterion (top level) or sub-criterion of the marking scheme, all in one stage."""

    code: str
    name: str
    stage: str
    children: tuple[Criterion, ...] = ()
    aspects: tuple[Aspect, ...] = ()

    def walk_aspects(self) -> Iterator[Aspect]:
        yield from self.aspects
        for child in self.children:
            yield from child.walk_aspects()

    def walk(self) -> Iterator[Criterion]:
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def max_mark(self) -> Decimal:
        return sum((a.max_mark for a in self.walk_aspects()), Decimal(0))


@dataclass(frozen=True)
class ContestantRecord:
    code: str
    name: str
    group: str
    gender: str = ""  # "男" | "女" | ""
    unit: str = ""  # employer / 单位
    region: str = ""  # county or district / 县市区
    withdrawn: bool = False  # 弃赛/缺考: kept in the archive, left out of the engine input
    withdrawn_as: str = "withdrawn"  # "withdrawn" (弃权) | "absent" (缺考)
    withdrawn_reason: str = ""
    withdrawn_stage: str | None = None  # the stage from which the contestant is out; None: all
    id_number: str = ""  # private
    phone: str = ""  # private
    lookup_code: str = ""  # private: the result lookup's code (成绩查询), "" until given
    params: Mapping[str, Mapping[str, Decimal]] = field(default_factory=dict)
    members: tuple[Member, ...] = ()  # team events: the team's members (name is the team's name)


def public_members(c: ContestantRecord) -> list[dict[str, str]]:
    """A team's members as results, boards and certificates show them: names, units and counties,
    never the private fields (empty for an individual contestant)."""
    return [{"name": m.name, "unit": m.unit, "region": m.region} for m in c.members]


@dataclass(frozen=True)
class JudgeRecord:
    code: str
    name: str
    role: str = "judge"  # "judge" | "chief" (裁判长)
    unit: str = ""
    region: str = ""
    id_number: str = ""  # private
    phone: str = ""  # private


@dataclass(frozen=True)
class Recusal:
    judge: str
    contestant: str
    reason: str = ""


@dataclass(frozen=True)
class DrawEntry:
    contestant: str
    station: str = ""  # 工位号
    code: str = ""  # anonymous code judges see (加密号)
    session: str | None = None  # the session (场次) drawn, when the stage runs in sessions


@dataclass(frozen=True)
class SessionRecord:
    """A session (场次) of a stage: date and start (HH:MM) in the competition's time zone."""

    code: str
    stage: str
    date: str
    start: str
    name: str = ""
    end: str | None = None
    stations: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class Draw:
    seed: str = ""
    method: str = ""  # free text, e.g. "two rounds, random.Random(seed)"
    map_hash: str = ""  # published hash of the code map (commitment), if any
    entries: tuple[DrawEntry, ...] = ()


@dataclass(frozen=True)
class Document:
    competition: CompetitionInfo
    rules: Rules
    groups: tuple[Group, ...]
    stages: tuple[Stage, ...]
    scheme: tuple[Criterion, ...]
    contestants: tuple[ContestantRecord, ...]
    judges: tuple[JudgeRecord, ...]
    panels: tuple[Panel, ...] = ()
    recusals: tuple[Recusal, ...] = ()
    draw: Draw | None = None
    marks: tuple[Mark, ...] = ()
    # free JSON kept as is (generator, notes); never interpreted, so not part of equality
    meta: Mapping[str, Any] = field(default_factory=dict, compare=False)
    stage_states: Mapping[str, str] = field(default_factory=dict)  # stage code -> "open" | "locked"
    panel_names: tuple[str, ...] = ()  # one per panel (same order), "" when unnamed
    sessions: tuple[SessionRecord, ...] = ()  # 场次 of stages run in several sittings

    # -- look-ups (linear; documents are small) ---------------------------------------------
    @property
    def aspects(self) -> tuple[Aspect, ...]:
        """Every aspect of the scheme, in document order."""
        return tuple(a for c in self.scheme for a in c.walk_aspects())

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for top in self.scheme for c in top.walk())

    def group(self, code: str) -> Group | None:
        return next((g for g in self.groups if g.code == code), None)

    def stage(self, code: str) -> Stage | None:
        return next((s for s in self.stages if s.code == code), None)

    def aspect(self, code: str) -> Aspect | None:
        return next((a for a in self.aspects if a.code == code), None)

    def contestant(self, code: str) -> ContestantRecord | None:
        return next((c for c in self.contestants if c.code == code), None)

    def judge(self, code: str) -> JudgeRecord | None:
        return next((j for j in self.judges if j.code == code), None)

    def draw_entry(self, contestant: str) -> DrawEntry | None:
        if self.draw is None:
            return None
        return next((e for e in self.draw.entries if e.contestant == contestant), None)

    def group_aspects(self, group: str, stage: str) -> tuple[Aspect, ...]:
        """The aspects a group is marked on in a stage: those of its panels for the stage
        (a panel with no aspect list covers all of the stage's aspects), in scheme order."""
        return group_aspects(self.aspects, self.panels, group, stage)


class _InStage(Protocol):
    """An aspect as ``group_aspects`` reads it (the engine's, or the checks' ``AspectAt``)."""

    @property
    def code(self) -> str: ...
    @property
    def stage(self) -> str: ...


class _Covers(Protocol):
    """A panel as ``group_aspects`` reads it (the engine's, or the checks' ``PanelAt``)."""

    @property
    def group(self) -> str: ...
    @property
    def stage(self) -> str: ...
    @property
    def aspects(self) -> Sequence[str]: ...


_A = TypeVar("_A", bound=_InStage)


def group_aspects(aspects: Iterable[_A], panels: Iterable[_Covers], group: str, stage: str) -> tuple[_A, ...]:
    covered: set[str] = set()
    for p in panels:
        if p.group != group or p.stage != stage:
            continue
        if not p.aspects:
            return tuple(a for a in aspects if a.stage == stage)
        covered.update(p.aspects)
    return tuple(a for a in aspects if a.stage == stage and a.code in covered)
