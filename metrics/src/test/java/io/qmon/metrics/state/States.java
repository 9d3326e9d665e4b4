package io.qmon.metrics.state;

/** Hand-built states for the state tests, with amplitudes written out from their definitions. */
final class States {
  private States() {}

  /** A state with the given real amplitudes at the given basis indices, normalised. */
  static StateVector real(int qubits, int[] indices, double[] amplitudes) {
    double[] re = new double[1 << qubits];
    double norm = 0;
    for (double a : amplitudes) {
      norm += a * a;
    }
    for (int i = 0; i < indices.length; i++) {
      re[indices[i]] = amplitudes[i] / Math.sqrt(norm);
    }
    return StateVector.of(re, new double[re.length]);
  }

  /** (|0…0⟩ + e^{iφ}|1…1⟩)/√2. */
  static StateVector ghz(int qubits, double phase) {
    double[] re = new double[1 << qubits];
    double[] im = new double[1 << qubits];
    re[0] = Math.sqrt(0.5);
    re[re.length - 1] = Math.cos(phase) * Math.sqrt(0.5);
    im[re.length - 1] = Math.sin(phase) * Math.sqrt(0.5);
    return StateVector.of(re, im);
  }

  /** W_n: equal superposition of the n basis states with one qubit set. */
  static StateVector w(int qubits) {
    int[] indices = new int[qubits];
    double[] ones = new double[qubits];
    for (int k = 0; k < qubits; k++) {
      indices[k] = 1 << k;
      ones[k] = 1;
    }
    return real(qubits, indices, ones);
  }

  /** |0⟩^{⊗n}. */
  static StateVector zero(int qubits) {
    return real(qubits, new int[] {0}, new double[] {1});
  }

  /** ⊗_k (cos θ_k|0⟩ + e^{iφ_k} sin θ_k|1⟩): a product state with complex phases. */
  static StateVector product(double[] theta, double[] phi) {
    int n = theta.length;
    double[] re = new double[1 << n];
    double[] im = new double[1 << n];
    for (int x = 0; x < re.length; x++) {
      double mod = 1;
      double arg = 0;
      for (int k = 0; k < n; k++) {
        if ((x >> k & 1) == 1) {
          mod *= Math.sin(theta[k]);
          arg += phi[k];
        } else {
          mod *= Math.cos(theta[k]);
        }
      }
      re[x] = mod * Math.cos(arg);
      im[x] = mod * Math.sin(arg);
    }
    return StateVector.of(re, im);
  }

  /** Binary entropy in bits. */
  static double h2(double p) {
    if (p <= 0 || p >= 1) {
      return 0;
    }
    return -(p * Math.log(p) + (1 - p) * Math.log(1 - p)) / Math.log(2);
  }
}
