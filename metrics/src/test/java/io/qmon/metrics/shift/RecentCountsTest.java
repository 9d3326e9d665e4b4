package io.qmon.metrics.shift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.metrics.Distribution;
import io.qmon.metrics.TargetModel;
import io.qmon.metrics.stats.GTest;
import io.qmon.metrics.targets.ExplicitTarget;
import io.qmon.metrics.targets.ProductTarget;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The G values are scipy's ({@code power_divergence(..., lambda_="log-likelihood", axis=None)} on
 * the 2×K table of the epoch and the pool summed by hand), turned into normal scores by the
 * Wilson–Hilferty formula written out here.
 */
class RecentCountsTest {
  private static double wilsonHilferty(double g, int df) {
    double v = 2.0 / (9 * df);
    return (Math.cbrt(g / df) - (1 - v)) / Math.sqrt(v);
  }

  @Test
  void shouldTestEachEpochAgainstThePooledCountsOfTheLastEpochs() {
    RecentCounts recent = new RecentCounts(2, 16);
    assertTrue(Double.isNaN(recent.shift(new long[] {1, 3, 6}, new long[] {10, 20, 5})));
    recent.shift(new long[] {1, 3, 5}, new long[] {12, 15, 8});
    // Against epochs 1 + 2 = {1: 22, 3: 35, 5: 8, 6: 5}; outcomes given out of order.
    assertEquals(
        wilsonHilferty(45.966171395917925, 3),
        recent.shift(new long[] {6, 1, 3}, new long[] {9, 30, 1}),
        1e-9);
    // Epoch 1 has left the pool: against epochs 2 + 3 = {1: 42, 3: 16, 5: 8, 6: 9}.
    assertEquals(
        wilsonHilferty(58.0312032674522, 3),
        recent.shift(new long[] {3, 5}, new long[] {25, 10}),
        1e-9);
    assertEquals(2, recent.size());
  }

  @Test
  void shouldScoreAMoveTowardsUniformAgainstThePool() {
    RecentCounts recent = new RecentCounts(10, 16);
    recent.shift(new long[] {0}, new long[] {8}, 1);
    assertTrue(Double.isNaN(recent.uniformShift()), "the first epoch has nothing to compare with");
    recent.shift(new long[] {0, 1}, new long[] {6, 2}, 1);
    // Pool {0: 8}, two outcomes, u = 1/2; with half a count each p = (8.5/9, 0.5/9).
    // U = 6·u/p0 + 2·u/p1 − 8; Var = 8·(u²/p0 + u²/p1 − 1).
    double p0 = 8.5 / 9;
    double p1 = 0.5 / 9;
    double u = 0.5;
    double score = 6 * u / p0 + 2 * u / p1 - 8;
    double variance = 8 * (u * u / p0 + u * u / p1 - 1);
    assertEquals(score / Math.sqrt(variance), recent.uniformShift(), 1e-12);
    assertEquals(2.40098, recent.uniformShift(), 1e-5);
  }

  @Test
  void shouldScoreAMoveTowardsTheTargetAgainstThePool() {
    TargetModel target =
        ExplicitTarget.of("t", Distribution.of(1, new long[] {0, 1}, new double[] {0.3, 0.7}));
    RecentCounts recent = new RecentCounts(10, 16);
    recent.shift(new long[] {0}, new long[] {8}, 1, target);
    assertTrue(Double.isNaN(recent.targetShift()), "the first epoch has nothing to compare with");
    recent.shift(new long[] {0, 1}, new long[] {6, 2}, 1, target);
    // As the uniform score with t = (0.3, 0.7) for u: T = 6·t0/p0 + 2·t1/p1 − 8 over
    // √(8·(t0²/p0 + t1²/p1 − 1)), p = (8.5/9, 0.5/9).
    double p0 = 8.5 / 9;
    double p1 = 0.5 / 9;
    double score = 6 * 0.3 / p0 + 2 * 0.7 / p1 - 8;
    double variance = 8 * (0.3 * 0.3 / p0 + 0.7 * 0.7 / p1 - 1);
    assertEquals(score / Math.sqrt(variance), recent.targetShift(), 1e-12);
    recent.shift(new long[] {0, 1}, new long[] {6, 2}, 1);
    assertTrue(Double.isNaN(recent.targetShift()), "no target, no score");
  }

