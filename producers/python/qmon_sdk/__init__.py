"""qmon SDK for Python: publish QGM training events to qmon from Qiskit (or any) training loops.

    from qmon_sdk import QmonPublisher, sparse_sampler_counts

    with QmonPublisher() as qmon:             # QMON_BOOTSTRAP_SERVERS, QMON_SCHEMA_REGISTRY_URL
        with qmon.start_run("demo-1", qubits=3, shots=1024, target="normal-q3") as run:
            run.log_epoch({"000": 500, "011": 524}, losses={"jsd": 0.2})
"""

from .errors import InvalidEventError, PublishError
from .integrations import OptimizerCallback, amplitudes_of
from .publisher import QmonPublisher, RunPublisher
from .qiskit_counts import (
    PENNYLANE,
    QISKIT,
    counts_of,
    outcome_of,
    sampler_counts,
    sparse_counts,
    sparse_sampler_counts,
)

__all__ = [
    "PENNYLANE",
    "QISKIT",
    "OptimizerCallback",
    "amplitudes_of",
    "counts_of",
    "InvalidEventError",
    "PublishError",
    "QmonPublisher",
    "RunPublisher",
    "outcome_of",
    "sampler_counts",
    "sparse_counts",
    "sparse_sampler_counts",
]
