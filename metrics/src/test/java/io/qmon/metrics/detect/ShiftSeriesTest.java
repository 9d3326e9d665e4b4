package io.qmon.metrics.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.metrics.Distribution;
import io.qmon.metrics.MetricNames;
import io.qmon.metrics.TargetModel;
import io.qmon.metrics.shift.MultinomialDraws;
import io.qmon.metrics.shift.RecentCounts;
import io.qmon.metrics.targets.ExplicitTarget;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The shift detectors on series recorded from the simulator ({@code RecordTestSeries}: a Born
 * machine, 3 qubits, 2048 shots, calibrated SPSA, seed 3): healthy to its end, and with its output
 * mixed towards uniform from epoch 60 (λ ramping to 0.5 over 5 epochs). Expected epochs come from
 * the labels, never from the detectors.
 */
class ShiftSeriesTest {
  private static final int FAULT = 60;

  private static List<Observation> load(String name) {
    InputStream in = ShiftSeriesTest.class.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("missing test resource " + name);
    }
    List<Observation> rows = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      r.readLine();
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String[] f = line.split(",", -1);
        Map<String, Double> values = new HashMap<>();
        if (!f[1].isEmpty()) {
          values.put(MetricNames.WINDOW_SHIFT, Double.parseDouble(f[1]));
        }
        if (!f[2].isEmpty()) {
          values.put(MetricNames.WINDOW_SHIFT_UNIFORM, Double.parseDouble(f[2]));
        }
        if (!f[3].isEmpty()) {
          values.put(MetricNames.WINDOW_SHIFT_UNIFORM_SHARE, Double.parseDouble(f[3]));
        }
        if (!f[4].isEmpty()) {
          values.put(MetricNames.WINDOW_SHIFT_TARGET, Double.parseDouble(f[4]));
        }
        rows.add(Observation.of(Long.parseLong(f[0]), values, Map.of()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  private static <S extends java.io.Serializable> List<AlertDecision> replay(
      Detector<S> detector, List<Observation> series) {
    S state = detector.initialState();
    List<AlertDecision> out = new ArrayList<>();
    for (Observation o : series) {
      detector.observe(state, o).ifPresent(out::add);
    }
    return out;
  }

  @Test
  void shouldStaySilentOnAHealthyRunToItsEnd() {
    List<Observation> converged = load("converged-shift.csv");
    assertTrue(replay(DistributionShiftDetector.defaults(() -> 0L), converged).isEmpty());
    assertTrue(
        replay(DistributionShiftDetector.uniformDriftDefaults(() -> 0L), converged).isEmpty());
  }

  @Test
  void uniformDriftShouldCatchNoiseDriftWithinThreeEpochsAndResolveOnceThePoolCatchesUp() {
    List<AlertDecision> decisions =
        replay(
            DistributionShiftDetector.uniformDriftDefaults(() -> 0L),
            load("noise-drift-shift.csv"));
    assertFirstEpisodeWithin(decisions, FAULT + 3);
  }

  @Test
  void distributionShiftShouldCatchNoiseDriftWhileTheRampLasts() {
    // The generic test spreads its power over every outcome: on this run, whose epochs move by
    // 3 ± 2.5 σ, it needs the whole ramp (λ reaches 0.5 at epoch 64).
    List<AlertDecision> decisions =
        replay(DistributionShiftDetector.defaults(() -> 0L), load("noise-drift-shift.csv"));
    assertFirstEpisodeWithin(decisions, FAULT + 4);
  }

  private static PaceCusumDetector uniformCusum() {
    return PaceCusumDetector.uniformCusumDefaults(() -> 0L);
  }

  @Test
  void uniformCusumShouldStaySilentOnAHealthyRunToItsEnd() {
    assertTrue(replay(uniformCusum(), load("converged-shift.csv")).isEmpty());
  }

  @Test
  void uniformCusumShouldCatchNoiseDriftWithinThreeEpochsAndResolveOnceThePoolCatchesUp() {
    assertFirstEpisodeWithin(replay(uniformCusum(), load("noise-drift-shift.csv")), FAULT + 3);
  }

  @Test
  void uniformCusumShouldNotCountAMoveThatMixingTowardsUniformDoesNotExplain() {
    // The same drift, but as if each epoch's move had mostly gone in other directions (a training
    // step that also flattens the output): no epoch adds evidence, so nothing fires.
    List<Observation> reshuffled = new ArrayList<>();
    for (Observation o : load("noise-drift-shift.csv")) {
      Map<String, Double> values = new HashMap<>();
      o.value(MetricNames.WINDOW_SHIFT_UNIFORM)
          .ifPresent(v -> values.put(MetricNames.WINDOW_SHIFT_UNIFORM, v));
      values.put(MetricNames.WINDOW_SHIFT_UNIFORM_SHARE, 0.29);
      reshuffled.add(Observation.of(o.epoch(), values, Map.of()));
    }
    assertTrue(replay(uniformCusum(), reshuffled).isEmpty());
  }

  @Test
  void uniformCusumShouldStaySilentOnARunAtItsShotNoiseFloor() {
    // A converged run: 1,000 epochs of 1,024 shots from one distribution over 8 outcomes, scored
    // as the job scores them. Its scores are shot noise alone, so nothing may fire.
    SplittableRandom rng = new SplittableRandom(11);
    double[] p = {0.3, 0.2, 0.15, 0.1, 0.1, 0.08, 0.05, 0.02};
    long[] outcomes = {0, 1, 2, 3, 4, 5, 6, 7};
    RecentCounts recent = RecentCounts.withDefaults();
    List<Observation> series = new ArrayList<>();
    for (int epoch = 1; epoch <= 1000; epoch++) {
      long[] counts = MultinomialDraws.counts(rng, p, 1024);
      recent.shift(outcomes, counts, 3);
      Map<String, Double> values = new HashMap<>();
      if (!Double.isNaN(recent.uniformShift())) {
        values.put(MetricNames.WINDOW_SHIFT_UNIFORM, recent.uniformShift());
        values.put(MetricNames.WINDOW_SHIFT_UNIFORM_SHARE, recent.uniformShare());
      }
      series.add(Observation.of(epoch, values, Map.of()));
    }
    assertTrue(replay(uniformCusum(), series).isEmpty());
  }

  /**
   * A 3-qubit run at 2,048 shots, steady on a sharp output until epoch 60, then moved over 5 epochs
   * halfway towards {@code towards} (λ ramping to 0.5, as the recorded drift), scored as the job
   * scores it against a broad target.
   */
  private static List<Observation> rampTowards(double[] towards) {
    double[] sharp = {0.5, 0.2, 0.1, 0.08, 0.05, 0.04, 0.02, 0.01};
    long[] outcomes = {0, 1, 2, 3, 4, 5, 6, 7};
    TargetModel target = ExplicitTarget.of("broad", Distribution.of(3, outcomes, BROAD));
    SplittableRandom rng = new SplittableRandom(5);
    RecentCounts recent = RecentCounts.withDefaults();
    List<Observation> series = new ArrayList<>();
    for (int epoch = 1; epoch <= 100; epoch++) {
      double lambda = 0.5 * Math.min(1, Math.max(0, epoch - FAULT + 1) / 5.0);
      double[] p = new double[8];
      for (int x = 0; x < 8; x++) {
        p[x] = (1 - lambda) * sharp[x] + lambda * towards[x];
      }
      recent.shift(outcomes, MultinomialDraws.counts(rng, p, 2048), 3, target);
      Map<String, Double> values = new HashMap<>();
      if (!Double.isNaN(recent.uniformShift())) {
        values.put(MetricNames.WINDOW_SHIFT_UNIFORM, recent.uniformShift());
        values.put(MetricNames.WINDOW_SHIFT_UNIFORM_SHARE, recent.uniformShare());
        values.put(MetricNames.WINDOW_SHIFT_TARGET, recent.targetShift());
      }
      series.add(Observation.of(epoch, values, Map.of()));
    }
    return series;
  }

  private static final double[] BROAD = {0.2, 0.18, 0.16, 0.14, 0.12, 0.1, 0.06, 0.04};

  private static final double[] UNIFORM = {0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125};

  @Test
  void uniformCusumShouldNotCountAMoveTowardsTheRunsOwnBroadTarget() {
    // Learning a broad target flattens the output too: without the target condition (the defaults
    // otherwise) the detector takes that for noise and fires; with it, the move scores higher
    // towards the target than
    // towards uniform and adds nothing. The same ramp towards uniform on the same run still fires.
    Map<String, Number> p = uniformCusum().parameters();
    PaceCusumDetector withoutTarget =
        new PaceCusumDetector(
            "uniform-cusum",
            MetricNames.WINDOW_SHIFT_UNIFORM,
            p.get("window").intValue(),
            p.get("min-samples").intValue(),
            p.get("slack").doubleValue(),
            p.get("cap").doubleValue(),
            p.get("limit").doubleValue(),
            p.get("min-shift").doubleValue(),
            MetricNames.WINDOW_SHIFT_UNIFORM_SHARE,
            p.get("min-share").doubleValue(),
            MetricNames.WINDOW_SHIFT_TARGET,
            0,
            p.get("resolve-after").intValue(),
            Severity.WARNING,
            () -> 0L);
    List<Observation> learning = rampTowards(BROAD);
    assertFirstEpisodeWithin(replay(withoutTarget, learning), FAULT + 3);
    assertTrue(replay(uniformCusum(), learning).isEmpty());
    assertFirstEpisodeWithin(replay(uniformCusum(), rampTowards(UNIFORM)), FAULT + 3);
  }

  private static void assertFirstEpisodeWithin(List<AlertDecision> decisions, int lastEpoch) {
    assertEquals(2, decisions.size(), decisions.toString());
    AlertDecision fired = decisions.get(0);
    assertEquals(AlertState.FIRING, fired.state());
    assertTrue(fired.epoch() >= FAULT && fired.epoch() <= lastEpoch, fired.toString());
    // The drift stops growing at epoch 64; the pool of the last 10 epochs has absorbed it by 74.
    AlertDecision resolved = decisions.get(1);
    assertEquals(AlertState.RESOLVED, resolved.state());
    assertTrue(resolved.epoch() <= FAULT + 20, resolved.toString());
  }
}
