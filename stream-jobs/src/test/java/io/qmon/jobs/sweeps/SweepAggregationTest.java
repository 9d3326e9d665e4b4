package io.qmon.jobs.sweeps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.SweepSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class SweepAggregationTest {
  private static MetricRecord summary(String config, int repeat, double finalJsd) {
    return MetricRecord.newBuilder()
        .setRecordId("run-" + config + "-" + repeat + "/closed")
        .setRunId("run-" + config + "-" + repeat)
        .setScope(MetricScope.RUN_CLOSED)
        .setFirstEpoch(1)
        .setLastEpoch(50)
        .setEventTime(Instant.ofEpochMilli(1000L * repeat))
        .setProcessedTime(Instant.EPOCH)
        .setTargetId("t")
        .setQubits(3)
        .setShots(1024)
        .setMetrics(Map.of("final_jsd", finalJsd, "epochs_scored", 50.0))
        .setExperiment("sweep-1")
        .setConfigId(config)
        .build();
  }

  @Test
  void shouldGiveMeanStdAndIntervalOverRepeatsOfAConfiguration() throws Exception {
    KeyedOneInputStreamOperatorTestHarness<String, MetricRecord, SweepSummary> harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new AggregateSweeps(), AggregateSweeps::configurationKey, Types.STRING);
    harness.processElement(summary("a", 1, 0.1), 0);
    harness.processElement(summary("a", 2, 0.2), 0);
    harness.processElement(summary("a", 3, 0.3), 0);
    List<SweepSummary> out = harness.extractOutputValues();
    SweepSummary last = out.get(2);
    assertEquals(3, last.getRuns());
    assertEquals(0.2, last.getStatistics().get("final_jsd_mean"), 1e-12);
    assertEquals(0.1, last.getStatistics().get("final_jsd_std"), 1e-12);
    // t(0.975, 2) = 4.302652729749464 (scipy.stats.t.ppf); sem = 0.1 / √3
    double half = 4.302652729749464 * 0.1 / Math.sqrt(3);
    assertEquals(0.2 - half, last.getStatistics().get("final_jsd_ci_low"), 1e-9);
    assertEquals(0.2 + half, last.getStatistics().get("final_jsd_ci_high"), 1e-9);
    harness.close();
  }

  @Test
  void shouldRankConfigurationsByMeanFinalJsd() throws Exception {
    KeyedOneInputStreamOperatorTestHarness<String, SweepSummary, SweepSummary> harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new RankConfigurations(), SweepSummary::getExperiment, Types.STRING);
    harness.processElement(config("a", 0.3), 0);
    harness.processElement(config("b", 0.1), 0);
    List<SweepSummary> out = harness.extractOutputValues();
    SweepSummary b =
        out.stream().filter(s -> s.getConfigId().equals("b")).reduce((x, y) -> y).get();
    SweepSummary a =
        out.stream().filter(s -> s.getConfigId().equals("a")).reduce((x, y) -> y).get();
    assertEquals(1, b.getRank());
    assertEquals(2, a.getRank());
    assertEquals(2, a.getConfigurations());
    assertEquals(2, b.getRanking(), "the second ranking");
    assertEquals(2, a.getRanking(), "re-ranked in the second ranking");
    assertEquals(
        List.of(1L, 2L, 2L),
        out.stream().map(SweepSummary::getRanking).toList(),
        "every summary a ranking emits carries its revision");
    harness.close();
  }

  private static SweepSummary config(String id, double meanJsd) {
    return SweepSummary.newBuilder()
        .setExperiment("sweep-1")
        .setConfigId(id)
        .setRuns(3)
        .setStatistics(Map.of(RankConfigurations.RANK_BY, meanJsd))
        .setRank(0)
        .setConfigurations(0)
        .setUpdatedTime(Instant.EPOCH)
        .build();
  }
}
