"""The benchmark harness still runs: tiny corpora of both shapes, pipeline and floor only (``bench/run.py --smoke``).

Not a measurement (the numbers of a 6-article corpus mean nothing): it checks that every scenario runs,
that its output check passes, and that features the pipeline lacks are reported as such, not faked.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = {"start-click", "start-version", "sync-cold-new", "sync-cold", "sync-cold-jobs1", "sync-noop", "sync-noop-copied",
             "sync-edit-articles", "sync-edit-paragraphs", "check-first", "check", "check-no-stale", "status", "floor"}
#: Scenarios that may be "not available" (a feature the pipeline does not have yet): none any more, since
#: sync --jobs and l10n check landed; a scenario that stops being available is a regression.
OPTIONAL: set[str] = set()


def _assert_shape_ran(results: dict, shape: str, scenarios: set[str]) -> None:
    assert results["partial"] is False
    assert results["settings"]["shape"] == shape
    found = {s["id"]: s for s in results["scenarios"]}
    assert scenarios <= found.keys()
    for sid, s in found.items():
        if s["status"] == "not available":
            assert sid in OPTIONAL, f"{shape}/{sid} is not available: {s['note']}"
            assert not s["walls"], f"{sid}: a feature that is not available has no numbers"
            continue
        assert s["status"] == "ok", f"{shape}/{sid}: {s['status']}: {s['check']}"
        assert s["check_passed"] is True, f"{shape}/{sid}: {s['check']}"
        assert s["runs"] >= 1 and s["wall_median"] > 0 and s["cpu_median"] > 0 and s["peak_rss_bytes"] > 0
    assert "peers: --skip-peers" in results["skipped"]
    assert results["machine"]["nproc"] >= 1 and results["machine"]["python"]
    assert "| scenario" in results["table_markdown"]
    verdicts = {t["target"]: t["verdict"] for t in results["targets"]}
    assert any(name.startswith("`l10n --version`") and not verdict.startswith("not measured")
               for name, verdict in verdicts.items())


def test_bench_smoke_run_writes_checked_results_for_both_shapes(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), "--smoke", "--skip-peers", "--articles", "4",
                           "--out", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    combined = json.loads((tmp_path / "results.json").read_text())
    assert combined["partial"] is False and list(combined["shapes"]) == ["long", "small"]
    for shape in ("long", "small"):
        results = json.loads((tmp_path / shape / "results.json").read_text())
        assert results == combined["shapes"][shape]
        _assert_shape_ran(results, shape, SCENARIOS)
    assert "shape small:" in done.stdout and "shape long:" in done.stdout


def test_bench_smoke_small_shape_with_three_locales_in_two_rounds_measures_locale_scaling(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), "--smoke", "--skip-peers", "--shape",
                           "small", "--locales", "3", "--articles", "3", "--rounds", "2", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    combined = json.loads((tmp_path / "results.json").read_text())
    assert list(combined["shapes"]) == ["small"]
    results = combined["shapes"]["small"]
    assert results["settings"]["locales"] == ["ko", "ja", "fr"]
    _assert_shape_ran(results, "small", SCENARIOS | {"sync-cold-1loc", "sync-cold-2loc"})
    # Each scenario once a round (the start-up ones 7 times), one row each: the ratios pair the rounds.
    assert results["settings"]["rounds"] == 2 and "round 2 of 2:" in done.stdout
    for s in results["scenarios"]:
        per_round = 7 if s["id"].startswith("start-") else 1
        assert s["rounds"] == [0] * per_round + [1] * per_round, s["id"]
    assert len({s["id"] for s in results["scenarios"]}) == len(results["scenarios"])
    assert results["table_markdown"].count("sync after editing 5% of all paragraphs") == 1
    verdicts = {t["target"]: t["verdict"] for t in results["targets"]}
    assert not verdicts["cold sync of 3 locales vs 3 times that of 1 locale"].startswith("not measured")
    assert not verdicts["peak RSS of the cold sync, 3 locales vs 2"].startswith("not measured")
