"""Reads the runs of a finished `qmon demo` back from MLflow with MLflow's own Python client.

Prints one JSON object for the Java test that drives it (DemoMlflowIT): the experiment id and,
per run, its id, name, status, tags, latest metrics and every artifact path with its size.
Nothing here asserts: the driving test does, so a failure names the value that was wrong.

usage: demo_runs_check.py TRACKING_URI EXPERIMENT
"""

import json
import sys

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
    print(
        json.dumps(
            {
                "experiment_id": None if experiment is None else experiment.experiment_id,
                "runs": runs,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
