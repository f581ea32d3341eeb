"""Who listens to what: the one place the signals of ``scoring.signals`` are connected.

Why one function called by ``create_app``: a service sends a signal without knowing its
listeners, so the listeners must be connected somewhere that sees both sides (the services and
the live layer). Connecting is idempotent (blinker keys a receiver by identity), so every app a
process makes may call it.
"""

from __future__ import annotations

from scoring import live, live_grid, signals
from scoring.services import spread


def connect_listeners() -> None:
    """Connect every listener (strong references: they live as long as the process)."""
    signals.standings_changed.connect(live.standings_changed, weak=False)  # boards get the new version
    signals.screen_changed.connect(live.screen_changed, weak=False)  # a named screen gets its settings
    signals.mark_recorded.connect(spread.on_mark_recorded, weak=False)  # the spread rule, then the grid
    signals.grid_changed.connect(live_grid.grid_changed, weak=False)  # the chief judge's screen re-fetches
