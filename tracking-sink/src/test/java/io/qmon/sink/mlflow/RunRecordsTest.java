package io.qmon.sink.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.RunCloseStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.Metric;

class RunRecordsTest {
  @Test
  void shouldMapMetricsAndFloorsToPointsWithEpochStepAndEventTime() {
    MetricRecord record =
        TestRecords.base("r", MetricScope.EPOCH, 7)
            .setMetrics(Map.of("jsd", 0.1))
            .setNoiseFloors(Map.of("jsd", 0.01))
            .build();
    List<Metric> points = MetricPoints.of(record);
    long time = TestRecords.T0 + 7000;
    assertEquals(2, points.size());
    assertTrue(points.stream().allMatch(p -> p.getStep() == 7 && p.getTimestamp() == time));
    assertTrue(points.stream().anyMatch(p -> p.getKey().equals("jsd_noise_floor")));
    assertEquals("jsd|7|" + time, MetricPoints.identity(points.get(0)).replace("_noise_floor", ""));
  }

  @Test
  void shouldPrefixWindowAndSummaryPointsButNotStateOrLossPoints() {
    Map<String, Double> one = Map.of("x", 1.0);
    assertEquals(
        "window.x",
        MetricPoints.of(TestRecords.base("r", MetricScope.WINDOW, 3).setMetrics(one).build())
            .get(0)
            .getKey());
    assertEquals(
        "summary.x",
        MetricPoints.of(TestRecords.base("r", MetricScope.RUN_CLOSED, 3).setMetrics(one).build())
            .get(0)
            .getKey());
    assertEquals(
        "summary.x",
        MetricPoints.of(TestRecords.base("r", MetricScope.RUN_SUMMARY, 3).setMetrics(one).build())
            .get(0)
            .getKey());
    assertEquals(
        "entanglement_entropy_half",
        MetricPoints.of(
                TestRecords.base("r", MetricScope.STATE, 3)
                    .setMetrics(Map.of("entanglement_entropy_half", 1.0))
                    .build())
            .get(0)
            .getKey());
    assertEquals(
        "loss.generator",
        MetricPoints.of(
                TestRecords.base("r", MetricScope.EPOCH, 3)
                    .setMetrics(Map.of("loss.generator", 1.0))
                    .build())
            .get(0)
            .getKey());
  }

  @Test
  void shouldDescribeAnOpenedRunWithinMlflowLimits() {
    MetricRecord opened =
        TestRecords.base("run-1", MetricScope.RUN_OPENED, 0)
            .setConfigId("cfg")
            .setParams(Map.of("huge", "y".repeat(7000), "k".repeat(300), "v", "ansatz", "SU2"))
            .setTags(Map.of("team", "q"))
            .build();
    RunDescription description = RunDescription.opened(opened);
    assertEquals(MlflowLimits.MAX_PARAM_VALUE, description.params().get("huge").length());
    assertEquals("SU2", description.params().get("ansatz"));
    assertEquals("run-1", description.tags().get(RunDescription.RUN_ID_TAG));
    assertEquals("cfg", description.tags().get(RunDescription.CONFIG_ID_TAG));
    assertEquals("q", description.tags().get("team"));
    assertTrue(description.params().keySet().stream().allMatch(k -> k.length() <= 250));
  }

  @Test
  void shouldKeepEveryTagOfTheOpenedRecordIncludingMlflowSystemTags() {
    Map<String, String> tags =
        Map.of(
            "mlflow.source.git.commit", "0123abcd",
            "mlflow.source.name", "train.py",
            "mlflow.user", "ada",
            "qmon.git_dirty", "true",
            "host", "lab-1");
    MetricRecord opened =
        TestRecords.base("run-2", MetricScope.RUN_OPENED, 0).setTags(tags).build();
    Map<String, String> described = RunDescription.opened(opened).tags();
    tags.forEach((k, v) -> assertEquals(v, described.get(k), k));
  }

  @Test
  void shouldWriteTheDistributionsAndTheRawHistogramFromTheClosedRunsHistogram() throws Exception {
    MetricRecord closed = TestRecords.closed("r", 5, RunCloseStatus.SUCCEEDED);
    String json = new String(RunArtifacts.distributionsJson(closed));
    // 60 and 40 of 100 shots on outcomes 0 and 3; the target 0.5 on each.
    assertTrue(json.contains("\"generated\" : {\n    \"0\" : 0.6,\n    \"3\" : 0.4"), json);
    assertTrue(json.contains("\"target\" : {\n    \"0\" : 0.5,\n    \"3\" : 0.5"), json);
    assertEquals(
        "outcome,label,count,generated,target\n0,00,60,0.6,0.5\n3,11,40,0.4,0.5\n",
        new String(RunArtifacts.histogramCsv(closed)));
    assertEquals("distribution/epoch-00010.png", RunArtifacts.snapshotPath(10, "png"));
  }
}
