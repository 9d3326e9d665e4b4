package io.qmon.bench.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.metrics.Distribution;
import io.qmon.metrics.MetricCalculator;
import io.qmon.metrics.targets.ExplicitTarget;
import io.qmon.producers.worker.ModelKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the eval sizes a noise drift against one epoch's shot noise, and where it counts it. */
class DriftSizeTest {
  private static final MetricCalculator CALCULATOR = MetricCalculator.withDefaults();

  /** The ratio's numerator is JSD(p, (1−λ)p + λ/2^n); expected values from scipy (base 2). */
  @Test
  void shouldMeasureTheDriftAsTheJsdBetweenTheOutputAndItsMixWithUniform() {
    double[] p = {0.7, 0.1, 0.1, 0.1};
    double ratio = StreamSimulator.driftOverFloor(CALCULATOR, "p", 2, p, 0.5, 1024);
    assertEquals(0.038051181154636946, ratio * floor("p", p, 2, 1024), 1e-12);

    double[] peaked = {0.97, 0.01, 0.01, 0.01, 0, 0, 0, 0};
    double small = StreamSimulator.driftOverFloor(CALCULATOR, "peaked", 3, peaked, 0.1, 512);
    assertEquals(0.031037891739240084, small * floor("peaked", peaked, 3, 512), 1e-12);
  }

  /**
   * A broad output (the eval's runs start from uniform): λ 0.25 changes it by JSD 7.7e-4, under one
   * epoch's floor at 2,048 shots (1.6e-3) and over it at 8,192 (4.1e-4); λ 0.5 (3.1e-3) already at
   * 2,048.
   */
  @Test
  void shouldCallTheSameDriftVisibleOnlyWithEnoughShots() {
    double[] p = {0.2, 0.15, 0.15, 0.1, 0.1, 0.1, 0.1, 0.1};
    assertTrue(StreamSimulator.driftOverFloor(CALCULATOR, "broad", 3, p, 0.25, 2048) < 1);
    assertTrue(StreamSimulator.driftOverFloor(CALCULATOR, "broad", 3, p, 0.25, 8192) > 1);
    assertTrue(StreamSimulator.driftOverFloor(CALCULATOR, "broad", 3, p, 0.5, 2048) > 1);
    assertTrue(StreamSimulator.driftOverFloor(CALCULATOR, "broad", 3, p, 0.1, 8192) < 1);
  }

  @Test
  void shouldCountOnlyDriftsAboveTheFloorInTheirOwnColumnToo() {
    LabelledStream visible = new LabelledStream(drift(0), List.of(), 2.5, null);
    LabelledStream hidden = new LabelledStream(drift(1), List.of(), 0.4, null);
    LabelledStream collapse = new LabelledStream(collapse(2), List.of(), Double.NaN, null);

    assertTrue(visible.aboveShotNoise());
    assertEquals(List.of("noise-drift λ=0.25", LabelledStream.DRIFT_ABOVE_FLOOR), visible.groups());
    assertFalse(hidden.aboveShotNoise());
    assertEquals(List.of("noise-drift λ=0.25"), hidden.groups());
    assertEquals(List.of("mode-collapse"), collapse.groups());
    assertEquals(
        List.of("mode-collapse", "noise-drift λ=0.25", LabelledStream.DRIFT_ABOVE_FLOOR),
        new Scoreboard(List.of(collapse, hidden, visible), 20).faultGroups());
    assertEquals(
        List.of("mode-collapse", "noise-drift λ=0.25"),
        new Scoreboard(List.of(collapse, hidden), 20).faultGroups());
  }

  /** The floor the ratio divides by (the Monte Carlo floors are seeded by the target's id). */
  private static double floor(String id, double[] p, int qubits, int shots) {
    ExplicitTarget target = ExplicitTarget.of(id, Distribution.dense(qubits, p));
    return CALCULATOR.compute(target, Distribution.dense(qubits, p), shots).floors().jsd().upper();
  }

  private static StreamCase drift(int index) {
    return new StreamCase(
        index, ModelKind.BORN_MACHINE, 3, 512, 1.0, 7, 0, 0, 120, Fault.NOISE_DRIFT, 60, 0.25);
  }

  private static StreamCase collapse(int index) {
    return new StreamCase(
        index, ModelKind.QGAN, 3, 512, 0.03, 7, 0, 0, 120, Fault.MODE_COLLAPSE, 60, 0);
  }
}
