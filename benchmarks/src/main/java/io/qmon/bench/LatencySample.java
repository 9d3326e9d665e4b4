package io.qmon.bench;

import java.util.Arrays;

/** A growable list of latencies in milliseconds, with nearest-rank percentiles. */
final class LatencySample {
  private long[] values = new long[1024];
  private int size;

  synchronized void add(long millis) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = millis;
  }

  synchronized int size() {
    return size;
  }

  /** The summary, or null when there are no values. */
  synchronized Summary summary() {
    if (size == 0) {
      return null;
    }
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    return new Summary(rank(sorted, 0.50), rank(sorted, 0.99), sorted[size - 1], size);
  }

  private static long rank(long[] sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, index)];
  }

  /** p50, p99 and max in milliseconds over {@code count} values. */
  record Summary(long p50, long p99, long max, int count) {
    @Override
    public String toString() {
      return p50 + " / " + p99 + " / " + max;
    }
  }
}
