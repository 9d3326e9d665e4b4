package io.qmon.sink.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.RunCloseStatus;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The generic lane driven against a recording {@link RunDestination}: no Kafka, no MLflow. */
class WriterLaneTest {
  private static final TopicPartition P = new TopicPartition("qgm.metrics", 0);

  /** Records every call as text and throws queued failures first. */
  private static final class RecordingDestination implements RunDestination {
    final List<String> calls = new ArrayList<>();
    final Deque<RuntimeException> failures = new ArrayDeque<>();
    final List<Long> committableAtFailure = new ArrayList<>();
    String rejectRun;
    OffsetTracker offsets;

    private void maybeFail(String runId) {
      if (runId.equals(rejectRun)) {
        throw new RunRejectedException("Run " + runId + ": experiment name is empty", null);
      }
      RuntimeException failure = failures.poll();
      if (failure != null) {
        committableAtFailure.add(offsets.committable().get(P).offset());
        throw failure;
      }
    }

    @Override
    public void open(MetricRecord opened) {
      maybeFail(opened.getRunId());
      calls.add("open " + opened.getRunId());
    }

    @Override
    public void write(String runId, List<MetricRecord> records) {
      maybeFail(runId);
      calls.add(
          "write "
              + runId
              + " "
              + records.stream().map(r -> Integer.toString(r.getLastEpoch())).toList());
    }

    @Override
    public void close(MetricRecord closed) {
      maybeFail(closed.getRunId());
      calls.add("close " + closed.getRunId() + " " + closed.getStatus());
    }

    @Override
    public void forget(String runId) {
      calls.add("forget " + runId);
    }
  }

  private long now;
  private final OffsetTracker offsets = new OffsetTracker();
  private final WriterStats stats = new WriterStats();
  private final RecordingDestination destination = new RecordingDestination();
  private final WriterLane lane =
      new WriterLane(
          0,
          destination,
          new WriterLane.Settings(
              1000,
              Duration.ofMillis(50),
              Duration.ofMillis(1),
              Duration.ofMillis(4),
              Duration.ofSeconds(10)),
          offsets,
          () -> now,
          stats,
          new Semaphore(100));
  private long nextOffset;

  {
    destination.offsets = offsets;
  }

  private void feed(MetricRecord... records) {
    for (MetricRecord record : records) {
      offsets.begin(P, nextOffset);
      lane.handle(new Work(P, nextOffset++, record));
    }
  }

  private long committable() {
    return offsets.committable().get(P).offset();
  }

  @Test
  void shouldWriteARunsPointsBetweenItsOpenAndCloseAndCompleteEveryOffset() {
    feed(
        TestRecords.opened("a"),
        TestRecords.epoch("a", 1, 0.3),
        TestRecords.epoch("b", 1, 0.3),
        TestRecords.epoch("a", 2, 0.2),
        TestRecords.closed("a", 2, RunCloseStatus.SUCCEEDED));
    lane.flushAll();
    assertEquals(
        List.of("open a", "write a [1, 2]", "close a SUCCEEDED", "write b [1]"), destination.calls);
    assertEquals(5, committable());
    assertEquals(1, stats.runsFinished());
  }

  @Test
  void shouldHoldBufferedPointsUncommittedUntilFlushed() {
    feed(TestRecords.epoch("a", 1, 0.3), TestRecords.epoch("a", 2, 0.2));
    assertEquals(0, committable(), "nothing written yet");
    lane.flushAll();
    assertEquals(2, committable());
  }

  @Test
  void shouldSkipARejectedRunWithItsLaterRecordsAndKeepWritingTheOthers() {
    destination.rejectRun = "bad";
    feed(
        TestRecords.opened("bad"),
        TestRecords.opened("good"),
        TestRecords.epoch("bad", 1, 0.3),
        TestRecords.epoch("good", 1, 0.3),
        TestRecords.closed("bad", 1, RunCloseStatus.SUCCEEDED));
    lane.flushAll();
    assertEquals(List.of("forget bad", "open good", "write good [1]"), destination.calls);
    assertEquals(1, stats.rejectedRuns());
    assertEquals(3, stats.skippedRecords(), "the open, the epoch and the close of the bad run");
    assertEquals(5, committable(), "the commit point moves past the skipped records");
  }

