package io.qmon.metrics.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The sorted window against the textbook definitions computed here by sorting copies: the median
 * and the median of absolute deviations from it, over a sliding window of a stream with many ties
 * and some NaNs (left out).
 */
class SortedWindowTest {
  private static double textbookMedian(double[] xs) {
    double[] sorted = xs.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    if (n == 0) {
      return Double.NaN;
    }
    return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
  }

  @Test
  void shouldMatchTheMedianAndMedianDeviationOfTheWindow() {
    int capacity = 30;
    SortedWindow sorted = SortedWindow.of(new double[capacity], 0);
    Deque<Double> window = new ArrayDeque<>();
    SplittableRandom random = new SplittableRandom(3);
    for (int step = 0; step < 5000; step++) {
      // Whole and half values make ties common; some large ones skew the window; some NaNs.
      int kind = random.nextInt(20);
      double x =
          kind == 0 ? Double.NaN : kind < 3 ? random.nextDouble(-50, 50) : random.nextInt(12) / 2.0;
      if (window.size() == capacity) {
        sorted.remove(window.removeFirst());
      }
      sorted.add(x);
      window.addLast(x);
      double[] values =
          window.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).toArray();
      double median = textbookMedian(values);
      double[] deviations = Arrays.stream(values).map(v -> Math.abs(v - median)).toArray();
      assertEquals(median, sorted.median(), 0, "step " + step);
      assertEquals(textbookMedian(deviations), sorted.medianDeviation(median), 0, "step " + step);
      double[] expectedOrder = values.clone();
      Arrays.sort(expectedOrder);
      assertEquals(Arrays.toString(expectedOrder), Arrays.toString(sorted.toArray()));
    }
  }

  @Test
  void shouldRebuildFromARingLeavingNaNsOut() {
    double[] ring = {4, Double.NaN, -1, 2.5, 0, 0};
    SortedWindow sorted = SortedWindow.of(ring, 4);
    assertEquals("[-1.0, 2.5, 4.0]", Arrays.toString(sorted.toArray()));
    assertEquals(2.5, sorted.median(), 0);
    // |x − 2.5| = {3.5, 0, 1.5}: median 1.5.
    assertEquals(1.5, sorted.medianDeviation(2.5), 0);
    assertTrue(Double.isNaN(SortedWindow.of(ring, 0).median()));
  }
}
