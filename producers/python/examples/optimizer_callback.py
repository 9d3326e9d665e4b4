"""An optimizer drives the training and qmon hears every iteration through its callback.

A RealAmplitudes Born machine learns a discretised normal by minimising the Jensen-Shannon
divergence of its samples with SciPy's Nelder-Mead; ``run.optimizer_callback(sample)`` publishes one
epoch per iteration, with the objective value as the loss ``jsd``. The same adapter is the
``callback=`` of qiskit-machine-learning's optimizers (``SPSA(callback=...)``, whose calls are
``(nfev, params, value, stepsize, accepted)``), of its trainable models (``(weights,
objective_value)``) and of qiskit-algorithms' ``VQE``.

    QMON_BOOTSTRAP_SERVERS=... QMON_SCHEMA_REGISTRY_URL=... \\
        $(bin/python-env) producers/python/examples/optimizer_callback.py --run-id nelder-mead-1
"""

import argparse

import numpy as np
from qiskit.circuit.library import real_amplitudes
from qiskit_aer.primitives import SamplerV2
from scipy.optimize import minimize

from qmon_sdk import QmonPublisher, counts_of

QUBITS, SHOTS = 3, 1024


def jsd_bits(p: np.ndarray, q: np.ndarray) -> float:
    m = 0.5 * (p + q)
    kl = lambda a: float(np.sum(a[a > 0] * np.log2(a[a > 0] / m[a > 0])))
    return 0.5 * kl(p) + 0.5 * kl(q)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run-id", default=None)
    parser.add_argument("--epochs", type=int, default=30, help="optimizer iterations")
    args = parser.parse_args()

    grid = np.linspace(-3, 3, 2**QUBITS)
    target = np.exp(-0.5 * grid**2) / np.exp(-0.5 * grid**2).sum()
    circuit = real_amplitudes(QUBITS, reps=2)
    circuit.measure_all()
    sampler = SamplerV2(seed=11)

    def sample(params):
        return sampler.run([(circuit, params)], shots=SHOTS).result()[0]

    def objective(params) -> float:
        outcomes, counts = counts_of(sample(params))
        q = np.zeros(2**QUBITS)
        q[outcomes] = counts
        return jsd_bits(target, q / SHOTS)

    with QmonPublisher() as qmon:
        with qmon.start_run(
            args.run_id,
            qubits=QUBITS,
            shots=SHOTS,
            target=target,
            target_id="normal-0-1-q3-py",
            target_low=-3.0,
            target_high=3.0,
            model_type="born_machine",
            ansatz="real_amplitudes",
            repetitions=2,
            optimizer="nelder-mead",
            backend="qiskit-aer",
        ) as run:
            callback = run.optimizer_callback(sample, loss_name="jsd")
            x0 = np.random.default_rng(11).uniform(-np.pi, np.pi, circuit.num_parameters)
            result = minimize(
                objective, x0, method="Nelder-Mead", callback=callback.scipy, options={"maxiter": args.epochs}
            )
    print(f"run_id={run.run_id} epochs={run.epochs} jsd={result.fun:.4f}")


if __name__ == "__main__":
    main()
