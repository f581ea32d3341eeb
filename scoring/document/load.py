"""Reading and validating the portable competition document.

Why one validator that keeps going: an organizer fixing a spreadsheet export wants every
problem at once, each naming its field (``contestants[7].group``) and the reason in their
language. So nothing here raises on the first problem; it records a ``Problem`` and carries on
with what it could read, and ``load_document`` raises one ``InvalidInput`` at the end.
Numbers are read by the one strict parser (``rules.numbers``: plain ASCII decimals, from strings,
integers, or JSON numbers kept as their text with ``parse_float=json_number``); a float never
enters a computation.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scoring.document.bounds import check_nesting, too_deep
from scoring.errors import InvalidInput, Problem
from scoring.i18n import LOCALES, N_
from scoring.rules import numbers
from scoring.rules.text import has_hostile
from scoring.rules.types import (
    Aggregation,
    AggregationMethod,
    Aspect,
    AspectType,
    AwardKind,
    AwardRule,
    AwardTier,
    Checks,
    Mark,
    MissingPolicy,
    NO_ROUNDING,
    Panel,
    RankMethod,
    ReviewPlanRule,
    Rounding,
    RoundingMode,
    Rules,
    SdKind,
    Stage,
    TieBreak,
    TieBreakKind,
    TiePolicy,
    ToleranceBand,
    WeightKind,
)

from scoring.document.model import (
    FORMAT,
    STAGE_STATES,
    VERSION,
    VISIBILITIES,
    CompetitionInfo,
    ContestantRecord,
    Criterion,
    Document,
    Draw,
    DrawEntry,
    Group,
    JudgeRecord,
    Recusal,
    group_aspects,
)

MAX_PLACES = 4                 # the database keeps ten-thousandths; more is refused, not rounded
MAX_MAGNITUDE = Decimal(10) ** 12  # the database keeps ten-thousandths in a 64-bit integer
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$")
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()\-]{4,22}$")
ID_RE = re.compile(r"^[0-9]{17}[0-9X]$")
GENDERS = ("男", "女", "")
ROLES = ("judge", "chief")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
# Aggregations whose result is not bounded by the aspects' max marks (so the scheme sum is not checked).
UNBOUNDED = {AggregationMethod.MIDDLE_SUM, AggregationMethod.ISU_GOE, AggregationMethod.SUM}

_MISSING = object()


def id_check_digit(first17: str) -> str:
    """The check character of a mainland resident ID number (GB 11643)."""
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def fmt_decimal(value: Decimal) -> str:
    """A Decimal as plain text without an exponent (``1E+2`` -> ``100``)."""
    return format(value, "f")


class _Reader:
    """Typed field access that records problems instead of raising."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, msgid: str, **params: Any) -> None:
        self.problems.append(Problem(path, msgid, {k: str(v) for k, v in params.items()}))

    # -- containers -----------------------------------------------------------------------
    def obj(self, value: Any, path: str, allowed: tuple[str, ...], required: tuple[str, ...] = ()) -> dict | None:
        if not isinstance(value, dict):
            self.add(path, N_("must be an object"))
            return None
        for key in value:
            if key not in allowed:
                self.add(_join(path, key), N_("unknown field"))
        for key in required:
            if key not in value or value[key] is None:
                self.add(_join(path, key), N_("is required"))
        return value

    def items(self, d: dict | None, key: str, path: str) -> list[tuple[str, Any]]:
        """The entries of a list field as (path, value) pairs; [] when absent or wrong."""
        p = _join(path, key)
        value = d.get(key, _MISSING) if d is not None else _MISSING
        if value is _MISSING or value is None:
            return []
        if not isinstance(value, list):
            self.add(p, N_("must be a list"))
            return []
        return [(f"{p}[{i}]", v) for i, v in enumerate(value)]

    # -- scalars --------------------------------------------------------------------------
    def string(self, d: dict, key: str, path: str, default: str = "", nonempty: bool = False,
               maxlen: int = 500) -> str:
        value = d.get(key)
        p = _join(path, key)
        if value is None:
            if nonempty and key in d:
                self.add(p, N_("must not be empty"))
            return default
        if not isinstance(value, str):
            self.add(p, N_("must be a string"))
            return default
        value = value.strip()
        if nonempty and not value:
            self.add(p, N_("must not be empty"))
        if len(value) > maxlen:
            self.add(p, N_("must be at most %(max)s characters long"), max=maxlen)
        return value

    def code(self, d: dict, key: str, path: str) -> str | None:
        value = d.get(key)
        p = _join(path, key)
        if value is None:
            return None  # required-ness is reported by obj()
        if not isinstance(value, str):
            self.add(p, N_("must be a string"))
            return None
        if not CODE_RE.match(value):
            self.add(p, N_("must be a code of letters, digits, '.', '_' or '-' (at most 40 characters)"))
            return None
        return value

    def ref(self, d: dict, key: str, path: str, known, msgid: str) -> str | None:
        value = d.get(key)
        if value is None:
            return None
        p = _join(path, key)
        if not isinstance(value, str):
            self.add(p, N_("must be a string"))
            return None
        if value not in known:
            self.add(p, msgid, code=value)
            return None
        return value

    def decimal(self, d: dict, key: str, path: str, default: Any = None, *, minimum: Decimal | None = None,
                maximum: Decimal | None = None, positive: bool = False, nullable: bool = True) -> Any:
        if key not in d or (d[key] is None and nullable):
            return default
        # A bad value yields None (not the default), so later sums do not report a made-up figure.
        return self.decimal_value(d[key], _join(path, key), minimum=minimum, maximum=maximum, positive=positive)

    def decimal_value(self, value: Any, p: str, *, minimum: Decimal | None = None, maximum: Decimal | None = None,
                      positive: bool = False, fallback: Any = None) -> Any:
        number, why = _read_number(value)
        if why == numbers.TOO_LARGE:
            self.add(p, N_("is too large: at most %(max)s"), max=fmt_decimal(MAX_MAGNITUDE))
            return fallback
        if why == numbers.TOO_MANY_PLACES:
            self.add(p, N_("must have at most %(places)s decimal places"), places=MAX_PLACES)
            return fallback
        if number is None:
            self.add(p, N_("must be an exact decimal number such as \"8.5\""))
            return fallback
        if positive and number <= 0:
            self.add(p, N_("must be greater than %(min)s"), min=0)
            return fallback
        if minimum is not None and number < minimum:
            self.add(p, N_("must be at least %(min)s"), min=fmt_decimal(minimum))
            return fallback
        if maximum is not None and number > maximum:
            self.add(p, N_("must be at most %(max)s"), max=fmt_decimal(maximum))
            return fallback
        return number

    def integer(self, d: dict, key: str, path: str, default: Any = None, *, minimum: int | None = None,
                maximum: int | None = None) -> Any:
        if key not in d or d[key] is None:
            return default
        value = d[key]
        p = _join(path, key)
        if isinstance(value, numbers.JsonNumber):
            value = to_decimal(value)
        if isinstance(value, Decimal) and value == value.to_integral_value():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(p, N_("must be a whole number"))
            return default
        if minimum is not None and value < minimum:
            self.add(p, N_("must be at least %(min)s"), min=minimum)
            return default
        if maximum is not None and value > maximum:
            self.add(p, N_("must be at most %(max)s"), max=maximum)
            return default
        return value

    def boolean(self, d: dict, key: str, path: str, default: bool) -> bool:
        value = d.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.add(_join(path, key), N_("must be true or false"))
            return default
        return value

    def enum(self, d: dict, key: str, path: str, cls: type[StrEnum], default: Any) -> Any:
        value = d.get(key)
        if value is None:
            return default
        try:
            return cls(value)
        except (ValueError, TypeError):
            self.add(_join(path, key), N_("must be one of: %(choices)s"), choices=", ".join(m.value for m in cls))
            return default

    def choice(self, d: dict, key: str, path: str, choices: tuple[str, ...], default: str) -> str:
        value = d.get(key)
        if value is None:
            return default
        if value not in choices:
            self.add(_join(path, key), N_("must be one of: %(choices)s"),
                     choices=", ".join(c if c else '""' for c in choices))
            return default
        return value

    def unique(self, seen: dict, code: str | None, path: str) -> None:
        if code is None:
            return
        if code in seen:
            self.add(path, N_("duplicate code %(code)s (first used at %(first)s)"), code=code, first=seen[code])
        else:
            seen[code] = path


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def to_decimal(value: Any) -> Decimal | None:
    """An exact Decimal from a JSON value, or None (see ``_read_number``)."""
    return _read_number(value)[0]


