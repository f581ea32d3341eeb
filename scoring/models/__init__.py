"""Tables of the domain, split by concept. Import from here."""
from scoring.models.accounts import ROLES, User
from scoring.models.competition import Aspect, Competition, Criterion, Group, Stage
from scoring.models.marks import AuditEvent, Mark
from scoring.models.people import (
    Contestant,
    Draw,
    DrawEntry,
    Judge,
    Panel,
    PanelAspect,
    PanelJudge,
    Recusal,
)
from scoring.models.types import utcnow

__all__ = [
    "Aspect", "AuditEvent", "Competition", "Contestant", "Criterion", "Draw", "DrawEntry", "Group",
    "Judge", "Mark", "Panel", "PanelAspect", "PanelJudge", "ROLES", "Recusal", "Stage", "User", "utcnow",
]
