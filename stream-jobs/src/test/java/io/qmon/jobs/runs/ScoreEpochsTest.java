package io.qmon.jobs.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.jobs.MonitoringJob;
import io.qmon.jobs.records.InputEvent;
import io.qmon.schemas.DeadLetter;
import io.qmon.schemas.Histogram;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.RunCloseStatus;
import io.qmon.schemas.RunEvent;
import io.qmon.schemas.RunFinished;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.RunStatus;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.TargetDistribution;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScoreEpochsTest {
  private static final long TIMEOUT_MS = 10_000;
  private static final long STALL_MS = 60_000;
  private static final long LATENESS_MS = 5_000;
  private static final RunSettings SETTINGS = new RunSettings(3, TIMEOUT_MS, STALL_MS, LATENESS_MS);

  private KeyedBroadcastOperatorTestHarness<String, InputEvent, InputEvent, MetricRecord> harness;

  @BeforeEach
  void setUp() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            new ScoreEpochs(MonitoringJob.DEAD_LETTERS, SETTINGS, Duration.ofHours(1)),
            InputEvent::runId,
            Types.STRING,
            ScoreEpochs.TARGETS);
    harness.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  private void target() throws Exception {
    harness.processBroadcastElement(
        InputEvent.of(
            TargetDistribution.newBuilder()
                .setTargetId("t")
                .setQubits(2)
                .setDescription("")
                .setOutcomes(List.of(0L, 3L))
                .setProbabilities(List.of(0.5, 0.5))
                .setUpdatedTime(Instant.EPOCH)
                .build()),
        0);
  }

  private void start(String run) throws Exception {
    harness.processElement(InputEvent.of(lifecycle(run, RunEvents.started())), 0);
  }

  private void finish(String run, int epochs) throws Exception {
    harness.processElement(
        InputEvent.of(
            lifecycle(
                run,
                RunFinished.newBuilder().setStatus(RunStatus.SUCCEEDED).setEpochs(epochs).build())),
        0);
  }

  private void epoch(String run, int epoch) throws Exception {
    epochWithSeq(run, epoch, epoch);
  }

  private void epochWithSeq(String run, int epoch, long seq) throws Exception {
    harness.processElement(
        InputEvent.of(
            ShotCounts.newBuilder()
                .setRunId(run)
                .setProducerId("p")
                .setSeq(seq)
                .setEpoch(epoch)
                .setEventTime(Instant.EPOCH)
                .setQubits(2)
                .setShots(10)
                .setOutcomes(List.of(0L, 3L))
                .setCounts(List.of(5L, 5L))
                .build()),
        0);
  }

  private static RunEvent lifecycle(String run, Object payload) {
    return RunEvent.newBuilder()
        .setRunId(run)
        .setProducerId("p")
        .setSeq(payload instanceof RunStarted ? 0 : 1_000)
        .setEventTime(Instant.EPOCH)
        .setPayload(payload)
        .build();
  }

  /** What {@code KeyedOneInputStreamOperatorTestHarness#numKeyedStateEntries} gives one input. */
  private int keyedStateEntries() {
    return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend())
        .numKeyValueStateEntries();
  }

  /** Closes the harness and opens a new operator from the snapshot, its clock at {@code now}. */
  private void restore(OperatorSubtaskState snapshot, long now) throws Exception {
    harness.close();
    harness =
        new KeyedBroadcastOperatorTestHarness<>(
            new CoBroadcastWithKeyedOperator<>(
                new ScoreEpochs(MonitoringJob.DEAD_LETTERS, SETTINGS, Duration.ofHours(1)),
                List.of(ScoreEpochs.TARGETS)),
            InputEvent::runId,
            Types.STRING,
            1,
            1,
            0);
    harness.setProcessingTime(now);
    harness.initializeState(snapshot);
    harness.open();
  }

  private List<String> closedAsStalled() {
    return harness.extractOutputValues().stream()
        .filter(r -> r.getScope() == MetricScope.RUN_CLOSED)
        .filter(r -> r.getStatus() == RunCloseStatus.STALLED)
        .map(MetricRecord::getRunId)
        .toList();
  }

  private int stallAlerts() {
    var alerts = harness.getSideOutput(ScoreEpochs.ALERTS);
    return alerts == null ? 0 : alerts.size();
  }

  private List<DeadLetter> deadLetters() {
    ConcurrentLinkedQueue<StreamRecord<DeadLetter>> out =
        harness.getSideOutput(MonitoringJob.DEAD_LETTERS);
    return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
  }

  @Test
  void shouldScoreEpochsAndClearAllStateWhenTheRunFinishes() throws Exception {
    target();
    start("r");
    epoch("r", 1);
    epoch("r", 2);
    finish("r", 2);
    assertEquals(4, harness.extractOutputValues().size(), "run opened, two epochs and run closed");
    assertEquals(0, keyedStateEntries());
    assertEquals(0, harness.numProcessingTimeTimers());
  }

  @Test
  void shouldDeadLetterAnEventForAClosedRunAtOnceEvenAfterARestore() throws Exception {
    target();
    start("r");
    epoch("r", 1);
    finish("r", 1);
    assertEquals(0, keyedStateEntries());
    restore(harness.snapshot(1, 1), 0);
    epoch("r", 2);
    List<DeadLetter> letters = deadLetters();
    assertEquals(1, letters.size(), letters.toString());
    assertEquals("RUN_CLOSED", letters.get(0).getErrorType());
    assertEquals(0, keyedStateEntries(), "a late event opens no state for a closed run");
    assertEquals(0, harness.numProcessingTimeTimers());
  }

  @Test
  void shouldWaitForEpochsThatArriveAfterTheRunsEnd() throws Exception {
    target();
    start("r");
    epoch("r", 1);
    finish("r", 2);
    assertTrue(keyedStateEntries() > 0, "the run stays open for its last epoch");
    epoch("r", 2);
    assertEquals(4, harness.extractOutputValues().size(), "run opened, two epochs and run closed");
    assertEquals(0, keyedStateEntries());
  }

  @Test
  void shouldBufferEpochsUntilTheTargetArrivesThenScoreThem() throws Exception {
    start("r");
    epoch("r", 1);
    epoch("r", 2);
    assertEquals(1, harness.extractOutputValues().size(), "only the run-opened record");
    target();
    assertEquals(3, harness.extractOutputValues().size());
  }

  @Test
  void shouldDropAnEventRepeatedWithTheSameProducerAndSequence() throws Exception {
    target();
    start("r");
    epoch("r", 1);
    epoch("r", 1);
    assertEquals(2, harness.extractOutputValues().size(), "run opened and one epoch");
  }

  @Test
  void shouldDeadLetterAnEpochThatGoesBack() throws Exception {
    target();
    start("r");
    epoch("r", 3);
    epochWithSeq("r", 2, 10);
    assertEquals(2, harness.extractOutputValues().size(), "run opened, only epoch 3 scored");
    List<DeadLetter> letters = deadLetters();
    assertEquals(1, letters.size(), letters.toString());
    assertEquals("EPOCH_BACKWARDS", letters.get(0).getErrorType());
    assertTrue(letters.get(0).getReason().contains("epoch 2 comes after epoch 3"));
  }

  @Test
  void shouldCloseTheRunWithItsStatusSummaryAndLastHistogram() throws Exception {
    target();
    start("r");
    epoch("r", 1);
    epoch("r", 2);
    finish("r", 2);
    MetricRecord summary = harness.extractOutputValues().get(3);
    assertEquals(MetricScope.RUN_CLOSED, summary.getScope());
    assertEquals("r/closed", summary.getRecordId());
    assertEquals(RunCloseStatus.SUCCEEDED, summary.getStatus());
    Histogram histogram = summary.getHistogram();
    assertEquals(2, histogram.getEpoch());
    assertEquals(List.of(0L, 3L), histogram.getOutcomes());
    assertEquals(List.of(5L, 5L), histogram.getCounts());
    assertEquals(List.of(0.5, 0.5), histogram.getTarget());
    // Both epochs match the target exactly: JSD 0, so best 0 at epoch 1 and no area.
    assertEquals(0.0, summary.getMetrics().get("best_jsd"), 1e-12);
    assertEquals(1.0, summary.getMetrics().get("best_epoch"), 0.0);
    assertEquals(0.0, summary.getMetrics().get("jsd_auc"), 1e-12);
    assertEquals(2.0, summary.getMetrics().get("epochs_scored"), 0.0);
  }

  @Test
  void shouldAlertAndCloseARunThatGoesSilent() throws Exception {
    target();
    start("r");
    epoch("r", 1);
    harness.setProcessingTime(STALL_MS + 1);
    var alerts = harness.getSideOutput(ScoreEpochs.ALERTS);
    assertEquals(1, alerts.size());
    assertEquals(ScoreEpochs.STALLED, alerts.peek().getValue().getDetector());
    assertEquals(0, keyedStateEntries());
    assertEquals(0, harness.numProcessingTimeTimers());
  }

  @Test
  void shouldNotCountTheTimeTheJobWasDownAgainstOpenRunsAfterARestore() throws Exception {
    long before = 1_000;
    harness.setProcessingTime(before);
    target();
    start("quiet");
    epoch("quiet", 1);
    start("busy");
    epoch("busy", 1);
    OperatorSubtaskState snapshot = harness.snapshot(1, before);

    long resumed = before + Duration.ofHours(1).toMillis();
    restore(snapshot, resumed);
    harness.setProcessingTime(resumed);
    assertEquals(List.of(), closedAsStalled(), "the stall checks overdue since the outage wait");
    assertEquals(2, harness.numProcessingTimeTimers(), "one stall check per open run, again");
    harness.setProcessingTime(resumed + STALL_MS / 2);
    epoch("busy", 2);
    harness.setProcessingTime(resumed + STALL_MS - 1);
    assertEquals(List.of(), closedAsStalled(), "less than a stall timeout since the restore");
    assertEquals(0, stallAlerts());

    harness.setProcessingTime(resumed + STALL_MS);
    assertEquals(List.of("quiet"), closedAsStalled(), "silent for a whole timeout since restore");
    harness.setProcessingTime(resumed + STALL_MS / 2 + STALL_MS);
    assertEquals(List.of("quiet", "busy"), closedAsStalled(), "silent since its last epoch");
    assertEquals(2, stallAlerts());
    assertEquals(0, keyedStateEntries());
    assertEquals(0, harness.numProcessingTimeTimers());
  }

  @Test
  void shouldDeadLetterEpochsBeyondThePendingLimit() throws Exception {
    for (int e = 1; e <= 4; e++) {
      epoch("never-started", e);
    }
    List<DeadLetter> letters = deadLetters();
    assertEquals(1, letters.size());
    assertEquals("PENDING_OVERFLOW", letters.get(0).getErrorType());
  }

  @Test
  void shouldDeadLetterWhatStillWaitsAtTheTimeoutAndClearTheFinishedRun() throws Exception {
    epoch("r", 1);
    finish("r", 1);
    harness.setProcessingTime(TIMEOUT_MS + 1);
    List<DeadLetter> letters = deadLetters();
    assertEquals(1, letters.size());
    assertEquals("PENDING_TIMEOUT", letters.get(0).getErrorType());
    assertTrue(letters.get(0).getReason().contains("run-start event"), letters.get(0).getReason());
    assertEquals(0, keyedStateEntries());
    assertEquals(0, harness.numProcessingTimeTimers());
  }

  @Test
  void shouldScoreStateSnapshotsAndClearAllStateWhenTheRunFinishes() throws Exception {
    harness.processElement(RunEvents.bell("r", 1), 0);
    assertTrue(keyedStateEntries() > 0, "the snapshot waits for the run's start and target");
    target();
    start("r");
    epoch("r", 1);
    harness.processElement(RunEvents.bell("r", 2), 0);
    finish("r", 1);
    List<String> ids =
        harness.extractOutputValues().stream().map(MetricRecord::getRecordId).toList();
    assertEquals(List.of("r/opened", "r/state/1", "r/epoch/1", "r/state/2", "r/closed"), ids);
    assertEquals(0, keyedStateEntries());
    assertEquals(0, harness.numProcessingTimeTimers());
  }

  @Test
  void shouldClearAWaitingSnapshotsStateWhenTheRunStalls() throws Exception {
    harness.processElement(RunEvents.bell("r", 1), 0);
    harness.setProcessingTime(STALL_MS + 1);
    List<DeadLetter> letters = deadLetters();
    assertEquals(1, letters.size(), letters.toString());
    assertEquals("PENDING_TIMEOUT", letters.get(0).getErrorType());
    assertEquals(0, keyedStateEntries());
    assertEquals(0, harness.numProcessingTimeTimers());
  }

  @Test
  void shouldDeadLetterAnEpochWhoseTargetCannotBeScoredAndGoOnScoringOtherRuns() throws Exception {
    target();
    TargetDistribution reversed = RunEvents.target();
    reversed.setTargetId("reversed");
    reversed.setLow(1.0);
    reversed.setHigh(0.0);
    harness.processBroadcastElement(InputEvent.of(reversed), 0);
    RunStarted onReversed = RunEvents.started();
    onReversed.setTargetId("reversed");
    harness.processElement(InputEvent.of(RunEvents.lifecycle("bad", onReversed, 0)), 0);
    epoch("bad", 1);
    List<DeadLetter> letters = deadLetters();
    assertEquals(1, letters.size(), letters.toString());
    assertEquals("SCORING_FAILED", letters.get(0).getErrorType());
    assertTrue(
        letters.get(0).getReason().contains("Domain [1.0, 0.0] is empty"),
        letters.get(0).getReason());
    assertTrue(keyedStateEntries() > 0, "the failing run is still open and consistent");

    start("good");
    epoch("good", 1);
    finish("good", 1);
    List<String> ids =
        harness.extractOutputValues().stream().map(MetricRecord::getRecordId).toList();
    assertEquals(List.of("bad/opened", "good/opened", "good/epoch/1", "good/closed"), ids);

    finish("bad", 1);
    harness.setProcessingTime(TIMEOUT_MS + 1);
    MetricRecord closed = harness.extractOutputValues().get(4);
    assertEquals("bad/closed", closed.getRecordId());
    assertEquals(RunCloseStatus.TIMED_OUT, closed.getStatus());
    assertEquals(0, keyedStateEntries());
    assertEquals(0, harness.numProcessingTimeTimers());
  }

  /** Topic/partition/offset of each dead letter, in order. */
  private List<String> deadLetterPositions() {
    return deadLetters().stream()
        .map(l -> l.getSourceTopic() + "/" + l.getSourcePartition() + "/" + l.getSourceOffset())
        .toList();
  }

  @Test
  void shouldDeadLetterAnEpochThatWaitedForItsTargetWithWhereItWasRead() throws Exception {
    start("r");
    harness.processElement(RunEvents.epoch("r", 1).from("qgm.shots", 2, 17), 0);
    harness.processElement(RunEvents.bell("r", 1).from("qgm.states", 1, 5), 0);
    assertEquals(List.of(), deadLetters(), "both wait for target t");
    harness.setProcessingTime(TIMEOUT_MS);
    assertEquals(List.of("qgm.shots/2/17", "qgm.states/1/5"), deadLetterPositions());
    assertEquals(
        List.of("PENDING_TIMEOUT", "PENDING_TIMEOUT"),
        deadLetters().stream().map(DeadLetter::getErrorType).toList());
    assertEquals("r", deadLetters().get(0).getRunId());
  }

  @Test
  void shouldKeepWhereAWaitingEpochWasReadAcrossASnapshotAndRestore() throws Exception {
    start("r");
    harness.processElement(RunEvents.epoch("r", 1).from("qgm.shots", 3, 1_234_567_890_123L), 0);
    restore(harness.snapshot(1, 0), 1_000);
    harness.setProcessingTime(1_000 + TIMEOUT_MS);
    assertEquals(List.of("qgm.shots/3/1234567890123"), deadLetterPositions());
    assertEquals("PENDING_TIMEOUT", deadLetters().get(0).getErrorType());
  }

  @Test
  void shouldDeadLetterAWaitingEpochItsTargetDoesNotFitWithWhereItWasRead() throws Exception {
    start("r");
    ShotCounts threeQubits = RunEvents.shots("r", 1, 1);
    threeQubits.setQubits(3);
    harness.processElement(InputEvent.of(threeQubits).from("qgm.shots", 0, 41), 0);
    harness.processElement(RunEvents.epoch("r", 2).from("qgm.shots", 0, 42), 0);
    target();
    assertEquals(List.of("qgm.shots/0/41"), deadLetterPositions());
    assertEquals("QUBITS_MISMATCH", deadLetters().get(0).getErrorType());
    List<String> ids =
        harness.extractOutputValues().stream().map(MetricRecord::getRecordId).toList();
    assertEquals(List.of("r/opened", "r/epoch/2"), ids);
  }

  /**
   * Keyed state as {@code ScoreEpochs} of commit 55eaee0 wrote it, before waiting events kept their
   * source position (lists "pending-shots" and "pending-states" of bare events): run "r" started on
   * target "t" at processing time 1,000, target unknown, its epoch 1 (read at qgm.shots/0/7) and
   * state snapshot 1 (qgm.states/0/3) waiting. Written by that commit's code with {@code
   * ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction}, settings (3, 10 s, 60 s, 5 s),
   * {@code RunEvents.start/epoch/bell}, {@code harness.snapshot(1, 1000)} and {@code
   * OperatorSnapshotUtil.writeStateHandle}.
   */
  private static OperatorSubtaskState oldLayoutSnapshot() throws Exception {
    return OperatorSnapshotUtil.readStateHandle(
        Path.of(
                ScoreEpochsTest.class
                    .getResource("score-epochs-pending-without-positions-55eaee0.snapshot")
                    .toURI())
            .toString());
  }

  @Test
  void shouldScoreEventsRestoredFromTheOldPendingListsOnceTheirTargetArrives() throws Exception {
    restore(oldLayoutSnapshot(), 5_000);
    target();
    finish("r", 1);
    List<String> ids =
        harness.extractOutputValues().stream().map(MetricRecord::getRecordId).toList();
    assertEquals(List.of("r/epoch/1", "r/state/1", "r/closed"), ids);
    assertEquals(List.of(), deadLetters());
    assertEquals(0, keyedStateEntries(), "the old lists are cleared with the run");
    assertEquals(0, harness.numProcessingTimeTimers());
  }

  @Test
  void shouldDeadLetterEventsRestoredFromTheOldPendingListsWithUnknownPositions() throws Exception {
    long restoredAt = 5_000;
    restore(oldLayoutSnapshot(), restoredAt);
    harness.processElement(RunEvents.epoch("r", 2).from("qgm.shots", 1, 50), 0);
    harness.setProcessingTime(restoredAt + TIMEOUT_MS);
    assertEquals(
        List.of("qgm.shots/-1/-1", "qgm.shots/1/50", "qgm.states/-1/-1"), deadLetterPositions());
    List<Integer> epochs =
        deadLetters().stream()
            .map(l -> new String(l.getValue().array(), StandardCharsets.UTF_8))
            .map(json -> json.contains("\"epoch\": 1") ? 1 : json.contains("\"epoch\": 2") ? 2 : 0)
            .toList();
    assertEquals(List.of(1, 2, 1), epochs, "each letter holds its own event");
    assertTrue(deadLetters().stream().allMatch(l -> "r".equals(l.getRunId())));
    harness.setProcessingTime(restoredAt + STALL_MS);
    assertEquals(List.of("r"), closedAsStalled());
    assertEquals(0, keyedStateEntries(), "nothing of the old lists is left behind");
    assertEquals(0, harness.numProcessingTimeTimers());
  }
}
