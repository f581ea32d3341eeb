"""Cross-field checks of the team standings (团体总分): codes unique, groups known, and each
method given what it needs (points for points, award tiers that exist for medal tables)."""

from __future__ import annotations

from scoring.document import declaration as d
from scoring.document.checks.index import Index, sound_entries
from scoring.i18n import N_
from scoring.rules.types import TeamMethod

UNKNOWN_GROUP = N_("unknown group %(code)s")
REQUIRED_FOR = N_("is required for the %(method)s method")
_TIERED = (TeamMethod.MEDAL_TABLE, TeamMethod.WEIGHTED_AWARDS)


def check_team_standings(rules: d.Rules, tier_names: dict[str, str], ix: Index) -> None:
    """``tier_names``: the award tiers the rules declare (name -> path), which medal tables count."""
    seen: dict[str, str] = {}
    for p, ts in sound_entries(rules.team_standings, "rules.team_standings"):
        ix.unique(seen, ts.code, f"{p}.code")
        for i, g in enumerate(ts.groups):
            ix.resolves(ix.groups, g, f"{p}.groups[{i}]", UNKNOWN_GROUP)
        method = ts.method.value
        if ts.method == TeamMethod.POINTS and not ts.points:
            ix.add(f"{p}.points", REQUIRED_FOR, method=method)
        if ts.method in _TIERED:
            if not ts.tiers:
                ix.add(f"{p}.tiers", REQUIRED_FOR, method=method)
            for i, name in enumerate(ts.tiers):
                if name not in tier_names:
                    ix.add(f"{p}.tiers[{i}]", N_("unknown award tier %(code)s"), code=name)
        if ts.method == TeamMethod.WEIGHTED_AWARDS and len(ts.weights) != len(ts.tiers):
            ix.add(f"{p}.weights", N_("must give one weight per tier (%(count)s)"), count=len(ts.tiers))
