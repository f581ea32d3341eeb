"""The pure scoring engine: marks in, standings out. No Flask, no database, no clock, no I/O.

Why a package of small modules: each rule a rulebook can vary (aggregation, rounding, stages,
ranking, awards, checks, review) lives in one module over plain ``types``, so the API, the
document tools and the benchmarks all run the same rule.

Entry points: ``engine.compute_standings`` / ``engine.StandingsEngine`` (full and incremental),
``validation.validate_config`` (also re-exported by ``engine``), ``marks.check_mark_value``.
Rules: ``rounding``, ``aggregate``, ``stages``, ``ranking``, ``awards``, ``checks``, ``review``.
Machinery of the engine: ``scorer`` (one contestant), ``placing`` (places as rows move),
``fastpath`` (batch shortcuts), ``results`` (rows' lazily built results), ``state``.
"""
