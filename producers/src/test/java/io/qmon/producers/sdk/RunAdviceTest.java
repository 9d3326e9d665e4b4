package io.qmon.producers.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.Advice;
import io.qmon.schemas.AdviceKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * What a run keeps of the advice it reads, and when it starts and closes its reader. The path from
 * the job through qgm.advice is exercised end to end by AdviceLoopIT (Python SDK) and the demo.
 */
class RunAdviceTest {
  static Advice advice(String runId, AdviceKind kind, boolean stop) {
    return Advice.newBuilder()
        .setAdviceId(runId + "/" + kind)
        .setRunId(runId)
        .setKind(kind)
        .setStop(stop)
        .setEpoch(30)
        .setSinceEpoch(21)
        .setMetric("jsd")
        .setValue(0.003)
        .setLevel(0.0031)
        .setBestLevel(0.0031)
        .setBestEpoch(30)
        .setFloor(0.0036)
        .setFloorExpected(0.0013)
        .setValues(List.of(0.003))
        .setShotsPerEpoch(1024)
        .setMaxEpochs(100)
        .setEpochsSaved(70)
        .setShotsSaved(70L * 1024)
        .setReason("median within the floor")
        .setEventTime(Instant.EPOCH)
        .build();
  }

  @Test
  void shouldKeepOnlyItsOwnRunsAdviceOnceEach() {
    RunAdvice run = new RunAdvice("r1");
    assertTrue(run.accept(advice("r1", AdviceKind.PLATEAU, false)));
    assertFalse(run.accept(advice("r2", AdviceKind.DIVERGING, true)), "another run's");
    assertFalse(run.accept(advice("r1", AdviceKind.PLATEAU, false)), "a replay");
    assertEquals(1, run.advice().size());
  }

  @Test
  void shouldStopOnlyOnAdviceThatSaysStop() {
    RunAdvice run = new RunAdvice("r1");
    run.accept(advice("r1", AdviceKind.PLATEAU, false));
    assertFalse(run.shouldStop(), "a plateau alone leaves the choice to the loop");
    run.accept(advice("r1", AdviceKind.CONVERGED_AT_NOISE_FLOOR, true));
    assertTrue(run.shouldStop());
  }

  @Test
  void shouldCallTheListenerOnceAndHandItsFailureToTheTrainingLoop() {
    RunAdvice run = new RunAdvice("r1");
    List<AdviceKind> seen = new ArrayList<>();
    run.onAdvice(
        a -> {
          seen.add(a.getKind());
          if (a.getKind() == AdviceKind.COLLAPSED) {
            throw new IllegalArgumentException("checkpoint disk full");
          }
        });
    run.accept(advice("r1", AdviceKind.PLATEAU, false));
    run.accept(advice("r1", AdviceKind.PLATEAU, false));
    assertEquals(List.of(AdviceKind.PLATEAU), seen);
    run.accept(advice("r1", AdviceKind.COLLAPSED, true));
    IllegalStateException e = assertThrows(IllegalStateException.class, run::shouldStop);
    assertEquals("checkpoint disk full", e.getCause().getMessage());
  }

  @Test
  void shouldWaitForStopAdvice() throws InterruptedException {
    RunAdvice run = new RunAdvice("r1");
    assertFalse(run.await(Advice::getStop, Duration.ofMillis(20)));
    Thread later =
        new Thread(() -> run.accept(advice("r1", AdviceKind.BARREN_PLATEAU, true)), "advice");
    later.start();
    assertTrue(run.await(Advice::getStop, Duration.ofSeconds(10)));
    later.join();
  }

  @Test
  void shouldStartTheReaderOnFirstUseAndCloseItWithTheRun() {
    QmonPublisher publisher =
        new QmonPublisher(
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()),
            new RunLifecycleTest.MemoryRegistry(),
            "p",
            null);
    List<String> log = new ArrayList<>();
    publisher.adviceReaders(
        (advice, sinceMs) -> {
          assertTrue(sinceMs <= System.currentTimeMillis() - RunPublisher.ADVICE_START_MARGIN_MS);
          log.add("start " + advice.runId());
          return () -> log.add("close");
        });
    RunPublisher run =
        publisher.startRun(RunSpec.builder("r1").qubits(2).shots(10).target("t").build());
    assertEquals(List.of(), log, "nothing is read until the loop asks");
    assertFalse(run.shouldStop());
    run.advice();
    assertEquals(List.of("start r1"), log, "one reader per run");
    run.finish(io.qmon.schemas.RunStatus.SUCCEEDED, null);
    assertEquals(List.of("start r1", "close"), log);
    run.advice();
    assertEquals(2, log.size(), "a finished run reads nothing more");
  }

  @Test
  void shouldGiveTheConsumerOnlyConsumerSettings() {
    Map<String, Object> consumer =
        QmonPublisher.consumerConfig(
            Map.of(
                "bootstrap.servers", "127.0.0.1:9092",
                "security.protocol", "SASL_SSL",
                "acks", "all",
                "linger.ms", 5,
                "client.id", "qmon-publisher-p"));
    assertEquals(
        Map.of("bootstrap.servers", "127.0.0.1:9092", "security.protocol", "SASL_SSL"), consumer);
  }
}