def _read_number(value: Any) -> tuple[Decimal | None, str | None]:
    """(the number, None) or (None, why: a ``rules.numbers`` message id): strictly a plain ASCII
    decimal (``"8.5"``, ``8.5``, ``30``) of at most 4 places below 10¹²; no exponent, sign ``+``,
    spaces, ``".5"``/``"3."`` or ``"-0"``. Floats (from Python callers) are read by their shortest
    repr, never their binary value; booleans are not numbers."""
    if isinstance(value, float):
        value = repr(value)
    try:
        numbers.parse_decimal(value, "", places=MAX_PLACES)
    except InvalidInput as exc:
        return None, exc.problems[0].msgid
    # as written ("4.0" stays "4.0", so a document re-saved is the same file); the text is plain now
    return (value if isinstance(value, Decimal) else Decimal(str(value))), None


# ============================================================================ the loader


class _Loader(_Reader):
    def __init__(self, raw: Any, strict: bool = True) -> None:
        super().__init__()
        self.raw = raw
        self.strict = strict
        self.stage_codes: dict[str, str] = {}
        self.group_codes: dict[str, str] = {}
        self.aspects: dict[str, Aspect | None] = {}     # code -> aspect (None if it failed to parse)
        self.aspect_paths: dict[str, str] = {}
        self.criterion_codes: dict[str, str] = {}
        self.criterion_paths: set[str] = set()     # "A", "A/A1": how a criterion tie-break names one
        self.contestant_codes: dict[str, str] = {}
        self.judge_codes: dict[str, str] = {}
        self.stage_states: dict[str, str] = {}
        self.panel_names: list[str] = []

    # ------------------------------------------------------------------ top level
    def load(self) -> Document | None:
        top_fields = ("format", "version", "competition", "rules", "groups", "stages", "scheme", "contestants",
                      "judges", "panels", "recusals", "draw", "marks", "meta")
        d = self.obj(self.raw, "", top_fields, ("format", "version", "competition", "groups", "stages", "scheme"))
        if d is None:
            self.problems[-1] = Problem("", N_("the document must be a JSON object"))
            return None
        if d.get("format") is not None and d.get("format") != FORMAT:
            self.add("format", N_("must be \"%(format)s\": this is not a competition document"), format=FORMAT)
            return None
        version = d.get("version")
        if version is not None and (isinstance(version, bool) or version != VERSION):
            self.add("version", N_("unsupported version %(version)s (this service reads version %(supported)s)"),
                     version=version, supported=VERSION)
            return None

        competition = self.competition(d.get("competition"))
        groups = self.groups(d)
        stages = self.stages(d)
        scheme = self.scheme(d)
        rules = self.rules(d.get("rules"), "rules")
        contestants = self.contestants(d)
        judges = self.judges(d)
        panels = self.panels(d)
        recusals = self.recusals(d)
        draw = self.draw(d.get("draw"), contestants)
        meta = d.get("meta") or {}
        if not isinstance(meta, dict):
            self.add("meta", N_("must be an object"))
            meta = {}
        if self.problems:
            # Cross-checks below need the parts to be sound; report what we have, then the marks.
            self.marks(d, contestants, panels, recusals, stages)
            self.cross_checks(stages, contestants, panels, rules)
            return None
        marks = self.marks(d, contestants, panels, recusals, stages)
        self.cross_checks(stages, contestants, panels, rules)
        if self.problems or competition is None or rules is None:
            return None
        # Canonical order (contestant, then aspect in scheme order, then judge as listed): the same
        # marks always make the same document, whatever order a database or a tablet produced.
        c_ix = {c.code: i for i, c in enumerate(contestants)}
        a_ix = {code: i for i, code in enumerate(self.aspects)}
        j_ix = {j.code: i for i, j in enumerate(judges)}
        marks.sort(key=lambda m: (c_ix[m.contestant], a_ix[m.aspect], j_ix[m.judge]))
        return Document(
            competition=competition, rules=rules, groups=tuple(groups), stages=tuple(stages),
            scheme=tuple(scheme), contestants=tuple(contestants), judges=tuple(judges), panels=tuple(panels),
            recusals=tuple(recusals), draw=draw, marks=tuple(marks), meta=meta,
            stage_states=dict(self.stage_states),
            panel_names=tuple(self.panel_names) if any(self.panel_names) else (),
        )

    # ------------------------------------------------------------------ competition
    def competition(self, value: Any) -> CompetitionInfo | None:
        p = "competition"
        if value is None:
            return None
        d = self.obj(value, p, ("slug", "name", "organizer", "date", "venue", "timezone", "locale", "visibility"),
                     ("slug", "name"))
        if d is None:
            return None
        slug = d.get("slug")
        if slug is not None and (not isinstance(slug, str) or not SLUG_RE.match(slug)):
            self.add(f"{p}.slug", N_("must use lower-case letters, digits and hyphens only"))
        when = self.string(d, "date", p)
        if when:
            try:
                date.fromisoformat(when)
                if len(when) != 10:
                    raise ValueError
            except ValueError:
                self.add(f"{p}.date", N_("must be a date such as 2025-05-23"))
        tz = self.string(d, "timezone", p, default="Asia/Shanghai") or "Asia/Shanghai"
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            self.add(f"{p}.timezone", N_("unknown time zone %(value)s"), value=tz)
        locale = self.choice(d, "locale", p, LOCALES, "zh_Hans_CN")
        return CompetitionInfo(
            slug=slug if isinstance(slug, str) else "", name=self.string(d, "name", p, nonempty=True),
            organizer=self.string(d, "organizer", p), date=when, venue=self.string(d, "venue", p),
            timezone=tz, locale=locale, visibility=self.choice(d, "visibility", p, VISIBILITIES, "embargoed"),
        )

    # ------------------------------------------------------------------ groups and stages
    def groups(self, d: dict) -> list[Group]:
        out = []
        entries = self.items(d, "groups", "")
        if "groups" in d and not entries and isinstance(d.get("groups"), list):
            self.add("groups", N_("must not be empty"))
        for p, value in entries:
            g = self.obj(value, p, ("code", "name", "event"), ("code", "name"))
            if g is None:
                continue
            code = self.code(g, "code", p)
            self.unique(self.group_codes, code, f"{p}.code")
            out.append(Group(code=code or "", name=self.string(g, "name", p, nonempty=True),
                             event=self.string(g, "event", p)))
        return out

    def stages(self, d: dict) -> list[Stage]:
        out = []
        entries = self.items(d, "stages", "")
        if "stages" in d and not entries and isinstance(d.get("stages"), list):
            self.add("stages", N_("must not be empty"))
        for p, value in entries:
            s = self.obj(value, p, ("code", "name", "weight", "max_weight", "max_mark", "aggregation", "rounding",
                                    "weighted_rounding", "state"), ("code", "weight"))
            if s is None:
                continue
            code = self.code(s, "code", p)
            self.unique(self.stage_codes, code, f"{p}.code")
            weight = self.decimal(s, "weight", p, None, minimum=Decimal(0))
            state = self.choice(s, "state", p, STAGE_STATES, "open")
            if code is not None and state != "open":
                self.stage_states[code] = state
            max_weight = self.decimal(s, "max_weight", p, None, minimum=Decimal(0))
            aggregation = None
            if s.get("aggregation") is not None:
                aggregation = self.aggregation(s["aggregation"], f"{p}.aggregation", stage_level=True)
            out.append(Stage(
                code=code or "", name=self.string(s, "name", p), weight=weight,
                max_mark=self.decimal(s, "max_mark", p, Decimal(100), positive=True),
                aggregation=aggregation,
                rounding=self.rounding(s, "rounding", p, Rounding(2)),
                weighted_rounding=self.rounding(s, "weighted_rounding", p, NO_ROUNDING),
                max_weight=max_weight,
            ))
        return out

    def rounding(self, d: dict, key: str, path: str, default: Rounding) -> Rounding:
        if key not in d:
            return default
        value = d[key]
        p = _join(path, key)
        if value is None:
            return NO_ROUNDING
        r = self.obj(value, p, ("places", "mode"))
        if r is None:
            return default
        places = self.integer(r, "places", p, 2, minimum=0, maximum=MAX_PLACES) if "places" in r else 2
        if "places" in r and r["places"] is None:
            places = None
        return Rounding(places=places, mode=self.enum(r, "mode", p, RoundingMode, RoundingMode.HALF_UP))

    def aggregation(self, value: Any, p: str, stage_level: bool = False) -> Aggregation:
        a = self.obj(value, p, ("method", "trim", "factor", "spread", "bands", "goe_percent", "param", "missing",
                                "min_marks", "judge_rounding", "rounding"))
        if a is None:
            return Aggregation()
        method = self.enum(a, "method", p, AggregationMethod, AggregationMethod.MEAN)
        bands = []
        for bp, bv in self.items(a, "bands", p):
            b = self.obj(bv, bp, ("min_score", "max_gap"), ("min_score", "max_gap"))
            if b is None:
                continue
            lo = self.decimal(b, "min_score", bp, None)
            gap = self.decimal(b, "max_gap", bp, None, minimum=Decimal(0))
            if lo is not None and gap is not None:
                bands.append(ToleranceBand(min_score=lo, max_gap=gap))
        param = a.get("param")
        if param is not None and (not isinstance(param, str) or not CODE_RE.match(param)):
            self.add(f"{p}.param", N_("must be a code of letters, digits, '.', '_' or '-' (at most 40 characters)"))
            param = None
        agg = Aggregation(
            method=method,
            trim=self.integer(a, "trim", p, 0, minimum=0),
            factor=self.decimal(a, "factor", p, Decimal(1), positive=True),
            spread=self.decimal(a, "spread", p, None, minimum=Decimal(0)),
            bands=tuple(sorted(bands, key=lambda b: b.min_score, reverse=True)),
            goe_percent=self.decimal(a, "goe_percent", p, Decimal(10), minimum=Decimal(0)),
            param=param,
            missing=self.enum(a, "missing", p, MissingPolicy, MissingPolicy.ABSENT),
            min_marks=self.integer(a, "min_marks", p, 1, minimum=1),
            judge_rounding=self.rounding(a, "judge_rounding", p, NO_ROUNDING),
            rounding=self.rounding(a, "rounding", p, Rounding(2)),
        )
        if method == AggregationMethod.FIG and not agg.bands:
            self.add(f"{p}.bands", N_("is required for the %(method)s method"), method=method.value)
        if method == AggregationMethod.ISU_GOE and not agg.param:
            self.add(f"{p}.param", N_("is required for the %(method)s method"), method=method.value)
        if stage_level and method in (AggregationMethod.WORLDSKILLS, AggregationMethod.ISU_GOE, AggregationMethod.FIG):
            self.add(f"{p}.method", N_("the %(method)s method applies to single aspects, not to a stage"),
                     method=method.value)
        return agg

    # ------------------------------------------------------------------ scheme
    def scheme(self, d: dict) -> list[Criterion]:
        entries = self.items(d, "scheme", "")
        if "scheme" in d and not entries and isinstance(d.get("scheme"), list):
            self.add("scheme", N_("must not be empty"))
        out = []
        for p, value in entries:
            c = self.criterion(value, p, parent_stage=None, parent_path=())  # None: top level
            if c is not None:
                out.append(c)
        return out

    def criterion(self, value: Any, p: str, parent_stage: str | None, parent_path: tuple[str, ...]) -> Criterion | None:
        c = self.obj(value, p, ("code", "name", "stage", "children", "aspects"),
                     ("code",) if parent_stage is not None else ("code", "stage"))
        if c is None:
            return None
        code = self.code(c, "code", p)
        self.unique(self.criterion_codes, code, f"{p}.code")
        # parent_stage: None at the top level, "" under a parent whose stage is unknown.
        stage = parent_stage
        if c.get("stage") is not None:
            if parent_stage is None:
                stage = self.ref(c, "stage", p, self.stage_codes, N_("unknown stage %(code)s"))
            elif parent_stage and c["stage"] != parent_stage:
                self.add(f"{p}.stage", N_("must be the parent criterion's stage %(stage)s"), stage=parent_stage)
        path = parent_path + ((code or "?"),)
        self.criterion_paths.add("/".join(path))
        children = [ch for cp, cv in self.items(c, "children", p)
                    if (ch := self.criterion(cv, cp, stage or "", path)) is not None]
        aspects = [asp for ap, av in self.items(c, "aspects", p)
                   if (asp := self.aspect(av, ap, stage, path)) is not None]
        if not c.get("children") and not c.get("aspects"):
            self.add(p, N_("must have sub-criteria or aspects"))
        return Criterion(code=code or "", name=self.string(c, "name", p), stage=stage or "",
                         children=tuple(children), aspects=tuple(aspects))

    def aspect(self, value: Any, p: str, stage: str | None, path: tuple[str, ...]) -> Aspect | None:
        a = self.obj(value, p, ("code", "name", "stage", "type", "max_mark", "step", "min_value", "max_value",
                                "scale_max", "descriptors", "aggregation", "time_target", "time_limit"),
                     ("code", "max_mark"))
        if a is None:
            return None
        before = len(self.problems)
        name = self.string(a, "name", p)
        code = self.code(a, "code", p)
        if code is not None and code in self.aspects:
            self.add(f"{p}.code", N_("duplicate code %(code)s (first used at %(first)s)"),
                     code=code, first=self.aspect_paths[code])
            code = None
        if a.get("stage") is not None and stage and a["stage"] != stage:
            self.add(f"{p}.stage", N_("must be the parent criterion's stage %(stage)s"), stage=stage)
        kind = self.enum(a, "type", p, AspectType, AspectType.MEASUREMENT)
        max_mark = self.decimal(a, "max_mark", p, None, positive=True)
        step = self.decimal(a, "step", p, Decimal("0.01"), positive=True)
        min_value = self.decimal(a, "min_value", p, Decimal(0))
        max_value = self.decimal(a, "max_value", p, None)
        if max_value is not None and min_value is not None and max_value < min_value:
            self.add(f"{p}.max_value", N_("must not be below min_value %(min)s"), min=fmt_decimal(min_value))
        scale_max = self.decimal(a, "scale_max", p, Decimal(3), positive=True)
        descriptors: list[str] = []
        for dp, dv in self.items(a, "descriptors", p):
            if not isinstance(dv, str) or not dv.strip():
                self.add(dp, N_("must be a non-empty string"))
            else:
                descriptors.append(dv.strip())
        if kind == AspectType.JUDGEMENT and scale_max is not None:
            if scale_max != scale_max.to_integral_value():
                self.add(f"{p}.scale_max", N_("must be a whole number"))
            elif isinstance(a.get("descriptors") or [], list) and len(a.get("descriptors") or []) != int(scale_max) + 1:
                self.add(f"{p}.descriptors",
                         N_("a judgement aspect needs one descriptor for each level 0..%(scale)s (%(need)s), not %(got)s"),
                         scale=int(scale_max), need=int(scale_max) + 1, got=len(a.get("descriptors") or []))
        time_target = self.decimal(a, "time_target", p, None, minimum=Decimal(0))
        time_limit = self.decimal(a, "time_limit", p, None, minimum=Decimal(0))
        if kind == AspectType.TIME:
            for key in ("time_target", "time_limit"):
                if a.get(key) is None:
                    self.add(f"{p}.{key}", N_("is required for time aspects"))
            if time_target is not None and time_limit is not None and time_limit <= time_target:
                self.add(f"{p}.time_limit", N_("must be greater than time_target %(target)s"),
                         target=fmt_decimal(time_target))
        else:
            for key in ("time_target", "time_limit"):
                if a.get(key) is not None:
                    self.add(f"{p}.{key}", N_("only time aspects take this field"))
        aggregation = Aggregation()
        if a.get("aggregation") is not None:
            aggregation = self.aggregation(a["aggregation"], f"{p}.aggregation")
            if aggregation.method == AggregationMethod.WORLDSKILLS and kind != AspectType.JUDGEMENT:
                self.add(f"{p}.aggregation.method", N_("the %(method)s method needs a judgement aspect"),
                         method=aggregation.method.value)
        ok = len(self.problems) == before and bool(stage) and max_mark is not None
        aspect = Aspect(
            code=code or "", stage=stage or "", max_mark=max_mark if max_mark is not None else Decimal(0),
            type=kind, aggregation=aggregation, name=name, criterion="/".join(path),
            scale_max=scale_max if scale_max is not None else Decimal(3), descriptors=tuple(descriptors),
            step=step if step is not None else Decimal("0.01"),
            min_value=min_value if min_value is not None else Decimal(0), max_value=max_value,
            time_target=time_target, time_limit=time_limit,
        )
        if code is not None:
            self.aspects[code] = aspect if ok else None
            self.aspect_paths[code] = f"{p}.code"
        return aspect

    # ------------------------------------------------------------------ rules
    def rules(self, value: Any, p: str) -> Rules | None:
        if value is None:
            return Rules()
        r = self.obj(value, p, ("ranking", "tie_breaks", "weight_kind", "total_rounding", "awards", "checks", "review"))
        if r is None:
            return None
        tie_breaks = []
        for tp, tv in self.items(r, "tie_breaks", p):
            t = self.obj(tv, tp, ("kind", "ref", "higher_is_better"), ("kind", "ref"))
            if t is None:
                continue
            kind = self.enum(t, "kind", tp, TieBreakKind, None)
            ref = t.get("ref")
            if kind is None or ref is None:
                continue
            if not isinstance(ref, str):
                self.add(f"{tp}.ref", N_("must be a string"))
                continue
            if kind == TieBreakKind.STAGE and ref not in self.stage_codes:
                self.add(f"{tp}.ref", N_("unknown stage %(code)s"), code=ref)
            elif kind == TieBreakKind.CRITERION and ref not in self.criterion_paths:
                self.add(f"{tp}.ref", N_("unknown criterion %(code)s"), code=ref)
            elif kind in (TieBreakKind.ASPECT, TieBreakKind.TIME) and ref not in self.aspects:
                self.add(f"{tp}.ref", N_("unknown aspect %(code)s"), code=ref)
            elif kind == TieBreakKind.TIME and self.aspects[ref] is not None and self.aspects[ref].type != AspectType.TIME:
                self.add(f"{tp}.ref", N_("aspect %(code)s is not a time aspect"), code=ref)
            tie_breaks.append(TieBreak(kind=kind, ref=ref,
                                       higher_is_better=self.boolean(t, "higher_is_better", tp,
                                                                     kind != TieBreakKind.TIME)))
        awards = []
        tier_names: dict[str, str] = {}
        for ap, av in self.items(r, "awards", p):
            award = self.award(av, ap, tier_names)
            if award is not None:
                awards.append(award)
        checks = Checks()
        if r.get("checks") is not None:
            c = self.obj(r["checks"], f"{p}.checks", ("outlier_distance", "normalisation"))
            if c is not None:
                checks = Checks(outlier_distance=self.decimal(c, "outlier_distance", f"{p}.checks", None, positive=True),
                                normalisation=self.enum(c, "normalisation", f"{p}.checks", SdKind, None))
        review = ReviewPlanRule()
        if r.get("review") is not None:
            rp = f"{p}.review"
            v = self.obj(r["review"], rp, ("top_n", "sample_percent", "full_recheck_error_rate"))
            if v is not None:
                review = ReviewPlanRule(
                    top_n=self.integer(v, "top_n", rp, 10, minimum=0),
                    sample_percent=self.decimal(v, "sample_percent", rp, Decimal(15), minimum=Decimal(0),
                                                maximum=Decimal(100)),
                    full_recheck_error_rate=self.decimal(v, "full_recheck_error_rate", rp, Decimal(5),
                                                         minimum=Decimal(0), maximum=Decimal(100)),
                )
        return Rules(
            ranking=self.enum(r, "ranking", p, RankMethod, RankMethod.STANDARD),
            tie_breaks=tuple(tie_breaks),
            weight_kind=self.enum(r, "weight_kind", p, WeightKind, WeightKind.PERCENT),
            total_rounding=self.rounding(r, "total_rounding", p, Rounding(2)),
            awards=tuple(awards), checks=checks, review=review,
        )

    def award(self, value: Any, p: str, tier_names: dict[str, str]) -> AwardRule | None:
        a = self.obj(value, p, ("name", "kind", "tie_policy", "rounding", "per_group", "min_total", "tiers"),
                     ("kind", "tiers"))
        if a is None:
            return None
        kind = self.enum(a, "kind", p, AwardKind, None)
        need = {
            AwardKind.QUOTA_PERCENT: "percent", AwardKind.FIXED_COUNT: "count", AwardKind.THRESHOLD: "min_total",
            AwardKind.TITLE: "max_rank",
        }.get(kind)
        tiers = []
        percent_sum = Decimal(0)
        entries = self.items(a, "tiers", p)
        if "tiers" in a and isinstance(a.get("tiers"), list) and not entries:
            self.add(f"{p}.tiers", N_("must not be empty"))
        for tp, tv in entries:
            t = self.obj(tv, tp, ("name", "percent", "count", "min_total", "max_rank"), ("name",))
            if t is None:
                continue
            name = self.string(t, "name", tp, nonempty=True)
            if name:
                self.unique(tier_names, name, f"{tp}.name")
            tier = AwardTier(
                name=name,
                percent=self.decimal(t, "percent", tp, None, positive=True, maximum=Decimal(100)),
                count=self.integer(t, "count", tp, None, minimum=0),
                min_total=self.decimal(t, "min_total", tp, None),
                max_rank=self.integer(t, "max_rank", tp, None, minimum=1),
            )
            if need is not None and t.get(need) is None:
                self.add(f"{tp}.{need}", N_("is required for %(kind)s awards"), kind=kind.value)
            if kind == AwardKind.MEDALS and t.get("max_rank") is None and t.get("min_total") is None:
                self.add(f"{tp}.max_rank", N_("is required for %(kind)s awards"), kind=kind.value)
            if tier.percent is not None:
                percent_sum += tier.percent
            tiers.append(tier)
        if kind == AwardKind.QUOTA_PERCENT and percent_sum > 100:
            self.add(f"{p}.tiers", N_("the tiers' percentages add up to %(sum)s, more than 100"),
                     sum=fmt_decimal(percent_sum))
        if kind is None:
            return None
        return AwardRule(
            kind=kind, tiers=tuple(tiers),
            tie_policy=self.enum(a, "tie_policy", p, TiePolicy, TiePolicy.SHARE),
            rounding=self.enum(a, "rounding", p, RoundingMode, RoundingMode.HALF_UP),
            per_group=self.boolean(a, "per_group", p, True),
            min_total=self.decimal(a, "min_total", p, None),
            name=self.string(a, "name", p),
        )

    # ------------------------------------------------------------------ people
    def private(self, d: dict, p: str) -> tuple[str, str]:
        id_number = self.string(d, "id_number", p).upper()
        if id_number:
            if not ID_RE.match(id_number):
                self.add(f"{p}.id_number", N_("must be an 18-character ID number: 17 digits and a digit or X"))
            elif id_check_digit(id_number[:17]) != id_number[17]:
                self.add(f"{p}.id_number", N_("the ID number's check digit is wrong"))
        phone = self.string(d, "phone", p)
        if phone and not PHONE_RE.match(phone):
            self.add(f"{p}.phone", N_("is not a phone number"))
        return id_number, phone

    def contestants(self, d: dict) -> list[ContestantRecord]:
        out = []
        for p, value in self.items(d, "contestants", ""):
            c = self.obj(value, p, ("code", "name", "gender", "unit", "region", "group", "withdrawn", "id_number",
                                    "phone", "params"), ("code", "name", "group"))
            if c is None:
                continue
            code = self.code(c, "code", p)
            self.unique(self.contestant_codes, code, f"{p}.code")
            group = self.ref(c, "group", p, self.group_codes, N_("unknown group %(code)s"))
            id_number, phone = self.private(c, p)
            params: dict[str, dict[str, Decimal]] = {}
            if c.get("params") is not None:
                pp = f"{p}.params"
                if not isinstance(c["params"], dict):
                    self.add(pp, N_("must be an object"))
                else:
                    for asp, values in c["params"].items():
                        ap = f"{pp}.{asp}"
                        if asp not in self.aspects:
                            self.add(ap, N_("unknown aspect %(code)s"), code=asp)
                            continue
                        if not isinstance(values, dict):
                            self.add(ap, N_("must be an object"))
                            continue
                        inner = {}
                        for name, v in values.items():
                            if not isinstance(name, str) or not CODE_RE.match(name):
                                self.add(f"{ap}.{name}", N_("must be a code of letters, digits, '.', '_' or '-' (at most 40 characters)"))
                                continue
                            number = self.decimal_value(v, f"{ap}.{name}")
                            if number is not None:
                                inner[name] = number
                        params[asp] = inner
            out.append(ContestantRecord(
                code=code or "", name=self.string(c, "name", p, nonempty=True), group=group or "",
                gender=self.choice(c, "gender", p, GENDERS, ""), unit=self.string(c, "unit", p),
                region=self.string(c, "region", p), withdrawn=self.boolean(c, "withdrawn", p, False),
                id_number=id_number, phone=phone, params=params,
            ))
        return out

    def judges(self, d: dict) -> list[JudgeRecord]:
        out = []
        for p, value in self.items(d, "judges", ""):
            j = self.obj(value, p, ("code", "name", "role", "unit", "region", "id_number", "phone"), ("code", "name"))
            if j is None:
                continue
            code = self.code(j, "code", p)
            self.unique(self.judge_codes, code, f"{p}.code")
            id_number, phone = self.private(j, p)
            out.append(JudgeRecord(
                code=code or "", name=self.string(j, "name", p, nonempty=True),
                role=self.choice(j, "role", p, ROLES, "judge"), unit=self.string(j, "unit", p),
                region=self.string(j, "region", p), id_number=id_number, phone=phone,
            ))
        return out

    def panels(self, d: dict) -> list[Panel]:
        out = []
        covered: dict[tuple[str, str], str] = {}
        for p, value in self.items(d, "panels", ""):
            x = self.obj(value, p, ("name", "group", "stage", "judges", "aspects"), ("group", "stage", "judges"))
            if x is None:
                continue
            group = self.ref(x, "group", p, self.group_codes, N_("unknown group %(code)s"))
            stage = self.ref(x, "stage", p, self.stage_codes, N_("unknown stage %(code)s"))
            judges: list[str] = []
            entries = self.items(x, "judges", p)
            if isinstance(x.get("judges"), list) and not entries:
                self.add(f"{p}.judges", N_("must not be empty"))
            for jp, jv in entries:
                if not isinstance(jv, str):
                    self.add(jp, N_("must be a string"))
                elif jv not in self.judge_codes:
                    self.add(jp, N_("unknown judge %(code)s"), code=jv)
                elif jv in judges:
                    self.add(jp, N_("judge %(code)s is listed twice"), code=jv)
                else:
                    judges.append(jv)
            aspects: list[str] = []
            for ap, av in self.items(x, "aspects", p):
                if not isinstance(av, str):
                    self.add(ap, N_("must be a string"))
                elif av not in self.aspects:
                    self.add(ap, N_("unknown aspect %(code)s"), code=av)
                elif av in aspects:
                    self.add(ap, N_("aspect %(code)s is listed twice"), code=av)
                else:
                    asp = self.aspects[av]
                    if asp is not None and stage is not None and asp.stage != stage:
                        self.add(ap, N_("aspect %(code)s belongs to stage %(aspect_stage)s, not %(stage)s"),
                                 code=av, aspect_stage=asp.stage, stage=stage)
                    aspects.append(av)
            if group is None or stage is None:
                continue
            if x.get("aspects"):
                codes = aspects
            else:
                codes = [c for c, a in self.aspects.items() if a is not None and a.stage == stage]
            for code in codes:
                key = (group, code)
                if key in covered:
                    self.add(p, N_("aspect %(code)s of group %(group)s is already marked by the panel at %(first)s"),
                             code=code, group=group, first=covered[key])
                else:
                    covered[key] = p
            out.append(Panel(group=group, stage=stage, judges=tuple(judges), aspects=tuple(aspects)))
            self.panel_names.append(self.string(x, "name", p, maxlen=200))
        return out

    def recusals(self, d: dict) -> list[Recusal]:
        out = []
        seen: dict[tuple[str, str], str] = {}
        for p, value in self.items(d, "recusals", ""):
            r = self.obj(value, p, ("judge", "contestant", "reason"), ("judge", "contestant"))
            if r is None:
                continue
            judge = self.ref(r, "judge", p, self.judge_codes, N_("unknown judge %(code)s"))
            contestant = self.ref(r, "contestant", p, self.contestant_codes, N_("unknown contestant %(code)s"))
            if judge is None or contestant is None:
                continue
            if (judge, contestant) in seen:
                self.add(p, N_("this recusal is already listed at %(first)s"), first=seen[(judge, contestant)])
                continue
            seen[(judge, contestant)] = p
            out.append(Recusal(judge=judge, contestant=contestant, reason=self.string(r, "reason", p)))
        return out

    def draw(self, value: Any, contestants: list[ContestantRecord]) -> Draw | None:
        p = "draw"
        if value is None:
            return None
        d = self.obj(value, p, ("seed", "method", "map_hash", "entries"))
        if d is None:
            return None
        group_of = {c.code: c.group for c in contestants}
        entries = []
        seen_contestant: dict[str, str] = {}
        seen_code: dict[str, str] = {}
        seen_station: dict[tuple[str, str], str] = {}
        for ep, ev in self.items(d, "entries", p):
            e = self.obj(ev, ep, ("contestant", "station", "code"), ("contestant", "code"))
            if e is None:
                continue
            contestant = self.ref(e, "contestant", ep, self.contestant_codes, N_("unknown contestant %(code)s"))
            if contestant is not None:
                if contestant in seen_contestant:
                    self.add(f"{ep}.contestant", N_("contestant %(code)s is already drawn at %(first)s"),
                             code=contestant, first=seen_contestant[contestant])
                else:
                    seen_contestant[contestant] = f"{ep}.contestant"
            code = self.code(e, "code", ep)
            self.unique(seen_code, code, f"{ep}.code")
            station = self.string(e, "station", ep, maxlen=40)
            if station and contestant is not None:
                key = (group_of.get(contestant, ""), station)
                if key in seen_station:
                    self.add(f"{ep}.station", N_("station %(station)s is already drawn at %(first)s"),
                             station=station, first=seen_station[key])
                else:
                    seen_station[key] = f"{ep}.station"
            entries.append(DrawEntry(contestant=contestant or "", station=station, code=code or ""))
        return Draw(seed=self.string(d, "seed", p), method=self.string(d, "method", p),
                    map_hash=self.string(d, "map_hash", p), entries=tuple(entries))

    # ------------------------------------------------------------------ marks
    def marks(self, d: dict, contestants: list[ContestantRecord], panels: list[Panel], recusals: list[Recusal],
              stages: list[Stage]) -> list[Mark]:
        group_of = {c.code: c.group for c in contestants}
        # (group, aspect) -> judges allowed to mark it
        markers: dict[tuple[str, str], set[str]] = defaultdict(set)
        for panel in panels:
            codes = panel.aspects or [c for c, a in self.aspects.items() if a is not None and a.stage == panel.stage]
            for code in codes:
                markers[(panel.group, code)].update(panel.judges)
        recused = {(r.judge, r.contestant) for r in recusals}
        seen: dict[tuple[str, str, str], str] = {}
        out = []
        for p, value in self.items(d, "marks", ""):
            m = self.obj(value, p, ("contestant", "aspect", "judge", "value"), ("contestant", "aspect", "judge", "value"))
            if m is None:
                continue
            contestant = self.ref(m, "contestant", p, self.contestant_codes, N_("unknown contestant %(code)s"))
            aspect_code = self.ref(m, "aspect", p, self.aspects, N_("unknown aspect %(code)s"))
            judge = self.ref(m, "judge", p, self.judge_codes, N_("unknown judge %(code)s"))
            number = self.decimal(m, "value", p, None)
            aspect = self.aspects.get(aspect_code) if aspect_code else None
            if aspect is not None and number is not None:
                self.check_value(number, aspect, f"{p}.value")
            if contestant is None or aspect_code is None or judge is None:
                continue
            key = (contestant, aspect_code, judge)
            if key in seen:
                self.add(p, N_("duplicate mark: this contestant, aspect and judge are already marked at %(first)s"),
                         first=seen[key])
                continue
            seen[key] = p
            group = group_of.get(contestant)
            # Not strict: an archive of a later state; the engine ignores and flags such marks.
            if self.strict and group and judge not in markers.get((group, aspect_code), ()):
                self.add(f"{p}.judge", N_("judge %(judge)s is not on a panel marking aspect %(aspect)s for group %(group)s"),
                         judge=judge, aspect=aspect_code, group=group)
            if self.strict and (judge, contestant) in recused:
                self.add(f"{p}.judge", N_("judge %(judge)s is recused from contestant %(contestant)s"),
                         judge=judge, contestant=contestant)
            if number is not None:
                out.append(Mark(contestant=contestant, aspect=aspect_code, judge=judge, value=number))
        return out

    def check_value(self, number: Decimal, aspect: Aspect, p: str) -> None:
        low = aspect.min_value
        if aspect.max_value is not None:
            high = aspect.max_value
        elif aspect.type == AspectType.JUDGEMENT:
            high = aspect.scale_max
        elif aspect.type == AspectType.TIME:
            high = None
        else:
            high = aspect.max_mark
        if number < low or (high is not None and number > high):
            self.add(p, N_("%(value)s is outside the allowed range %(min)s to %(max)s"), value=fmt_decimal(number),
                     min=fmt_decimal(low), max=fmt_decimal(high) if high is not None else "∞")
        elif (number - low) % aspect.step != 0:
            self.add(p, N_("%(value)s is not a multiple of the step %(step)s"), value=fmt_decimal(number),
                     step=fmt_decimal(aspect.step))

    # ------------------------------------------------------------------ cross checks
    def cross_checks(self, stages: list[Stage], contestants: list[ContestantRecord], panels: list[Panel],
                     rules: Rules | None) -> None:
        weight_kind = rules.weight_kind if rules is not None else WeightKind.PERCENT
        stage_index = {s.code: i for i, s in enumerate(stages)}
        if stages and weight_kind == WeightKind.PERCENT and all(s.weight is not None for s in stages):
            total = sum((s.weight for s in stages if s.weight is not None), Decimal(0))
            if total != 100:
                self.add("stages", N_("the stage weights add up to %(sum)s, not 100"), sum=fmt_decimal(total))
        for i, s in enumerate(stages):
            if weight_kind == WeightKind.FACTOR and s.weight is not None and s.weight <= 0:
                self.add(f"stages[{i}].weight", N_("must be greater than %(min)s"), min=0)
            if s.max_weight is not None and s.weight is not None and s.weight > s.max_weight:
                self.add(f"stages[{i}].weight", N_("the weight %(weight)s is above this stage's cap of %(cap)s"),
                         weight=fmt_decimal(s.weight), cap=fmt_decimal(s.max_weight))
        if any(a is None for a in self.aspects.values()):
            return  # the sums and panel checks would only repeat the aspect's own problems
        aspects = [a for a in self.aspects.values() if a is not None]
        for g in self.group_codes:
            for s in stages:
                if not s.code or s.code not in self.stage_codes:
                    continue
                i = stage_index[s.code]
                stage_panels = [x for x in panels if x.group == g and x.stage == s.code]
                if not stage_panels:
                    self.add(f"stages[{i}]", N_("group %(group)s has no panel for stage %(stage)s"),
                             group=g, stage=s.code)
                    continue
                mine = group_aspects(aspects, panels, g, s.code)
                if not mine:
                    self.add(f"stages[{i}]", N_("group %(group)s has no aspects in stage %(stage)s"),
                             group=g, stage=s.code)
                    continue
                if not any(a.aggregation.method in UNBOUNDED or a.aggregation.factor != 1 or a.aggregation.param
                           for a in mine) and s.max_mark is not None:
                    total = sum((a.max_mark for a in mine), Decimal(0))
                    if total != s.max_mark:
                        self.add(f"stages[{i}].max_mark",
                                 N_("the aspects of stage %(stage)s for group %(group)s add up to %(sum)s, not %(max)s"),
                                 stage=s.code, group=g, sum=fmt_decimal(total), max=fmt_decimal(s.max_mark))
                if s.aggregation is not None:
                    if len(stage_panels) > 1:
                        self.add(f"stages[{i}].aggregation",
                                 N_("a stage aggregated across judges needs one panel per group marking all its aspects (group %(group)s has %(count)s)"),
                                 group=g, count=len(stage_panels))
                    self.check_panel_size(s.aggregation, len(stage_panels[0].judges), f"stages[{i}].aggregation",
                                          g, s.code)
                else:
                    for a in mine:
                        judges = {j for x in stage_panels if not x.aspects or a.code in x.aspects for j in x.judges}
                        self.check_panel_size(a.aggregation, len(judges), self.aspect_paths[a.code].removesuffix(".code")
                                              + ".aggregation", g, a.code)
        # per-contestant parameters that an aggregation multiplies in
        for i, c in enumerate(contestants):
            if c.withdrawn or c.group not in self.group_codes:
                continue
            for s in stages:
                for a in group_aspects(aspects, panels, c.group, s.code):
                    name = a.aggregation.param
                    if name and name not in c.params.get(a.code, {}):
                        self.add(f"contestants[{i}].params.{a.code}.{name}", N_("is required: aspect %(aspect)s multiplies it in"),
                                 aspect=a.code)

    def check_panel_size(self, agg: Aggregation, n: int, p: str, group: str, what: str) -> None:
        if agg.method == AggregationMethod.SINGLE and n != 1:
            self.add(p, N_("the single method takes exactly one judge; group %(group)s has %(have)s for %(what)s"),
                     group=group, have=n, what=what)
        elif agg.method in (AggregationMethod.TRIMMED_MEAN, AggregationMethod.MIDDLE_SUM, AggregationMethod.ISU_GOE,
                            AggregationMethod.FIG) and n <= 2 * agg.trim:
            self.add(p, N_("trimming %(trim)s high and low marks needs more than %(need)s judges; group %(group)s has %(have)s for %(what)s"),
                     trim=agg.trim, need=2 * agg.trim, group=group, have=n, what=what)


