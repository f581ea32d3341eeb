"""What a technical panel fixes per element before the judges' marks count: the GOE step, invalid elements.

Why per-contestant parameters: in ISU protocols the technical panel, not the judges, decides each
element of each skater: its Scale-of-Values base value, the value its GOE is a share of, and whether
it counts at all. Line 3 of one skater's form is a 3Lz+3T, of another a 2A, so these are the
contestant's per-aspect ``params`` (like a diver's degree of difficulty), which the document, the
database and the engine already carry. Three names are reserved there:

* ``goe_basis``: the value a GOE grade is ``goe_percent`` of. ISU Special Regulations & Technical
  Rules (Single & Pair Skating), Rule 353 §1: a jump combination or sequence takes the GOE of its
  highest-valued jump (3Lz+3T: 10 % of 5.90, not of 10.10); an element with the second-half bonus
  is printed at base × 1.1 but its GOE is a share of the value before the bonus. Absent: the base
  value itself (``Aggregation.param``).
* ``goe_step``: a fixed number of points per grade for this element (also declarable for a whole
  aspect as ``Aggregation.goe_step``; the choreographic sequence ChSq1 is 0.50 per grade, ISU
  Communication 2186, Scale of Values 2018/19).
* ``invalid``: 1 when the technical panel declared the element or aspect invalid (ISU guidelines
  for marking GOE: an element with no value is shown to the judges but its GOE does not affect the
  result; the protocol prints "-" instead of the judges' marks). It scores 0 with a GOE of 0 whatever was entered; no
  marks are needed, marks given are ignored, and a missing base value is no longer missing.
  0 (or absent): valid.

The base value that is added stays the printed one (``param``, normally ``base_value``).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from scoring.rules.types import Aggregation

INVALID = "invalid"
GOE_BASIS = "goe_basis"
GOE_STEP = "goe_step"
RESERVED = (INVALID, GOE_BASIS, GOE_STEP)
HUNDRED = Decimal(100)


def is_invalid(params: Mapping[str, Decimal] | None) -> bool:
    """Did the technical panel declare this element (aspect of this contestant) invalid?"""
    if not params:
        return False
    flag = params.get(INVALID)
    return flag is not None and flag != 0


def invalid_aspects(params: Mapping[str, Mapping[str, Decimal]] | None) -> frozenset[str]:
    """The aspect codes a contestant's parameters declare invalid."""
    if not params:
        return frozenset()
    return frozenset(code for code, p in params.items() if is_invalid(p))


def goe_step(agg: Aggregation, base: Decimal | None, params: Mapping[str, Decimal] | None) -> Decimal:
    """Points per GOE grade: the aspect's fixed step, else the element's, else ``goe_percent`` % of
    the GOE basis (the element's ``goe_basis``, else its base value). Exact: rounding is the
    aggregation's ``judge_rounding`` of each judge's points."""
    if agg.goe_step is not None:
        return agg.goe_step
    p = params or {}
    fixed = p.get(GOE_STEP)
    if fixed is not None:
        return fixed
    basis = p.get(GOE_BASIS, base)
    return (basis if basis is not None else Decimal(0)) * agg.goe_percent / HUNDRED
