package io.qmon.jobs.sweeps;

import io.qmon.jobs.score.RunSummary;
import io.qmon.metrics.stats.ConfidenceInterval;
import io.qmon.metrics.stats.MetricAggregate;
import io.qmon.metrics.stats.RunningStats;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.SweepSummary;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Aggregates the summaries (RUN_CLOSED records) of closed runs that repeat one sweep configuration
 * (keyed by experiment and config id): mean, standard deviation and 95% Student-t interval of every
 * summary metric over the repeats, like a paper's table of "mean KS, std KS, mean relative entropy,
 * std relative entropy over 10 training runs". Emits the updated configuration after each repeat.
 */
public final class AggregateSweeps
    extends KeyedProcessFunction<String, MetricRecord, SweepSummary> {
  private static final long serialVersionUID = 1L;

  private static final ValueStateDescriptor<MetricAggregate> AGGREGATE =
      new ValueStateDescriptor<>("sweep-aggregate", TypeInformation.of(MetricAggregate.class));

  private transient ValueState<MetricAggregate> aggregate;

  /** The key of a configuration: its experiment and its config id. */
  public static String configurationKey(MetricRecord summary) {
    return summary.getExperiment() + "/" + summary.getConfigId();
  }

  /** Only closed runs that belong to a sweep and scored at least one epoch are aggregated. */
  public static boolean isSweepRunSummary(MetricRecord record) {
    if (record.getScope() != MetricScope.RUN_CLOSED
        || record.getConfigId() == null
        || record.getExperiment() == null) {
      return false;
    }
    Double scored = record.getMetrics().get(RunSummary.EPOCHS_SCORED);
    return scored != null && scored > 0;
  }

  @Override
  public void open(OpenContext openContext) {
    aggregate = getRuntimeContext().getState(AGGREGATE);
  }

  @Override
  public void processElement(MetricRecord summary, Context ctx, Collector<SweepSummary> out)
      throws Exception {
    MetricAggregate current = aggregate.value();
    if (current == null) {
      current = new MetricAggregate();
    }
    current.addAll(summary.getMetrics());
    aggregate.update(current);
    Map<String, Double> statistics = new HashMap<>();
    long runs = 0;
    for (Map.Entry<String, RunningStats> entry : current.all().entrySet()) {
      RunningStats stats = entry.getValue();
      runs = Math.max(runs, stats.count());
      statistics.put(entry.getKey() + "_mean", stats.mean());
      if (stats.count() >= 2) {
        ConfidenceInterval ci = stats.confidenceInterval(0.95);
        statistics.put(entry.getKey() + "_std", stats.stddev());
        statistics.put(entry.getKey() + "_ci_low", ci.lower());
        statistics.put(entry.getKey() + "_ci_high", ci.upper());
      }
    }
    out.collect(
        SweepSummary.newBuilder()
            .setExperiment(summary.getExperiment())
            .setConfigId(summary.getConfigId())
            .setRuns((int) runs)
            .setStatistics(statistics)
            .setRank(0)
            .setConfigurations(0)
            .setUpdatedTime(Instant.ofEpochMilli(summary.getEventTime().toEpochMilli()))
            .build());
  }
}
