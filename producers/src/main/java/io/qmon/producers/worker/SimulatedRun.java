package io.qmon.producers.worker;

import io.qmon.producers.sdk.QmonPublisher;
import io.qmon.producers.sdk.RunPublisher;
import io.qmon.producers.sdk.RunSpec;
import io.qmon.producers.sim.QuantumModel;
import io.qmon.producers.train.BornMachineTrainer;
import io.qmon.producers.train.QGanTrainer;
import io.qmon.producers.train.Spsa;
import io.qmon.producers.train.Trainer;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.RunStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A simulator worker: trains one real QGM (statevector simulation and shot sampling; a Born machine
 * with SPSA or a qGAN with Adam) and publishes its start, one shot-count event per epoch, and its
 * end.
 */
public final class SimulatedRun {
  private final SimulatedRunSpec spec;

  public SimulatedRun(SimulatedRunSpec spec) {
    this.spec = spec;
  }

  public SimulatedRunSpec spec() {
    return spec;
  }

  /** The run-start event this run publishes. */
  public RunStarted startEvent() {
    ModelSpec m = spec.model();
    boolean qgan = m.model() == ModelKind.QGAN;
    Map<String, String> optimizerSettings = new LinkedHashMap<>();
    if (!Double.isNaN(m.learningRate())) {
      optimizerSettings.put(qgan ? "learning_rate" : "a", Double.toString(m.learningRate()));
    }
    Map<String, String> params = new LinkedHashMap<>();
    params.put("loss", qgan ? "adversarial" : m.loss().key());
    params.put("epochs", Integer.toString(spec.epochs()));
    params.put("initialisation", m.initialisation().key());
    params.put("target", m.target().key());
    params.put("entanglement", m.entanglement().name().toLowerCase());
    return RunStarted.newBuilder()
        .setExperiment(spec.experiment())
        .setModelType(m.model().key())
        .setAnsatz(m.ansatz().key() + "/" + m.entanglement().name().toLowerCase())
        .setRepetitions(m.repetitions())
        .setQubits(spec.qubits())
        .setShots(spec.shots())
        .setBackend("qmon-statevector")
        .setNoiseModel(null)
        .setOptimizer(qgan ? "adam" : "spsa")
        .setOptimizerSettings(optimizerSettings)
        .setSeed(spec.seed())
        .setTargetId(spec.targetId())
        .setConfigId(spec.configId())
        .setRepeatIndex(spec.repeatIndex())
        .setParams(params)
        .setTags(Map.of("source", "qmon-simulator"))
        .build();
  }

  /** A fresh trainer for this run's model, seeded from the spec. */
  public Trainer trainer() {
    ModelSpec m = spec.model();
    QuantumModel model =
        new QuantumModel(
            m.initialisation().state(spec.qubits(), spec.seed() ^ 0x5DEECE66DL),
            m.ansatz().circuit(spec.qubits(), m.repetitions(), m.entanglement()));
    if (m.model() == ModelKind.QGAN) {
      QGanTrainer.Builder qgan =
          QGanTrainer.builder(model, m.target().target(spec.qubits()))
              .shots(spec.shots())
              .seed(spec.seed());
      if (!Double.isNaN(m.learningRate())) {
        qgan.generatorLearningRate(m.learningRate()).discriminatorLearningRate(m.learningRate());
      }
      return qgan.build();
    }
    BornMachineTrainer.Builder born =
        BornMachineTrainer.builder(model, m.target().target(spec.qubits()))
            .loss(m.loss())
            .shots(spec.shots())
            .seed(spec.seed());
    if (!Double.isNaN(m.learningRate())) {
      born.spsa(Spsa.Settings.DEFAULT.withA(m.learningRate()));
    }
    return born.build();
  }

  /**
   * Trains and publishes every epoch; on interruption publishes the run as KILLED and returns.
   *
   * @return the number of epochs published
   */
  public int trainAndPublish(QmonPublisher publisher) {
    Trainer trainer = trainer();
    RunPublisher run = publisher.startRun(RunSpec.of(spec.runId(), startEvent()));
    int published = 0;
    try {
      for (int i = 0; i < spec.epochs(); i++) {
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        run.publishEpoch(trainer.nextEpoch());
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
      try {
        run.finish(RunStatus.FAILED, e.toString());
      } catch (RuntimeException finishFailed) {
        // The publisher itself failed; the original error says why, so keep it first.
        e.addSuppressed(finishFailed);
      }
      throw e;
    }
    return published;
  }
}
