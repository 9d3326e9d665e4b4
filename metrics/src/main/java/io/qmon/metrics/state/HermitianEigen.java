package io.qmon.metrics.state;

import java.util.Arrays;

/**
 * Eigenvalues of a complex Hermitian matrix by the cyclic Jacobi method.
 *
 * <p>Each rotation first removes the phase of the pivot a_pq = |a_pq|e^{iφ} with diag(1, e^{−iφ})
 * and then zeroes the now real pivot with a real Jacobi rotation; sweeps repeat until the
 * off-diagonal mass is below 1e-30 of the total. Jacobi is slow (O(d³) per sweep) but accurate to a
 * few ulps on small matrices, which is what reduced density matrices of snapshots are.
 */
public final class HermitianEigen {
  private static final int MAX_SWEEPS = 100;

  private HermitianEigen() {}

  /**
   * The eigenvalues, in increasing order, of the Hermitian matrix re + i·im (row-major d×d arrays;
   * only read, never modified).
   */
  public static double[] eigenvalues(double[][] re, double[][] im) {
    int d = re.length;
    double[][] ar = new double[d][];
    double[][] ai = new double[d][];
    for (int k = 0; k < d; k++) {
      if (re[k].length != d || im[k].length != d || im.length != d) {
        throw new IllegalArgumentException("The matrix must be square, " + d + "x" + d);
      }
      ar[k] = re[k].clone();
      ai[k] = im[k].clone();
    }
    double total = 0;
    for (int p = 0; p < d; p++) {
      for (int q = 0; q < d; q++) {
        total += ar[p][q] * ar[p][q] + ai[p][q] * ai[p][q];
      }
    }
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      double off = 0;
      for (int p = 0; p < d; p++) {
        for (int q = p + 1; q < d; q++) {
          off += ar[p][q] * ar[p][q] + ai[p][q] * ai[p][q];
        }
      }
      if (off <= 1e-30 * total) {
        break;
      }
      for (int p = 0; p < d; p++) {
        for (int q = p + 1; q < d; q++) {
          rotate(ar, ai, p, q);
        }
      }
    }
    double[] values = new double[d];
    for (int k = 0; k < d; k++) {
      values[k] = ar[k][k];
    }
    Arrays.sort(values);
    return values;
  }

  private static void rotate(double[][] ar, double[][] ai, int p, int q) {
    double abs = Math.hypot(ar[p][q], ai[p][q]);
    if (abs == 0) {
      return;
    }
    // e^{−iφ} with a_pq = |a_pq| e^{iφ}.
    double er = ar[p][q] / abs;
    double ei = -ai[p][q] / abs;
    double theta = (ar[q][q] - ar[p][p]) / (2 * abs);
    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
    if (theta == 0) {
      t = 1;
    } else if (Math.abs(theta) > 1e100) {
      t = 0.5 / theta;
    }
    double c = 1 / Math.sqrt(t * t + 1);
    double s = t * c;
    int d = ar.length;
    // A ← A·U with U = [[c, s], [−s·e^{−iφ}, c·e^{−iφ}]] on columns p, q.
    for (int k = 0; k < d; k++) {
      double kpr = ar[k][p];
      double kpi = ai[k][p];
      double kqr = ar[k][q] * er - ai[k][q] * ei;
      double kqi = ar[k][q] * ei + ai[k][q] * er;
      ar[k][p] = c * kpr - s * kqr;
      ai[k][p] = c * kpi - s * kqi;
      ar[k][q] = s * kpr + c * kqr;
      ai[k][q] = s * kpi + c * kqi;
    }
    // A ← U†·A on rows p, q.
    for (int k = 0; k < d; k++) {
      double pkr = ar[p][k];
      double pki = ai[p][k];
      double qkr = ar[q][k] * er + ai[q][k] * ei;
      double qki = ai[q][k] * er - ar[q][k] * ei;
      ar[p][k] = c * pkr - s * qkr;
      ai[p][k] = c * pki - s * qki;
      ar[q][k] = s * pkr + c * qkr;
      ai[q][k] = s * pki + c * qki;
    }
    ar[p][q] = 0;
    ai[p][q] = 0;
    ar[q][p] = 0;
    ai[q][p] = 0;
    ai[p][p] = 0;
    ai[q][q] = 0;
  }
}
