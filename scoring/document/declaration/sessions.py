"""Sessions (场次): a stage run in several sittings, each with a date, a start time and stations.

Why their own section: 78 contestants cannot all do the practical at once; the organizer splits
them into sessions over one or two days. A session belongs to one stage; the draw assigns each
contestant a session and a station in it (``draw.entries[].session``), and the published hash of
the code map covers both. A document without sessions means what it always meant.
"""

from __future__ import annotations

from datetime import time
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

from scoring.document.declaration.base import Entry, omitted
from scoring.document.fields import Code, IsoDate, Label, Station, refuse
from scoring.i18n import N_

CLOCK_PATTERN = r"^[0-9]{2}:[0-9]{2}$"


def _clock(value: str) -> str:
    try:
        time.fromisoformat(value)
    except ValueError:
        raise refuse(N_("must be a time of day HH:MM, e.g. 08:30")) from None
    return value


Clock = Annotated[
    str, StringConstraints(strict=True, strip_whitespace=True, pattern=CLOCK_PATTERN), AfterValidator(_clock)
]


class Session(Entry):
    """One session (场次) of a stage: when, and at which stations."""

    code: Code
    name: Label = omitted("")
    """As the schedule prints it: 第一场."""
    stage: Code
    date: IsoDate
    """YYYY-MM-DD, in the competition's time zone."""
    start: Clock
    """HH:MM, in the competition's time zone."""
    end: Clock | None = omitted(None)
    """HH:MM; none: until the last contestant is done."""
    stations: list[Station] = omitted([])
    """The stations (工位) used in this session; the draw seats one contestant per station. Empty:
    as many as it has contestants, numbered 01, 02 ..."""
    groups: list[Code] = omitted([])
    """The groups that compete in this session; empty: every group marked in its stage."""
