package io.qmon.producers.examples;

import io.qmon.producers.sdk.QmonPublisher;
import io.qmon.producers.sdk.QmonPublisherBuilder;
import io.qmon.producers.sdk.RunSpec;
import io.qmon.producers.sim.Ansatze;
import io.qmon.producers.sim.Entanglement;
import io.qmon.producers.sim.InitialState;
import io.qmon.producers.sim.QuantumModel;
import io.qmon.producers.train.BornMachineTrainer;
import io.qmon.producers.train.Target;
import io.qmon.producers.worker.TargetEvents;

/**
 * The Java SDK example: trains a 3-qubit Born machine with qmon's own simulator and publishes each
 * epoch through {@link QmonPublisher#run}, which finishes the run SUCCEEDED when the loop returns
 * and FAILED (or KILLED) when it throws.
 *
 * <pre>
 * java -cp ... io.qmon.producers.examples.JavaQuickstart BOOTSTRAP REGISTRY_URL RUN_ID [EPOCHS]
 * </pre>
 *
 * The servers default to {@code QMON_BOOTSTRAP_SERVERS} and {@code QMON_SCHEMA_REGISTRY_URL} when
 * the first two arguments are "-".
 */
public final class JavaQuickstart {
  private JavaQuickstart() {}

  /**
   * The example's model: a Born machine on {@code qubits} qubits (RealAmplitudes, 2 repetitions,
   * uniform start, seed 7) trained towards {@code target} with {@code shots} shots per epoch.
   */
  public static BornMachineTrainer trainer(Target target, int qubits, int shots) {
    return BornMachineTrainer.builder(
            new QuantumModel(
                InitialState.uniform(),
                Ansatze.realAmplitudes(qubits, 2, Entanglement.REVERSE_LINEAR)),
            target)
        .shots(shots)
        .seed(7)
        .build();
  }

  public static void main(String[] args) {
    if (args.length < 3) {
      System.err.println("usage: JavaQuickstart BOOTSTRAP|- REGISTRY_URL|- RUN_ID [EPOCHS]");
      System.exit(2);
    }
    QmonPublisherBuilder settings = QmonPublisher.builder().fromEnvironment();
    if (!"-".equals(args[0])) {
      settings.bootstrapServers(args[0]);
    }
    if (!"-".equals(args[1])) {
      settings.schemaRegistryUrl(args[1]);
    }
    String runId = args[2];
    int epochs = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    int qubits = 3;

    Target target = Target.standardNormal(qubits);
    String targetId = TargetEvents.standardNormalId(qubits);
    BornMachineTrainer trainer = trainer(target, qubits, 1024);

    try (QmonPublisher qmon = settings.build()) {
      qmon.publishTarget(TargetEvents.toEvent(targetId, target));
      qmon.run(
          RunSpec.builder(runId).qubits(qubits).shots(1024).target(targetId).build(),
          run -> {
            for (int epoch = 1; epoch <= epochs; epoch++) {
              run.publishEpoch(trainer.nextEpoch());
            }
          });
    }
    System.out.println("run_id=" + runId + " epochs=" + epochs);
  }
}
