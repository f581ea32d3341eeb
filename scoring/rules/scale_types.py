"""The choices of a cross-group scale (``scoring.rules.standardise``), apart from the rest of the
engine's vocabulary (``scoring.rules.types`` re-exports them) to keep that module readable."""

from __future__ import annotations

from enum import StrEnum


class SdKind(StrEnum):
    SAMPLE = "sample"
    POPULATION = "population"


class SpreadMeasure(StrEnum):
    SD = "sd"  # standard deviation (population or sample, ``Standardisation.sd_kind``)
    MAD = "mad"  # median absolute deviation x ``Standardisation.mad_scale``


class NoSpread(StrEnum):
    CENTRE = "centre"  # every ranked total of the group maps to the centre (one contestant: the median)
    NONE = "none"  # the group gets no standardised scores (shown as absent, never as 0)
