package io.qmon.metrics.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.metrics.MetricNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Pins the detectors on short series recorded from the simulator (a Born machine, 3 qubits, 2048
 * shots; see {@code RecordTestSeries} in the benchmarks module): the faults start at epoch 60 and,
 * in the healed series, end after epoch 70. Expected epochs come from those labels and from the
 * recorded shots column, never from the detectors themselves.
 */
class RecordedSeriesTest {
  private static final int FAULT = 60;
  private static final int HEALED = 71;

  /** A recorded epoch: the observation and the shots the epoch had. */
  private record Row(long shots, Observation observation) {}

  private static List<Row> load(String name) {
    InputStream in = RecordedSeriesTest.class.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("missing test resource " + name);
    }
    List<Row> rows = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      r.readLine();
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String[] f = line.split(",");
        Observation o =
            Observation.of(
                Long.parseLong(f[0]),
                Map.of(
                    MetricNames.JSD, Double.parseDouble(f[2]),
                    MetricNames.COVERAGE, Double.parseDouble(f[5]),
                    MetricNames.ENTROPY_NORMALISED, Double.parseDouble(f[6])),
                Map.of(
                    MetricNames.JSD,
                    Double.parseDouble(f[3]),
                    MetricNames.JSD + "_expected",
                    Double.parseDouble(f[4])));
        rows.add(new Row(Long.parseLong(f[1]), o));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  private static <S extends Serializable> List<AlertDecision> replay(
      Detector<S> detector, List<Row> rows) {
    S state = detector.initialState();
    List<AlertDecision> out = new ArrayList<>();
    for (Row row : rows) {
      Optional<AlertDecision> d = detector.observe(state, row.observation());
      d.ifPresent(out::add);
    }
    return out;
  }

  private static TrendCusumDetector jsdTrend() {
    return TrendCusumDetector.defaults(MetricNames.JSD, () -> 0L);
  }

  private static ShotsDropDetector shotsDrop() {
    return ShotsDropDetector.defaults(MetricNames.JSD, () -> 0L);
  }

  private static ModeCollapseDetector modeCollapse() {
    return ModeCollapseDetector.defaults(() -> 0L);
  }

  @Test
  void convergedRunAtItsFloorRaisesNothing() {
    List<Row> converged = load("converged.csv");
    assertEquals(List.of(), replay(jsdTrend(), converged));
    assertEquals(List.of(), replay(shotsDrop(), converged));
    assertEquals(List.of(), replay(modeCollapse(), converged));
    assertEquals(
        List.of(),
        replay(RollingZScoreDetector.defaults(MetricNames.JSD, Direction.UP, () -> 0L), converged));
  }

  @Test
  void shotsDropFiresOnTheFirstEpochWithFewerShotsAndResolvesWhenTheyReturn() {
    List<Row> rows = load("shots-drop-healed.csv");
    long dropped = firstEpoch(rows, r -> r.shots() < rows.get(0).shots());
    long restored = firstEpochAfter(rows, dropped, r -> r.shots() == rows.get(0).shots());
    List<AlertDecision> decisions = replay(shotsDrop(), rows);
    assertEquals(2, decisions.size(), decisions.toString());
    assertEquals(AlertState.FIRING, decisions.get(0).state());
    assertEquals(dropped, decisions.get(0).epoch());
    assertEquals(AlertState.RESOLVED, decisions.get(1).state());
    // resolve-after 2: the second epoch with the shots back.
    assertEquals(restored + 1, decisions.get(1).epoch());
  }

  @Test
  void jsdTrendCatchesADivergenceWithinThreeEpochs() {
    List<AlertDecision> decisions = replay(jsdTrend(), load("divergence.csv"));
    assertTrue(!decisions.isEmpty(), "no alert on a diverging run");
    AlertDecision first = decisions.get(0);
    assertEquals(AlertState.FIRING, first.state());
    assertTrue(
        first.epoch() >= FAULT && first.epoch() <= FAULT + 3, "fired at epoch " + first.epoch());
  }

  @Test
  void jsdTrendFiresOnACollapseAndResolvesOnceItHeals() {
    List<AlertDecision> decisions = replay(jsdTrend(), load("mode-collapse-healed.csv"));
    assertEquals(2, decisions.size(), decisions.toString());
    assertEquals(AlertState.FIRING, decisions.get(0).state());
    assertTrue(decisions.get(0).epoch() >= FAULT && decisions.get(0).epoch() <= FAULT + 3);
    assertEquals(AlertState.RESOLVED, decisions.get(1).state());
    assertTrue(
        decisions.get(1).epoch() >= HEALED && decisions.get(1).epoch() <= HEALED + 5,
        "resolved at epoch " + decisions.get(1).epoch());
  }

  @Test
  void modeCollapseFiresAfterTwoCollapsedEpochsAndResolvesOnceItHeals() {
    List<AlertDecision> decisions = replay(modeCollapse(), load("mode-collapse-healed.csv"));
    assertEquals(2, decisions.size(), decisions.toString());
    assertEquals(AlertState.FIRING, decisions.get(0).state());
    assertEquals(FAULT + 1, decisions.get(0).epoch());
    assertEquals(AlertState.RESOLVED, decisions.get(1).state());
    // resolve-after 3: the third healthy epoch.
    assertEquals(HEALED + 2, decisions.get(1).epoch());
  }

  /**
   * A healthy qGAN (4 qubits, 128 shots, Adam 0.1; {@code qmon eval-detectors --seed 7}, stream 80,
   * epochs 1–66, before its fault): coverage moves between 2 and 5 of its 7 modes from epoch to
   * epoch. Against the best of its recent window, mode-collapse fired here at epoch 47; against the
   * window's median it stays silent.
   */
  @Test
  void modeCollapseStaysSilentOnAQganWanderingWithinItsUsualRangeAtFewShots() {
    List<AlertDecision> decisions = replay(modeCollapse(), load("qgan-wandering-128-shots.csv"));
    assertTrue(decisions.isEmpty(), decisions.toString());
  }

  /**
   * A Born machine at 128 shots (5 qubits, noisy; {@code qmon eval-detectors --seed 7}, stream 37)
   * whose output collapses from epoch 54: still caught on the second collapsed epoch.
   */
  @Test
  void modeCollapseStillFiresOnACollapseAtFewShots() {
    List<AlertDecision> decisions = replay(modeCollapse(), load("mode-collapse-128-shots.csv"));
    assertEquals(1, decisions.size(), decisions.toString());
    assertEquals(AlertState.FIRING, decisions.get(0).state());
    assertEquals(54 + 1, decisions.get(0).epoch());
  }

  private static long firstEpoch(List<Row> rows, java.util.function.Predicate<Row> p) {
    return firstEpochAfter(rows, 0, p);
  }

  private static long firstEpochAfter(
      List<Row> rows, long after, java.util.function.Predicate<Row> p) {
    for (Row r : rows) {
      if (r.observation().epoch() > after && p.test(r)) {
        return r.observation().epoch();
      }
    }
    throw new AssertionError("no such epoch");
  }
}
