package io.qmon.metrics.detect;

import java.util.Arrays;

/**
 * The values of a detector's ring buffer kept sorted beside it, so the window's median and median
 * absolute deviation cost O(n) without sorting: detectors read them on every epoch of every run,
 * and sorting copies of their windows was a tenth of the job's CPU (JFR on the job's throughput
 * benchmark). NaN values of the ring are left out. Not serialized: a detector's state holds it in a
 * transient field and rebuilds it from the ring after a restore ({@link #of}).
 */
final class SortedWindow {
  private final double[] values;
  private int size;

  private SortedWindow(int capacity) {
    this.values = new double[capacity];
  }

  /** The sorted non-NaN values of {@code ring[0..filled)}. */
  static SortedWindow of(double[] ring, int filled) {
    SortedWindow window = new SortedWindow(ring.length);
    for (int i = 0; i < filled; i++) {
      if (!Double.isNaN(ring[i])) {
        window.values[window.size++] = ring[i];
      }
    }
    Arrays.sort(window.values, 0, window.size);
    return window;
  }

  /** Adds x (NaN: nothing); the caller's ring never holds more than the capacity. */
  void add(double x) {
    if (Double.isNaN(x)) {
      return;
    }
    int at = Arrays.binarySearch(values, 0, size, x);
    if (at < 0) {
      at = -at - 1;
    }
    System.arraycopy(values, at, values, at + 1, size - at);
    values[at] = x;
    size++;
  }

  /** Removes one occurrence of x, which the ring held (NaN: nothing). */
  void remove(double x) {
    if (Double.isNaN(x)) {
      return;
    }
    int at = Arrays.binarySearch(values, 0, size, x);
    if (at < 0) {
      throw new IllegalStateException("value " + x + " is not in the window");
    }
    System.arraycopy(values, at + 1, values, at, size - at - 1);
    size--;
  }

  /** Non-NaN values held. */
  int size() {
    return size;
  }

  /** The median, the mean of the middle two for an even count; NaN when empty. */
  double median() {
    if (size == 0) {
      return Double.NaN;
    }
    return size % 2 == 1 ? values[size / 2] : 0.5 * (values[size / 2 - 1] + values[size / 2]);
  }

  /**
   * The median of |x − center| over the values; NaN when empty. The deviations below and above the
   * center are each already ordered, so merging them outwards from it reaches the middle in n/2
   * steps.
   */
  double medianDeviation(double center) {
    if (size == 0) {
      return Double.NaN;
    }
    int right = Arrays.binarySearch(values, 0, size, center);
    if (right < 0) {
      right = -right - 1;
    }
    while (right > 0 && values[right - 1] >= center) {
      right--;
    }
    int left = right - 1;
    double previous = 0;
    double current = 0;
    for (int k = 0; k <= size / 2; k++) {
      double below = left >= 0 ? center - values[left] : Double.POSITIVE_INFINITY;
      double above = right < size ? values[right] - center : Double.POSITIVE_INFINITY;
      previous = current;
      if (below <= above) {
        current = below;
        left--;
      } else {
        current = above;
        right++;
      }
    }
    return size % 2 == 1 ? current : 0.5 * (previous + current);
  }

  /** The values in order, for tests. */
  double[] toArray() {
    return Arrays.copyOf(values, size);
  }
}
