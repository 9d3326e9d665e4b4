package io.qmon.producers.sweep;

import io.qmon.producers.sim.Entanglement;
import io.qmon.producers.train.Loss;
import io.qmon.producers.worker.AnsatzKind;
import io.qmon.producers.worker.InitKind;
import io.qmon.producers.worker.ModelKind;
import io.qmon.producers.worker.ModelSpec;
import io.qmon.producers.worker.SimulatedRunSpec;
import io.qmon.producers.worker.TargetKind;
import java.util.ArrayList;
import java.util.List;

/**
 * A sweep: every combination of ansätze × repetitions × initialisations × qubit counts × learning
 * rates, each trained {@code repeats} times. Read one from JSON with {@link SweepConfigReader}.
 */
public record SweepConfig(
    String experiment,
    ModelKind model,
    TargetKind target,
    Loss loss,
    Entanglement entanglement,
    List<AnsatzKind> ansatze,
    List<Integer> repetitions,
    List<InitKind> initialisations,
    List<Integer> qubits,
    List<Double> learningRates,
    int repeats,
    int epochs,
    int shots,
    int parallelWorkers,
    long seed,
    long epochIntervalMs) {

  public SweepConfig {
    ansatze = List.copyOf(ansatze);
    repetitions = List.copyOf(repetitions);
    initialisations = List.copyOf(initialisations);
    qubits = List.copyOf(qubits);
    learningRates = List.copyOf(learningRates);
  }

  /** Every combination of the axes, in a fixed order (the last axis varies fastest). */
  public List<SweepPoint> points() {
    List<SweepPoint> points = new ArrayList<>();
    for (AnsatzKind a : ansatze) {
      for (int r : repetitions) {
        for (InitKind i : initialisations) {
          for (int q : qubits) {
            for (double lr : learningRates) {
              points.add(new SweepPoint(a, r, i, q, lr));
            }
          }
        }
      }
    }
    return points;
  }

  /** The number of runs: combinations × repeats. */
  public int runCount() {
    return points().size() * repeats;
  }

  /**
   * One run spec per (combination, repeat). Run ids are {@code <session>-<config_id>-<repeat>}; the
   * seed depends on the configuration and the repeat only, so a sweep is reproducible.
   */
  public List<SimulatedRunSpec> runSpecs(String session) {
    List<SimulatedRunSpec> specs = new ArrayList<>();
    for (SweepPoint p : points()) {
      String configId = p.configId(model, target);
      ModelSpec spec =
          new ModelSpec(
              model,
              p.ansatz(),
              p.repetitions(),
              entanglement,
              p.initialisation(),
              target,
              loss,
              p.learningRate());
      for (int k = 0; k < repeats; k++) {
        specs.add(
            new SimulatedRunSpec(
                session + "-" + configId + "-" + k,
                experiment,
                p.qubits(),
                spec,
                shots,
                epochs,
                seed * 1_000_003L + configId.hashCode() * 31L + k,
                epochIntervalMs,
                configId,
                k));
      }
    }
    return specs;
  }
}
