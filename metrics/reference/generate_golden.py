#!/usr/bin/env python3
"""Reference values for qmon-metrics, computed with scipy and Qiskit.

Writes metrics/src/test/resources/golden/metrics-golden.jsonl, one JSON object per line:

  {"kind": "distribution", ...}  P (integer weights), Q (shot counts) and every metric
  {"kind": "state", ...}          a statevector, a bipartition, entanglement entropy, Meyer-Wallach
  {"kind": "t_ppf", ...}          scipy.stats.t.ppf(p, df)
  {"kind": "chi2_ppf", ...}       scipy.stats.chi2.ppf(p, df)
  {"kind": "normal_ppf", ...}     scipy.stats.norm.ppf(p)

Infinite values are written as the string "inf". Run from the repository root:

  $(bin/python-env) metrics/reference/generate_golden.py
"""
import json
import math
import os

import numpy as np
from qiskit.quantum_info import (DensityMatrix, Statevector, entropy, hellinger_distance,
                                 hellinger_fidelity, partial_trace)
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2, norm, t, wasserstein_distance
from scipy.stats import entropy as scipy_entropy

SEED = 20240611
OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "golden",
                   "metrics-golden.jsonl")


def num(x):
    x = float(x)
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def normalise(outcomes, weights):
    """Sorted, merged, zero-free outcome -> probability, the same reading as Distribution."""
    acc = {}
    for o, w in zip(outcomes, weights):
        acc[o] = acc.get(o, 0) + w
    total = float(sum(acc.values()))
    return {o: w / total for o, w in sorted(acc.items()) if w > 0}


def distribution_case(name, n, p_out, p_w, q_out, q_counts, low, high, eps, alpha, threshold,
                      fraction):
    p = normalise(p_out, p_w)
    q = normalise(q_out, q_counts)
    shots = int(sum(q_counts))
    union = sorted(set(p) | set(q))
    pv = np.array([p.get(x, 0.0) for x in union])
    qv = np.array([q.get(x, 0.0) for x in union])

    jsd = jensenshannon(pv, qv, base=2) ** 2
    # Declared support D = supp(P) | supp(Q); K = |D| = len(union).
    k = len(union)
    q_add = (qv + eps) / (1 + k * eps)
    q_lap = (qv * shots + alpha) / (shots + k * alpha)
    kl_add = scipy_entropy(pv, q_add, base=2)
    kl_lap = scipy_entropy(pv, q_lap, base=2)
    kl_raw = scipy_entropy(pv, qv, base=2)
    unseen = float(sum(p[x] for x in p if x not in q))

    pc = {format(x, "b"): v for x, v in p.items()}
    qc = {format(x, "b"): v for x, v in q.items()}
    fidelity = hellinger_fidelity(pc, qc)
    hellinger = hellinger_distance(pc, qc)
    tv = 0.5 * float(np.sum(np.abs(pv - qv)))
    qq = np.array(list(q.values()))
    h_q = scipy_entropy(qq, base=2)

    step = (high - low) / (2 ** n - 1)
    values = np.array([low + step * x for x in union])
    w1 = wasserstein_distance(values, values, u_weights=pv, v_weights=qv)
    ks = float(np.max(np.abs(np.cumsum(pv) - np.cumsum(qv))))

    modes = [x for x in p if p[x] >= threshold]
    missing = [x for x in modes if q.get(x, 0.0) < fraction * p[x]]
    coverage = 1.0 if not modes else (len(modes) - len(missing)) / len(modes)

    return {
        "kind": "distribution", "name": name, "qubits": n,
        "p_outcomes": list(p_out), "p_weights": list(p_w),
        "q_outcomes": list(q_out), "q_counts": list(q_counts),
        "low": low, "high": high, "epsilon": eps, "alpha": alpha,
        "threshold": threshold, "fraction": fraction,
        "jsd": num(jsd), "kl_additive": num(kl_add), "kl_laplace": num(kl_lap),
        "kl_unsmoothed": num(kl_raw), "unseen_mass": num(unseen),
        "fidelity": num(fidelity), "hellinger": num(hellinger), "tv": num(tv),
        "entropy_q": num(h_q), "entropy_q_normalised": num(h_q / n),
        "ks": num(ks), "w1": num(w1), "coverage": num(coverage), "modes": len(modes),
        "missing_modes": missing,
    }


def random_distribution_cases(rng, count):
    cases = []
    for i in range(count):
        n = int(rng.choice([1, 2, 3, 4, 5, 6, 8, 10, 12, 20, 40, 63],
                           p=[.06, .1, .14, .14, .12, .1, .1, .08, .06, .04, .03, .03]))
        space = 2 ** n
        kp = int(rng.integers(1, min(space, 16) + 1))
        kq = int(rng.integers(1, min(space, 16) + 1))
        p_out = draw_outcomes(rng, n, kp)
        overlap = [int(x) for x in rng.choice(p_out, size=min(len(p_out), kq), replace=False)]
        extra = draw_outcomes(rng, n, kq)
        q_out = sorted(set(overlap[: int(rng.integers(0, len(overlap) + 1))] + extra))[:kq]
        if rng.random() < 0.3:
            rng.shuffle(p_out)
        p_w = [int(w) for w in rng.integers(1, 1000, size=len(p_out))]
        q_c = [int(c) for c in rng.integers(1, 500, size=len(q_out))]
        low = float(np.round(rng.uniform(-5, 1), 3))
        high = float(np.round(low + rng.uniform(0.5, 10), 3))
        cases.append(distribution_case(
            f"random-{i}", n, p_out, p_w, q_out, q_c, low, high,
            float(rng.choice([1e-9, 1e-6, 1e-3])), float(rng.choice([0.5, 1.0])),
            float(rng.choice([0.01, 0.05, 0.1])), float(rng.choice([0.25, 0.5, 1.0]))))
    return cases


