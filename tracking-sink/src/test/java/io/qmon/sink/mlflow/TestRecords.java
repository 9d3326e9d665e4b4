package io.qmon.sink.mlflow;

import io.qmon.schemas.Histogram;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.RunCloseStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Metric records as the job writes them, for the MLflow unit tests. */
final class TestRecords {
  static final long T0 = 1_767_000_000_000L;

  private TestRecords() {}

  static MetricRecord.Builder base(String run, MetricScope scope, int epoch) {
    return MetricRecord.newBuilder()
        .setRecordId(run + "/" + scope + "/" + epoch)
        .setRunId(run)
        .setScope(scope)
        .setFirstEpoch(epoch)
        .setLastEpoch(epoch)
        .setEventTime(Instant.ofEpochMilli(T0 + epoch * 1000L))
        .setProcessedTime(Instant.ofEpochMilli(T0 + epoch * 1000L + 5))
        .setTargetId("t")
        .setQubits(2)
        .setShots(100)
        .setExperiment("exp")
        .setMetrics(Map.of())
        .setNoiseFloors(Map.of());
  }

  static MetricRecord opened(String run) {
    return base(run, MetricScope.RUN_OPENED, 0)
        .setParams(Map.of("ansatz", "RealAmplitudes", "qubits", "2"))
        .setTags(Map.of("team", "q"))
        .build();
  }

  static MetricRecord epoch(String run, int epoch, double jsd) {
    return base(run, MetricScope.EPOCH, epoch)
        .setMetrics(Map.of("jsd", jsd, "loss.generator", 2 * jsd))
        .setNoiseFloors(Map.of("jsd", 0.01))
        .build();
  }

  static MetricRecord closed(String run, int lastEpoch, RunCloseStatus status) {
    return base(run, MetricScope.RUN_CLOSED, lastEpoch)
        .setStatus(status)
        .setMessage("done")
        .setMetrics(Map.of("best_jsd", 0.05))
        .setHistogram(
            Histogram.newBuilder()
                .setEpoch(lastEpoch)
                .setShots(100)
                .setOutcomes(List.of(0L, 3L))
                .setCounts(List.of(60L, 40L))
                .setTarget(List.of(0.5, 0.5))
                .build())
        .build();
  }
}
