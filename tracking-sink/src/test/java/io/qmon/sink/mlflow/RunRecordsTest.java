package io.qmon.sink.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.TargetDistribution;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.Metric;

class RunRecordsTest {
  @Test
  void shouldMapMetricsAndFloorsToPointsWithEpochStepAndEventTime() {
    MetricRecord record =
        MetricRecord.newBuilder()
            .setRecordId("r/epoch/7")
            .setRunId("r")
            .setScope(MetricScope.EPOCH)
            .setFirstEpoch(7)
            .setLastEpoch(7)
            .setEventTime(Instant.ofEpochMilli(1234))
            .setProcessedTime(Instant.ofEpochMilli(2000))
            .setTargetId("t")
            .setQubits(2)
            .setShots(100)
            .setMetrics(Map.of("jsd", 0.1))
            .setNoiseFloors(Map.of("jsd", 0.01))
            .build();
    List<Metric> points = MetricPoints.of(record);
    assertEquals(2, points.size());
    assertTrue(points.stream().allMatch(p -> p.getStep() == 7 && p.getTimestamp() == 1234));
    assertTrue(points.stream().anyMatch(p -> p.getKey().equals("jsd_noise_floor")));
    assertEquals("jsd|7|1234", MetricPoints.identity(points.get(0)).replace("_noise_floor", ""));
  }

  @Test
  void shouldDescribeRunWithinMlflowLimits() {
    RunStarted start =
        RunStarted.newBuilder()
            .setExperiment("e")
            .setModelType("qgan")
            .setAnsatz("EfficientSU2")
            .setRepetitions(3)
            .setQubits(4)
            .setShots(2048)
            .setBackend("sim")
            .setNoiseModel(null)
            .setOptimizer("adam")
            .setSeed(1)
            .setTargetId("t")
            .setConfigId("cfg")
            .setParams(Map.of("huge", "y".repeat(7000), "k".repeat(300), "v"))
            .setTags(Map.of("team", "q"))
            .build();
    RunDescription description = RunDescription.of("run-1", start);
    assertEquals(MlflowLimits.MAX_PARAM_VALUE, description.params().get("huge").length());
    assertEquals("none", description.params().get("noise_model"));
    assertEquals("run-1", description.tags().get(RunDescription.RUN_ID_TAG));
    assertEquals("cfg", description.tags().get(RunDescription.CONFIG_ID_TAG));
    assertTrue(description.params().keySet().stream().allMatch(k -> k.length() <= 250));
  }

  @Test
  void shouldRenderReadablePngs() throws Exception {
    TargetDistribution target =
        TargetDistribution.newBuilder()
            .setTargetId("t")
            .setQubits(1)
            .setDescription("d")
            .setOutcomes(List.of(0L, 1L))
            .setProbabilities(List.of(0.5, 0.5))
            .setUpdatedTime(Instant.EPOCH)
            .build();
    ShotCounts shots =
        ShotCounts.newBuilder()
            .setRunId("r")
            .setProducerId("p")
            .setSeq(1)
            .setEpoch(1)
            .setEventTime(Instant.EPOCH)
            .setQubits(1)
            .setShots(10)
            .setOutcomes(List.of(0L))
            .setCounts(List.of(10L))
            .build();
    byte[] png = RunArtifacts.histogramPng("r", target, shots);
    assertEquals(960, ImageIO.read(new ByteArrayInputStream(png)).getWidth());
    byte[] curves =
        RunArtifacts.curvesPng(
            "r",
            Map.of(
                "jsd",
                List.of(Metric.newBuilder().setKey("jsd").setStep(1).setValue(0.2).build())));
    assertEquals(480, ImageIO.read(new ByteArrayInputStream(curves)).getHeight());
    String json = new String(RunArtifacts.distributionsJson("r", target, shots));
    assertTrue(json.contains("\"generated\" : {\n    \"0\" : 1.0"), json);
  }
}