# ============================================================================ public API


def _engine_validator() -> Callable | None:
    """The engine's own config validation, once it exists (guarded: the engine is built in parallel)."""
    try:
        from scoring.rules.engine import validate_config  # type: ignore[attr-defined]
    except ImportError:
        try:
            from scoring.rules.validation import validate_config  # type: ignore[no-redef]
        except ImportError:
            return None
    return validate_config


def load_document(raw: Any, *, strict: bool = True) -> Document:
    """Validate a parsed document (a dict from JSON) and return it typed.

    Raises ``InvalidInput`` carrying every problem found, each with the field path.
    ``strict=False`` accepts marks by a judge who is (now) recused from the contestant or not
    (any more) on the panel for the aspect, as an archive of a real database may hold them after
    a late recusal or a panel change; the engine ignores such marks and flags them.
    """
    loader = _Loader(raw, strict)
    doc = loader.load()
    if doc is None or loader.problems:
        raise InvalidInput(loader.problems or [Problem("", N_("the document must be a JSON object"))])
    problems = engine_problems(doc)
    if problems:
        raise InvalidInput(problems)
    return doc


def engine_problems(doc: Document) -> list[Problem]:
    """The engine's configuration check on the document's rules, scheme and panels.

    Run per group when groups are marked on different aspects (the engine checks one scheme at
    a time: a shared practical stage would otherwise "add up" to the sum of every group's
    aspects). Identical problems from several groups are reported once.
    """
    validate = _engine_validator()
    if validate is None:
        return []
    from scoring.document.convert import to_engine_input, uniform_scheme

    if uniform_scheme(doc):
        inputs = [to_engine_input(doc)]
    else:
        inputs = [to_engine_input(doc, g.code) for g in doc.groups]
    out: dict[tuple, Problem] = {}
    for inp in inputs:
        for p in _engine_problems(validate, inp):
            out.setdefault((p.path, p.msgid, tuple(sorted(p.params.items()))), p)
    return list(out.values())