  /**
   * Over 3 qubits, with a target on outcomes the pool never saw: the score summed over all 8
   * outcomes one by one, against the scoring's pooled sums plus the collision probability for the
   * rest; the same for a product target, which has no enumeration; and a uniform target scores as
   * {@link RecentCounts#uniformShift()}.
   */
  @Test
  void shouldScoreTheTargetOverOutcomesThePoolNeverSaw() {
    long[][] outcomes = {{0, 1, 2, 5}, {0, 1, 3, 5}, {0, 1, 2, 3, 4, 5, 6}};
    long[][] counts = {{30, 10, 5, 15}, {25, 12, 4, 19}, {15, 45, 6, 6, 4, 14, 5}};
    TargetModel explicit =
        ExplicitTarget.of(
            "t", Distribution.of(3, new long[] {1, 4, 6, 7}, new double[] {0.4, 0.3, 0.2, 0.1}));
    TargetModel product = ProductTarget.of(0.2, 0.6, 0.9);
    TargetModel uniform =
        ExplicitTarget.of("u", Distribution.dense(3, new double[] {1, 1, 1, 1, 1, 1, 1, 1}));
    for (TargetModel target : new TargetModel[] {explicit, product, uniform}) {
      RecentCounts recent = new RecentCounts(10, 64);
      for (int e = 0; e < outcomes.length; e++) {
        recent.shift(outcomes[e], counts[e], 3, target);
      }
      // Pool = epochs 1 + 2 = {0: 55, 1: 22, 2: 5, 3: 4, 5: 34}, 120 shots, + ½ per outcome.
      double[] pooled = {55, 22, 5, 4, 0, 34, 0, 0};
      double[] epoch = {15, 45, 6, 6, 4, 14, 5, 0};
      double score = -95;
      double squares = 0;
      for (int x = 0; x < 8; x++) {
        double p = (pooled[x] + 0.5) / 124;
        double t = target.probabilityOf(x);
        score += epoch[x] * t / p;
        squares += t * t / p;
      }
      assertEquals(score / Math.sqrt(95 * (squares - 1)), recent.targetShift(), 1e-12);
      if (target == uniform) {
        assertEquals(recent.uniformShift(), recent.targetShift(), 1e-12);
      }
    }
  }

  @Test
  void shouldCallTheWholeMoveTowardsUniformWhenTwoOutcomesLeaveNoOtherDirection() {
    // With two outcomes the move towards uniform is the only direction: z² equals Pearson's X²
    // (5.764705882352941 by scipy.stats.chisquare([6, 2], 8·p)), whose excess X² − 1 it exceeds.
    RecentCounts recent = new RecentCounts(10, 16);
    recent.shift(new long[] {0}, new long[] {8}, 1);
    assertTrue(Double.isNaN(recent.uniformShare()), "the first epoch has nothing to compare with");
    recent.shift(new long[] {0, 1}, new long[] {6, 2}, 1);
    assertEquals(5.764705882352941, recent.uniformShift() * recent.uniformShift(), 1e-12);
    assertEquals(1.0, recent.uniformShare(), 0);
  }

  /**
   * The references are scipy's: {@code chisquare(epoch, N·p).statistic} over all 8 outcomes with p
   * the pool (epochs A + B) smoothed by half a count, z from the score formula in numpy, and share
   * = z² / (X² − 7).
   */
  @Test
  void shouldTellAMixTowardsUniformFromAMoveInManyDirections() {
    long[] outcomesA = {0, 1, 2, 5};
    long[] countsA = {30, 10, 5, 15};
    long[] outcomesB = {0, 1, 3, 5};
    long[] countsB = {25, 12, 4, 19};

    RecentCounts reshuffled = new RecentCounts(10, 64);
    reshuffled.shift(outcomesA, countsA, 3);
    reshuffled.shift(outcomesB, countsB, 3);
    reshuffled.shift(new long[] {0, 1, 2, 3, 5}, new long[] {20, 25, 3, 10, 2}, 3);
    // X² = 61.849659936616455, z = 0.250537029426497: almost none of the move flattens it.
    assertEquals(0.250537029426497, reshuffled.uniformShift(), 1e-12);
    assertEquals(0.0011443790752100969, reshuffled.uniformShare(), 1e-12);

    RecentCounts mixed = new RecentCounts(10, 64);
    mixed.shift(outcomesA, countsA, 3);
    mixed.shift(outcomesB, countsB, 3);
    mixed.shift(new long[] {0, 1, 2, 3, 4, 5, 6, 7}, new long[] {15, 45, 6, 6, 4, 14, 5, 3}, 3);
    // X² = 173.13064116790824, z = 10.478060511583491: flatter, and reshuffled besides.
    assertEquals(10.478060511583491, mixed.uniformShift(), 1e-12);
    assertEquals(0.6608639520835942, mixed.uniformShare(), 1e-12);
  }

