package io.qmon.launcher.demo;

import io.qmon.producers.sdk.QmonPublisher;
import io.qmon.producers.sdk.RunPublisher;
import io.qmon.producers.sdk.RunSpec;
import io.qmon.producers.train.EpochResult;
import io.qmon.producers.train.Trainer;
import io.qmon.producers.worker.SimulatedRun;
import io.qmon.producers.worker.SimulatedRunSpec;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.RunStatus;
import java.util.HashMap;

/**
 * The demo's faulty run: a healthy Born machine until {@code faultEpoch}, then mode collapse
 * injected into what it publishes: every shot lands on the outcome the model drew most often, as a
 * generator stuck on one mode does. The run's start says so in its tags, so the injected fault is
 * visible in MLflow as well.
 */
final class FaultyRun {
  private final SimulatedRunSpec spec;
  private final int faultEpoch;

  FaultyRun(SimulatedRunSpec spec, int faultEpoch) {
    this.spec = spec;
    this.faultEpoch = faultEpoch;
  }

  int faultEpoch() {
    return faultEpoch;
  }

  /** Trains and publishes every epoch (collapsed from the fault epoch on); returns the count. */
  int trainAndPublish(QmonPublisher publisher) {
    SimulatedRun simulated = new SimulatedRun(spec);
    RunStarted start = simulated.startEvent();
    HashMap<String, String> tags = new HashMap<>(start.getTags());
    tags.put("injected_fault", "mode-collapse from epoch " + faultEpoch);
    start.setTags(tags);
    Trainer trainer = simulated.trainer();
    RunPublisher run = publisher.startRun(RunSpec.of(spec.runId(), start));
    int published = 0;
    try {
      for (int i = 0; i < spec.epochs(); i++) {
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        EpochResult epoch = trainer.nextEpoch();
        run.publishEpoch(epoch.epoch() >= faultEpoch ? collapsed(epoch) : epoch);
        published++;
        if (spec.epochIntervalMs() > 0) {
          Thread.sleep(spec.epochIntervalMs());
        }
      }
      run.finish(RunStatus.SUCCEEDED, null);
    } catch (InterruptedException e) {
      run.finish(RunStatus.KILLED, "interrupted after " + published + " epochs");
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      run.fail(e);
      throw e;
    }
    return published;
  }

  /** The epoch with all of its shots on its most frequent outcome. */
  static EpochResult collapsed(EpochResult epoch) {
    long[] outcomes = epoch.outcomes();
    long[] counts = epoch.counts();
    int mode = 0;
    for (int i = 1; i < counts.length; i++) {
      if (counts[i] > counts[mode]) {
        mode = i;
      }
    }
    return new EpochResult(
        epoch.epoch(),
        epoch.qubits(),
        epoch.shots(),
        new long[] {outcomes[mode]},
        new long[] {epoch.shots()},
        epoch.losses(),
        epoch.parameters());
  }
}
