package io.qmon.tests;

/**
 * The metric definitions of DESIGN.md written out directly over dense arrays, independently of the
 * production code, so end-to-end tests can check the job's numbers.
 */
final class ReferenceMath {
  private ReferenceMath() {}

  static double[] normalise(double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double[] p = new double[weights.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = weights[i] / total;
    }
    return p;
  }

  /** ½ Σ p log₂(p/m) + ½ Σ q log₂(q/m), m = (p+q)/2. */
  static double jsdBits(double[] p, double[] q) {
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      double m = (p[i] + q[i]) / 2;
      if (p[i] > 0) {
        sum += 0.5 * p[i] * log2(p[i] / m);
      }
      if (q[i] > 0) {
        sum += 0.5 * q[i] * log2(q[i] / m);
      }
    }
    return sum;
  }

  /** (Σ √(p q))². */
  static double fidelity(double[] p, double[] q) {
    double bc = 0;
    for (int i = 0; i < p.length; i++) {
      bc += Math.sqrt(p[i] * q[i]);
    }
    return bc * bc;
  }

  /** −Σ q log₂ q. */
  static double entropyBits(double[] q) {
    double h = 0;
    for (double x : q) {
      if (x > 0) {
        h -= x * log2(x);
      }
    }
    return h;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
