"""Trains a quantum circuit Born machine in Qiskit and publishes every epoch to qmon.

The model is a RealAmplitudes circuit (RY layers, CX entanglers) sampled with qiskit-aer's
SamplerV2; it learns a discretised standard normal on [-3, 3] over 2^n outcomes by SPSA on the
Jensen-Shannon divergence of its samples. Each epoch runs one sampler job with three PUBs (the
current parameters, and the two SPSA perturbations), publishes the current parameters' counts with
the losses, then takes the SPSA step.

    $(bin/python-env) producers/python/examples/qiskit_born_machine.py \\
        --bootstrap-servers 127.0.0.1:9092 --schema-registry-url http://127.0.0.1:8081 \\
        --qubits 3 --epochs 40
"""

import argparse
import uuid

import numpy as np
from qiskit import QuantumCircuit, transpile
from qiskit.circuit.library import real_amplitudes
from qiskit.quantum_info import Statevector
from qiskit_aer.primitives import SamplerV2

from qmon_sdk import QmonPublisher, sparse_sampler_counts


def discretised_normal(qubits: int, low: float = -3.0, high: float = 3.0) -> np.ndarray:
    """Standard normal density at the 2^n grid points low + (high-low)/(2^n-1)*x, normalised."""
    grid = np.linspace(low, high, 2**qubits)
    density = np.exp(-0.5 * grid**2)
    return density / density.sum()


def jsd_bits(p: np.ndarray, q: np.ndarray) -> float:
    """Jensen-Shannon divergence in bits; 0*log(0) = 0."""
    m = 0.5 * (p + q)

    def kl(a: np.ndarray) -> float:
        mask = a > 0
        return float(np.sum(a[mask] * np.log2(a[mask] / m[mask])))

    return 0.5 * kl(p) + 0.5 * kl(q)


def dense(outcomes, counts, size: int) -> np.ndarray:
    q = np.zeros(size)
    q[outcomes] = counts
    return q / q.sum()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Qiskit Born machine publishing to qmon")
    parser.add_argument("--bootstrap-servers", required=True)
    parser.add_argument("--schema-registry-url", required=True)
    parser.add_argument("--qubits", type=int, default=3)
    parser.add_argument("--reps", type=int, default=2, help="RealAmplitudes repetitions")
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--shots", type=int, default=1024)
    parser.add_argument("--learning-rate", type=float, default=0.6, help="SPSA a")
    parser.add_argument("--perturbation", type=float, default=0.2, help="SPSA c")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--run-id", default=None)
    parser.add_argument("--experiment", default="qiskit-born-machine")
    parser.add_argument("--states", action="store_true", help="also publish statevector snapshots")
    args = parser.parse_args(argv)

    n = args.qubits
    target = discretised_normal(n)
    target_id = f"py-normal-0-1-q{n}"
    ansatz = real_amplitudes(n, reps=args.reps, entanglement="reverse_linear")
    measured = ansatz.copy()
    measured.measure_all()
    circuit: QuantumCircuit = transpile(measured, basis_gates=["ry", "cx"], optimization_level=0)
    sampler = SamplerV2(seed=args.seed)
    rng = np.random.default_rng(args.seed)
    theta = rng.uniform(-np.pi, np.pi, circuit.num_parameters)
    run_id = args.run_id or f"qiskit-bm-{uuid.uuid4()}"

    with QmonPublisher(args.bootstrap_servers, args.schema_registry_url) as qmon:
        qmon.publish_target(target_id, n, target, "normal(0, 1) on [-3, 3]", low=-3.0, high=3.0)
        with qmon.start_run(
            run_id,
            experiment=args.experiment,
            model_type="born_machine",
            ansatz="real_amplitudes/reverse_linear",
            repetitions=args.reps,
            qubits=n,
            shots=args.shots,
            backend="qiskit-aer-sampler-v2",
            optimizer="spsa",
            optimizer_settings={"a": args.learning_rate, "c": args.perturbation},
            seed=args.seed,
            target=target_id,
            params={"epochs": args.epochs, "loss": "jsd"},
            tags={"source": "qmon_sdk example"},
        ) as run:  # SUCCEEDED at the end of the block, FAILED/KILLED if it raises
            print(f"run_id={run_id}", flush=True)
            for k in range(args.epochs):
                ck = args.perturbation / (k + 1) ** 0.101
                ak = args.learning_rate / (k + 1) ** 0.602
                delta = rng.choice([-1.0, 1.0], size=theta.size)
                pubs = [(circuit, theta), (circuit, theta + ck * delta), (circuit, theta - ck * delta)]
                results = sampler.run(pubs, shots=args.shots).result()
                outcomes, counts = sparse_sampler_counts(results[0], num_qubits=n)
                loss = jsd_bits(target, dense(outcomes, counts, 2**n))
                plus = jsd_bits(target, dense(*sparse_sampler_counts(results[1], n), 2**n))
                minus = jsd_bits(target, dense(*sparse_sampler_counts(results[2], n), 2**n))
                run.publish_epoch(
                    k + 1, outcomes, counts, {"jsd": loss, "spsa_plus": plus, "spsa_minus": minus}
                )
                if args.states:
                    run.log_state(Statevector(ansatz.assign_parameters(theta)))
                print(f"epoch {k + 1} jsd {loss:.4f}", flush=True)
                theta = theta - ak * (plus - minus) / (2 * ck) * delta


if __name__ == "__main__":
    main()
