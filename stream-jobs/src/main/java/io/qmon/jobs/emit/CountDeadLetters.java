package io.qmon.jobs.emit;

import io.qmon.schemas.DeadLetter;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** Counts dead letters by error type in Flink metrics on their way to the DLQ topic. */
public final class CountDeadLetters extends RichMapFunction<DeadLetter, DeadLetter> {
  private static final long serialVersionUID = 1L;

  /** Metric group under which one counter per error type is registered. */
  public static final String METRIC_GROUP = "dead_letters";

  private transient MetricGroup group;
  private transient Map<String, Counter> byType;

  @Override
  public void open(OpenContext openContext) {
    group = getRuntimeContext().getMetricGroup().addGroup(METRIC_GROUP);
    byType = new HashMap<>();
  }

  @Override
  public DeadLetter map(DeadLetter letter) {
    byType.computeIfAbsent(letter.getErrorType(), group::counter).inc();
    return letter;
  }
}
