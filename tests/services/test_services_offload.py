"""Reading uploads in a child process (scoring.offload): results and refusals come back whole, a
read that overruns its time limit is stopped, and nothing but the declared pure steps runs."""

import pytest

from scoring import offload
from scoring.errors import InvalidInput
from scoring.services.setup import template_bytes
from scoring.services.sheets import SheetLimits


def test_a_sheet_read_in_a_child_equals_the_same_read_here():
    from scoring.services.roster import read_contestants

    here = read_contestants("模板.xlsx", template_bytes("xlsx"), SheetLimits())
    there = offload.run(
        "scoring.services.roster:read_contestants", "模板.xlsx", template_bytes("xlsx"), SheetLimits(), seconds=30
    )
    assert there == here and there[0]


def test_a_refusal_in_the_child_arrives_as_the_same_problems():
    with pytest.raises(InvalidInput) as exc:
        offload.run("scoring.document.bounds:read_upload", b'{"format": 1,', "x.json", seconds=30)
    assert exc.value.problems and exc.value.problems[0].path == "x.json"
    assert "invalid JSON" in exc.value.problems[0].msgid


def test_a_read_over_its_time_limit_is_stopped():
    with pytest.raises(TimeoutError):
        offload.run("scoring.services.roster:read_contestants", "a.csv", b"x", SheetLimits(), seconds=0.01)


def test_only_declared_pure_steps_run_in_a_child():
    with pytest.raises(ValueError):
        offload.run("os:system", "true", seconds=5)
