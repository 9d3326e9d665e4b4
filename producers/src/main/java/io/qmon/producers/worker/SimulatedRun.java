package io.qmon.producers.worker;

import io.qmon.producers.sdk.QmonPublisher;
import io.qmon.producers.sdk.RunPublisher;
import io.qmon.producers.sim.Ansatze;
import io.qmon.producers.sim.InitialState;
import io.qmon.producers.sim.QuantumModel;
import io.qmon.producers.train.BornMachineTrainer;
import io.qmon.producers.train.EpochResult;
import io.qmon.producers.train.Target;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.RunStatus;
import java.util.Map;

/**
 * A simulator worker: trains one real Born machine (statevector simulation, shot sampling, SPSA)
 * and publishes its start, one shot-count event per epoch, and its end.
 */
public final class SimulatedRun {
  private final SimulatedRunSpec spec;

  public SimulatedRun(SimulatedRunSpec spec) {
    this.spec = spec;
  }

  /** The run-start event this run publishes. */
  public RunStarted startEvent() {
    return RunStarted.newBuilder()
        .setExperiment(spec.experiment())
        .setModelType("born_machine")
        .setAnsatz("real_amplitudes/" + spec.entanglement().name().toLowerCase())
        .setRepetitions(spec.repetitions())
        .setQubits(spec.qubits())
        .setShots(spec.shots())
        .setBackend("qmon-statevector")
        .setNoiseModel(null)
        .setOptimizer("spsa")
        .setOptimizerSettings(Map.of())
        .setSeed(spec.seed())
        .setTargetId(spec.targetId())
        .setParams(Map.of("loss", spec.loss().key(), "epochs", Integer.toString(spec.epochs())))
        .setTags(Map.of("source", "qmon-simulator"))
        .build();
  }

  /**
   * Trains and publishes every epoch; on interruption publishes the run as KILLED and returns.
   *
   * @return the number of epochs published
   */
  public int trainAndPublish(QmonPublisher publisher) {
    Target target = Target.standardNormal(spec.qubits());
    QuantumModel model =
        new QuantumModel(
            InitialState.uniform(),
            Ansatze.realAmplitudes(spec.qubits(), spec.repetitions(), spec.entanglement()));
    BornMachineTrainer trainer =
        BornMachineTrainer.builder(model, target)
            .loss(spec.loss())
            .shots(spec.shots())
            .seed(spec.seed())
            .build();
    RunPublisher run = publisher.startRun(startEvent(), spec.runId());
    int published = 0;
    try {
      for (int i = 0; i < spec.epochs(); i++) {
        EpochResult epoch = trainer.nextEpoch();
        run.publishEpoch(epoch.epoch(), epoch.outcomes(), epoch.counts(), epoch.losses());
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
      run.finish(RunStatus.FAILED, e.toString());
      throw e;
    }
    return published;
  }
}
