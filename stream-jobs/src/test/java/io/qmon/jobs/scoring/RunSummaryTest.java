package io.qmon.jobs.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSummaryTest {
  @Test
  void shouldReportFinalBestAndTrapezoidAreaEvenWhenEpochsArriveOutOfOrder() {
    RunSummary summary = new RunSummary();
    summary.add(3, 30, Map.of("jsd", 0.2, "fidelity", 0.9), 3, 100, "t");
    summary.add(1, 10, Map.of("jsd", 0.6, "fidelity", 0.5), 3, 100, "t");
    summary.add(2, 20, Map.of("jsd", 0.1, "fidelity", 0.95), 3, 100, "t");
    Map<String, Double> values = summary.values();
    assertEquals(0.2, values.get("final_jsd"), 0.0);
    assertEquals(0.9, values.get("final_fidelity"), 0.0);
    assertEquals(0.1, values.get("best_jsd"), 0.0);
    assertEquals(2.0, values.get("best_epoch"), 0.0);
    // (0.6+0.1)/2 + (0.1+0.2)/2 = 0.35 + 0.15
    assertEquals(0.5, values.get("jsd_auc"), 1e-12);
    assertEquals(3.0, values.get("epochs_scored"), 0.0);
    assertEquals(1, summary.firstEpoch());
    assertEquals(3, summary.lastEpoch());
  }
}
