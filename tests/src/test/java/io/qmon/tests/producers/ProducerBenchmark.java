package io.qmon.tests.producers;

import io.qmon.producers.sdk.QmonPublisher;
import io.qmon.producers.sdk.RunPublisher;
import io.qmon.producers.sdk.RunSpec;
import io.qmon.producers.sim.Ansatze;
import io.qmon.producers.sim.Entanglement;
import io.qmon.producers.sim.InitialState;
import io.qmon.producers.sim.QuantumModel;
import io.qmon.producers.sim.ShotCounts;
import io.qmon.producers.train.BornMachineTrainer;
import io.qmon.producers.train.Target;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.RunStatus;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.StackSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Producer benchmark (not a test): how many 5-qubit / 1024-shot ShotCounts events one JVM publishes
 * per second to the embedded broker through the SDK (idempotent, acks=all, counted until every
 * event is acknowledged), and how many training epochs one core simulates per second at 5, 10 and
 * 16 qubits. Arguments: [events-per-thread] [seconds-per-size].
 */
public final class ProducerBenchmark {
  private static final int QUBITS = 5;
  private static final int SHOTS = 1024;

  private ProducerBenchmark() {}

  public static void main(String[] args) throws Exception {
    int eventsPerThread = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
    System.out.printf(
        "cores available: %d (shared machine: figures are lower bounds)%n",
        Runtime.getRuntime().availableProcessors());
    try (EmbeddedStack stack = EmbeddedStack.start(StackSettings.fromSystemProperties())) {
      publish(stack, 1, eventsPerThread / 4, "warm-up");
      for (int threads : new int[] {1, 2, 4}) {
        publish(stack, threads, eventsPerThread, "publish");
      }
    }
    for (int qubits : new int[] {5, 10, 16}) {
      simulate(qubits, seconds);
    }
  }

  /** Pre-sampled epochs, so the figure is the SDK and broker, not the simulator. */
  private static List<long[][]> epochs(int n) {
    QuantumModel model =
        new QuantumModel(
            InitialState.uniform(), Ansatze.realAmplitudes(QUBITS, 2, Entanglement.LINEAR));
    SplittableRandom rng = new SplittableRandom(1);
    List<long[][]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] params = new double[model.numParameters()];
      for (int p = 0; p < params.length; p++) {
        params[p] = rng.nextDouble(-Math.PI, Math.PI);
      }
      ShotCounts counts = model.sample(params, SHOTS, rng);
      out.add(new long[][] {counts.outcomes(), counts.counts()});
    }
    return out;
  }

  private static void publish(EmbeddedStack stack, int threads, int eventsPerThread, String label)
      throws Exception {
    List<long[][]> epochs = epochs(64);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start;
    long events;
    try (QmonPublisher publisher =
        QmonPublisher.builder()
            .bootstrapServers(stack.bootstrapServers())
            .schemaRegistryUrl(stack.schemaRegistryUrl())
            .producerId("bench-" + threads + "-" + System.nanoTime())
            .build()) {
      start = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String runId = "bench-" + System.nanoTime() + "-" + t;
        done.add(
            pool.submit(
                () -> {
                  RunPublisher run = publisher.startRun(RunSpec.of(runId, started()));
                  for (int e = 1; e <= eventsPerThread; e++) {
                    long[][] epoch = epochs.get(e & 63);
                    run.publishEpoch(e, epoch[0], epoch[1], Map.of("jsd", 0.1));
                  }
                  run.finish(RunStatus.SUCCEEDED, null);
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      publisher.flush();
      events = publisher.acknowledgedCount();
    } finally {
      pool.shutdown();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "%s: %d thread(s), %,d events acknowledged in %.2f s = %,.0f events/s%n",
        label, threads, events, elapsed, events / elapsed);
  }

  private static void simulate(int qubits, double seconds) {
    BornMachineTrainer trainer =
        BornMachineTrainer.builder(
                new QuantumModel(
                    InitialState.uniform(), Ansatze.realAmplitudes(qubits, 3, Entanglement.LINEAR)),
                Target.standardNormal(qubits))
            .shots(SHOTS)
            .seed(7)
            .build();
    trainer.nextEpoch();
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    int epochs = 0;
    while (System.nanoTime() < deadline) {
      trainer.nextEpoch();
      epochs++;
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "simulate: %2d qubits, Born machine (RealAmplitudes reps 3, SPSA, JSD, %d shots):"
            + " %,.1f training epochs/s on one core%n",
        qubits, SHOTS, epochs / elapsed);
  }

  private static RunStarted started() {
    return RunStarted.newBuilder()
        .setExperiment("bench")
        .setModelType("born_machine")
        .setAnsatz("real_amplitudes")
        .setRepetitions(2)
        .setQubits(QUBITS)
        .setShots(SHOTS)
        .setBackend("qmon-statevector")
        .setOptimizer("none")
        .setSeed(0)
        .setTargetId("normal-0-1-q5")
        .build();
  }
}
