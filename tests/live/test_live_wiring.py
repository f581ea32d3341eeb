"""Every app a process makes connects the listeners of scoring.signals once (scoring.wiring): a
second app must not make every board hear each push twice."""

from __future__ import annotations

from scoring import live, live_grid, signals
from scoring.services import spread


def test_each_signal_has_its_one_listener_however_many_apps_were_made(app, make_app, tmp_path):
    make_app(app.config["DATABASE_URL"], tmp_path / "second")
    assert [r for r in signals.standings_changed.receivers_for(1)] == [live.standings_changed]
    assert [r for r in signals.screen_changed.receivers_for(1)] == [live.screen_changed]
    assert [r for r in signals.mark_recorded.receivers_for(1)] == [spread.on_mark_recorded]
    assert [r for r in signals.grid_changed.receivers_for(1)] == [live_grid.grid_changed]
