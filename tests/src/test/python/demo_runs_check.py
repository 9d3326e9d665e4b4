"""Reads the runs of a finished `qmon demo` back from MLflow with MLflow's own Python client.

Prints one JSON object for the Java test that drives it (DemoMlflowIT): the experiment id and,
per run, its id, name, status, tags, latest metrics and every artifact path with its size; and
what it checked of the demo's sweep. The per-run values are asserted by the driving test. The
sweep is checked here, where NumPy and SciPy give an independent reference: every statistic on
each configuration's parent run (sweep.<metric>_mean, _std, _ci_low, _ci_high, sweep.runs) must
equal the mean, sample standard deviation and 95% Student-t interval of that metric's final value
(summary.<metric>) over the parent's child runs, the ranks must order the configurations by mean
final JSD, and the experiment's sweep run must hold the table (its CSV rows equal to the parents'
statistics) and the error-bar chart. A mismatch exits non-zero naming the value.

usage: demo_runs_check.py TRACKING_URI EXPERIMENT
"""

import csv
import json
import math
import sys
import tempfile

import numpy
from mlflow.tracking import MlflowClient
from scipy import stats

SWEEP_CONFIG_TAG = "qmon.sweep_config"
SWEEP_EXPERIMENT_TAG = "qmon.sweep_experiment"
PARENT_TAG = "mlflow.parentRunId"
REQUIRED = ("final_jsd", "final_ks", "final_kl")
STATISTICS = ("_mean", "_std", "_ci_low", "_ci_high")


def close(found, expected, what):
    """Equal up to the rounding of two summation orders (Welford's update vs NumPy's sum)."""
    if not math.isclose(found, expected, rel_tol=1e-9, abs_tol=1e-12):
        raise AssertionError(f"{what}: MLflow has {found!r}, the child runs give {expected!r}")


def reference(values):
    """Mean, sample std and 95% Student-t interval of the repeats' final values (SciPy)."""
    mean = float(numpy.mean(values))
    if len(values) < 2:
        return {"_mean": mean}
    std = float(numpy.std(values, ddof=1))
    if std == 0.0:
        low, high = mean, mean
    else:
        low, high = stats.t.interval(
            0.95, len(values) - 1, loc=mean, scale=std / math.sqrt(len(values))
        )
    return {"_mean": mean, "_std": std, "_ci_low": float(low), "_ci_high": float(high)}


def check_sweep(client, runs):
    """Asserts the sweep statistics on the parents against their children; returns what it saw."""
    parents = [r for r in runs if SWEEP_CONFIG_TAG in r["tags"]]
    if not parents:
        raise AssertionError("no sweep configuration parent run (tag qmon.sweep_config)")
    checked = []
    for parent in parents:
        config = parent["tags"][SWEEP_CONFIG_TAG]
        children = [
            r
            for r in runs
            if r["tags"].get(PARENT_TAG) == parent["id"] and r["status"] == "FINISHED"
        ]
        metrics = parent["metrics"]
        close(metrics.get("sweep.runs", math.nan), len(children), f"{config} sweep.runs")
        if len(children) < 2:
            raise AssertionError(f"{config}: {len(children)} finished child runs, want 2 or more")
        compared = []
        for key in sorted(metrics):
            if not (key.startswith("sweep.") and key.endswith("_mean")):
                continue
            metric = key[len("sweep.") : -len("_mean")]
            values = [c["metrics"].get("summary." + metric) for c in children]
            if any(v is None or not math.isfinite(v) for v in values):
                continue
            for suffix, expected in reference(values).items():
                name = f"sweep.{metric}{suffix}"
                if name not in metrics:
                    raise AssertionError(f"{config}: {name} missing on the parent run")
                close(metrics[name], expected, f"{config} {name}")
            compared.append(metric)
        for metric in REQUIRED:
            if metric not in compared:
                raise AssertionError(f"{config}: {metric} was not compared ({compared})")
        checked.append(
            {
                "config_id": config,
                "parent": parent["id"],
                "children": sorted(c["name"] for c in children),
                "rank": metrics.get("sweep.rank"),
                "configurations": metrics.get("sweep.configurations"),
                "final_jsd_mean": metrics["sweep.final_jsd_mean"],
                "final_jsd_std": metrics["sweep.final_jsd_std"],
                "final_jsd_ci": [metrics["sweep.final_jsd_ci_low"], metrics["sweep.final_jsd_ci_high"]],
                "metrics_compared": len(compared),
            }
        )
    by_mean = sorted(checked, key=lambda c: (c["final_jsd_mean"], c["config_id"]))
    for rank, config in enumerate(by_mean, start=1):
        close(config["rank"], rank, f"{config['config_id']} sweep.rank")
        close(config["configurations"], len(checked), f"{config['config_id']} sweep.configurations")
    return {"configurations": by_mean, "table": check_table(client, runs, parents)}


def check_table(client, runs, parents):
    """The sweep run's Table-I artifacts: the CSV's rows carry the parents' statistics."""
    sweep_runs = [r for r in runs if SWEEP_EXPERIMENT_TAG in r["tags"]]
    if len(sweep_runs) != 1:
        raise AssertionError(f"{len(sweep_runs)} sweep runs (tag qmon.sweep_experiment), want 1")
    sweep = sweep_runs[0]
    for path in ("sweep/table.csv", "sweep/table.md", "sweep/configurations.png"):
        if sweep["artifacts"].get(path, 0) <= 0:
            raise AssertionError(f"sweep run has no {path}: {sorted(sweep['artifacts'])}")
    with tempfile.TemporaryDirectory() as folder:
        local = client.download_artifacts(sweep["id"], "sweep/table.csv", folder)
        with open(local, newline="", encoding="utf-8") as table:
            rows = {row["config_id"]: row for row in csv.DictReader(table)}
    for parent in parents:
        config = parent["tags"][SWEEP_CONFIG_TAG]
        if config not in rows:
            raise AssertionError(f"table.csv has no row for {config}: {sorted(rows)}")
        row = rows[config]
        close(float(row["rank"]), parent["metrics"]["sweep.rank"], f"table.csv {config} rank")
        for metric in REQUIRED:
            for suffix in STATISTICS:
                close(
                    float(row[metric + suffix]),
                    parent["metrics"][f"sweep.{metric}{suffix}"],
                    f"table.csv {config} {metric}{suffix}",
                )
    return {
        "run": sweep["id"],
        "rows": len(rows),
        "chart_bytes": sweep["artifacts"]["sweep/configurations.png"],
        "best_config": sweep["tags"].get("qmon.sweep.best_config"),
    }


def artifacts(client, run_id, path=None):
    """Every file under the run's artifact root: path -> size in bytes."""
    found = {}
    for entry in client.list_artifacts(run_id, path):
        if entry.is_dir:
            found.update(artifacts(client, run_id, entry.path))
        else:
            found[entry.path] = entry.file_size
    return found


def main(tracking_uri, experiment_name):
    client = MlflowClient(tracking_uri)
    experiment = client.get_experiment_by_name(experiment_name)
    runs = []
    if experiment is not None:
        for run in client.search_runs([experiment.experiment_id], max_results=500):
            runs.append(
                {
                    "id": run.info.run_id,
                    "name": run.info.run_name,
                    "status": run.info.status,
                    "tags": run.data.tags,
                    "metrics": run.data.metrics,
                    "artifacts": artifacts(client, run.info.run_id),
                }
            )
    sweep = check_sweep(client, runs)
    print(
        json.dumps(
            {
                "experiment_id": None if experiment is None else experiment.experiment_id,
                "runs": runs,
                "sweep": sweep,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
