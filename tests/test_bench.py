"""benchmarks/bench.py: a smoke run at size S (the real benchmark is `make bench`)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_smoke_run_writes_table_and_json(tmp_path):
    results = tmp_path / "results"
    cmd = [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--sizes", "S", "--runs", "1"]
    cmd += ["--tools", "scholarsite,hugo", "--results", str(results), "--json-only"]
    cmd += ["--workdir", str(tmp_path / "work")]
    subprocess.run(cmd, check=True, timeout=300, capture_output=True)

    data = json.loads((results / "bench.json").read_text(encoding="utf-8"))
    assert set(data) >= {"machine", "settings", "rows", "extras", "targets"}
    assert data["machine"]["nproc"] >= 1 and data["machine"]["python"]
    scenarios = {(r["tool"], r["scenario"]) for r in data["rows"]}
    for scenario in ("clean", "nochange", "edit"):
        assert ("scholarsite", scenario) in scenarios
    for row in data["rows"]:
        assert set(row) >= {"size", "tool", "scenario", "runs", "median", "min", "max"}
        assert set(row) >= {"rss_mb", "tree_pss_mb", "ratio_vs_hugo", "note", "skipped"}
        if row["tool"] == "scholarsite":
            assert len(row["runs"]) == 1 and row["median"] > 0 and row["rss_mb"] > 0
        if row["tool"] == "hugo" and not row["skipped"]:
            assert row["ratio_vs_hugo"] == 1.0
    if shutil.which("hugo") is None:
        assert all(r["skipped"] for r in data["rows"] if r["tool"] == "hugo")
    names = {e["name"] for e in data["extras"]}
    assert "CV PDF alone" in names and "cite exports alone" in names
    assert "one edit, in-process: build()" in names
    assert all(e["median"] is not None for e in data["extras"])
    assert any(t["target"].startswith("scholarsite --help") for t in data["targets"])

    table = (results / "bench.md").read_text(encoding="utf-8")
    assert "| size | scenario | tool | median |" in table
    assert "| S | clean build | scholarsite |" in table
