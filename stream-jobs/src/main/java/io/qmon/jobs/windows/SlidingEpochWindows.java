package io.qmon.jobs.windows;

import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per run, statistics over a sliding window of the last K epochs (mean, variance, confidence
 * interval, trend of each watched metric), emitted as WINDOW metric records every {@code slide}
 * epochs. Every input record is passed on first, so this step sits in the chain between scoring and
 * the metrics sink without a second stream to merge. A run's run-closed record ends the run here
 * too: its window state is cleared.
 */
public final class SlidingEpochWindows
    extends KeyedProcessFunction<String, MetricRecord, MetricRecord> {
  private static final long serialVersionUID = 1L;

  private static final ValueStateDescriptor<EpochWindow> WINDOW =
      new ValueStateDescriptor<>("epoch-window", TypeInformation.of(EpochWindow.class));

  private final int size;
  private final int slide;
  private final List<String> metrics;
  private final double confidence;
  private transient ValueState<EpochWindow> window;

  public SlidingEpochWindows(int size, int slide, List<String> metrics, double confidence) {
    this.size = size;
    this.slide = slide;
    this.metrics = List.copyOf(metrics);
    this.confidence = confidence;
  }

  @Override
  public void open(OpenContext openContext) {
    window = getRuntimeContext().getState(WINDOW);
  }

  @Override
  public void processElement(MetricRecord record, Context ctx, Collector<MetricRecord> out)
      throws Exception {
    out.collect(record);
    if (record.getScope() == MetricScope.RUN_CLOSED) {
      window.clear();
      return;
    }
    if (record.getScope() != MetricScope.EPOCH) {
      return;
    }
    EpochWindow current = window.value();
    if (current == null) {
      current = new EpochWindow(size, metrics);
    }
    boolean emit =
        current.add(
            record.getLastEpoch(),
            record.getEventTime().toEpochMilli(),
            record.getMetrics(),
            slide);
    window.update(current);
    if (emit) {
      out.collect(windowRecord(record, current, ctx.timerService().currentProcessingTime()));
    }
  }

  private MetricRecord windowRecord(
      MetricRecord latest, EpochWindow current, long processedMillis) {
    Map<String, Double> statistics = current.statistics(confidence);
    // The all-fields constructor: the builder would validate and deep-copy every field again.
    return new MetricRecord(
        latest.getRunId() + "/window/" + current.firstEpoch() + "-" + current.lastEpoch(),
        latest.getRunId(),
        MetricScope.WINDOW,
        current.firstEpoch(),
        current.lastEpoch(),
        Instant.ofEpochMilli(current.lastEventTimeMillis()),
        Instant.ofEpochMilli(processedMillis),
        latest.getTargetId(),
        latest.getQubits(),
        latest.getShots(),
        statistics,
        Map.of(),
        latest.getExperiment(),
        latest.getConfigId(),
        Map.of(),
        Map.of(),
        null,
        null,
        null,
        Map.of());
  }
}
