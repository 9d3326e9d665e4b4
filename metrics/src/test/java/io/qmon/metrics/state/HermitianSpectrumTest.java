package io.qmon.metrics.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.ejml.data.ZMatrixRMaj;
import org.junit.jupiter.api.Test;

/** HermitianSpectrum on matrices built as U·diag(λ)·U† with a prescribed spectrum. */
class HermitianSpectrumTest {

  @Test
  void shouldFindThePauliYSpectrum() {
    ZMatrixRMaj y = new ZMatrixRMaj(2, 2);
    y.set(0, 1, 0, -1);
    assertArrayEquals(new double[] {-1, 1}, HermitianSpectrum.eigenvaluesOfUpper(y), 1e-15);
  }

  @Test
  void shouldSolveEveryTwoByTwoCaseInClosedForm() {
    Random random = new Random(3);
    for (int i = 0; i < 50; i++) {
      double[] lambda = {random.nextDouble(), i % 10 == 0 ? 0 : random.nextDouble()};
      double[] expected = lambda.clone();
      Arrays.sort(expected);
      assertArrayEquals(
          expected, HermitianSpectrum.eigenvaluesOfUpper(unitarilyRotated(lambda, random)), 1e-14);
    }
  }

  @Test
  void shouldReturnTheOnlyEntryOfAOneByOneMatrix() {
    ZMatrixRMaj one = new ZMatrixRMaj(1, 1);
    one.set(0, 0, 0.25, 0);
    assertArrayEquals(new double[] {0.25}, HermitianSpectrum.eigenvaluesOfUpper(one), 0);
  }

  @Test
  void shouldRecoverPrescribedSpectraIncludingRepeatedAndZeroEigenvalues() {
    Random random = new Random(7);
    for (int d : new int[] {3, 4, 5, 16, 64, 128}) {
      double[] lambda = new double[d];
      for (int k = 0; k < d; k++) {
        // Repeats (k % 5 == 0 share one value) and exact zeros (k % 7 == 3).
        lambda[k] = k % 7 == 3 ? 0 : k % 5 == 0 ? 0.125 : random.nextDouble();
      }
      ZMatrixRMaj a = unitarilyRotated(lambda, random);
      double[] expected = lambda.clone();
      Arrays.sort(expected);
      assertArrayEquals(expected, HermitianSpectrum.eigenvaluesOfUpper(a), 1e-13, "d = " + d);
    }
  }

  @Test
  void shouldRefuseANonSquareMatrix() {
    assertThrows(
        IllegalArgumentException.class,
        () -> HermitianSpectrum.eigenvaluesOfUpper(new ZMatrixRMaj(2, 3)));
  }

  /** U·diag(λ)·U† with U from Gram–Schmidt on a complex Gaussian matrix. */
  private static ZMatrixRMaj unitarilyRotated(double[] lambda, Random random) {
    int d = lambda.length;
    double[][] ur = new double[d][d];
    double[][] ui = new double[d][d];
    for (int c = 0; c < d; c++) {
      for (int r = 0; r < d; r++) {
        ur[c][r] = random.nextGaussian();
        ui[c][r] = random.nextGaussian();
      }
      for (int p = 0; p < c; p++) {
        // column c −= ⟨u_p, u_c⟩ u_p, ⟨u_p, u_c⟩ = Σ conj(u_p)·u_c
        double dr = 0;
        double di = 0;
        for (int r = 0; r < d; r++) {
          dr += ur[p][r] * ur[c][r] + ui[p][r] * ui[c][r];
          di += ur[p][r] * ui[c][r] - ui[p][r] * ur[c][r];
        }
        for (int r = 0; r < d; r++) {
          ur[c][r] -= dr * ur[p][r] - di * ui[p][r];
          ui[c][r] -= dr * ui[p][r] + di * ur[p][r];
        }
      }
      double norm = 0;
      for (int r = 0; r < d; r++) {
        norm += ur[c][r] * ur[c][r] + ui[c][r] * ui[c][r];
      }
      norm = Math.sqrt(norm);
      for (int r = 0; r < d; r++) {
        ur[c][r] /= norm;
        ui[c][r] /= norm;
      }
    }
    ZMatrixRMaj a = new ZMatrixRMaj(d, d);
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        // A_ij = Σ_k λ_k u_k[i]·conj(u_k[j]), column k of U is u_k
        double sr = 0;
        double si = 0;
        for (int k = 0; k < d; k++) {
          sr += lambda[k] * (ur[k][i] * ur[k][j] + ui[k][i] * ui[k][j]);
          si += lambda[k] * (ui[k][i] * ur[k][j] - ur[k][i] * ui[k][j]);
        }
        a.set(i, j, sr, si);
      }
    }
    return a;
  }
}
