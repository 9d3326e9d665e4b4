package io.qmon.metrics.stats;

import java.util.function.DoubleUnaryOperator;

/**
 * Solves f(x) = 0 for an increasing f on [lo, hi] by Newton steps that fall back to bisection
 * whenever a step leaves the bracket; converges to a few ulps. Used to invert distribution
 * functions.
 */
final class MonotoneSolver {
  private static final int MAX_ITERATIONS = 400;

  private MonotoneSolver() {}

  static double solve(
      DoubleUnaryOperator f, DoubleUnaryOperator derivative, double lo, double hi, double start) {
    double x = Math.min(hi, Math.max(lo, start));
    for (int i = 0; i < MAX_ITERATIONS; i++) {
      double fx = f.applyAsDouble(x);
      if (fx == 0) {
        return x;
      }
      if (fx < 0) {
        lo = x;
      } else {
        hi = x;
      }
      double slope = derivative.applyAsDouble(x);
      double next = slope > 0 ? x - fx / slope : Double.NaN;
      if (!(next > lo && next < hi)) {
        next = 0.5 * (lo + hi);
      }
      if (Math.abs(next - x) <= 1e-15 * Math.abs(x) || next == lo || next == hi) {
        return next;
      }
      x = next;
    }
    return x;
  }
}
