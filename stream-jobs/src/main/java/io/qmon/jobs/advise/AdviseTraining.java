package io.qmon.jobs.advise;

import io.qmon.metrics.MetricNames;
import io.qmon.metrics.advice.AdviceSettingsByModel;
import io.qmon.metrics.advice.TrainingProgress;
import io.qmon.schemas.Advice;
import io.qmon.schemas.AdviceKind;
import io.qmon.schemas.Alert;
import io.qmon.schemas.AlertState;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.Severity;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns each run's epoch records into advice for its training loop ({@link TrainingProgress} of the
 * metric library decides; this operator only keeps its state per run and writes records). The
 * progress events (converged at the noise floor, plateau, barren plateau) are also raised as INFO
 * alerts, one per run and kind; a later progress event or the run's end resolves the open one. A
 * run's RUN_OPENED record gives its declared epochs (start param {@code max_epochs}, else {@code
 * epochs}) and its model type (start param {@code model_type}), which picks its rules ({@link
 * AdviceSettingsByModel}); its RUN_CLOSED record clears the run's state. No timers.
 */
public final class AdviseTraining extends KeyedProcessFunction<String, MetricRecord, Advice> {
  private static final long serialVersionUID = 1L;

  /** Side output of the INFO progress alerts, firing and resolved. */
  public static final OutputTag<Alert> ALERTS =
      new OutputTag<>("progress-alerts", new AvroTypeInfo<>(Alert.class));

  /** Start params that declare a run's number of epochs, first match wins. */
  public static final String[] MAX_EPOCHS_PARAMS = {"max_epochs", "epochs"};

  /** What is kept per run. */
  static final class RunAdvice implements Serializable {
    private static final long serialVersionUID = 1L;
    TrainingProgress.State progress;
    Integer maxEpochs;
    String openAlertKind;
    long openAlertEpoch;
    double openAlertValue;
    double openAlertFloor;
  }

  /** The start param that names a run's model type. */
  public static final String MODEL_TYPE_PARAM = "model_type";

  private static final ValueStateDescriptor<RunAdvice> RUNS =
      new ValueStateDescriptor<>("run-advice", TypeInformation.of(RunAdvice.class));

  // A state of its own rather than a RunAdvice field: RunAdvice is serialized by Kryo field by
  // field, so a new field would not restore from a checkpoint taken before it; a run restored
  // from one has no model type and keeps the standard rules its state was made with.
  private static final ValueStateDescriptor<String> MODEL_TYPES =
      new ValueStateDescriptor<>("run-model-type", Types.STRING);

  private final AdviceSettingsByModel settings;
  private transient TrainingProgress standardProgress;
  private transient TrainingProgress qganProgress;
  private transient ValueState<RunAdvice> runs;
  private transient ValueState<String> modelTypes;
  private transient Counter advicePublished;

  public AdviseTraining(AdviceSettingsByModel settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext openContext) {
    standardProgress = new TrainingProgress(settings.standard());
    qganProgress = new TrainingProgress(settings.qgan());
    runs = getRuntimeContext().getState(RUNS);
    modelTypes = getRuntimeContext().getState(MODEL_TYPES);
    advicePublished = getRuntimeContext().getMetricGroup().counter("advice_published");
  }

  private TrainingProgress progressFor(String modelType) {
    return AdviceSettingsByModel.isQgan(modelType) ? qganProgress : standardProgress;
  }

  @Override
  public void processElement(MetricRecord record, Context ctx, Collector<Advice> out)
      throws Exception {
    MetricScope scope = record.getScope();
    if (scope == MetricScope.RUN_CLOSED) {
      RunAdvice run = runs.value();
      if (run != null && run.openAlertKind != null) {
        ctx.output(ALERTS, resolved(record, run, "run ended"));
      }
      runs.clear();
      modelTypes.clear();
      return;
    }
    if (scope == MetricScope.RUN_OPENED) {
      String modelType = record.getParams().get(MODEL_TYPE_PARAM);
      RunAdvice run = new RunAdvice();
      run.progress = progressFor(modelType).initialState();
      run.maxEpochs = declaredEpochs(record.getParams());
      runs.update(run);
      if (modelType != null) {
        modelTypes.update(modelType);
      } else {
        modelTypes.clear();
      }
      return;
    }
    if (scope != MetricScope.EPOCH) {
      return;
    }
    RunAdvice run = runs.value();
    TrainingProgress progress = progressFor(modelTypes.value());
    if (run == null) {
      // Epochs are scored only after their run's start, so this is a run whose RUN_OPENED came
      // from before a restart without state; judge it without declared epochs.
      run = new RunAdvice();
      run.progress = progress.initialState();
    }
    for (io.qmon.metrics.advice.Advice a : observe(progress, run.progress, record, run.maxEpochs)) {
      out.collect(toAvro(record, a, run.maxEpochs));
      advicePublished.inc();
      if (a.kind().progressEvent()) {
        if (run.openAlertKind != null) {
          ctx.output(ALERTS, resolved(record, run, "followed by " + a.kind()));
        }
        run.openAlertKind = a.kind().name();
        run.openAlertEpoch = a.epoch();
        run.openAlertValue = a.level();
        run.openAlertFloor = a.floor();
        ctx.output(ALERTS, alert(record, a.kind().name(), AlertState.FIRING, a, run));
      }
    }
    runs.update(run);
  }

