package io.qmon.jobs.detect;

import io.qmon.metrics.detect.AlertDecision;
import io.qmon.metrics.detect.Detector;
import io.qmon.metrics.detect.Observation;
import io.qmon.schemas.Alert;
import io.qmon.schemas.AlertState;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.Severity;
import java.io.Serializable;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Runs the anomaly detectors of the metric library per (run, detector) over each run's epoch
 * records and turns their decisions into alerts (firing and resolved). The detectors' clock is the
 * event time of the record being observed, so a replay decides exactly as the first run did. A
 * run's run-closed record ends it: open alerts are resolved and detector state is cleared.
 *
 * <p>Metric records are passed on unchanged and alerts go to the {@link #ALERTS} side output, so
 * scoring, windows, detection and the metrics sink form one chain with no record serialized between
 * them.
 */
public final class DetectAnomalies
    extends KeyedProcessFunction<String, MetricRecord, MetricRecord> {
  private static final long serialVersionUID = 1L;

  /** Side output of the detectors' alerts, firing and resolved. */
  public static final OutputTag<Alert> ALERTS =
      new OutputTag<>("detector-alerts", new AvroTypeInfo<>(Alert.class));

  /** Builds the detector set from a clock; serializable so the job graph can ship it. */
  public interface DetectorFactory
      extends Function<LongSupplier, List<Detector<? extends Serializable>>>, Serializable {}

  private static final ValueStateDescriptor<HashMap<String, Serializable>> STATES =
      new ValueStateDescriptor<>(
          "detector-states", TypeInformation.of(new TypeHint<HashMap<String, Serializable>>() {}));
  private static final ValueStateDescriptor<HashMap<String, AlertDecision>> FIRING =
      new ValueStateDescriptor<>(
          "firing-alerts", TypeInformation.of(new TypeHint<HashMap<String, AlertDecision>>() {}));

  private final DetectorFactory factory;
  private transient List<Detector<? extends Serializable>> detectors;
  private transient long eventTimeMillis;
  private transient ValueState<HashMap<String, Serializable>> states;
  private transient ValueState<HashMap<String, AlertDecision>> firing;
  private transient Counter alertsRaised;

  public DetectAnomalies(DetectorFactory factory) {
    this.factory = factory;
  }

  @Override
  public void open(OpenContext openContext) {
    detectors = factory.apply(() -> eventTimeMillis);
    states = getRuntimeContext().getState(STATES);
    firing = getRuntimeContext().getState(FIRING);
    alertsRaised = getRuntimeContext().getMetricGroup().counter("alerts_raised");
  }

  @Override
  public void processElement(MetricRecord record, Context ctx, Collector<MetricRecord> records)
      throws Exception {
    records.collect(record);
    Consumer<Alert> out = alert -> ctx.output(ALERTS, alert);
    if (record.getScope() == MetricScope.RUN_CLOSED) {
      resolveOpenAlerts(record, out);
      states.clear();
      firing.clear();
      return;
    }
    if (record.getScope() != MetricScope.EPOCH) {
      return;
    }
    eventTimeMillis = record.getEventTime().toEpochMilli();
    HashMap<String, Serializable> current = states.value();
    if (current == null) {
      current = new HashMap<>();
    }
    HashMap<String, AlertDecision> open = firing.value();
    Observation observation =
        Observation.of(record.getLastEpoch(), record.getMetrics(), record.getNoiseFloors());
    for (Detector<? extends Serializable> detector : detectors) {
      Optional<AlertDecision> decision = observe(detector, current, observation);
      if (decision.isPresent()) {
        AlertDecision d = decision.get();
        if (open == null) {
          open = new HashMap<>();
        }
        String key = detector.name();
        AlertDecision firedBy =
            d.state() == io.qmon.metrics.detect.AlertState.FIRING ? d : open.get(key);
        if (d.state() == io.qmon.metrics.detect.AlertState.FIRING) {
          open.put(key, d);
        } else {
          open.remove(key);
        }
        out.accept(toAlert(record, d, firedBy == null ? d.epoch() : firedBy.epoch()));
        alertsRaised.inc();
      }
    }
    states.update(current);
    if (open != null) {
      firing.update(open);
    }
  }

  @SuppressWarnings("unchecked")
  private static <S extends Serializable> Optional<AlertDecision> observe(
      Detector<S> detector, HashMap<String, Serializable> states, Observation observation) {
    S state = (S) states.computeIfAbsent(detector.name(), name -> detector.initialState());
    return detector.observe(state, observation);
  }

  /** A run that ends closes its alerts: Alertmanager and users should not see them hang. */
  private void resolveOpenAlerts(MetricRecord summary, Consumer<Alert> out) throws Exception {
    HashMap<String, AlertDecision> open = firing.value();
    if (open == null) {
      return;
    }
    for (AlertDecision fired : open.values()) {
      AlertDecision resolved =
          new AlertDecision(
              fired.detector(),
              fired.metric(),
              io.qmon.metrics.detect.AlertState.RESOLVED,
              fired.severity(),
              fired.value(),
              fired.threshold(),
              summary.getLastEpoch(),
              summary.getEventTime().toEpochMilli(),
              "run ended while " + fired.detector() + " was firing");
      out.accept(toAlert(summary, resolved, fired.epoch()));
    }
  }

  /**
   * The Avro alert. Its id names the firing episode (run, detector, metric, epoch it fired at), so
   * the firing and resolved records of one episode share it and repeats can be deduplicated. The
   * experiment and config id come from the record, which the job's scoring stamps from the run's
   * start event (the run state it keeps), so notifications can be routed and grouped by them.
   */
  static Alert toAlert(MetricRecord record, AlertDecision d, long firedAtEpoch) {
    String runId = record.getRunId();
    return Alert.newBuilder()
        .setAlertId(runId + "/" + d.detector() + "/" + d.metric() + "/" + firedAtEpoch)
        .setRunId(runId)
        .setDetector(d.detector())
        .setMetric(d.metric())
        .setState(
            d.state() == io.qmon.metrics.detect.AlertState.FIRING
                ? AlertState.FIRING
                : AlertState.RESOLVED)
        .setSeverity(Severity.valueOf(d.severity().name()))
        .setValue(d.value())
        .setThreshold(d.threshold())
        .setEpoch((int) d.epoch())
        .setEventTime(Instant.ofEpochMilli(d.timeMillis()))
        .setReason(d.reason())
        .setExperiment(record.getExperiment())
        .setConfigId(record.getConfigId())
        .build();
  }
}
