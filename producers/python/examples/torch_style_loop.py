"""A Torch-style training loop (written in numpy, no torch needed): one qmon call per epoch.

The model is a product-state Born machine (one RY angle per qubit), trained by gradient descent
on the exact KL divergence to a target; each epoch it draws shots like a sampler would and hands
them to ``run.log_epoch(counts, losses=...)``, the per-epoch hook a PyTorch loop calls after
``optimizer.step()`` (losses may be 0-d tensors: ``float()`` is taken of each).

    QMON_BOOTSTRAP_SERVERS=... QMON_SCHEMA_REGISTRY_URL=... \\
        $(bin/python-env) producers/python/examples/torch_style_loop.py --run-id loop-1
"""

import argparse

import numpy as np

from qmon_sdk import QmonPublisher

QUBITS, SHOTS = 3, 512


def probabilities(angles: np.ndarray) -> np.ndarray:
    """P(x) = prod_i p_i(x_i) with p_i(1) = sin^2(angle_i / 2); qubit 0 = least significant bit."""
    p = np.ones(1)
    for angle in angles:  # qubit i multiplies in as the next more significant bit
        one = np.sin(angle / 2) ** 2
        p = np.concatenate([p * (1 - one), p * one])
    return p


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run-id", default=None)
    parser.add_argument("--epochs", type=int, default=25)
    args = parser.parse_args()

    target = probabilities(np.array([2.2, 0.9, 1.6]))
    angles = np.full(QUBITS, np.pi / 2)
    rng = np.random.default_rng(5)
    learning_rate = 0.8

    with QmonPublisher() as qmon:
        with qmon.start_run(args.run_id, qubits=QUBITS, shots=SHOTS, target=target, optimizer="sgd") as run:
            for epoch in range(1, args.epochs + 1):
                p = probabilities(angles)
                kl = float(np.sum(target * np.log(target / p)))
                grad = np.zeros(QUBITS)  # parameter shift: exact for RY rotations
                for i in range(QUBITS):
                    shift = np.eye(QUBITS)[i] * np.pi / 2
                    grad[i] = -np.sum(target * (probabilities(angles + shift) - probabilities(angles - shift)) / (2 * p))
                angles -= learning_rate * grad  # optimizer.step()
                counts = rng.multinomial(SHOTS, probabilities(angles))  # numpy ints, index = outcome
                run.log_epoch({x: c for x, c in enumerate(counts)}, losses={"kl": kl, "grad_norm": np.linalg.norm(grad)})
                print(f"epoch {epoch} kl {kl:.4f}", flush=True)
    print(f"run_id={run.run_id} epochs={run.epochs}")


if __name__ == "__main__":
    main()
