package io.qmon.metrics.detect;

import java.util.Arrays;

/**
 * A detector window's values kept sorted next to its ring, so the median and the median absolute
 * deviation of the window cost O(n) without sorting: both are read on every epoch of every run, and
 * sorting copies of the window made them a tenth of the job's CPU (measured with JFR on the job's
 * throughput benchmark). Operates on the first {@code n} entries of an array owned by the caller.
 */
final class SortedValues {
  private SortedValues() {}

  /** Builds the sorted copy of {@code values[0..n)} in a new array of capacity {@code capacity}. */
  static double[] of(double[] values, int n, int capacity) {
    double[] sorted = Arrays.copyOf(values, capacity);
    Arrays.sort(sorted, 0, n);
    return sorted;
  }

  /** Inserts x into sorted[0..n), which has room for it. */
  static void insert(double[] sorted, int n, double x) {
    int at = Arrays.binarySearch(sorted, 0, n, x);
    if (at < 0) {
      at = -at - 1;
    }
    System.arraycopy(sorted, at, sorted, at + 1, n - at);
    sorted[at] = x;
  }

  /** Removes one occurrence of x from sorted[0..n); x must be there. */
  static void remove(double[] sorted, int n, double x) {
    int at = Arrays.binarySearch(sorted, 0, n, x);
    if (at < 0) {
      throw new IllegalStateException("value " + x + " is not in the window");
    }
    System.arraycopy(sorted, at + 1, sorted, at, n - at - 1);
  }

  /** The median of sorted[0..n), n ≥ 1: the mean of the middle two for an even count. */
  static double median(double[] sorted, int n) {
    return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
  }

  /**
   * The median of |x − center| over sorted[0..n), n ≥ 1: the deviations below and above the center
   * are each already ordered, so merging them outwards from the center reaches the middle in n/2
   * steps.
   */
  static double medianDeviation(double[] sorted, int n, double center) {
    int right = Arrays.binarySearch(sorted, 0, n, center);
    if (right < 0) {
      right = -right - 1;
    }
    while (right > 0 && sorted[right - 1] >= center) {
      right--;
    }
    int left = right - 1;
    double previous = 0;
    double current = 0;
    for (int k = 0; k <= n / 2; k++) {
      double below = left >= 0 ? center - sorted[left] : Double.POSITIVE_INFINITY;
      double above = right < n ? sorted[right] - center : Double.POSITIVE_INFINITY;
      previous = current;
      if (below <= above) {
        current = below;
        left--;
      } else {
        current = above;
        right++;
      }
    }
    return n % 2 == 1 ? current : 0.5 * (previous + current);
  }
}
