package io.qmon.sink.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.RunCloseStatus;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
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
  void shouldRenderReadablePngsAndTheDistributionsFromTheClosedRunsHistogram() throws Exception {
    MetricRecord closed = TestRecords.closed("r", 5, RunCloseStatus.SUCCEEDED);
    byte[] png = RunArtifacts.histogramPng(closed);
    assertEquals(960, ImageIO.read(new ByteArrayInputStream(png)).getWidth());
    byte[] curves =
        RunArtifacts.curvesPng(
            "r",
            Map.of(
                "jsd",
                List.of(Metric.newBuilder().setKey("jsd").setStep(1).setValue(0.2).build())));
    assertEquals(480, ImageIO.read(new ByteArrayInputStream(curves)).getHeight());
    String json = new String(RunArtifacts.distributionsJson(closed));
    // 60 and 40 of 100 shots on outcomes 0 and 3; the target 0.5 on each.
    assertTrue(json.contains("\"generated\" : {\n    \"0\" : 0.6,\n    \"3\" : 0.4"), json);
    assertTrue(json.contains("\"target\" : {\n    \"0\" : 0.5,\n    \"3\" : 0.5"), json);
  }
}
