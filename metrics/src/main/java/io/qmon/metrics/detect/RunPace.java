package io.qmon.metrics.detect;

import java.io.Serializable;

/**
 * A run's usual move of a shift score: its last {@code window} accepted scores, their median (the
 * pace) and robust spread (1.4826·MAD, never below 1, the score's own sampling noise). Shared by
 * the detectors that judge a score against the run's own pace ({@link DistributionShiftDetector},
 * {@link PaceCusumDetector}); part of their checkpointed state, with the sorted copy transient and
 * rebuilt from the ring after a restore.
 */
final class RunPace implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[] ring;
  private int size;
  private int next;
  private transient SortedWindow sorted;

  RunPace(int window) {
    this.ring = new double[window];
  }

  /** Scores held. */
  int size() {
    return size;
  }

  /** Adds an accepted score, dropping the oldest once the window is full. */
  void add(double x) {
    SortedWindow window = sorted();
    if (size == ring.length) {
      window.remove(ring[next]);
    }
    window.add(x);
    ring[next] = x;
    next = (next + 1) % ring.length;
    size = Math.min(ring.length, size + 1);
  }

  /** The median of the held scores. */
  double pace() {
    return sorted().median();
  }

  /** 1.4826 × the median absolute deviation from {@code pace}, at least 1. */
  double spread(double pace) {
    return Math.max(1, 1.4826 * sorted().medianDeviation(pace));
  }

  private SortedWindow sorted() {
    if (sorted == null) {
      sorted = SortedWindow.of(ring, size);
    }
    return sorted;
  }
}
