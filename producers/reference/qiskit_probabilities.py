#!/usr/bin/env python3
"""Reference probabilities for qmon's Java statevector simulator, computed with Qiskit.

Reads circuit specs, one per line, from stdin and prints each spec followed by
``probs=p0,p1,...``: the Born probabilities of ``Statevector`` over all 2^n outcomes,
indexed by Qiskit's little-endian outcome integer. With ``--golden`` it prints a fixed,
seeded set of specs instead (the committed golden file is made that way):

    $(bin/python-env) producers/reference/qiskit_probabilities.py --golden \
        > producers/src/test/resources/sim/qiskit-golden.txt

Spec line: space-separated key=value fields
    ansatz=real_amplitudes|efficient_su2|qgan  qubits=N  reps=K
    entanglement=linear|reverse_linear|circular|full   (ignored for qgan)
    init=zero | uniform | normal:MEAN:STD:LOW:HIGH | ry:A0,A1,...
    params=T0,T1,...

The ansätze come from Qiskit's library (``real_amplitudes``, ``efficient_su2`` with
su2_gates ['ry', 'rz']); the qGAN generator is written out from Zoufal, Lucchi and Woerner
(2019): RY layers with CZ(i, (i+1) mod n) blocks in between. The normal initial state is
the discretised normal density on the grid low + (high-low)/(2^n-1)*x, loaded exactly as
amplitudes sqrt(p).
"""

import sys

import numpy as np
from qiskit import QuantumCircuit
from qiskit.circuit import ParameterVector
from qiskit.circuit.library import efficient_su2, real_amplitudes
from qiskit.quantum_info import Statevector


def parse(line):
    return dict(token.split("=", 1) for token in line.split())


def floats(text):
    return [float(v) for v in text.split(",")] if text else []


def qgan_generator(n, depth):
    params = iter(range(n * (depth + 1)))
    theta = ParameterVector("θ", n * (depth + 1))
    qc = QuantumCircuit(n)
    for layer in range(depth + 1):
        if layer > 0:
            pairs = [(i, (i + 1) % n) for i in range(n)] if n > 2 else [(0, 1)]
            for a, b in pairs:
                qc.cz(a, b)
        for q in range(n):
            qc.ry(theta[next(params)], q)
    return qc


def ansatz(fields):
    n = int(fields["qubits"])
    reps = int(fields["reps"])
    kind = fields["ansatz"]
    if kind == "real_amplitudes":
        return real_amplitudes(n, entanglement=fields["entanglement"], reps=reps)
    if kind == "efficient_su2":
        return efficient_su2(n, su2_gates=["ry", "rz"], entanglement=fields["entanglement"], reps=reps)
    if kind == "qgan":
        return qgan_generator(n, reps)
    raise ValueError(f"unknown ansatz {kind!r}")


def initial_state(fields, n):
    init = fields["init"]
    if init == "zero":
        return Statevector.from_int(0, 2**n)
    if init == "uniform":
        qc = QuantumCircuit(n)
        qc.h(range(n))
        return Statevector(qc)
    if init.startswith("normal:"):
        mean, std, low, high = (float(v) for v in init.split(":")[1:])
        grid = low + (high - low) / (2**n - 1) * np.arange(2**n)
        density = np.exp(-0.5 * ((grid - mean) / std) ** 2)
        return Statevector(np.sqrt(density / density.sum()))
    if init.startswith("ry:"):
        qc = QuantumCircuit(n)
        for q, angle in enumerate(floats(init[3:])):
            qc.ry(angle, q)
        return Statevector(qc)
    raise ValueError(f"unknown init {init!r}")


def probabilities(line):
    fields = parse(line)
    n = int(fields["qubits"])
    circuit = ansatz(fields)
    values = floats(fields["params"])
    if len(values) != circuit.num_parameters:
        raise ValueError(f"{len(values)} params for {circuit.num_parameters} parameters: {line}")
    bound = circuit.assign_parameters(values)
    return initial_state(fields, n).evolve(bound).probabilities()


def golden_specs():
    rng = np.random.default_rng(20191010)
    specs = []
    cases = [
        ("real_amplitudes", 2, 1, "linear", "zero"),
        ("real_amplitudes", 3, 2, "circular", "uniform"),
        ("real_amplitudes", 4, 3, "full", "zero"),
        ("real_amplitudes", 5, 2, "reverse_linear", "zero"),
        ("real_amplitudes", 6, 3, "circular", "zero"),
        ("efficient_su2", 2, 1, "full", "zero"),
        ("efficient_su2", 3, 2, "linear", "uniform"),
        ("efficient_su2", 4, 2, "circular", "zero"),
        ("efficient_su2", 5, 1, "reverse_linear", "random"),
        ("qgan", 2, 1, "circular", "uniform"),
        ("qgan", 3, 2, "circular", "normal"),
        ("qgan", 4, 3, "circular", "random"),
        ("qgan", 6, 2, "circular", "normal"),
        ("real_amplitudes", 8, 2, "reverse_linear", "zero"),
        ("efficient_su2", 8, 1, "full", "uniform"),
    ]
    for kind, n, reps, ent, init in cases:
        per_layer = 2 * n if kind == "efficient_su2" else n
        params = rng.uniform(-np.pi, np.pi, per_layer * (reps + 1))
        if init == "normal":
            init = "normal:0.0:1.0:-3.0:3.0"
        elif init == "random":
            init = "ry:" + ",".join(repr(float(a)) for a in rng.uniform(0, np.pi, n))
        specs.append(
            f"ansatz={kind} qubits={n} reps={reps} entanglement={ent} init={init} "
            f"params={','.join(repr(float(p)) for p in params)}"
        )
    return specs


def main():
    lines = golden_specs() if "--golden" in sys.argv[1:] else sys.stdin
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        probs = probabilities(line)
        print(f"{line} probs={','.join(repr(float(p)) for p in probs)}")


if __name__ == "__main__":
    main()
