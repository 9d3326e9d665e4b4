package io.qmon.metrics.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.metrics.MetricNames;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DetectorsTest {
  private static final int EPOCHS = 1000;
  private static final int INJECT_AT = 500;
  private static final List<Observation> HEALTHY =
      SyntheticRun.run(EPOCHS, 1, e -> SyntheticRun.healthy());

  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);

  private List<Detector<?>> all() {
    return List.of(
        new ThresholdDetector(
            MetricNames.JSD, Direction.UP, 0.05, 0.03, 1, 2, Severity.WARNING, clock::get),
        RollingZScoreDetector.defaults(MetricNames.JSD, Direction.UP, clock::get),
        EwmaDetector.defaults(MetricNames.JSD, Direction.UP, clock::get),
        CusumDetector.defaults(MetricNames.JSD, clock::get),
        StalledTrainingDetector.defaults(MetricNames.JSD, true, clock::get),
        ModeCollapseDetector.defaults(clock::get),
        NoiseFloorDetector.defaults(MetricNames.JSD, clock::get));
  }

  @Test
  void shouldNotAlertOnShotNoiseAlone() {
    for (Detector<?> detector : all()) {
      int firingEpochs = replay(detector, HEALTHY).firingEpochs;
      assertTrue(
          firingEpochs <= EPOCHS / 100,
          detector.name() + " was firing in " + firingEpochs + " of " + EPOCHS + " healthy epochs");
    }
  }

  @Test
  void shouldDetectModeCollapseWithinThreeEpochs() {
    List<Observation> run =
        SyntheticRun.run(
            EPOCHS, 2, e -> e < INJECT_AT ? SyntheticRun.healthy() : SyntheticRun.collapsed());
    for (Detector<?> detector : all()) {
      if (detector instanceof StalledTrainingDetector) {
        continue;
      }
      Replay r = replay(detector, run);
      AlertDecision first = r.firstFiringAtOrAfter(INJECT_AT);
      assertTrue(
          first != null && first.epoch() < INJECT_AT + 3,
          detector.name() + " fired at " + (first == null ? "never" : first.epoch()));
    }
  }

  @Test
  void shouldDetectDivergenceJumpWithinThreeEpochs() {
    List<Observation> run =
        SyntheticRun.run(
            EPOCHS, 3, e -> e < INJECT_AT ? SyntheticRun.healthy() : SyntheticRun.drifted());
    List<Detector<?>> detectors =
        List.of(
            NoiseFloorDetector.defaults(MetricNames.JSD, clock::get),
            NoiseFloorDetector.defaults(MetricNames.TV, clock::get),
            RollingZScoreDetector.defaults(MetricNames.JSD, Direction.UP, clock::get),
            EwmaDetector.defaults(MetricNames.JSD, Direction.UP, clock::get),
            CusumDetector.defaults(MetricNames.HELLINGER, clock::get));
    for (Detector<?> detector : detectors) {
      AlertDecision first = replay(detector, run).firstFiringAtOrAfter(INJECT_AT);
      assertTrue(
          first != null && first.epoch() < INJECT_AT + 3,
          detector.name() + " fired at " + (first == null ? "never" : first.epoch()));
    }
  }

  @Test
  void shouldResolveModeCollapseOnceTheModesReturn() {
    List<Observation> run =
        SyntheticRun.run(
            100, 4, e -> e >= 50 && e < 60 ? SyntheticRun.collapsed() : SyntheticRun.healthy());
    Replay r = replay(ModeCollapseDetector.defaults(clock::get), run);
    assertEquals(2, r.decisions.size(), r.decisions.toString());
    AlertDecision fired = r.decisions.get(0);
    AlertDecision resolved = r.decisions.get(1);
    assertEquals(AlertState.FIRING, fired.state());
    // The defaults fire on the second collapsed epoch in a row.
    assertEquals(51, fired.epoch());
    assertEquals(Severity.CRITICAL, fired.severity());
    assertEquals("mode-collapse", fired.detector());
    assertTrue(fired.reason().contains("dropped modes"), fired.reason());
    assertEquals(AlertState.RESOLVED, resolved.state());
    assertEquals(62, resolved.epoch());
  }

  @Test
  void shouldNotCallAnEarlyTransientCollapseAModeCollapse() {
    // The demo's healthy 5-qubit run collapsed at epoch 3 and recovered; healthy SPSA runs do so
    // in their first 30 epochs. The same collapse after the warm-up of 40 epochs fires.
    List<Observation> early =
        SyntheticRun.run(
            100, 5, e -> e >= 3 && e < 10 ? SyntheticRun.collapsed() : SyntheticRun.healthy());
    assertTrue(replay(ModeCollapseDetector.defaults(clock::get), early).decisions.isEmpty());
    List<Observation> late =
        SyntheticRun.run(
            100, 5, e -> e >= 41 && e < 48 ? SyntheticRun.collapsed() : SyntheticRun.healthy());
    AlertDecision fired =
        replay(ModeCollapseDetector.defaults(clock::get), late).firstFiringAtOrAfter(41);
    assertEquals(42, fired.epoch());
  }

  @Test
  void shouldCatchACollapseOfALowCoverageRunByItsShareOfTheModes() {
    // Coverage 12, 13, 14 of 25 modes (median 0.52) and entropy 0.78/0.80/0.82 (median 0.80),
    // then 9 of 25 (0.36, a drop of 0.16) with entropy 0.60 from epoch 61. Ratio 0.3: drop
    // min(0.2, 0.3 × 0.52 = 0.156), limit 0.364, entropy limit 0.68; both crossed, so the second
    // collapsed epoch fires. Without the ratio the limit is 0.32 and 0.36 stays above it.
    List<Observation> run = coverageRun(new double[] {0.48, 0.52, 0.56}, 0.36, 0.60, 61, 70);
    AlertDecision fired = replay(modeCollapse(0.3), run).firstFiringAtOrAfter(61);
    assertTrue(fired != null, "the relative bound never fired");
    assertEquals(62, fired.epoch());
    assertTrue(fired.reason().contains("limit 0.3640"), fired.reason());
    assertEquals(List.of(), replay(modeCollapse(0), run).decisions);
  }

  @Test
  void shouldNotLoosenTheAbsoluteDropForAHighCoverageRun() {
    // Coverage 22, 23, 24 of 25 modes (median 0.92) wobbling by the same 0.16 to 0.76 for two
    // epochs while entropy falls from 0.80 to 0.60: 0.3 × 0.92 = 0.276 exceeds 0.2, so the limit
    // stays 0.72 and the wobble stays silent. A fall to 0.68 (below 0.72) does fire.
    double[] high = {0.88, 0.92, 0.96};
    assertEquals(
        List.of(), replay(modeCollapse(0.3), coverageRun(high, 0.76, 0.60, 61, 62)).decisions);
    AlertDecision deeper =
        replay(modeCollapse(0.3), coverageRun(high, 0.68, 0.60, 61, 62)).firstFiringAtOrAfter(61);
    assertTrue(deeper != null && deeper.epoch() == 62, String.valueOf(deeper));
  }

  @Test
  void shouldNotCallAnEntropyFallACollapseWhenNoModeWasCovered() {
    // A median coverage of 0 gives a relative drop of 0: coverage 0 is at the limit, but there
    // was no mode to lose.
    List<Observation> run = coverageRun(new double[] {0, 0, 0}, 0, 0.60, 61, 70);
    assertEquals(List.of(), replay(modeCollapse(0.3), run).decisions);
  }

  /** The default mode-collapse detector with the given coverage ratio. */
  private ModeCollapseDetector modeCollapse(double coverageRatio) {
    return new ModeCollapseDetector(
        20, 40, 0.20, coverageRatio, 0.15, 2, 3, Severity.CRITICAL, clock::get);
  }

  /**
   * 80 epochs without JSD: coverage cycling through {@code healthy} with normalised entropy
   * 0.78/0.80/0.82 in step, except epochs {@code from} to {@code to}, which report {@code coverage}
   * and {@code entropy}.
   */
  private static List<Observation> coverageRun(
      double[] healthy, double coverage, double entropy, int from, int to) {
    double[] entropies = {0.78, 0.80, 0.82};
    List<Observation> run = new ArrayList<>();
    for (int epoch = 1; epoch <= 80; epoch++) {
      boolean fallen = epoch >= from && epoch <= to;
      run.add(
          Observation.of(
              epoch,
              Map.of(
                  MetricNames.COVERAGE,
                  fallen ? coverage : healthy[epoch % 3],
                  MetricNames.ENTROPY_NORMALISED,
                  fallen ? entropy : entropies[epoch % 3]),
              Map.of()));
    }
    return run;
  }

  @Test
  void shouldAlertWhenTrainingStallsAboveTheNoiseFloor() {
    StalledTrainingDetector d =
        new StalledTrainingDetector(MetricNames.JSD, true, 5, 1e-3, 2, Severity.INFO, clock::get);
    StalledTrainingDetector.State s = d.initialState();
    List<AlertDecision> decisions = new ArrayList<>();
    for (int epoch = 0; epoch < 34; epoch++) {
      // Improves until epoch 10, plateaus at 0.2 (far above the floor), improves again at 30.
      double jsd = epoch < 10 ? 0.5 - 0.03 * epoch : (epoch < 30 ? 0.2 : 0.1);
      observe(d, s, obs(epoch, MetricNames.JSD, jsd, 0.01)).ifPresent(decisions::add);
    }
    assertEquals(2, decisions.size(), decisions.toString());
    // Best 0.2 at epoch 10; 5 epochs without improvement at epoch 15, confirmed at 16.
    assertEquals(16, decisions.get(0).epoch());
    assertEquals(AlertState.FIRING, decisions.get(0).state());
    assertEquals(30, decisions.get(1).epoch());
    assertEquals(AlertState.RESOLVED, decisions.get(1).state());
  }

  @Test
  void shouldStampAlertsWithTheInjectedClockAndExplainThem() {
    ThresholdDetector d =
        new ThresholdDetector(
            MetricNames.FIDELITY, Direction.DOWN, 0.9, 0.95, 1, 1, Severity.CRITICAL, clock::get);
    ThresholdDetector.State s = d.initialState();
    clock.set(42_000L);
    AlertDecision fired = d.observe(s, obs(7, MetricNames.FIDELITY, 0.8, Double.NaN)).orElseThrow();
    assertEquals(42_000L, fired.timeMillis());
    assertEquals(0.8, fired.value());
    assertEquals(0.9, fired.threshold());
    assertEquals(7, fired.epoch());
    assertEquals("fidelity-threshold", fired.detector());
    assertEquals("fidelity is 0.8000, fire below 0.9000, resolve at 0.9500", fired.reason());
    // Inside the hysteresis band: still firing, nothing to say.
    assertTrue(d.observe(s, obs(8, MetricNames.FIDELITY, 0.93, Double.NaN)).isEmpty());
    clock.set(43_000L);
    AlertDecision resolved =
        d.observe(s, obs(9, MetricNames.FIDELITY, 0.96, Double.NaN)).orElseThrow();
    assertEquals(AlertState.RESOLVED, resolved.state());
    assertEquals(43_000L, resolved.timeMillis());
  }

  @Test
  void shouldContinueIdenticallyAfterStateIsSerialised() throws Exception {
    List<Observation> run =
        SyntheticRun.run(200, 5, e -> e < 150 ? SyntheticRun.healthy() : SyntheticRun.collapsed());
    for (Detector<?> detector : all()) {
      assertEquals(replay(detector, run).decisions, replayWithRestore(detector, run, 120));
    }
  }

  private static Observation obs(long epoch, String metric, double value, double floor) {
    return Observation.of(
        epoch, Map.of(metric, value), Double.isNaN(floor) ? Map.of() : Map.of(metric, floor));
  }

  @SuppressWarnings("unchecked")
  private static <S extends Serializable> Optional<AlertDecision> observe(
      Detector<S> d, Object state, Observation o) {
    return d.observe((S) state, o);
  }

  private static <S extends Serializable> Replay replay(Detector<S> d, List<Observation> run) {
    S state = d.initialState();
    Replay r = new Replay();
    boolean firing = false;
    for (Observation o : run) {
      Optional<AlertDecision> decision = d.observe(state, o);
      if (decision.isPresent()) {
        r.decisions.add(decision.get());
        firing = decision.get().state() == AlertState.FIRING;
      }
      if (firing) {
        r.firingEpochs++;
      }
    }
    return r;
  }

  @SuppressWarnings("unchecked")
  private static <S extends Serializable> List<AlertDecision> replayWithRestore(
      Detector<S> d, List<Observation> run, int restoreAt)
      throws IOException, ClassNotFoundException {
    S state = d.initialState();
    List<AlertDecision> decisions = new ArrayList<>();
    for (Observation o : run) {
      if (o.epoch() == restoreAt) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
          out.writeObject(state);
        }
        try (ObjectInputStream in =
            new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
          state = (S) in.readObject();
        }
      }
      d.observe(state, o).ifPresent(decisions::add);
    }
    return decisions;
  }

  private static final class Replay {
    final List<AlertDecision> decisions = new ArrayList<>();
    int firingEpochs;

    AlertDecision firstFiringAtOrAfter(long epoch) {
      return decisions.stream()
          .filter(a -> a.state() == AlertState.FIRING && a.epoch() >= epoch)
          .findFirst()
          .orElse(null);
    }
  }
}
