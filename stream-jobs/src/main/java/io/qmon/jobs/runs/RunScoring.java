package io.qmon.jobs.runs;

import io.qmon.jobs.records.InputEvent;
import io.qmon.jobs.score.EpochScorer;
import io.qmon.jobs.score.Histograms;
import io.qmon.jobs.score.RunSummary;
import io.qmon.jobs.score.StateScorer;
import io.qmon.metrics.TargetModel;
import io.qmon.metrics.shift.RecentCounts;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.StateSnapshot;
import io.qmon.schemas.TargetDistribution;
import io.qmon.schemas.validation.ErrorType;
import io.qmon.schemas.validation.Rejection;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The scoring step of a run's lifecycle: the guards an epoch or snapshot must pass against its run
 * (qubits, epochs going back, a valid state), the scoring itself, and the run's summary. What can
 * fail on an event's data runs before the run's state changes, and a failure is refused as {@value
 * ErrorType#SCORING_FAILED}. No Flink here.
 */
final class RunScoring {
  private final RunSettings settings;
  private final EpochScorer scorer;
  private final StateScorer stateScorer;
  private final Map<String, CachedTarget> targetModels = new HashMap<>();

  /** A target converted once to the metric library's form, valid while its version is current. */
  private record CachedTarget(Instant version, TargetModel model) {}

  RunScoring(RunSettings settings, EpochScorer scorer) {
    this.settings = settings;
    this.scorer = scorer;
    this.stateScorer = new StateScorer(settings.maxStateQubits(), settings.stateCuts());
  }

  /** Scores one epoch of a run whose target is known, or refuses it. */
  void epoch(
      RunState run,
      InputEvent source,
      ShotCounts shots,
      TargetDistribution target,
      long now,
      Decisions d) {
    if (shots.getQubits() != target.getQubits()) {
      d.refuse(
          source,
          shots,
          new Rejection(
              ErrorType.QUBITS_MISMATCH,
              "qubits",
              "qubits "
                  + shots.getQubits()
                  + " does not match target "
                  + target.getTargetId()
                  + " over "
                  + target.getQubits()
                  + " qubits"));
      return;
    }
    if (run.summary != null
        && !run.summary.isEmpty()
        && shots.getEpoch() < run.summary.lastEpoch()) {
      d.refuse(
          source,
          shots,
          new Rejection(
              ErrorType.EPOCH_BACKWARDS,
              "epoch",
              "epoch "
                  + shots.getEpoch()
                  + " comes after epoch "
                  + run.summary.lastEpoch()
                  + " of this run was scored; a run's epochs must not go back"));
      return;
    }
    int maxJump = settings.maxEpochJump();
    long lastScored = run.summary == null || run.summary.isEmpty() ? 0 : run.summary.lastEpoch();
    if (maxJump > 0 && shots.getEpoch() - lastScored > maxJump) {
      d.refuse(
          source,
          shots,
          new Rejection(
              ErrorType.INVALID_EPOCH,
              "epoch",
              "epoch "
                  + shots.getEpoch()
                  + " lies "
                  + (shots.getEpoch() - lastScored)
                  + " epochs beyond this run's last scored epoch "
                  + lastScored
                  + "; the bound is job.max-epoch-jump = "
                  + maxJump));
      return;
    }
    // Everything that can fail on this event's data runs before the run's state changes, so a
    // failure leaves the run as it was.
    MetricRecord record;
    try {
      if (run.recentCounts == null) {
        run.recentCounts = RecentCounts.withDefaults();
      }
      record = scorer.score(shots, modelOf(target), Instant.ofEpochMilli(now), run.recentCounts);
      int every = settings.histogramEveryEpochs();
      if (every > 0 && shots.getEpoch() % every == 0) {
        record.setHistogram(Histograms.of(shots, target, settings.histogramMaxOutcomes()));
      }
    } catch (RuntimeException e) {
      d.refuse(source, shots, scoringFailed("epoch " + shots.getEpoch(), target, e));
      return;
    }
    RunStarted start = run.started;
    if (start != null) {
      record.setExperiment(start.getExperiment());
      record.setConfigId(start.getConfigId());
    }
    d.emit(record);
    run.lastShots = shots;
    if (run.summary == null) {
      run.summary = new RunSummary();
    }
    run.summary.add(
        shots.getEpoch(),
        shots.getEventTime().toEpochMilli(),
        record.getMetrics(),
        shots.getQubits(),
        shots.getShots(),
        target.getTargetId());
    run.scored++;
    d.scored();
  }

  /** Scores one state snapshot of a started run whose target is known. */
  void state(
      RunState run,
      InputEvent source,
      StateSnapshot snapshot,
      TargetDistribution target,
      long now,
      Decisions d) {
    StateScorer.Checked checked = stateScorer.check(snapshot, run.started.getQubits());
    if (checked.rejection() != null) {
      d.refuse(source, snapshot, checked.rejection());
      return;
    }
    try {
      d.emit(
          stateScorer.score(
              snapshot,
              checked.state(),
              target,
              run.started.getExperiment(),
              run.started.getConfigId(),
              now));
    } catch (RuntimeException e) {
      d.refuse(
          source,
          snapshot,
          scoringFailed("state snapshot of epoch " + snapshot.getEpoch(), target, e));
    }
  }

  /**
   * Why scoring failed, for the dead letter: one run's bad data (a target whose value range is
   * reversed, a malformed target state) must cost that event, not the job.
   */
  private static Rejection scoringFailed(
      String what, TargetDistribution target, RuntimeException e) {
    return new Rejection(
        ErrorType.SCORING_FAILED,
        "scoring "
            + what
            + " against target "
            + target.getTargetId()
            + " failed: "
            + e.getClass().getSimpleName()
            + ": "
            + e.getMessage());
  }

  private TargetModel modelOf(TargetDistribution target) {
    CachedTarget cached = targetModels.get(target.getTargetId());
    if (cached == null || !cached.version().equals(target.getUpdatedTime())) {
      cached = new CachedTarget(target.getUpdatedTime(), EpochScorer.toTarget(target));
      targetModels.put(target.getTargetId(), cached);
    }
    return cached.model();
  }
}
