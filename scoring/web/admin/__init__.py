"""The organizer console: one blueprint (``admin``, in ``common``) and its views by concern.

- ``setup``: competitions, set-up, contestants, recusals, the draw (before marking);
- ``monitor``: progress and judge statistics (while marking);
- ``review``: lock, review, publication and appeals (after marking);
- ``withdrawals``: 弃权/缺考 with their reasons;
- ``exports``: result sheets; ``certificates``: certificates and their batches;
- ``simulate``: the demo's judge simulator;
- ``jobs``: heavy work (big exports, dumps, batches, imports) in a child process, with progress.

Importing the package attaches every route to ``bp``; nothing here is imported back.
"""

from scoring.web.admin import (  # noqa: F401  (routes attach to bp)
    certificates,
    exports,
    jobs,
    monitor,
    review,
    setup,
    simulate,
    withdrawals,  # 弃权/缺考
)
from scoring.web.admin.common import bp

__all__ = ["bp"]
