"""Tables of the domain, split by concept. Import from here."""

from scoring.models.accounts import ROLES, StaffSession, User
from scoring.models.competition import Aspect, Competition, Criterion, Group, Stage
from scoring.models.console import (
    Appeal,
    Certificate,
    CertificateDesign,
    CertificateTemplate,
    ResultVersion,
    ReviewFinding,
)
from scoring.models.judging import (
    JudgeCard,
    MarkingRound,
    SheetConfirmation,
    SpreadFlag,
    TabletHeartbeat,
)
from scoring.models.live import FrozenSnapshot, Reveal, Screen
from scoring.models.marks import AuditEvent, Mark
from scoring.models.paper import PaperEntry, PaperImage, PaperSheet
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
from scoring.models.timetable import StageSession
from scoring.models.types import utcnow

__all__ = [
    "StageSession",
    "Appeal",
    "Certificate",
    "CertificateDesign",
    "CertificateTemplate",
    "ResultVersion",
    "ReviewFinding",
    "Aspect",
    "AuditEvent",
    "Competition",
    "Contestant",
    "Criterion",
    "Draw",
    "DrawEntry",
    "FrozenSnapshot",
    "Group",
    "Judge",
    "JudgeCard",
    "Mark",
    "MarkingRound",
    "SheetConfirmation",
    "SpreadFlag",
    "TabletHeartbeat",
    "Panel",
    "PaperEntry",
    "PaperImage",
    "PaperSheet",
    "PanelAspect",
    "PanelJudge",
    "ROLES",
    "Recusal",
    "Reveal",
    "Screen",
    "Stage",
    "StaffSession",
    "User",
    "utcnow",
]
