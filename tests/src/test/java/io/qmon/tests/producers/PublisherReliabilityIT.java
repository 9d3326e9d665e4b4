package io.qmon.tests.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.producers.sdk.InvalidEventException;
import io.qmon.producers.sdk.QmonPublisher;
import io.qmon.producers.sdk.RunPublisher;
import io.qmon.producers.sdk.RunSpec;
import io.qmon.schemas.RunEvent;
import io.qmon.schemas.RunFinished;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.RunStatus;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.StateSnapshot;
import io.qmon.schemas.Topics;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.StackSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java SDK against a real broker and registry: every event arrives exactly once and in order
 * per run, also when the broker freezes mid-publish (SIGSTOP) so that requests time out and the
 * client really retries; bad input is refused before it is sent.
 */
class PublisherReliabilityIT {
  private static final int QUBITS = 3;
  private static final int SHOTS = 64;

  private static EmbeddedStack stack;

  @BeforeAll
  static void startStack() throws IOException {
    stack = EmbeddedStack.start(StackSettings.fromSystemProperties());
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void shouldDeliverEveryEventOnceAndInOrderPerRun() throws Exception {
    List<String> runs = runIds("steady", 6);
    int epochs = 150;
    try (QmonPublisher publisher = publisher("it-steady").build()) {
      publishConcurrently(publisher, runs, epochs, 0);
    }
    assertExactlyOnceInOrder(runs, epochs);
  }

  @Test
  void shouldNeitherLoseNorDuplicateWhenTheBrokerFreezesMidPublish() throws Exception {
    List<String> runs = runIds("frozen", 4);
    int epochs = 400;
    double retries;
    try (QmonPublisher publisher =
        publisher("it-frozen")
            .requestTimeout(Duration.ofMillis(800))
            .deliveryTimeout(Duration.ofSeconds(60))
            .retryBackoff(Duration.ofMillis(100))
            .build()) {
      ExecutorService freezer = Executors.newSingleThreadExecutor();
      Future<?> freeze =
          freezer.submit(
              () -> {
                awaitAcknowledged(publisher, 200);
                signal("STOP");
                try {
                  Thread.sleep(4000);
                } finally {
                  signal("CONT");
                }
                return null;
              });
      publishConcurrently(publisher, runs, epochs, 5);
      freeze.get(60, TimeUnit.SECONDS);
      freezer.shutdown();
      publisher.flush();
      retries = publisher.kafkaMetric("record-retry-total");
      assertEquals(publisher.sentCount(), publisher.acknowledgedCount());
    }
    assertTrue(retries > 0, "the freeze must have made the client retry, retries = " + retries);
    assertExactlyOnceInOrder(runs, epochs);
  }

  @Test
  void shouldRefuseBadEpochNamingTheFieldAndKeepTheRunUsable() throws Exception {
    try (QmonPublisher publisher = publisher("it-refusals").build()) {
      RunPublisher run = publisher.startRun(RunSpec.of("it-refused-run", started()));
      InvalidEventException sum =
          assertThrows(
              InvalidEventException.class,
              () -> run.publishEpoch(1, new long[] {0, 1}, new long[] {10, 10}, Map.of()));
      assertEquals("counts", sum.field());
      assertEquals("counts sum to 20 but shots is 64", sum.getMessage());
      InvalidEventException range =
          assertThrows(
              InvalidEventException.class,
              () -> run.publishEpoch(1, new long[] {8}, new long[] {SHOTS}, Map.of()));
      assertEquals("outcomes[0]", range.field());
      run.publishEpoch(1, new long[] {2}, new long[] {SHOTS}, Map.of()).get(30, TimeUnit.SECONDS);
      assertInstanceOf(
          InvalidEventException.class,
          assertThrows(
              IllegalArgumentException.class,
              () -> run.publishEpoch(1, new long[] {2}, new long[] {SHOTS}, Map.of())));
      double h = Math.sqrt(1.0 / 8);
      double[] plus = new double[8];
      java.util.Arrays.fill(plus, h);
      run.publishState(1, plus, new double[8]).get(30, TimeUnit.SECONDS);
      run.finish(RunStatus.SUCCEEDED, null).get(30, TimeUnit.SECONDS);
    }
    Map<String, List<ShotCounts>> shots =
        KeyedTopicReader.readByKey(
            stack.bootstrapServers(),
            stack.schemaRegistry(),
            Topics.SHOTS,
            ShotCounts.SCHEMA$,
            m -> m.containsKey("it-refused-run"),
            Duration.ofSeconds(30),
            Duration.ofSeconds(1));
    List<ShotCounts> accepted = shots.get("it-refused-run");
    assertEquals(1, accepted.size(), "only the valid epoch was sent");
    assertEquals(1L, accepted.get(0).getSeq(), "refused epochs took no sequence number");
    Map<String, List<StateSnapshot>> states =
        KeyedTopicReader.readByKey(
            stack.bootstrapServers(),
            stack.schemaRegistry(),
            Topics.STATES,
            StateSnapshot.SCHEMA$,
            m -> m.containsKey("it-refused-run"),
            Duration.ofSeconds(30),
            Duration.ofMillis(200));
    StateSnapshot state = states.get("it-refused-run").get(0);
    assertEquals(2L, state.getSeq());
    assertEquals(8, state.getAmplitudesRe().size());
    assertEquals(Math.sqrt(1.0 / 8), state.getAmplitudesRe().get(5), 0.0);
  }

  private static void assertExactlyOnceInOrder(List<String> runs, int epochs) {
    Map<String, List<ShotCounts>> shots =
        KeyedTopicReader.readByKey(
            stack.bootstrapServers(),
            stack.schemaRegistry(),
            Topics.SHOTS,
            ShotCounts.SCHEMA$,
            m -> runs.stream().allMatch(r -> m.getOrDefault(r, List.of()).size() >= epochs),
            Duration.ofSeconds(90),
            Duration.ofSeconds(2));
    Map<String, List<RunEvent>> lifecycle =
        KeyedTopicReader.readByKey(
            stack.bootstrapServers(),
            stack.schemaRegistry(),
            Topics.RUNS,
            RunEvent.SCHEMA$,
            m -> runs.stream().allMatch(r -> m.getOrDefault(r, List.of()).size() >= 2),
            Duration.ofSeconds(60),
            Duration.ofSeconds(1));
    for (String run : runs) {
      List<ShotCounts> events = shots.getOrDefault(run, List.of());
      assertEquals(
          IntStream.rangeClosed(1, epochs).boxed().toList(),
          events.stream().map(ShotCounts::getEpoch).toList(),
          run + ": every epoch once, in order");
      assertEquals(
          IntStream.rangeClosed(1, epochs).mapToObj(i -> (long) i).toList(),
          events.stream().map(ShotCounts::getSeq).toList(),
          run + ": every seq once, in order");
      events.forEach(e -> assertEquals(SHOTS, e.getCounts().stream().mapToLong(c -> c).sum()));
      List<RunEvent> ends = lifecycle.get(run);
      assertEquals(2, ends.size(), run + ": one start and one finish");
      assertInstanceOf(RunStarted.class, ends.get(0).getPayload());
      assertEquals(0L, ends.get(0).getSeq());
      RunFinished finished = assertInstanceOf(RunFinished.class, ends.get(1).getPayload());
      assertEquals(epochs, finished.getEpochs());
      assertEquals(epochs + 1L, ends.get(1).getSeq());
    }
  }

  /** Publishes the runs from three threads; each epoch's counts depend on (run, epoch). */
  private static void publishConcurrently(
      QmonPublisher publisher, List<String> runs, int epochs, long pauseEveryTenEpochsMs)
      throws Exception {
    ExecutorService workers = Executors.newFixedThreadPool(3);
    List<Future<?>> done = new ArrayList<>();
    for (String runId : runs) {
      done.add(
          workers.submit(
              () -> {
                RunPublisher run = publisher.startRun(RunSpec.of(runId, started()));
                for (int e = 1; e <= epochs; e++) {
                  long first = (runId.hashCode() + e) & 7;
                  long second = (first + 1) & 7;
                  run.publishEpoch(
                      e,
                      new long[] {Math.min(first, second), Math.max(first, second)},
                      new long[] {e % SHOTS, SHOTS - e % SHOTS},
                      Map.of("loss", 1.0 / e));
                  if (pauseEveryTenEpochsMs > 0 && e % 10 == 0) {
                    Thread.sleep(pauseEveryTenEpochsMs * 10);
                  }
                }
                run.finish(RunStatus.SUCCEEDED, null);
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get(180, TimeUnit.SECONDS);
    }
    workers.shutdown();
  }

  private static void awaitAcknowledged(QmonPublisher publisher, long count)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (publisher.acknowledgedCount() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  private static void signal(String signal) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, Long.toString(stack.kafkaPid()))
            .inheritIO()
            .start();
    assertEquals(0, kill.waitFor(), "kill -" + signal + " of the broker");
  }

  private static io.qmon.producers.sdk.QmonPublisherBuilder publisher(String producerId) {
    return QmonPublisher.builder()
        .bootstrapServers(stack.bootstrapServers())
        .schemaRegistryUrl(stack.schemaRegistryUrl())
        .producerId(producerId);
  }

  private static List<String> runIds(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> "it-" + prefix + "-" + i).toList();
  }

  private static RunStarted started() {
    return RunStarted.newBuilder()
        .setExperiment("it-reliability")
        .setModelType("born_machine")
        .setAnsatz("real_amplitudes")
        .setRepetitions(1)
        .setQubits(QUBITS)
        .setShots(SHOTS)
        .setBackend("hand-written")
        .setOptimizer("none")
        .setSeed(0)
        .setTargetId("none")
        .build();
  }
}