def draw_outcomes(rng, n, k):
    if n <= 20:
        return sorted(int(x) for x in rng.choice(2 ** n, size=k, replace=False))
    found = set()
    while len(found) < k:
        found.add(int(rng.integers(0, 2 ** 62)) * 2 + int(rng.integers(0, 2))
                  if n == 63 else int(rng.integers(0, 2 ** n)))
    return sorted(found)


def edge_cases():
    e = []
    args = dict(low=0.0, high=1.0, eps=1e-6, alpha=1.0, threshold=0.05, fraction=0.5)
    e.append(distribution_case("disjoint", 3, [0, 1], [1, 1], [6, 7], [5, 5], **args))
    e.append(distribution_case("single-outcome-equal", 2, [3], [1], [3], [100], **args))
    e.append(distribution_case("single-outcome-different", 2, [0], [1], [3], [100], **args))
    e.append(distribution_case("identical", 3, [0, 2, 5], [1, 2, 3], [0, 2, 5], [10, 20, 30],
                               **args))
    e.append(distribution_case("one-shot", 3, list(range(8)), [1] * 8, [5], [1], **args))
    e.append(distribution_case("uniform-3", 3, list(range(8)), [1] * 8, list(range(8)),
                               [1] * 8, **args))
    e.append(distribution_case("uniform-vs-sampled-4", 4, list(range(16)), [1] * 16,
                               list(range(16)), [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3],
                               **args))
    e.append(distribution_case("zeros-in-counts", 3, [0, 1, 2, 3], [5, 0, 5, 0], [0, 1, 2, 3],
                               [0, 7, 3, 0], **args))
    e.append(distribution_case("q-superset", 3, [1, 2], [1, 1], [0, 1, 2, 3], [1, 50, 50, 1],
                               **args))
    e.append(distribution_case("extreme-outcomes-63", 63, [0, 2 ** 63 - 1], [1, 1],
                               [0, 2 ** 63 - 1], [3, 1], **args))
    e.append(distribution_case("no-modes", 4, list(range(16)), [1] * 16, [0], [1],
                               low=0.0, high=1.0, eps=1e-6, alpha=1.0, threshold=0.5,
                               fraction=0.5))
    return e


def state_case(name, vec, subsystem):
    n = int(round(math.log2(len(vec))))
    sv = Statevector(vec)
    traced = [k for k in range(n) if k not in subsystem]
    if subsystem and traced:
        s = entropy(partial_trace(sv, traced), base=2)
    else:
        s = 0.0
    purity = [float(np.real(partial_trace(sv, [j for j in range(n) if j != k]).purity()))
              for k in range(n)]
    mw = 2 * (1 - sum(purity) / n)
    return {"kind": "state", "name": name, "qubits": n,
            "re": [float(x) for x in np.real(vec)], "im": [float(x) for x in np.imag(vec)],
            "subsystem": list(subsystem), "entropy": num(s), "meyer_wallach": num(mw)}


def state_cases(rng, count):
    out = []
    for i in range(count):
        n = int(rng.integers(2, 6))
        vec = rng.normal(size=2 ** n) + 1j * rng.normal(size=2 ** n)
        if rng.random() < 0.2:
            vec = rng.normal(size=2 ** n) + 0j
        vec = vec / np.linalg.norm(vec)
        size = int(rng.integers(1, n))
        subsystem = sorted(int(k) for k in rng.choice(n, size=size, replace=False))
        out.append(state_case(f"random-state-{i}", vec, subsystem))
    bell = np.zeros(4, complex); bell[0] = bell[3] = 1 / math.sqrt(2)
    out.append(state_case("bell", bell, [0]))
    ghz = np.zeros(8, complex); ghz[0] = ghz[7] = 1 / math.sqrt(2)
    out.append(state_case("ghz-3", ghz, [1]))
    w = np.zeros(8, complex); w[1] = w[2] = w[4] = 1 / math.sqrt(3)
    out.append(state_case("w-3", w, [0, 2]))
    product = np.kron([1, 1j], [1, 0]) / math.sqrt(2)
    out.append(state_case("product", product.astype(complex), [1]))
    basis = np.zeros(16, complex); basis[5] = 1
    out.append(state_case("basis-4", basis, [0, 3]))
    return out


def quantile_cases():
    probs = [0.001, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.6, 0.75, 0.9, 0.95, 0.975, 0.99,
             0.995, 0.999, 0.9995]
    out = []
    for df in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 19, 20, 25, 29, 30, 40, 60, 99, 120,
               1000, 1.5, 2.5, 0.5]:
        for p in probs:
            out.append({"kind": "t_ppf", "df": df, "p": p, "value": num(t.ppf(p, df))})
    for df in [1, 2, 3, 4, 5, 7, 10, 15, 31, 63, 100, 255, 1023, 4095, 65535]:
        for p in probs:
            out.append({"kind": "chi2_ppf", "df": df, "p": p, "value": num(chi2.ppf(p, df))})
    for p in probs + [1e-10, 1e-5, 0.3, 0.7, 1 - 1e-5]:
        out.append({"kind": "normal_ppf", "p": p, "value": num(norm.ppf(p))})
    return out


def main():
    rng = np.random.default_rng(SEED)
    cases = random_distribution_cases(rng, 1200) + edge_cases()
    cases += state_cases(rng, 150) + quantile_cases()
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        for c in cases:
            f.write(json.dumps(c, separators=(",", ":")) + "\n")
    print(f"wrote {len(cases)} cases to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
