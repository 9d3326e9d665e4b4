"""One run through the Python SDK with losses and state snapshots, for OneWayFlowIT.

Publishes EPOCHS epochs of a 4-qubit run (counts sampled from a random state, two losses, the
state itself), prints what it published together with reference values computed here with
qiskit.quantum_info (independent of qmon's Java metric library), then keeps the run open until
the file named by the last argument exists, and finishes it SUCCEEDED.

usage: one_way_flow_run.py BOOTSTRAP REGISTRY RUN_ID EXPERIMENT RELEASE_FILE
"""

import json
import os
import sys
import time

import numpy as np
from qiskit.quantum_info import DensityMatrix, Statevector, entropy, partial_trace

from qmon_sdk import QmonPublisher

QUBITS = 4
EPOCHS = 5
SHOTS = 2048


def reference(amplitudes):
    """Half-cut and mean single-qubit entanglement entropy (bits) and Meyer-Wallach Q."""
    state = Statevector(amplitudes)
    half = list(range(QUBITS // 2))
    rest = [q for q in range(QUBITS) if q not in half]
    singles, purities = [], []
    for q in range(QUBITS):
        reduced = partial_trace(state, [k for k in range(QUBITS) if k != q])
        singles.append(entropy(reduced, base=2))
        purities.append(DensityMatrix(reduced).purity().real)
    return {
        "entanglement_entropy_half": entropy(partial_trace(state, rest), base=2),
        "entanglement_entropy_single_mean": float(np.mean(singles)),
        "meyer_wallach": 2.0 * (1.0 - float(np.mean(purities))),
    }


def main():
    bootstrap, registry, run_id, experiment, release = sys.argv[1:6]
    rng = np.random.default_rng(20261201)
    target = [1.0 / 2**QUBITS] * 2**QUBITS
    published = {"losses": {}, "states": {}}
    with QmonPublisher(bootstrap_servers=bootstrap, schema_registry_url=registry) as qmon:
        with qmon.start_run(
            run_id, qubits=QUBITS, shots=SHOTS, target=target, experiment=experiment
        ) as run:
            for epoch in range(1, EPOCHS + 1):
                amplitudes = rng.normal(size=2**QUBITS) + 1j * rng.normal(size=2**QUBITS)
                amplitudes /= np.linalg.norm(amplitudes)
                probabilities = np.abs(amplitudes) ** 2
                counts = rng.multinomial(SHOTS, probabilities / probabilities.sum())
                losses = {"generator": 1.0 / epoch, "discriminator": 0.5 + 0.01 * epoch}
                run.log_epoch(
                    {format(x, f"0{QUBITS}b"): int(c) for x, c in enumerate(counts) if c},
                    losses=losses,
                    epoch=epoch,
                )
                run.log_state(amplitudes, epoch=epoch)
                published["losses"][epoch] = losses
                published["states"][epoch] = reference(amplitudes)
            qmon.flush()
            print(json.dumps(published), flush=True)
            deadline = time.monotonic() + 600
            while not os.path.exists(release):
                if time.monotonic() > deadline:
                    raise TimeoutError("the test never released the run")
                time.sleep(0.2)


if __name__ == "__main__":
    main()
