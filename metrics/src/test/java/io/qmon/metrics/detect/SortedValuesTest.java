package io.qmon.metrics.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The sorted window against the textbook definitions computed here by sorting copies: the median
 * and the median of absolute deviations from it, over a sliding window of a stream with many ties.
 */
class SortedValuesTest {
  private static double textbookMedian(double[] xs) {
    double[] sorted = xs.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
  }

  @Test
  void shouldMatchTheMedianAndMedianDeviationOfTheWindow() {
    int capacity = 30;
    double[] sorted = new double[capacity];
    int n = 0;
    Deque<Double> window = new ArrayDeque<>();
    SplittableRandom random = new SplittableRandom(3);
    for (int step = 0; step < 5000; step++) {
      // Whole and half values make ties common; some large ones make the window skewed.
      double x = random.nextInt(10) == 0 ? random.nextDouble(-50, 50) : random.nextInt(12) / 2.0;
      if (n == capacity) {
        SortedValues.remove(sorted, n--, window.removeFirst());
      }
      SortedValues.insert(sorted, n++, x);
      window.addLast(x);
      double[] values = window.stream().mapToDouble(Double::doubleValue).toArray();
      double median = textbookMedian(values);
      double[] deviations = Arrays.stream(values).map(v -> Math.abs(v - median)).toArray();
      assertEquals(median, SortedValues.median(sorted, n), 0, "step " + step);
      assertEquals(
          textbookMedian(deviations),
          SortedValues.medianDeviation(sorted, n, median),
          0,
          "step " + step);
      double[] expectedOrder = values.clone();
      Arrays.sort(expectedOrder);
      assertEquals(
          Arrays.toString(expectedOrder),
          Arrays.toString(Arrays.copyOf(sorted, n)),
          "step " + step);
    }
  }

  @Test
  void shouldRebuildTheSortedCopyFromARing() {
    double[] ring = {4, -1, 2.5, 0, 0};
    double[] sorted = SortedValues.of(ring, 3, 5);
    assertEquals("[-1.0, 2.5, 4.0]", Arrays.toString(Arrays.copyOf(sorted, 3)));
    assertEquals(2.5, SortedValues.median(sorted, 3), 0);
    // |x − 2.5| = {3.5, 0, 1.5}: median 1.5.
    assertEquals(1.5, SortedValues.medianDeviation(sorted, 3, 2.5), 0);
  }
}
