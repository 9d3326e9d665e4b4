package io.qmon.jobs.sweeps;

import io.qmon.schemas.SweepSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Ranks an experiment's sweep configurations (keyed by experiment) by a statistic, lowest first —
 * by default the mean final JSD over repeats — and emits every configuration whose rank or values
 * changed, so the compacted sweeps topic always holds the current table. Each ranking raises the
 * experiment's revision ({@code ranking}), which every summary it emits carries: the experiment's
 * summaries travel on several partitions, and a reader that stamps rank changes by the summary's
 * own update time can order an older ranking after a newer one.
 */
public final class RankConfigurations
    extends KeyedProcessFunction<String, SweepSummary, SweepSummary> {
  private static final long serialVersionUID = 1L;

  /** The statistic configurations are ranked by. */
  public static final String RANK_BY = "final_jsd_mean";

  private static final MapStateDescriptor<String, SweepSummary> CONFIGURATIONS =
      new MapStateDescriptor<>(
          "ranked-configurations", Types.STRING, new AvroTypeInfo<>(SweepSummary.class));

  private static final ValueStateDescriptor<Long> REVISION =
      new ValueStateDescriptor<>("ranking-revision", Types.LONG);

  private transient MapState<String, SweepSummary> configurations;
  private transient ValueState<Long> revision;

  @Override
  public void open(OpenContext openContext) {
    configurations = getRuntimeContext().getMapState(CONFIGURATIONS);
    revision = getRuntimeContext().getState(REVISION);
  }

  @Override
  public void processElement(SweepSummary update, Context ctx, Collector<SweepSummary> out)
      throws Exception {
    configurations.put(update.getConfigId(), update);
    long ranking = (revision.value() == null ? 0L : revision.value()) + 1;
    revision.update(ranking);
    List<SweepSummary> all = new ArrayList<>();
    configurations.values().forEach(all::add);
    all.sort(
        Comparator.comparingDouble(
                (SweepSummary s) -> s.getStatistics().getOrDefault(RANK_BY, Double.MAX_VALUE))
            .thenComparing(SweepSummary::getConfigId));
    for (int i = 0; i < all.size(); i++) {
      SweepSummary current = all.get(i);
      boolean changed =
          current.getRank() != i + 1
              || current.getConfigurations() != all.size()
              || current.getConfigId().equals(update.getConfigId());
      if (changed) {
        SweepSummary ranked =
            SweepSummary.newBuilder(current)
                .setRank(i + 1)
                .setConfigurations(all.size())
                .setRanking(ranking)
                .build();
        configurations.put(ranked.getConfigId(), ranked);
        out.collect(ranked);
      }
    }
  }
}
