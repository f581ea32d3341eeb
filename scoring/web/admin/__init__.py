"""The organizer console: one blueprint (``admin``, in ``common``) and its views by concern.

- ``setup``: competitions, set-up, contestants, recusals, the draw (before marking);
- ``monitor``: progress and judge statistics (while marking); ``paper``: paper sheets' reconciliation;
- ``review``: lock, review, publication and appeals (after marking);
- ``withdrawals``: 弃权/缺考 with their reasons;
- ``exports``: result sheets; ``certificates``: certificates and their batches;
- ``paper_print``: the printed score sheets (评分表) judges mark on when tablets fail;
- ``simulate``: the demo's judge simulator;
- ``jobs``: heavy work (big exports, dumps, batches, imports) in a child process, with progress.

Importing the package attaches every route to ``bp``; nothing here is imported back.
"""

from scoring.web.admin import (  # noqa: F401  (routes attach to bp)
    certificates,
    debrief,  # a judge's debrief
    exports,
    jobs,
    monitor,
    panels,  # trainee seats (见习裁判)
    paper,  # paper score sheets: the reconciliation queue
    paper_print,  # paper score sheets: the printed PDF
    review,
    setup,
    simulate,
    tickets,  # 准考证
    withdrawals,  # 弃权/缺考
)
from scoring.web.admin.common import bp

__all__ = ["bp"]
