"""How the benchmark turns runs into ratios (``bench/measure.py``): each round's pair, not medians minutes apart."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from measure import Scenario, paired_ratio  # noqa: E402  (bench/ is not a package)


def _scenario(sid: str, runs: list[tuple[int, float]]) -> Scenario:
    s = Scenario(sid, sid, "pipeline")
    for round_, wall in runs:
        s.measured(wall, wall, 1, round_)
    return s


def test_a_ratio_over_rounds_pairs_each_round_so_a_slow_round_slows_both_sides() -> None:
    # Three rounds on a machine whose speed drifts: the peer's median run (round 0) is not in the pipeline's
    # median round (1). Medians taken minutes apart say 0.5x; the rounds' own ratios (0.25, 1.0, 0.25) say 0.25x.
    pipeline = _scenario("sync", [(0, 1.0), (1, 2.0), (2, 3.0)])
    peers = _scenario("peers", [(0, 4.0), (1, 2.0), (2, 12.0)])
    assert pipeline.wall is not None and peers.wall is not None and pipeline.wall / peers.wall == 0.5
    assert paired_ratio(pipeline, peers) == pytest.approx(0.25)


def test_a_round_with_several_runs_counts_by_its_median_and_one_round_is_the_plain_ratio() -> None:
    pipeline = _scenario("sync", [(0, 1.0), (0, 5.0), (0, 3.0), (1, 2.0), (1, 2.0)])
    peers = _scenario("peers", [(0, 6.0), (1, 8.0)])
    assert pipeline.round_median(0) == 3.0 and pipeline.round_median(1) == 2.0
    assert paired_ratio(pipeline, peers) == pytest.approx((3.0 / 6.0 + 2.0 / 8.0) / 2)
    once = _scenario("once", [(0, 3.0)])
    assert paired_ratio(once, peers) == pytest.approx(3.0 / 7.0)  # no second round in common: medians
    assert paired_ratio(_scenario("none", []), peers) is None
