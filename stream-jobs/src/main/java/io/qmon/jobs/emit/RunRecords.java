package io.qmon.jobs.emit;

import io.qmon.jobs.score.RunSummary;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.RunStarted;
import java.time.Instant;
import java.util.Map;

/** Builds the per-run records the job writes besides epoch and window records. No Flink here. */
public final class RunRecords {
  private RunRecords() {}

  /** The run's summary ({@code <run>/summary}), from its start (if seen) and its scored epochs. */
  public static MetricRecord summary(
      String runId, RunStarted start, RunSummary sum, long processedMillis) {
    return MetricRecord.newBuilder()
        .setRecordId(runId + "/summary")
        .setRunId(runId)
        .setScope(MetricScope.RUN_SUMMARY)
        .setFirstEpoch(sum.firstEpoch())
        .setLastEpoch(sum.lastEpoch())
        .setEventTime(Instant.ofEpochMilli(sum.lastEventTimeMillis()))
        .setProcessedTime(Instant.ofEpochMilli(processedMillis))
        .setTargetId(start == null ? sum.targetId() : start.getTargetId())
        .setQubits(sum.qubits())
        .setShots(sum.shots())
        .setMetrics(sum.values())
        .setNoiseFloors(Map.of())
        .setExperiment(start == null ? null : start.getExperiment())
        .setConfigId(start == null ? null : start.getConfigId())
        .build();
  }
}
