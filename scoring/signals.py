"""What happened, told after the commit: the signals services send and the live layer hears.

Why signals (blinker, which Flask itself uses for its own signals): a service must not know who
listens. The marks write path used to import the judging workflows only so they could hook in
after a mark, and the judging service emitted on Socket.IO itself; now a service sends a signal
and ``scoring.wiring.connect_listeners`` (called by ``create_app``) connects the listeners once.

Every signal is sent only after the transaction that made the change has committed (a listener
may read the change, and a board must never see what could still roll back). The sender is the
competition id; the keyword arguments are listed with each signal. A listener must not raise:
a failed push never undoes a durable write.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: A mark version was recorded (entered, corrected, voided) through the one write path.
#: kwargs: ``engine``, ``contestant_id``, ``aspect`` (the stored row), ``round`` and ``config``
#: (the write path's cached facts the mark was checked against, or None).
mark_recorded = _signals.signal("mark-recorded")

#: The standings version moved (marks, scheme, people, visibility...). kwargs: ``version``.
standings_changed = _signals.signal("standings-changed")

#: An organizer changed a named screen's settings or asked it to reload.
#: kwargs: ``name``, ``settings`` (what the board applies).
screen_changed = _signals.signal("screen-changed")

#: The chief judge's progress grid changed (a mark, a signature, a flag, a round, a tablet...).
#: kwargs: ``what`` (a short word the grid's page may show).
grid_changed = _signals.signal("grid-changed")