  /**
   * Hands one epoch record to the advice core: its epoch, JSD, the JSD's 99% shot-noise floor and
   * the floor's mean, mode coverage and shots, with the run's declared epochs ({@code maxEpochs},
   * null when not declared). {@code qmon eval-detectors} scores the advice through this same call.
   */
  public static List<io.qmon.metrics.advice.Advice> observe(
      TrainingProgress progress,
      TrainingProgress.State state,
      MetricRecord record,
      Integer maxEpochs) {
    Map<String, Double> metrics = record.getMetrics();
    Map<String, Double> floors = record.getNoiseFloors();
    return progress.observe(
        state,
        record.getLastEpoch(),
        metrics.getOrDefault(MetricNames.JSD, Double.NaN),
        floors.getOrDefault(MetricNames.JSD, Double.NaN),
        floors.getOrDefault(MetricNames.JSD + "_expected", Double.NaN),
        metrics.getOrDefault(MetricNames.COVERAGE, Double.NaN),
        record.getShots(),
        maxEpochs == null ? OptionalInt.empty() : OptionalInt.of(maxEpochs));
  }

  /** The declared number of epochs of a run, from its start params; null when not declared. */
  public static Integer declaredEpochs(Map<String, String> params) {
    for (String key : MAX_EPOCHS_PARAMS) {
      String raw = params.get(key);
      if (raw != null) {
        try {
          int epochs = Integer.parseInt(raw.trim());
          return epochs > 0 ? epochs : null;
        } catch (NumberFormatException notANumber) {
          // A free-form param of the user's, not a declaration: advice then claims no savings.
          return null;
        }
      }
    }
    return null;
  }

  /**
   * The detector name of a progress kind's INFO alert, e.g. {@code jsd-converged-at-noise-floor}.
   */
  public static String detectorName(String kind) {
    return "jsd-" + kind.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static Advice toAvro(MetricRecord record, io.qmon.metrics.advice.Advice a, Integer maxEpochs) {
    return Advice.newBuilder()
        .setAdviceId(record.getRunId() + "/" + a.kind().name())
        .setRunId(record.getRunId())
        .setKind(AdviceKind.valueOf(a.kind().name()))
        .setStop(a.kind().stop())
        .setEpoch((int) a.epoch())
        .setSinceEpoch((int) a.sinceEpoch())
        .setMetric(a.metric())
        .setValue(a.value())
        .setLevel(a.level())
        .setBestLevel(a.bestLevel())
        .setBestEpoch((int) a.bestEpoch())
        .setFloor(a.floor())
        .setFloorExpected(a.floorExpected())
        .setValues(Arrays.stream(a.values()).boxed().toList())
        .setShotsPerEpoch(a.shotsPerEpoch())
        .setMaxEpochs(maxEpochs)
        .setEpochsSaved((int) a.epochsSaved())
        .setShotsSaved(a.shotsSaved())
        .setReason(a.reason())
        .setEventTime(record.getEventTime())
        .setExperiment(record.getExperiment())
        .setConfigId(record.getConfigId())
        .build();
  }

  private static Alert alert(
      MetricRecord record,
      String kind,
      AlertState state,
      io.qmon.metrics.advice.Advice a,
      RunAdvice run) {
    return Alert.newBuilder()
        .setAlertId(record.getRunId() + "/" + detectorName(kind) + "/jsd/" + run.openAlertEpoch)
        .setRunId(record.getRunId())
        .setDetector(detectorName(kind))
        .setMetric(MetricNames.JSD)
        .setState(state)
        .setSeverity(Severity.INFO)
        .setValue(run.openAlertValue)
        .setThreshold(run.openAlertFloor)
        .setEpoch(record.getLastEpoch())
        .setEventTime(record.getEventTime())
        .setReason(a == null ? kind : a.kind() + ": " + a.reason())
        .setExperiment(record.getExperiment())
        .setConfigId(record.getConfigId())
        .build();
  }

  private static Alert resolved(MetricRecord record, RunAdvice run, String why) {
    Alert alert = alert(record, run.openAlertKind, AlertState.RESOLVED, null, run);
    alert.setReason(run.openAlertKind + " resolved: " + why);
    run.openAlertKind = null;
    return alert;
  }
}
