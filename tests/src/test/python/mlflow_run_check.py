"""Reads a qmon run and its sweep back from MLflow with MLflow's own Python client.

Prints one JSON object for the Java test that drives it (MlflowWriterIT): the run's status, tags
and every artifact path (recursively, with sizes); the parent run of its sweep configuration
(statistics as latest metric values, tags); the experiment's sweep run (artifacts, and the table
CSV downloaded and parsed). Nothing here asserts: the driving test does, so a failure names the
value that was wrong.

usage: mlflow_run_check.py TRACKING_URI EXPERIMENT RUN_NAME
"""

import csv
import io
import json
import sys
import tempfile

from mlflow.tracking import MlflowClient


def artifacts(client, run_id, path=None):
    """Every file under the run's artifact root: path -> size in bytes."""
    found = {}
    for entry in client.list_artifacts(run_id, path):
        if entry.is_dir:
            found.update(artifacts(client, run_id, entry.path))
        else:
            found[entry.path] = entry.file_size
    return found


def describe(client, run):
    return {
        "id": run.info.run_id,
        "name": run.info.run_name,
        "status": run.info.status,
        "tags": run.data.tags,
        "metrics": run.data.metrics,
        "artifacts": artifacts(client, run.info.run_id),
    }


def by_tag(client, experiment_id, tag, value):
    runs = client.search_runs([experiment_id], filter_string=f"tags.`{tag}` = '{value}'")
    return runs[0] if runs else None


def main(tracking_uri, experiment, run_name):
    client = MlflowClient(tracking_uri)
    exp = client.get_experiment_by_name(experiment)
    out = {"run": None, "parent": None, "sweep": None}
    if exp is None:
        print(json.dumps(out))
        return
    run = by_tag(client, exp.experiment_id, "qmon.run_id", run_name)
    if run is not None:
        out["run"] = describe(client, run)
        parent_id = run.data.tags.get("mlflow.parentRunId")
        if parent_id:
            parent = client.get_run(parent_id)
            out["parent"] = describe(client, parent)
            out["parent"]["rank_history"] = [
                [m.step, m.timestamp, m.value]
                for m in client.get_metric_history(parent_id, "sweep.rank")
            ]
    sweep = by_tag(client, exp.experiment_id, "qmon.sweep_experiment", experiment)
    if sweep is not None:
        out["sweep"] = describe(client, sweep)
        if "sweep/table.csv" in out["sweep"]["artifacts"]:
            with tempfile.TemporaryDirectory() as tmp:
                path = client.download_artifacts(sweep.info.run_id, "sweep/table.csv", tmp)
                with open(path, encoding="utf-8") as f:
                    out["sweep"]["table"] = list(csv.DictReader(io.StringIO(f.read())))
    print(json.dumps(out))


if __name__ == "__main__":
    main(*sys.argv[1:4])
