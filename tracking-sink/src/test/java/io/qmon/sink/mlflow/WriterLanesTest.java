package io.qmon.sink.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.MetricRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Lane assignment and offset tracking across lanes, without Kafka or MLflow. */
class WriterLanesTest {
  private static final TopicPartition METRICS = new TopicPartition("qgm.metrics", 0);
  private static final TopicPartition OTHER = new TopicPartition("qgm.metrics", 1);

  @Test
  void shouldSendEverythingOfARunToOneLaneAndSpreadRunsOverLanes() {
    int lanes = 4;
    Set<Integer> used = new HashSet<>();
    for (int r = 0; r < 40; r++) {
      String run = "run-" + r;
      int lane = MlflowWriter.laneOf(run, lanes);
      assertTrue(lane >= 0 && lane < lanes);
      used.add(lane);
    }
    assertEquals(lanes, used.size(), "40 runs should use every one of 4 lanes");
    // Negative hash codes still map into range.
    for (String id : List.of("polygenelubricants", "GydZG_", "DESIGNING WORKHOUSES")) {
      int lane = MlflowWriter.laneOf(id, 3);
      assertTrue(lane >= 0 && lane < 3, id + " -> " + lane);
    }
  }

  @Test
  void shouldQueueByRunLaneAndBoundTheSharedCapacity() throws Exception {
    OffsetTracker offsets = new OffsetTracker();
    MlflowWriter writer =
        new MlflowWriter(gateways(3), settings(3, 1000), offsets, System::currentTimeMillis);
    // Not started: nothing is taken off the lanes' queues.
    List<Integer> expected = new ArrayList<>(List.of(0, 0, 0));
    for (int i = 0; i < 30; i++) {
      String run = "run-" + (i % 7);
      offsets.begin(METRICS, i);
      writer.submit(new Work(METRICS, i, metric(run, i)));
      int lane = MlflowWriter.laneOf(run, 3);
      expected.set(lane, expected.get(lane) + 1);
    }
    assertEquals(expected, writer.queuedPerLane());
    assertEquals(1000 - 30, writer.remainingCapacity());
    assertEquals(0, offsets.committable().get(METRICS).offset(), "nothing accepted yet");
    writer.close();
  }

  @Test
  void shouldBlockSubmitWhileTheLanesHoldTheCapacity() throws Exception {
    OffsetTracker offsets = new OffsetTracker();
    MlflowWriter writer =
        new MlflowWriter(gateways(2), settings(2, 4), offsets, System::currentTimeMillis);
    for (int i = 0; i < 4; i++) {
      writer.submit(new Work(METRICS, i, metric("run-" + i, i)));
    }
    assertEquals(0, writer.remainingCapacity());
    Thread blocked =
        new Thread(
            () -> {
              try {
                writer.submit(new Work(METRICS, 4, metric("run-9", 4)));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    blocked.start();
    blocked.join(300);
    assertTrue(blocked.isAlive(), "a fifth record must wait for capacity");
    blocked.interrupt();
    blocked.join(1000);
    writer.close();
  }

  @Test
  void shouldRejectAClientCountOtherThanTheLaneCount() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new MlflowWriter(gateways(2), settings(3, 1000), new OffsetTracker(), () -> 0L));
  }

  /**
   * Lanes complete records of one partition out of order, concurrently; at every moment the
   * committable offset must not pass a record some lane has not completed yet, and once all are
   * completed it is one past the newest.
   */
  @Test
  void shouldNeverCommitPastARecordAnotherLaneStillHolds() throws Exception {
    OffsetTracker offsets = new OffsetTracker();
    int records = 4000;
    int lanes = 4;
    List<List<Long>> perLane = new ArrayList<>();
    for (int l = 0; l < lanes; l++) {
      perLane.add(new ArrayList<>());
    }
    for (long o = 0; o < records; o++) {
      offsets.begin(METRICS, o);
      perLane.get(MlflowWriter.laneOf("run-" + (o % 37), lanes)).add(o);
    }
    Set<Long> done = Collections.synchronizedSet(new TreeSet<>());
    ExecutorService pool = Executors.newFixedThreadPool(lanes);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int l = 0; l < lanes; l++) {
      List<Long> mine = perLane.get(l);
      Random random = new Random(l);
      futures.add(
          pool.submit(
              () -> {
                go.await();
                // A lane completes its records in batches, in its own order.
                List<Long> shuffled = new ArrayList<>(mine);
                Collections.shuffle(shuffled, random);
                for (long o : shuffled) {
                  // Accepted first, then completed: the checker may look in between.
                  done.add(o);
                  offsets.complete(METRICS, o);
                }
                return null;
              }));
    }
    go.countDown();
    boolean running = true;
    while (running) {
      running = futures.stream().anyMatch(f -> !f.isDone());
      long committable = offsets.committable().get(METRICS).offset();
      synchronized (done) {
        for (long o = 0; o < committable; o++) {
          assertTrue(done.contains(o), "committed " + committable + " past open record " + o);
        }
      }
    }
    for (Future<?> f : futures) {
      f.get(10, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertEquals(records, offsets.committable().get(METRICS).offset());
    assertEquals(0, offsets.outstandingCount());
  }

  @Test
  void shouldHoldTheCommitPointAtTheOldestRecordOfTheSlowestLane() {
    OffsetTracker offsets = new OffsetTracker();
    // Interleaved records of a run on lane A (even offsets) and a run on lane B (odd offsets).
    for (long o = 0; o < 10; o++) {
      offsets.begin(METRICS, o);
    }
    offsets.begin(OTHER, 0);
    // Lane B accepted all of its records, lane A is stuck retrying its first batch.
    for (long o = 1; o < 10; o += 2) {
      offsets.complete(METRICS, o);
    }
    offsets.complete(OTHER, 0);
    assertEquals(0, offsets.committable().get(METRICS).offset());
    assertEquals(1, offsets.committable().get(OTHER).offset());
    offsets.complete(METRICS, 0);
    offsets.complete(METRICS, 2);
    assertEquals(4, offsets.committable().get(METRICS).offset());
    for (long o = 4; o < 10; o += 2) {
      offsets.complete(METRICS, o);
    }
    assertEquals(10, offsets.committable().get(METRICS).offset());
  }

  private static List<MlflowApi> gateways(int n) {
    List<MlflowApi> clients = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      clients.add(new RecordingMlflow());
    }
    return clients;
  }

  private static MlflowWriter.Settings settings(int lanes, int capacity) {
    return new MlflowWriter.Settings(
        1000,
        capacity,
        Duration.ofMillis(200),
        Duration.ofMillis(10),
        Duration.ofMillis(100),
        Duration.ofMillis(500),
        lanes);
  }

  private static MetricRecord metric(String run, int epoch) {
    return TestRecords.epoch(run, epoch, 0.1);
  }
}
