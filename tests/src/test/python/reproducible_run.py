"""A short Qiskit run through the Python SDK, for ReproducibilityIT: the test copies this file into
a fresh git repository, commits it and runs it there, so the run's git tags and environment.txt
come from the SDK's own capture (nothing here sets them).

usage: reproducible_run.py RUN_ID EXPERIMENT   (QMON_BOOTSTRAP_SERVERS, QMON_SCHEMA_REGISTRY_URL)
"""

import sys

from qiskit import QuantumCircuit
from qiskit_aer import AerSimulator

from qmon_sdk import QmonPublisher


def main():
    run_id, experiment = sys.argv[1:3]
    circuit = QuantumCircuit(2)
    circuit.h(0)
    circuit.cx(0, 1)
    circuit.measure_all()
    simulator = AerSimulator(seed_simulator=7)
    with QmonPublisher() as qmon:
        with qmon.start_run(
            run_id, qubits=2, shots=256, target=[0.5, 0, 0, 0.5], experiment=experiment, circuit=circuit
        ) as run:
            for _ in range(3):
                run.log_epoch(simulator.run(circuit, shots=256).result().get_counts())
    print(f"run_id={run_id} epochs={run.epochs}")


if __name__ == "__main__":
    main()
