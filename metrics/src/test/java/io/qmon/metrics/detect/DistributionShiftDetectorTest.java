package io.qmon.metrics.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.metrics.MetricNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Limits worked out by hand from the median and MAD of the values fed before. */
class DistributionShiftDetectorTest {
  private static DistributionShiftDetector detector(double width, double minShift) {
    return new DistributionShiftDetector(10, 10, width, minShift, 1, 3, Severity.WARNING, () -> 0L);
  }

  private static List<AlertDecision> feed(DistributionShiftDetector d, double... shifts) {
    DistributionShiftDetector.State s = d.initialState();
    List<AlertDecision> out = new ArrayList<>();
    for (int epoch = 0; epoch < shifts.length; epoch++) {
      Optional<AlertDecision> decision =
          d.observe(
              s, Observation.of(epoch, Map.of(MetricNames.WINDOW_SHIFT, shifts[epoch]), Map.of()));
      decision.ifPresent(out::add);
    }
    return out;
  }

  private static final double[] FAST_LEARNING = {9, 10, 11, 10, 9, 10, 11, 10, 9, 10};

  @Test
  void shouldNotFireOnAMoveWithinTheRunsOwnPace() {
    // Median 10; absolute deviations 1,0,1,0,... have median 0.5, 1.4826 × 0.5 < 1, so the spread
    // is 1 and the limit 10 + 5 × 1 = 15.
    double[] series = append(FAST_LEARNING, 14.9, 12, 8);
    assertTrue(feed(detector(5, 4), series).isEmpty());
  }

  @Test
  void shouldFireBeyondTheRunsPaceAndResolveAfterThreeEpochsBack() {
    List<AlertDecision> decisions =
        feed(detector(5, 4), append(FAST_LEARNING, 15.5, 20, 10, 11, 9));
    assertEquals(2, decisions.size());
    assertEquals(AlertState.FIRING, decisions.get(0).state());
    assertEquals(10, decisions.get(0).epoch());
    assertEquals(15, decisions.get(0).threshold(), 1e-12);
    assertEquals(AlertState.RESOLVED, decisions.get(1).state());
    assertEquals(14, decisions.get(1).epoch());
  }

  @Test
  void shouldNeedAShiftBeyondSamplingNoiseOnAConvergedRun() {
    // A converged run's scores sit at 0: pace 0, spread 1, so width 2 alone would allow 2; the
    // shot-noise limit of 4 standard deviations holds.
    double[] converged = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    assertTrue(feed(detector(2, 4), append(converged, 3.9, 3.5)).isEmpty());
    List<AlertDecision> decisions = feed(detector(2, 4), append(converged, 4.1));
    assertEquals(1, decisions.size());
    assertEquals(4, decisions.get(0).threshold(), 1e-12);
  }

  @Test
  void shouldStaySilentUntilItHasSeenMinSamples() {
    assertTrue(feed(detector(1, 1), 0, 0, 0, 0, 0, 0, 0, 0, 50, 50).isEmpty());
  }

  private static double[] append(double[] head, double... tail) {
    double[] out = java.util.Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, out, head.length, tail.length);
    return out;
  }
}