  @Test
  void shouldIgnoreOutcomesWithZeroCounts() {
    RecentCounts withZeros = new RecentCounts(3, 16);
    RecentCounts without = new RecentCounts(3, 16);
    withZeros.shift(new long[] {0, 1, 2}, new long[] {10, 0, 30});
    without.shift(new long[] {0, 2}, new long[] {10, 30});
    assertEquals(
        without.shift(new long[] {0, 2}, new long[] {20, 20}),
        withZeros.shift(new long[] {0, 1, 2}, new long[] {20, 0, 20}),
        1e-12);
  }

  @Test
  void shouldReportNothingAndRestartWhenThereAreTooManyOutcomes() {
    RecentCounts recent = new RecentCounts(3, 4);
    recent.shift(new long[] {0, 1}, new long[] {5, 5});
    assertTrue(Double.isNaN(recent.shift(new long[] {0, 1, 2, 3, 4}, new long[] {1, 1, 1, 1, 1})));
    assertEquals(0, recent.size());
    assertTrue(Double.isNaN(recent.shift(new long[] {0, 1}, new long[] {5, 5})));
  }

  @Test
  void shouldStayWithinSamplingNoiseWhenTheGeneratorDoesNotChange() {
    // 200 epochs of 1024 shots from one fixed distribution over 8 outcomes: the scores are about
    // N(0, 1), so none passes 5 (a one-sided tail of 3e-7 per epoch).
    java.util.SplittableRandom rng = new java.util.SplittableRandom(42);
    double[] p = {0.3, 0.2, 0.15, 0.1, 0.1, 0.08, 0.05, 0.02};
    RecentCounts recent = RecentCounts.withDefaults();
    double sum = 0;
    int n = 0;
    for (int epoch = 0; epoch < 200; epoch++) {
      long[] counts = MultinomialDraws.counts(rng, p, 1024);
      double z = recent.shift(new long[] {0, 1, 2, 3, 4, 5, 6, 7}, counts);
      if (!Double.isNaN(z)) {
        assertTrue(z < 5, "epoch " + epoch + ": " + z);
        sum += z;
        n++;
      }
    }
    assertEquals(0, sum / n, 0.35);
  }

  /**
   * Over a long stream whose support keeps changing (outcomes appear, vanish, arrive out of order,
   * more and fewer per epoch), every score equals the G-test against the last epochs summed by hand
   * in a map; a copy serialized mid-stream (as Flink state is) scores the rest identically.
   */
  @Test
  void shouldKeepThePoolExactOverALongStreamAndAcrossSerialization() throws Exception {
    int epochs = 4;
    RecentCounts recent = new RecentCounts(epochs, 64);
    RecentCounts restored = null;
    Deque<Map<Long, Long>> window = new ArrayDeque<>();
    SplittableRandom random = new SplittableRandom(7);
    for (int epoch = 0; epoch < 400; epoch++) {
      int distinct = 1 + random.nextInt(12);
      Map<Long, Long> drawn = new TreeMap<>();
      while (drawn.size() < distinct) {
        drawn.put((long) random.nextInt(20), 1L + random.nextInt(50));
      }
      long[] outcomes = new long[distinct];
      long[] counts = new long[distinct];
      int k = 0;
      for (Map.Entry<Long, Long> e : drawn.entrySet()) {
        outcomes[k] = e.getKey();
        counts[k++] = e.getValue();
      }
      if (epoch % 3 == 0) {
        reverse(outcomes);
        reverse(counts);
      }
      double expected = Double.NaN;
      if (!window.isEmpty()) {
        TreeMap<Long, Long> pool = new TreeMap<>();
        window.forEach(m -> m.forEach((o, c) -> pool.merge(o, c, Long::sum)));
        long[] poolOutcomes = pool.keySet().stream().mapToLong(Long::longValue).toArray();
        long[] poolCounts = pool.values().stream().mapToLong(Long::longValue).toArray();
        long[] sortedOutcomes = drawn.keySet().stream().mapToLong(Long::longValue).toArray();
        long[] sortedCounts = drawn.values().stream().mapToLong(Long::longValue).toArray();
        double[] g =
            GTest.homogeneity(
                sortedOutcomes,
                sortedCounts,
                distinct,
                poolOutcomes,
                poolCounts,
                poolOutcomes.length);
        expected = GTest.normalScore(g[0], g[1]);
      }
      double score = recent.shift(outcomes.clone(), counts.clone(), 5);
      assertEquals(expected, score, 0, "epoch " + epoch);
      if (restored != null) {
        assertEquals(score, restored.shift(outcomes.clone(), counts.clone(), 5), 0);
        assertEquals(recent.uniformShift(), restored.uniformShift(), 0);
        assertEquals(recent.uniformShare(), restored.uniformShare(), 0);
      }
      if (epoch == 150) {
        restored = roundTrip(recent);
      }
      window.addLast(drawn);
      if (window.size() > epochs) {
        window.removeFirst();
      }
    }
  }

