"""The stage dimension of the one visibility policy (visibility.stage_cut), pure: for every
audience × state × which stages are published, where each column and the totals come from."""

from __future__ import annotations

import pytest

from scoring.visibility import Audience, State, stage_cut, view_for

STAGES = ("theory", "practical")
PUBLISHED_SETS = ((), ("theory",), ("practical",), ("theory", "practical"))


@pytest.mark.parametrize("published", PUBLISHED_SETS)
@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("audience", list(Audience))
def test_stage_cut_matrix(audience, state, published):
    cut = stage_cut(audience, state, STAGES, published)
    base = view_for(audience, state).source
    public = audience in (Audience.PUBLIC, Audience.AUDIENCE)
    for st in STAGES:
        if public and state is not State.PUBLISHED and st in published:
            assert cut.stages[st] == "published"
        else:
            assert cut.stages[st] == base  # not published: exactly as the state says
    every = set(published) == set(STAGES)
    if public and state is not State.PUBLISHED:
        assert cut.totals == ("published" if every else base)
    else:
        assert cut.totals == base


@pytest.mark.parametrize("audience", [Audience.PUBLIC, Audience.AUDIENCE])
def test_under_embargo_a_published_theory_shows_theory_alone(audience):
    cut = stage_cut(audience, State.EMBARGOED, STAGES, ("theory",))
    assert cut.stages == {"theory": "published", "practical": "none"}
    assert cut.totals == "none"  # the practical counts to the total: no total, no overall rank
    assert cut.anything


def test_judges_see_nothing_even_of_a_published_stage():
    cut = stage_cut(Audience.JUDGE, State.LIVE, STAGES, ("theory",))
    assert not cut.anything


def test_nothing_published_under_embargo_is_nothing():
    assert not stage_cut(Audience.PUBLIC, State.EMBARGOED, STAGES, ()).anything
