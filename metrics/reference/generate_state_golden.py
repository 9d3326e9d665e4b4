#!/usr/bin/env python3
"""Reference values for qmon-metrics' StateScores, computed with qiskit.quantum_info.

Writes metrics/src/test/resources/golden/state-scores-golden.jsonl, one JSON object per line:

  {"kind": "state_scores", "name": ..., "qubits": n, "re": [...], "im": [...],
   "target_re"/"target_im": [...] (only when the case has a target),
   "cuts": k, "cut_0": [qubits], ..., "cut_<k-1>": [qubits],
   "entanglement_entropy_half": S(rho_A), A = qubits 0..floor(n/2)-1,
   "entanglement_entropy_single_mean": mean_k S(rho_k),
   "meyer_wallach": 2 (1 - mean_k Tr rho_k^2),
   "state_fidelity": |<target|psi>|^2 (only with a target),
   "entanglement_entropy_cut_<q.q.q>": S(rho_cut) for each cut}

Every value comes from Statevector, partial_trace, entropy(..., base=2), DensityMatrix.purity and
state_fidelity; nothing is computed by hand here except the mean and Meyer-Wallach's affine map.
Qiskit is little-endian like qmon (qubit k is bit k of the basis index). The seed is fixed, so the
file is reproducible. Run from the repository root:

  .venv/bin/python metrics/reference/generate_state_golden.py
"""
import json
import math
import os

import numpy as np
from qiskit.quantum_info import Statevector, entropy, partial_trace, random_statevector, state_fidelity

SEED = 20261201
OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "golden",
                   "state-scores-golden.jsonl")


def reduced_entropy(sv, n, keep):
    """S(rho_keep) in bits; 0 for the empty or the whole system (a pure state)."""
    keep = sorted(keep)
    if not keep or len(keep) == n:
        return 0.0
    traced = [k for k in range(n) if k not in keep]
    return float(entropy(partial_trace(sv, traced), base=2))


