package io.qmon.tests.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.producers.examples.JavaQuickstart;
import io.qmon.producers.sdk.QmonPublisher;
import io.qmon.producers.sdk.RunPublisher;
import io.qmon.producers.sdk.RunSpec;
import io.qmon.producers.train.BornMachineTrainer;
import io.qmon.producers.train.Target;
import io.qmon.producers.worker.TargetEvents;
import io.qmon.schemas.Advice;
import io.qmon.schemas.AdviceKind;
import io.qmon.schemas.Alert;
import io.qmon.schemas.Severity;
import io.qmon.schemas.Topics;
import io.qmon.stack.EmbeddedStack;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The advice loop end to end: a Python SDK training loop that converges is told so by the job
 * through qgm.advice ({@code run.should_stop()}) and stops before its declared epochs; the advice
 * record on the topic carries its evidence, and the INFO progress alert fires once. A Java SDK loop
 * (qmon's own Born machine trainer, {@code RunPublisher.shouldStop()}) trains beside it and stops
 * the same way, reading the same record the topic holds.
 */
@ExtendWith(SharedSdkStack.class)
class AdviceLoopIT {
  private static final int MAX_EPOCHS = 200;
  private static final int SHOTS = 1024;

  private static EmbeddedStack stack;
  private static VenvPython python;

  @BeforeAll
  static void start(EmbeddedStack shared) throws Exception {
    python = VenvPython.create();
    stack = shared;
  }

  @Test
  void shouldStopConvergedPythonAndJavaRunsEarlyOnTheJobsAdvice() throws Exception {
    String runId = "it-advice-" + UUID.randomUUID();
    String javaRunId = "it-advice-java-" + UUID.randomUUID();
    // Beside the Python loop, so the suite waits for one convergence, not two.
    CompletableFuture<JavaLoop> javaLoop =
        CompletableFuture.supplyAsync(() -> trainJavaRunUntilAdvised(javaRunId));
    VenvPython.Result loop =
        python.run(
            List.of(
                "producers/python/examples/stop_on_advice.py",
                "--bootstrap-servers",
                stack.bootstrapServers(),
                "--schema-registry-url",
                stack.schemaRegistryUrl(),
                "--shots",
                Integer.toString(SHOTS),
                "--max-epochs",
                Integer.toString(MAX_EPOCHS),
                "--run-id",
                runId),
            300);
    assertEquals(0, loop.exitCode(), "loop failed: " + loop.stderr());
    String last = loop.stdout().get(loop.stdout().size() - 1);
    assertTrue(
        last.startsWith("stopped at epoch "), "the loop stopped on advice: " + loop.stdout());
    int stoppedAt = Integer.parseInt(last.split(" ")[3]);
    assertTrue(last.contains("CONVERGED_AT_NOISE_FLOOR"), last);

    List<Advice> advice =
        KeyedTopicReader.<Advice>readByKey(
                stack.bootstrapServers(),
                stack.schemaRegistry(),
                Topics.ADVICE,
                Advice.SCHEMA$,
                byKey -> byKey.containsKey(runId),
                Duration.ofSeconds(60),
                Duration.ofSeconds(1))
            .get(runId);
    Advice converged =
        advice.stream()
            .filter(a -> a.getKind() == AdviceKind.CONVERGED_AT_NOISE_FLOOR)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no convergence advice: " + advice));
    System.out.printf(
        "AdviceLoopIT: advised at epoch %d (evidence epochs %d..%d, level %.5f, floor %.5f),"
            + " loop stopped at epoch %d of %d, saving %d epochs / %d shots%n",
        converged.getEpoch(),
        converged.getSinceEpoch(),
        converged.getEpoch(),
        converged.getLevel(),
        converged.getFloor(),
        stoppedAt,
        MAX_EPOCHS,
        converged.getEpochsSaved(),
        converged.getShotsSaved());
    assertTrue(converged.getStop());
    assertEquals(runId + "/CONVERGED_AT_NOISE_FLOOR", converged.getAdviceId());
    assertTrue(stoppedAt >= converged.getEpoch() && stoppedAt < MAX_EPOCHS, "stopped early");
    // The evidence, checked from its own fields: the median of the last ten values is the level,
    // within the floor; the savings are counted against the declared epochs.
    List<Double> values = converged.getValues();
    assertEquals(10, values.size());
    assertEquals(converged.getEpoch() - 9, converged.getSinceEpoch());
    List<Double> sorted = values.stream().sorted().toList();
    assertEquals((sorted.get(4) + sorted.get(5)) / 2, converged.getLevel(), 1e-12);
    assertTrue(converged.getLevel() <= converged.getFloor(), "level within the floor");
    assertTrue(converged.getFloorExpected() < converged.getFloor());
    assertEquals(MAX_EPOCHS, converged.getMaxEpochs());
    assertEquals(MAX_EPOCHS - converged.getEpoch(), converged.getEpochsSaved());
    assertEquals((long) converged.getEpochsSaved() * SHOTS, converged.getShotsSaved());
    assertEquals(SHOTS, converged.getShotsPerEpoch());

    List<Alert> alerts =
        KeyedTopicReader.<Alert>readByKey(
                stack.bootstrapServers(),
                stack.schemaRegistry(),
                Topics.ALERTS,
                Alert.SCHEMA$,
                byKey -> byKey.containsKey(runId),
                Duration.ofSeconds(30),
                Duration.ofSeconds(1))
            .get(runId);
    List<Alert> progress =
        alerts.stream()
            .filter(a -> a.getDetector().equals("jsd-converged-at-noise-floor"))
            .toList();
    assertTrue(!progress.isEmpty(), "the INFO progress alert: " + alerts);
    assertEquals(Severity.INFO, progress.get(0).getSeverity());
    assertTrue(
        alerts.stream().noneMatch(a -> a.getDetector().equals("jsd-stalled")),
        "jsd-stalled is gone: " + alerts);

    JavaLoop java = javaLoop.get(300, TimeUnit.SECONDS);
    Advice javaStop =
        java.advice().stream()
            .filter(Advice::getStop)
            .findFirst()
            .orElseThrow(() -> new AssertionError("the Java run saw no stop advice: " + java));
    System.out.printf(
        "AdviceLoopIT: Java SDK loop advised %s at epoch %d, stopped at epoch %d of %d%n",
        javaStop.getKind(), javaStop.getEpoch(), java.stoppedAt(), MAX_EPOCHS);
    assertEquals(AdviceKind.CONVERGED_AT_NOISE_FLOOR, javaStop.getKind(), java.toString());
    assertTrue(
        java.stoppedAt() >= javaStop.getEpoch() && java.stoppedAt() < MAX_EPOCHS,
        "the Java loop stopped early: " + java);
    Advice onTopic =
        KeyedTopicReader.<Advice>readByKey(
                stack.bootstrapServers(),
                stack.schemaRegistry(),
                Topics.ADVICE,
                Advice.SCHEMA$,
                byKey -> byKey.containsKey(javaRunId),
                Duration.ofSeconds(60),
                Duration.ofSeconds(1))
            .get(javaRunId)
            .stream()
            .filter(a -> a.getKind() == javaStop.getKind())
            .findFirst()
            .orElseThrow();
    assertEquals(onTopic, javaStop, "the SDK hands over the record the job wrote");
    assertEquals(MAX_EPOCHS - javaStop.getEpoch(), javaStop.getEpochsSaved());
  }

  /** What the Java loop saw: the epoch it stopped at and the run's advice then. */
  private record JavaLoop(int stoppedAt, List<Advice> advice) {}

  /**
   * A 3-qubit Born machine trained with qmon's simulator (the Java quick start's model; it
   * converges near epoch 110 of 200), paced a little so advice can arrive while it trains; it stops
   * when the run says so.
   */
  private static JavaLoop trainJavaRunUntilAdvised(String runId) {
    int qubits = 3;
    Target target = Target.standardNormal(qubits);
    String targetId = TargetEvents.standardNormalId(qubits);
    BornMachineTrainer trainer = JavaQuickstart.trainer(target, qubits, SHOTS);
    try (QmonPublisher qmon =
        QmonPublisher.builder()
            .bootstrapServers(stack.bootstrapServers())
            .schemaRegistryUrl(stack.schemaRegistryUrl())
            .producerId("it-advice-java")
            .build()) {
      qmon.publishTarget(TargetEvents.toEvent(targetId, target)).join();
      try (RunPublisher run =
          qmon.startRun(
              RunSpec.builder(runId)
                  .qubits(qubits)
                  .shots(SHOTS)
                  .target(targetId)
                  .maxEpochs(MAX_EPOCHS)
                  .build())) {
        for (int epoch = 1; epoch <= MAX_EPOCHS; epoch++) {
          run.publishEpoch(trainer.nextEpoch());
          qmon.flush();
          if (run.shouldStop()) {
            return new JavaLoop(epoch, run.advice());
          }
          Thread.sleep(50);
        }
        return new JavaLoop(MAX_EPOCHS, run.advice());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
