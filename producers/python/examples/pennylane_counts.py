"""A PennyLane training loop: ``qml.counts()`` results go to qmon as they come.

A 3-qubit RY + CNOT circuit is trained with PennyLane's own gradient descent on the exact
probabilities (``qml.probs``) towards a target; each epoch the same circuit is sampled with
``qml.counts()`` and the dict it returns is logged with ``bit_order="pennylane"`` (PennyLane puts
wire 0 leftmost in its bitstrings, Qiskit rightmost). The circuit travels with the run as
OpenQASM (``qml.to_openqasm``).

    QMON_BOOTSTRAP_SERVERS=... QMON_SCHEMA_REGISTRY_URL=... \\
        $(bin/python-env) producers/python/examples/pennylane_counts.py --run-id pl-1
"""

import argparse

import pennylane as qml
from pennylane import numpy as pnp

from qmon_sdk import PENNYLANE, QmonPublisher

WIRES, SHOTS = 3, 512


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run-id", default=None)
    parser.add_argument("--epochs", type=int, default=20)
    args = parser.parse_args()

    device = qml.device("default.qubit", wires=WIRES, seed=11)

    def ansatz(theta):
        for wire in range(WIRES):
            qml.RY(theta[wire], wires=wire)
        qml.CNOT(wires=[0, 1])

    @qml.qnode(device)
    def probabilities(theta):
        ansatz(theta)
        return qml.probs(wires=range(WIRES))

    @qml.set_shots(SHOTS)
    @qml.qnode(device)
    def counts(theta):
        ansatz(theta)
        return qml.counts()

    # Target over qmon's outcomes (wire 0 = least significant bit): mass on 000 and 011.
    target = [0.5, 0, 0, 0.5, 0, 0, 0, 0]
    # The same target in PennyLane's order (wire 0 leftmost) for the loss.
    target_pl = pnp.array([target[int(format(i, "03b")[::-1], 2)] for i in range(2**WIRES)], requires_grad=False)
    theta = pnp.array([0.4, 0.3, 0.2], requires_grad=True)
    optimizer = qml.GradientDescentOptimizer(stepsize=0.4)

    def loss(theta):
        return pnp.sum((probabilities(theta) - target_pl) ** 2)

    with QmonPublisher() as qmon:
        with qmon.start_run(
            args.run_id,
            qubits=WIRES,
            shots=SHOTS,
            target=target,
            optimizer="gradient_descent",
            circuit=qml.to_openqasm(counts)(theta),
        ) as run:
            for _ in range(args.epochs):
                theta, value = optimizer.step_and_cost(loss, theta)
                run.log_epoch(counts(theta), losses={"mse": value}, bit_order=PENNYLANE)
    print(f"run_id={run.run_id} epochs={run.epochs}")


if __name__ == "__main__":
    main()
