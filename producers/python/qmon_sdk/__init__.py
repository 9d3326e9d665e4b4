"""qmon SDK for Python: publish QGM training events to qmon from Qiskit (or any) training loops.

    from qmon_sdk import QmonPublisher, sparse_sampler_counts

    with QmonPublisher("127.0.0.1:9092", "http://127.0.0.1:8081") as qmon:
        run = qmon.start_run(experiment="demo", model_type="born_machine", ansatz="real_amplitudes",
                             repetitions=2, qubits=3, shots=1024, backend="aer", optimizer="spsa",
                             seed=7, target_id="normal-q3")
        run.publish_counts(1, {"000": 500, "011": 524}, losses={"jsd": 0.2})
        run.finish("SUCCEEDED")
"""

from .errors import InvalidEventError, PublishError
from .publisher import QmonPublisher, RunPublisher
from .qiskit_counts import outcome_of, sampler_counts, sparse_counts, sparse_sampler_counts

__all__ = [
    "InvalidEventError",
    "PublishError",
    "QmonPublisher",
    "RunPublisher",
    "outcome_of",
    "sampler_counts",
    "sparse_counts",
    "sparse_sampler_counts",
]
