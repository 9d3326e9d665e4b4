"""The shortest instrumented Qiskit loop: three qmon lines around a SamplerV2 loop.

    QMON_BOOTSTRAP_SERVERS=127.0.0.1:9092 QMON_SCHEMA_REGISTRY_URL=http://127.0.0.1:8081 \\
        $(bin/python-env) producers/python/examples/qiskit_minimal.py --run-id my-first-run

The parameter update is a placeholder (a seeded random walk) for your optimizer step.
"""

import argparse

import numpy as np
from qiskit.circuit.library import real_amplitudes
from qiskit_aer.primitives import SamplerV2

from qmon_sdk import QmonPublisher

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--run-id", default=None)
parser.add_argument("--epochs", type=int, default=20)
args = parser.parse_args()

circuit = real_amplitudes(3, reps=2)
circuit.measure_all()
rng = np.random.default_rng(7)
theta = rng.uniform(-np.pi, np.pi, circuit.num_parameters)
sampler = SamplerV2(seed=7)
target = [1 / 8] * 8  # the distribution to learn: uniform over 3 qubits

with QmonPublisher() as qmon:
    with qmon.start_run(args.run_id, qubits=3, shots=1024, target=target) as run:
        for epoch in range(args.epochs):
            counts = sampler.run([(circuit, theta)], shots=1024).result()[0].data.meas.get_counts()
            run.log_epoch(counts)
            theta = theta + 0.1 * rng.normal(size=theta.size)
print(f"run_id={run.run_id} epochs={run.epochs}")
