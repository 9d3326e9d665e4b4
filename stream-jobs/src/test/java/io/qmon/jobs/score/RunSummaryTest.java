package io.qmon.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSummaryTest {
  @Test
  void shouldReportFinalBestAndTrapezoidAreaInConstantSpace() {
    RunSummary summary = new RunSummary();
    summary.add(1, 10, Map.of("jsd", 0.6, "fidelity", 0.5), 3, 100, "t");
    summary.add(2, 20, Map.of("jsd", 0.1, "fidelity", 0.95), 3, 100, "t");
    summary.add(4, 40, Map.of("jsd", 0.3, "fidelity", 0.8), 3, 100, "t");
    // A second record of epoch 4 (another circuit) replaces epoch 4's point of the curve.
    summary.add(4, 41, Map.of("jsd", 0.2, "fidelity", 0.9), 3, 100, "t");
    Map<String, Double> values = summary.values();
    assertEquals(0.2, values.get("final_jsd"), 0.0);
    assertEquals(0.9, values.get("final_fidelity"), 0.0);
    assertEquals(0.1, values.get("best_jsd"), 0.0);
    assertEquals(2.0, values.get("best_epoch"), 0.0);
    // (0.6+0.1)/2·1 + (0.1+0.2)/2·2 = 0.35 + 0.30
    assertEquals(0.65, values.get("jsd_auc"), 1e-12);
    assertEquals(3.0, values.get("epochs_scored"), 0.0);
    assertEquals(1, summary.firstEpoch());
    assertEquals(4, summary.lastEpoch());
    assertEquals(41, summary.lastEventTimeMillis());
  }

  @Test
  void shouldRefuseAnEpochThatGoesBack() {
    RunSummary summary = new RunSummary();
    summary.add(3, 30, Map.of("jsd", 0.2), 3, 100, "t");
    assertThrows(
        IllegalArgumentException.class, () -> summary.add(2, 20, Map.of("jsd", 0.1), 3, 100, "t"));
  }
}