  /**
   * The pool keeps the target's probability of each outcome in step with it, so an epoch looks up
   * only its new outcomes: over a stream whose support keeps changing, with epochs given no target
   * and the target changed twice, every score equals the sum over all 32 outcomes one by one, and a
   * copy serialized mid-stream (which keeps no probabilities) scores the rest the same.
   */
  @Test
  void shouldScoreTheTargetExactlyWhileThePoolAndTheTargetChange() throws Exception {
    int epochs = 4;
    TargetModel first =
        ExplicitTarget.of(
            "first",
            Distribution.of(5, new long[] {1, 4, 9, 17, 30}, new double[] {4, 3, 1, 1, 1}));
    TargetModel second = ProductTarget.of(0.3, 0.5, 0.7, 0.2, 0.9);
    RecentCounts recent = new RecentCounts(epochs, 64);
    RecentCounts restored = null;
    Deque<Map<Long, Long>> window = new ArrayDeque<>();
    SplittableRandom random = new SplittableRandom(3);
    for (int epoch = 0; epoch < 300; epoch++) {
      TargetModel target = epoch % 7 == 3 ? null : epoch >= 100 && epoch < 200 ? second : first;
      Map<Long, Long> drawn = new TreeMap<>();
      int distinct = 1 + random.nextInt(12);
      while (drawn.size() < distinct) {
        drawn.put((long) random.nextInt(32), 1L + random.nextInt(50));
      }
      long[] outcomes = drawn.keySet().stream().mapToLong(Long::longValue).toArray();
      long[] counts = drawn.values().stream().mapToLong(Long::longValue).toArray();
      recent.shift(outcomes, counts, 5, target);
      if (window.isEmpty() || target == null) {
        assertTrue(Double.isNaN(recent.targetShift()), "epoch " + epoch);
      } else {
        Map<Long, Long> pool = new TreeMap<>();
        window.forEach(m -> m.forEach((o, c) -> pool.merge(o, c, Long::sum)));
        double pooledShots = pool.values().stream().mapToLong(Long::longValue).sum();
        double shots = drawn.values().stream().mapToLong(Long::longValue).sum();
        double score = -shots;
        double squares = 0;
        for (long x = 0; x < 32; x++) {
          double p = (pool.getOrDefault(x, 0L) + 0.5) / (pooledShots + 16);
          double t = target.probabilityOf(x);
          score += drawn.getOrDefault(x, 0L) * t / p;
          squares += t * t / p;
        }
        double expected = score / Math.sqrt(shots * (squares - 1));
        assertEquals(expected, recent.targetShift(), 1e-9 * Math.max(1, Math.abs(expected)));
      }
      if (restored != null) {
        restored.shift(outcomes, counts, 5, target);
        assertEquals(recent.targetShift(), restored.targetShift(), 0, "epoch " + epoch);
      }
      if (epoch == 150) {
        restored = roundTrip(recent);
      }
      window.addLast(drawn);
      if (window.size() > epochs) {
        window.removeFirst();
      }
    }
  }

  private static void reverse(long[] xs) {
    for (int i = 0, j = xs.length - 1; i < j; i++, j--) {
      long t = xs[i];
      xs[i] = xs[j];
      xs[j] = t;
    }
  }

  private static RecentCounts roundTrip(RecentCounts recent) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(recent);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (RecentCounts) in.readObject();
    }
  }
}