def case(name, vec, target=None, cuts=()):
    vec = np.asarray(vec, dtype=complex)
    vec = vec / np.linalg.norm(vec)
    n = int(round(math.log2(len(vec))))
    sv = Statevector(vec)
    out = {"kind": "state_scores", "name": name, "qubits": n,
           "re": [float(x) for x in vec.real], "im": [float(x) for x in vec.imag]}
    out["entanglement_entropy_half"] = reduced_entropy(sv, n, range(n // 2))
    singles = [reduced_entropy(sv, n, [k]) for k in range(n)]
    out["entanglement_entropy_single_mean"] = float(sum(singles) / n)
    purities = [float(np.real(partial_trace(sv, [j for j in range(n) if j != k]).purity()))
                if n > 1 else 1.0 for k in range(n)]
    out["meyer_wallach"] = 2 * (1 - sum(purities) / n)
    if target is not None:
        target = np.asarray(target, dtype=complex)
        target = target / np.linalg.norm(target)
        out["target_re"] = [float(x) for x in target.real]
        out["target_im"] = [float(x) for x in target.imag]
        out["state_fidelity"] = float(state_fidelity(Statevector(target), sv))
    out["cuts"] = len(cuts)
    for i, cut in enumerate(cuts):
        out[f"cut_{i}"] = [int(q) for q in cut]
        out["entanglement_entropy_cut_" + ".".join(str(int(q)) for q in cut)] = \
            reduced_entropy(sv, n, cut)
    return out


def basis(n, x):
    v = np.zeros(2 ** n, complex)
    v[x] = 1
    return v


def ghz(n, phase=0.0):
    v = np.zeros(2 ** n, complex)
    v[0] = 1
    v[-1] = np.exp(1j * phase)
    return v


def w_state(n):
    v = np.zeros(2 ** n, complex)
    for k in range(n):
        v[1 << k] = 1
    return v


def product(thetas, phis):
    v = np.array([1.0 + 0j])
    for theta, phi in zip(thetas, phis):
        # np.kron(q_k, v) puts the new qubit on the high bit: qubit k = bit k.
        v = np.kron(np.array([math.cos(theta), np.exp(1j * phi) * math.sin(theta)]), v)
    return v


def haar(n, rng):
    return random_statevector(2 ** n, seed=int(rng.integers(0, 2 ** 31))).data


def random_cuts(rng, n, count):
    cuts = []
    for _ in range(count):
        size = int(rng.integers(1, n + 1))
        cut = [int(q) for q in rng.choice(n, size=size, replace=False)]
        if rng.random() < 0.5:
            cut = sorted(cut)
        cuts.append(cut)
    # One name per cut: the job reports a map, so a repeated name would be one value.
    unique = {}
    for cut in cuts:
        unique.setdefault(".".join(map(str, cut)), cut)
    return list(unique.values())


def cases(rng):
    out = []
    # Product states, some with complex phases: every entanglement measure is 0.
    for n in [1, 2, 3, 5, 8]:
        thetas = rng.uniform(0, math.pi, size=n)
        phis = rng.uniform(0, 2 * math.pi, size=n) if n != 3 else np.zeros(n)
        out.append(case(f"product-{n}", product(thetas, phis), cuts=random_cuts(rng, n, 2)))
    out.append(case("basis-4-5", basis(4, 5), target=basis(4, 5), cuts=[[0, 3]]))
    out.append(case("basis-1-0", basis(1, 0), target=product([math.pi / 4], [0.0])))
    # The four Bell states.
    s = 1 / math.sqrt(2)
    for name, vec in [("phi+", [s, 0, 0, s]), ("phi-", [s, 0, 0, -s]),
                      ("psi+", [0, s, s, 0]), ("psi-", [0, s, -s, 0])]:
        out.append(case(f"bell-{name}", vec, target=[s, 0, 0, s], cuts=[[0], [1]]))
    # GHZ and W at 2..10 qubits (odd n: the half cut is the smaller side), GHZ with phases.
    for n in range(2, 11):
        out.append(case(f"ghz-{n}", ghz(n), target=w_state(n) if n <= 4 else None,
                        cuts=[[0, n - 1], list(range(1, n))]))
        out.append(case(f"ghz-phase-{n}", ghz(n, phase=0.37 * n), target=ghz(n),
                        cuts=random_cuts(rng, n, 2)))
        out.append(case(f"w-{n}", w_state(n), target=ghz(n) if n % 2 else None,
                        cuts=[[n - 1], list(range(0, n, 2))]))
    # Haar-random states at 2..10 qubits, against a Haar-random target or a perturbed copy.
    for n in range(2, 11):
        for i in range(4 if n <= 8 else 2):
            vec = haar(n, rng)
            if i == 0:
                target = vec + 0.3 * haar(n, rng)
            elif i == 1:
                target = haar(n, rng)
            else:
                target = None
            out.append(case(f"haar-{n}-{i}", vec, target=target, cuts=random_cuts(rng, n, 3)))
    # Real amplitudes (a real Gram matrix) and a state with a global phase (same scores).
    for n in [3, 6, 9]:
        vec = rng.normal(size=2 ** n)
        out.append(case(f"real-{n}", vec, target=np.abs(vec), cuts=random_cuts(rng, n, 2)))
        out.append(case(f"global-phase-{n}", np.exp(1.1j) * vec, target=vec))
    # Two Bell pairs on (0,1) and (2,3) with a third on (4,5): the half cut {0,1,2} cuts one pair.
    pairs = np.zeros(64, complex)
    for x in range(64):
        if all(((x >> a) & 1) == ((x >> b) & 1) for a, b in [(0, 1), (2, 3), (4, 5)]):
            pairs[x] = 1
    out.append(case("bell-pairs-6", pairs, cuts=[[0, 2, 4], [1, 0], [5]]))
    return out


def main():
    rng = np.random.default_rng(SEED)
    all_cases = cases(rng)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        for c in all_cases:
            f.write(json.dumps(c, separators=(",", ":")) + "\n")
    print(f"wrote {len(all_cases)} cases to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
