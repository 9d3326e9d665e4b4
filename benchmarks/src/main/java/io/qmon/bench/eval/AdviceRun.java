package io.qmon.bench.eval;

import io.qmon.jobs.advise.AdviseTraining;
import io.qmon.metrics.advice.Advice;
import io.qmon.metrics.advice.AdviceSettings;
import io.qmon.metrics.advice.TrainingProgress;
import io.qmon.schemas.MetricRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Feeds a stream's epoch records through the job's advice core as {@code AdviseTraining} does: one
 * {@link TrainingProgress} state per run, the run's declared epochs read from its start params, and
 * each epoch record handed over by {@link AdviseTraining#observe} (no Flink).
 */
final class AdviceRun {
  private final TrainingProgress progress;

  AdviceRun(AdviceSettings settings) {
    this.progress = new TrainingProgress(settings);
  }

  AdviceSettings settings() {
    return progress.settings();
  }

  List<Advice> advice(LabelledStream stream) {
    // The eval's runs declare their length as the producers' simulated runs do (SimulatedRun's
    // start param "epochs"), so the advice counts the epochs it would save as it does in the job.
    Integer maxEpochs =
        AdviseTraining.declaredEpochs(Map.of("epochs", Integer.toString(stream.spec().epochs())));
    TrainingProgress.State state = progress.initialState();
    List<Advice> out = new ArrayList<>();
    for (MetricRecord r : stream.records()) {
      out.addAll(AdviseTraining.observe(progress, state, r, maxEpochs));
    }
    return out;
  }
}