  @Test
  void shouldPauseOnRefusedCredentialsCommitNothingMeanwhileAndResume() {
    feed(TestRecords.epoch("a", 1, 0.3));
    destination.failures.add(new UnauthorizedException("HTTP 401", null));
    destination.failures.add(new UnauthorizedException("HTTP 403", null));
    lane.flushAll();
    assertEquals(List.of(0L, 0L), destination.committableAtFailure, "nothing committed meanwhile");
    assertEquals(2, stats.authFailures());
    assertEquals(List.of("write a [1]"), destination.calls, "retried until accepted");
    assertEquals(1, committable());
    assertFalse(lane.paused(), "accepted again: no longer paused");
    assertEquals(0, stats.rejectedRuns(), "refused credentials are not a final answer");
  }

  @Test
  void shouldRetryTransientFailuresWithoutSkipping() {
    destination.failures.add(new IllegalStateException("connection refused"));
    destination.failures.add(new IllegalStateException("read timed out"));
    feed(TestRecords.opened("a"));
    assertEquals(List.of("open a"), destination.calls);
    assertEquals(2, stats.retries());
    assertEquals(0, stats.skippedRecords());
    assertEquals(1, committable());
  }

  @Test
  void shouldWaitWithAClosedRunUntilItsLastEpochIsRead() {
    // Epoch 3 travels on another partition and is read after the close.
    feed(
        TestRecords.epoch("a", 1, 0.3),
        TestRecords.epoch("a", 2, 0.2),
        TestRecords.closed("a", 3, RunCloseStatus.SUCCEEDED),
        TestRecords.epoch("b", 1, 0.3));
    lane.flushAll();
    lane.closeOverdue();
    assertEquals(List.of("write a [1, 2]", "write b [1]"), destination.calls);
    assertEquals(2, committable(), "the waiting close keeps its offset uncommitted");
    feed(TestRecords.epoch("a", 3, 0.1));
    assertEquals(
        List.of("write a [1, 2]", "write b [1]", "write a [3]", "close a SUCCEEDED"),
        destination.calls);
    assertEquals(5, committable());
    assertEquals(1, stats.runsFinished());
  }

  @Test
  void shouldCloseARunWhoseLastEpochDoesNotComeWithinTheWait() {
    // The last epoch was written before this sink started: it is never read again.
    feed(TestRecords.epoch("a", 7, 0.3), TestRecords.closed("a", 9, RunCloseStatus.FAILED));
    lane.flushAll();
    now += 9_999;
    lane.closeOverdue();
    assertEquals(List.of("write a [7]"), destination.calls);
    now += 1;
    lane.closeOverdue();
    assertEquals(List.of("write a [7]", "close a FAILED"), destination.calls);
    assertEquals(2, committable());
  }

  @Test
  void shouldCloseAtOnceWhenTheLastEpochWasReadOrTheRunHadNone() {
    feed(
        TestRecords.epoch("a", 2, 0.3),
        TestRecords.closed("a", 2, RunCloseStatus.SUCCEEDED),
        TestRecords.closed("empty", 0, RunCloseStatus.FAILED));
    assertEquals(
        List.of("write a [2]", "close a SUCCEEDED", "close empty FAILED"), destination.calls);
    assertEquals(3, committable());
  }

  @Test
  void shouldLetAnEarlierWaitingCloseGoWhenTheSameRunClosesAgain() {
    feed(
        TestRecords.closed("a", 4, RunCloseStatus.SUCCEEDED),
        TestRecords.closed("a", 4, RunCloseStatus.SUCCEEDED));
    assertEquals(List.of("close a SUCCEEDED"), destination.calls, "the replayed one waits");
    assertEquals(1, committable());
    feed(TestRecords.epoch("a", 4, 0.1));
    assertEquals(
        List.of("close a SUCCEEDED", "write a [4]", "close a SUCCEEDED"), destination.calls);
    assertEquals(3, committable());
  }
}