def _engine_problems(validate: Callable, inp: Any) -> list[Problem]:
    try:
        result = validate(inp)
    except InvalidInput as exc:
        return list(exc.problems)
    if not result:
        return []
    if isinstance(result, Problem):
        return [result]
    return [p for p in result if isinstance(p, Problem)]


def parse_json(text: str, source: str = "") -> Any:
    """JSON text to Python with exact Decimals; syntax errors and duplicate keys become problems."""
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict:
        out: dict = {}
        for key, value in items:
            if key in out:
                duplicates.append(key)
            out[key] = value
        return out

    def constant(name: str) -> Any:
        raise ValueError(name)

    try:
        data = json.loads(text, parse_float=numbers.json_number, object_pairs_hook=pairs, parse_constant=constant)
    except json.JSONDecodeError as exc:
        raise InvalidInput(Problem(source, N_("invalid JSON at line %(line)s, column %(column)s: %(reason)s"),
                                   {"line": str(exc.lineno), "column": str(exc.colno), "reason": exc.msg})) from None
    except ValueError as exc:
        raise InvalidInput(Problem(source, N_("invalid JSON: %(reason)s is not a number"), {"reason": str(exc)})) from None
    except RecursionError:
        raise too_deep(source) from None
    if duplicates:
        raise InvalidInput([Problem(source, N_("the key %(key)s appears twice in one object"), {"key": k})
                            for k in dict.fromkeys(duplicates)])
    check_nesting(data, source)
    if _has_hostile_text(data):
        raise InvalidInput(Problem(source, N_("a text contains NUL or an unpaired surrogate, which no text may hold")))
    return data


def _has_hostile_text(data: Any) -> bool:
    """A NUL (refused by PostgreSQL) or a lone surrogate (not UTF-8) in any key or string (iterative)."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if has_hostile(value):
                return True
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


def read_document(path: str | Path, *, strict: bool = True) -> Document:
    """Read, parse and validate a document file (UTF-8, an optional BOM is accepted)."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InvalidInput(Problem(str(path), N_("cannot read the file: %(reason)s"),
                                   {"reason": exc.strerror or str(exc)})) from None
    except UnicodeDecodeError:
        raise InvalidInput(Problem(str(path), N_("the file is not UTF-8 text"))) from None
    return load_document(parse_json(text, path.name), strict=strict)
