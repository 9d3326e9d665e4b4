package io.qmon.bench.eval;

import io.qmon.jobs.advise.AdviseTraining;
import io.qmon.metrics.advice.Advice;
import io.qmon.metrics.advice.AdviceSettingsByModel;
import io.qmon.metrics.advice.TrainingProgress;
import io.qmon.schemas.MetricRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Feeds a stream's epoch records through the job's advice core as {@code AdviseTraining} does: one
 * {@link TrainingProgress} state per run, under the rules of the model type its start params
 * declare, the run's declared epochs read from the same params, and each epoch record handed over
 * by {@link AdviseTraining#observe} (no Flink).
 */
final class AdviceRun {
  private final AdviceSettingsByModel settings;

  AdviceRun(AdviceSettingsByModel settings) {
    this.settings = settings;
  }

  AdviceSettingsByModel settings() {
    return settings;
  }

  List<Advice> advice(LabelledStream stream) {
    // The eval's runs start as the producers' simulated runs do (SimulatedRun's start params
    // "epochs" and model_type), so the advice picks its rules and counts the epochs it would save
    // as it does in the job.
    Map<String, String> params =
        Map.of(
            "epochs",
            Integer.toString(stream.spec().epochs()),
            AdviseTraining.MODEL_TYPE_PARAM,
            stream.spec().model().key());
    Integer maxEpochs = AdviseTraining.declaredEpochs(params);
    TrainingProgress progress =
        new TrainingProgress(settings.forModel(params.get(AdviseTraining.MODEL_TYPE_PARAM)));
    TrainingProgress.State state = progress.initialState();
    List<Advice> out = new ArrayList<>();
    for (MetricRecord r : stream.records()) {
      out.addAll(AdviseTraining.observe(progress, state, r, maxEpochs));
    }
    return out;
  }
}
