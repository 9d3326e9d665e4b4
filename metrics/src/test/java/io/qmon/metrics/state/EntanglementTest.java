package io.qmon.metrics.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Gram-matrix route on large states whose entropies are known by construction: a Schmidt
 * decomposition written out in a basis, then scrambled by local unitaries that cannot change it.
 */
class EntanglementTest {

  @Test
  void shouldRecoverPrescribedSchmidtCoefficientsAtTwelveAndSixteenQubits() {
    for (int n : new int[] {12, 13, 16}) {
      Random random = new Random(n);
      int m = n / 2;
      int d = 1 << m;
      double[] lambda = new double[d];
      double total = 0;
      for (int k = 0; k < d; k++) {
        // A spread of magnitudes, some tiny, a few exactly zero.
        lambda[k] = k % 17 == 5 ? 0 : Math.pow(random.nextDouble(), 4);
        total += lambda[k];
      }
      double expected = 0;
      for (int k = 0; k < d; k++) {
        lambda[k] /= total;
        if (lambda[k] > 0) {
          expected -= lambda[k] * Math.log(lambda[k]) / Math.log(2);
        }
      }
      // |ψ⟩ = Σ_k √λ_k e^{iφ_k} |k⟩_A |π(k)⟩_B: A = qubits 0..m−1 (low bits), B the high bits.
      double[] re = new double[1 << n];
      double[] im = new double[1 << n];
      int e = 1 << (n - m);
      for (int k = 0; k < d; k++) {
        int b = (int) ((k * 37L + 11) % e);
        double phase = random.nextDouble() * 2 * Math.PI;
        re[k + d * b] = Math.sqrt(lambda[k]) * Math.cos(phase);
        im[k + d * b] = Math.sqrt(lambda[k]) * Math.sin(phase);
      }
      for (int q = 0; q < n; q++) {
        applyRandomUnitary(re, im, q, random);
      }
      StateVector state = StateVector.of(re, im);
      int[] half = new int[m];
      for (int k = 0; k < m; k++) {
        half[k] = k;
      }
      assertEquals(expected, Entanglement.halfCutBits(state), 1e-10, n + " qubits, half cut");
      assertEquals(
          expected, Entanglement.vonNeumannBits(state, half), 1e-10, n + " qubits, cut {0..m-1}");
      int[] rest = new int[n - m];
      for (int k = m; k < n; k++) {
        rest[k - m] = k;
      }
      assertEquals(expected, Entanglement.vonNeumannBits(state, rest), 1e-10, n + " complement");
    }
  }

  @Test
  void shouldGiveExactValuesForLowRankStatesAtSixteenQubits() {
    assertEquals(1.0, Entanglement.halfCutBits(States.ghz(16, 0.4)), 1e-12);
    assertEquals(0.0, Entanglement.halfCutBits(States.zero(16)), 1e-12);
    double[] theta = new double[16];
    double[] phi = new double[16];
    for (int k = 0; k < 16; k++) {
      theta[k] = 0.1 * k;
      phi[k] = 0.3 * k;
    }
    StateVector product = States.product(theta, phi);
    assertEquals(0.0, Entanglement.halfCutBits(product), 1e-10);
    assertEquals(0.0, Entanglement.vonNeumannBits(product, 1, 5, 9, 11, 14), 1e-10);
    assertEquals(0.0, Entanglement.meyerWallach(product), 1e-12);
  }

  @Test
  void shouldAgreeOnASingleQubitAndItsComplement() {
    StateVector w = States.w(5);
    double h = States.h2(0.2);
    assertEquals(h, Entanglement.vonNeumannBits(w, 3), 1e-12);
    assertEquals(h, Entanglement.vonNeumannBits(w, 0, 1, 2, 4), 1e-12);
    assertEquals(h, Entanglement.singleQubitStates(w).entropyBits(3), 1e-12);
    // Tr ρ² = 0.8² + 0.2² for each qubit of W_5.
    assertEquals(0.68, Entanglement.singleQubitStates(w).purity(2), 1e-12);
  }

  /** Applies a random 2×2 unitary (Euler angles) to qubit q. */
  private static void applyRandomUnitary(double[] re, double[] im, int q, Random random) {
    double a = random.nextDouble() * Math.PI;
    double b = random.nextDouble() * 2 * Math.PI;
    double c = random.nextDouble() * 2 * Math.PI;
    // U = [[cos a, −e^{ic} sin a], [e^{ib} sin a, e^{i(b+c)} cos a]]
    double u00r = Math.cos(a);
    double u00i = 0;
    double u01r = -Math.cos(c) * Math.sin(a);
    double u01i = -Math.sin(c) * Math.sin(a);
    double u10r = Math.cos(b) * Math.sin(a);
    double u10i = Math.sin(b) * Math.sin(a);
    double u11r = Math.cos(b + c) * Math.cos(a);
    double u11i = Math.sin(b + c) * Math.cos(a);
    int bit = 1 << q;
    for (int x = 0; x < re.length; x++) {
      if ((x & bit) != 0) {
        continue;
      }
      int y = x | bit;
      double xr = re[x];
      double xi = im[x];
      double yr = re[y];
      double yi = im[y];
      re[x] = u00r * xr - u00i * xi + u01r * yr - u01i * yi;
      im[x] = u00r * xi + u00i * xr + u01r * yi + u01i * yr;
      re[y] = u10r * xr - u10i * xi + u11r * yr - u11i * yi;
      im[y] = u10r * xi + u10i * xr + u11r * yi + u11i * yr;
    }
  }
}
